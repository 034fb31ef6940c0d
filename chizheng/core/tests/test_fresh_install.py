"""A fresh install: no var/local.env, no database, no CHIZHENG_* keys.

The commands that need no database (policy, rules, idcheck) work; the others say
"数据库尚未初始化，请先运行 `chizheng migrate`" instead of a traceback, and a missing key is
named without one. Each runs the installed ``chizheng`` script in a subprocess with an
empty var directory, as a new user would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from chizheng.core.dbstate import NOT_MIGRATED, NOT_MIGRATED_EN

from .processes import CHIZHENG, ROOT, fresh_env


def chizheng(
    var: Path, *args: str, keys: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    clean = fresh_env(var, keys=keys, **env)
    # The installed command or our own interpreter, with fixed arguments.
    return subprocess.run(  # noqa: S603
        [str(CHIZHENG), *args],
        env=clean,
        cwd=var.parent,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def var(tmp_path: Path) -> Path:
    return tmp_path / "var"  # not even created: a clone that never ran `demo`


class TestDatabaseFreeCommands:
    def test_policy_show(self, var: Path) -> None:
        done = chizheng(var, "policy", "show", "--at", "2022-06-01", "class.max_size")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("class.max_size = 80 人  [§20(1)]")

    def test_idcheck(self, var: Path) -> None:
        done = chizheng(var, "idcheck", "11010519491231002x", "110105194912310021")
        assert done.returncode == 1
        assert done.stdout.splitlines() == [
            "11010519491231002X valid",
            "110105194912310021 invalid: 校验码错误：应为X，实际为1",
        ]
        assert done.stderr == ""

    def test_rules_list_and_check(self, var: Path) -> None:
        listed = chizheng(var, "rules", "list", "--at", "2022-06-01")
        assert listed.returncode == 0, listed.stderr
        assert "class.max_size = 80 人（§20(1)" in listed.stdout
        example = ROOT / "docs" / "examples" / "class-application.json"
        checked = chizheng(var, "rules", "check", str(example))
        assert checked.returncode == 0, checked.stderr
        assert '"ok": true' in checked.stdout and '"rule": "class.max_size"' in checked.stdout

    def test_they_leave_nothing_behind(self, var: Path) -> None:
        chizheng(var, "policy", "show")
        assert not var.exists()  # no database file, no generated keys

    def test_they_ignore_a_database_that_is_not_there(self, var: Path) -> None:
        done = chizheng(
            var,
            "policy",
            "show",
            "class.max_size",
            DATABASE_URL="postgresql://nobody@127.0.0.1:1/none",
        )
        assert done.returncode == 0, done.stderr


class TestCommandsThatNeedTheDatabase:
    @pytest.mark.parametrize(
        "args", [("audit", "verify"), ("workdays", "add", "2022-09-28", "10"), ("load_reference",)]
    )
    def test_they_say_run_migrate_first(self, var: Path, args: tuple[str, ...]) -> None:
        var.mkdir()
        done = chizheng(var, *args, keys=True)
        assert done.returncode == 1
        assert NOT_MIGRATED in done.stderr and NOT_MIGRATED_EN in done.stderr
        assert "Traceback" not in done.stderr
        assert not (var / "chizheng.sqlite3").exists()  # the failed try created no database

    def test_also_when_the_var_directory_is_missing(self, var: Path) -> None:
        done = chizheng(var, "audit", "verify", keys=True)
        assert done.returncode == 1
        assert NOT_MIGRATED in done.stderr and "Traceback" not in done.stderr

    def test_after_migrate_they_work(self, var: Path) -> None:
        migrated = chizheng(var, "migrate", "--verbosity", "0", keys=True)
        assert migrated.returncode == 0, migrated.stderr
        done = chizheng(var, "audit", "verify", keys=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("审计日志完整：0 条记录")

    def test_a_missing_key_is_named_without_a_traceback(self, var: Path) -> None:
        done = chizheng(var, "audit", "verify")
        assert done.returncode == 2
        assert "CHIZHENG_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs in the PostgreSQL run of the suite"
)
def test_a_postgresql_database_that_does_not_exist_is_named(var: Path) -> None:
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/chizheng_never_created"
    )
    done = chizheng(var, "audit", "verify", keys=True, DATABASE_URL=url)
    assert done.returncode == 1
    assert "数据库“chizheng_never_created”不存在" in done.stderr
    assert "Traceback" not in done.stderr
