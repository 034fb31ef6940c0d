"""The layering check (``layering.py``): each check finds a planted violation, and the tree
is clean — no model manager in a page or endpoint, no Django in the rules, no role compared
outside the permission table, every module documented and short."""

from __future__ import annotations

from functools import cache

from chizheng.core.tests import layering
from chizheng.core.tests.layering import Violation


@cache
def _tree() -> dict[str, list[Violation]]:
    return layering.tree_violations()


def _listed(found: list[Violation]) -> str:
    return "\n".join(str(v) for v in sorted(found))


def test_the_checks_read_the_whole_tree() -> None:
    modules = {layering.relative(p) for p in layering.python_modules()}
    endpoints = {m for m in modules if layering.is_endpoint_module(m)}
    assert {
        "chizheng/training/views.py",
        "chizheng/training/api.py",
        "chizheng/web/home.py",
        "chizheng/registry/views/people.py",
        "chizheng/registry/api/people.py",
    } <= endpoints
    assert "chizheng/registry/selectors.py" not in endpoints
    assert {m for m in modules if layering.is_rules_module(m)} >= {"chizheng/rules/params.py"}
    assert "chizheng/web/templates/web/base.html" in {
        layering.relative(p) for p in layering.templates()
    }


# --- pages and endpoints read through selectors ------------------------------------------

PAGE = """\
def institution_detail(request, pk):
    inst = Institution.objects.get(pk=pk)
    rows = Person._default_manager.filter(county=inst.county)
    return render(request, "x.html", {"i": inst, "rows": selectors.person_list(actor=a)})
"""


def test_a_manager_in_a_view_is_found() -> None:
    found = layering.manager_access(PAGE, "chizheng/registry/views.py")
    assert [(v.line, v.text) for v in sorted(found)] == [
        (2, "Institution.objects"),
        (3, "Person._default_manager"),
    ]
    for module in (
        "chizheng/registry/api.py",
        "chizheng/web/home.py",
        "chizheng/registry/views/people.py",
        "chizheng/registry/api/people.py",
    ):
        assert len(layering.manager_access(PAGE, module)) == 2, module


def test_selectors_and_services_may_use_managers() -> None:
    for module in (
        "chizheng/registry/selectors.py",
        "chizheng/registry/services.py",
        "chizheng/registry/views/tests/test_people.py",
    ):
        assert layering.manager_access(PAGE, module) == [], module


def test_the_pages_and_endpoints_read_through_selectors() -> None:
    found = _tree()["manager_access"]
    assert not found, f"model managers in pages or endpoints (use a selector):\n{_listed(found)}"


# --- the rules stay pure -----------------------------------------------------------------

RULE = """\
import datetime as dt
import django.db
from django.conf import settings
from chizheng.training import models
from chizheng.core import errors, clock
from ..core import audit
from . import params
from .facts import Assessment
from chizheng.core.errors import DomainError
from chizheng.core import ids
import yaml
"""


def test_an_impure_import_in_the_rules_is_found() -> None:
    found = layering.impure_imports(RULE, "chizheng/rules/some_rules.py")
    assert [v.line for v in sorted(found)] == [2, 3, 4, 5, 6]
    assert sorted(found)[3].text == "from chizheng.core import errors, clock"
    assert layering.impure_imports(RULE, "chizheng/training/facts.py") == []


def test_the_rules_import_no_django_and_no_other_app() -> None:
    found = _tree()["impure_imports"]
    assert not found, f"imports that make the rules impure:\n{_listed(found)}"


# --- roles are compared only in the permission table -------------------------------------

ROLES = """\
def f(actor, kind):
    if actor.role == Role.WORKER:
        return 1
    if request.user.role in ("county_hr", "finance"):
        return 2
    if kind not in (Role.INSPECTOR, Role.COUNTY_HR):
        return 3
    if Role.FINANCE != actor.role and ok:
        return 4
    shown = {Role.WORKER: "学员"}[actor.role]
    roles = actor.roles == other.roles
    return actor.role
"""


def test_a_role_comparison_is_found() -> None:
    found = layering.role_comparisons(ROLES, "chizheng/training/views.py")
    assert [(v.line, v.text) for v in sorted(found)] == [
        (2, "actor.role == Role.WORKER"),
        (4, 'request.user.role in ("county_hr", "finance")'),
        (6, "kind not in (Role.INSPECTOR, Role.COUNTY_HR)"),
        (8, "Role.FINANCE != actor.role"),
    ]


def test_the_permission_table_may_compare_roles() -> None:
    for module in (
        "chizheng/accounts/access.py",
        "chizheng/accounts/permissions.py",
        "chizheng/accounts/models.py",
        "chizheng/accounts/migrations/0005_roles.py",
        "chizheng/training/tests/test_roles.py",
        "chizheng/demo/training.py",
    ):
        assert layering.role_comparisons(ROLES, module) == [], module


def test_a_role_comparison_in_a_template_is_found() -> None:
    page = (
        "<h1>首页</h1>\n"
        '{% if actor.role == "worker" %}<p>学员</p>{% endif %}\n'
        "{% if actor_role %}{{ actor.role }}{% endif %}\n"
        '{% if "finance" != user.role %}x{% endif %}\n'
        '{% if actor.role in "county_hr,programme_office" %}y{% endif %}\n'
    )
    found = layering.template_role_comparisons(page, "chizheng/web/templates/web/home.html")
    assert [(v.line, v.text) for v in found] == [
        (2, '{% if actor.role == "worker" %}'),
        (4, '{% if "finance" != user.role %}'),
        (5, '{% if actor.role in "county_hr,programme_office" %}'),
    ]


def test_roles_are_compared_only_in_the_permission_table() -> None:
    tree = _tree()
    found = tree["role_comparisons"] + tree["template_role_comparisons"]
    assert not found, "role comparisons outside the permission table (use a permission):\n" + (
        _listed(found)
    )


# --- modules say what they own and stay small --------------------------------------------


def test_a_module_without_a_docstring_is_found() -> None:
    assert layering.undocumented("import os\n", "chizheng/web/apps.py") == [
        Violation("chizheng/web/apps.py", 1, "no module docstring")
    ]
    assert layering.undocumented('"""Owns X."""\nimport os\n', "chizheng/web/apps.py") == []
    assert layering.undocumented("", "chizheng/web/__init__.py") == []  # a package marker
    assert layering.undocumented("import os\n", "chizheng/web/tests/test_x.py") == []


def test_every_module_says_what_it_owns() -> None:
    found = _tree()["undocumented"]
    assert not found, f"modules without a docstring:\n{_listed(found)}"


def test_a_long_module_is_found() -> None:
    source = '"""Owns X."""\n' + "x = 1\n" * layering.MAX_LINES
    (found,) = layering.too_long(source, "chizheng/web/views.py")
    assert found.line == layering.MAX_LINES + 1
    assert layering.too_long(source, "chizheng/web/tests/test_views.py") == []
    assert layering.too_long("x = 1\n" * layering.MAX_LINES, "chizheng/web/views.py") == []


def test_modules_are_short() -> None:
    found = _tree()["too_long"]
    assert not found, f"modules over {layering.MAX_LINES} lines:\n{_listed(found)}"
