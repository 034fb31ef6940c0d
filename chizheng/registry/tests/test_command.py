"""``chizheng registry …``: thin wrappers over the services."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from chizheng.accounts.models import Role, User
from chizheng.org.models import City
from chizheng.registry.models import Occupation, Person

from .conftest import HEADERS, person_row

pytestmark = pytest.mark.django_db


def test_load_occupations_twice(city: City) -> None:
    out = io.StringIO()
    call_command("registry", "load-occupations", stdout=out)
    call_command("registry", "load-occupations", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "职业分类：共2047条，新增2047，更新0，停用0"
    assert lines[1] == "职业分类：共2047条，新增0，更新0，停用0"
    assert Occupation.objects.filter(level="occupation").count() == 1631


def test_import_from_the_command_line(
    occupations: None, make_user: Callable[..., User], tmp_path: Path
) -> None:
    user = make_user(Role.PROGRAMME_OFFICE)
    bad = person_row(2)
    bad[1] = bad[1][:16]
    path = tmp_path / "people.csv"
    path.write_text(
        ",".join(HEADERS) + "\n" + ",".join(person_row(1)) + "\n" + ",".join(bad) + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("registry", "import", "people", str(path), "--user", user.username, stdout=out)
    assert "第3行 【身份证号码】 长度应为18位，实际为16位" in out.getvalue()
    assert Person.objects.count() == 0
    call_command(
        "registry",
        "import",
        "people",
        str(path),
        "--user",
        user.username,
        "--good-rows-only",
        stdout=out,
    )
    assert Person.objects.count() == 1
