"""The layering of docs/architecture.md, checked on the source (``ast``), in the spirit of
Zulip's custom lint rules. Each check takes a module's source and its path and returns the
violations it finds; ``test_layering.py`` runs them over the tree and on planted examples.

- **Pages and endpoints read through selectors:** no model manager (``.objects``,
  ``._default_manager``, ``._base_manager``) in a views/api module.
- **The rules stay pure:** no import of Django, or of another part of chizheng than
  ``chizheng.core.errors``, ``chizheng.core.ids`` and ``chizheng.rules``, in ``chizheng/rules/``.
- **Roles are compared only in the permission table:** no ``x.role == …``, ``x.role in …``
  or ``Role.X`` in a comparison in Python, and no ``.role ==`` in a template tag, outside
  the permission table, the role's own definition, migrations, tests and the demo builders.
- **Modules say what they own and stay small:** a docstring on every module with code, and
  at most ``MAX_LINES`` lines.

Run ``python -m chizheng.core.tests.layering`` to print what the tree breaks now.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "chizheng"
MAX_LINES = 500

MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# What the pure core may import of chizheng (each with its submodules).
RULES_MAY_IMPORT = ("chizheng.core.errors", "chizheng.core.ids", "chizheng.rules")
# Where roles may be compared: the permission table (the access layer, and the permission
# module of accounts once it has one), the definition of the roles, and what is not the
# application (migrations, tests, the demo data's builders).
PERMISSION_TABLE = frozenset({"chizheng/accounts/access.py", "chizheng/accounts/permissions.py"})
ROLE_DEFINITION = frozenset({"chizheng/accounts/models.py"})


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # relative to the repository, with "/"
    line: int
    text: str  # what was found, as written in the source

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def relative(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def _segment(source: str, node: ast.AST) -> str:
    return " ".join((ast.get_source_segment(source, node) or ast.unparse(node)).split())


# --- which modules ---------------------------------------------------------------------


def is_test(rel: str) -> bool:
    parts = rel.split("/")
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def is_migration(rel: str) -> bool:
    return "migrations" in rel.split("/")


def is_endpoint_module(rel: str) -> bool:
    """A page or endpoint module: views.py, api.py, web/home.py, or any module of a views/
    or api/ package."""
    if is_test(rel) or is_migration(rel):
        return False
    parts = rel.split("/")
    return (
        parts[-1] in ("views.py", "api.py")
        or rel == "chizheng/web/home.py"
        or "views" in parts[:-1]
        or "api" in parts[:-1]
    )


def is_rules_module(rel: str) -> bool:
    return rel.startswith("chizheng/rules/") and not is_test(rel)


def may_compare_roles(rel: str) -> bool:
    return (
        rel in PERMISSION_TABLE
        or rel in ROLE_DEFINITION
        or is_migration(rel)
        or is_test(rel)
        or rel.startswith("chizheng/demo/")
    )


def python_modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def templates() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("templates/**/*.html"))


# --- the checks ------------------------------------------------------------------------


def manager_access(source: str, rel: str) -> list[Violation]:
    """Model managers used in a page or endpoint module (they read through selectors)."""
    if not is_endpoint_module(rel):
        return []
    return [
        Violation(rel, node.lineno, _segment(source, node))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS
    ]


def _rules_may_import(module: str) -> bool:
    return not module.startswith("chizheng") or any(
        module == allowed or module.startswith(f"{allowed}.") for allowed in RULES_MAY_IMPORT
    )


def _absolute(rel: str, node: ast.ImportFrom) -> str:
    """The module a ``from … import`` names, relative imports resolved against ``rel``."""
    if not node.level:
        return node.module or ""
    package = rel.removesuffix(".py").split("/")[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def impure_imports(source: str, rel: str) -> list[Violation]:
    """Imports in the pure rules core of Django, or of chizheng beyond errors, ids and rules."""
    if not is_rules_module(rel):
        return []
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(rel, node)
            # ``from chizheng.core import errors`` imports the module chizheng.core.errors
            names = (
                [module]
                if _rules_may_import(module)
                else [f"{module}.{a.name}" for a in node.names]
            )
        else:
            continue
        if any(n == "django" or n.startswith("django.") or not _rules_may_import(n) for n in names):
            found.append(Violation(rel, node.lineno, _segment(source, node)))
    return found


def _is_role(node: ast.expr) -> bool:
    """``x.role`` or ``Role.X``."""
    return isinstance(node, ast.Attribute) and (
        node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    )


def _names_a_role(node: ast.expr) -> bool:
    if _is_role(node):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_role(e) for e in node.elts)
    return False


def role_comparisons(source: str, rel: str) -> list[Violation]:
    """Comparisons of a role outside the permission table: ``x.role == …``, ``x.role in …``,
    ``… in (Role.A, Role.B)``."""
    if may_compare_roles(rel):
        return []
    return [
        Violation(rel, node.lineno, _segment(source, node))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare)
        and any(_names_a_role(operand) for operand in (node.left, *node.comparators))
    ]


_TAG = re.compile(r"{%.*?%}", re.DOTALL)
_ROLE_IN_TAG = re.compile(r"\.role\s*(==|!=|\bnot\s+in\b|\bin\b)|(==|!=|\bin\b)\s*[\w.]*\.role\b")


def template_role_comparisons(text: str, rel: str) -> list[Violation]:
    """``{% if actor.role == "…" %}`` and the like in a template."""
    if may_compare_roles(rel):
        return []
    return [
        Violation(rel, text.count("\n", 0, tag.start()) + 1, " ".join(tag.group().split()))
        for tag in _TAG.finditer(text)
        if _ROLE_IN_TAG.search(tag.group())
    ]


def undocumented(source: str, rel: str) -> list[Violation]:
    """A module with code but no docstring saying what it owns."""
    if is_test(rel) or is_migration(rel) or not source.strip():
        return []
    if ast.get_docstring(ast.parse(source)) is None:
        return [Violation(rel, 1, "no module docstring")]
    return []


def too_long(source: str, rel: str) -> list[Violation]:
    if is_test(rel) or is_migration(rel):
        return []
    lines = len(source.splitlines())
    if lines > MAX_LINES:
        return [Violation(rel, lines, f"{lines} lines (at most {MAX_LINES})")]
    return []


PYTHON_CHECKS = (manager_access, impure_imports, role_comparisons, undocumented, too_long)


def tree_violations() -> dict[str, list[Violation]]:
    """Every check's violations over the tree, by check name."""
    out: dict[str, list[Violation]] = {c.__name__: [] for c in PYTHON_CHECKS}
    out["template_role_comparisons"] = []
    for path in python_modules():
        source, rel = path.read_text(encoding="utf-8"), relative(path)
        for check in PYTHON_CHECKS:
            out[check.__name__] += check(source, rel)
    for path in templates():
        out["template_role_comparisons"] += template_role_comparisons(
            path.read_text(encoding="utf-8"), relative(path)
        )
    return out


if __name__ == "__main__":
    for name, found in tree_violations().items():
        for v in found:
            print(f"{name}: {v}")
