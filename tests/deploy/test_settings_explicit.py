"""Test mode never switches itself on: production settings need their secrets, always.

A process that merely imports pytest (dev dependencies are installed by default) once got
the repository's public test keys and ``ALLOWED_HOSTS=["*"]``. Now the tests name their
settings module; the production one stops, naming each missing or malformed secret.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config import settings_test

from .conftest import CHIZHENG, bare_environment, fresh_keys, run

SECRETS = ["CHIZHENG_SECRET_KEY", "CHIZHENG_DATA_KEY", "CHIZHENG_INDEX_KEY", "CHIZHENG_AUDIT_KEY"]

SHOW_SETTINGS = (
    "import pytest, django; django.setup(); from django.conf import settings; "
    "print(settings.SECRET_KEY); print(settings.DATA_KEY); print(settings.INDEX_KEY); "
    "print(settings.AUDIT_KEY); "
    "print(','.join(settings.ALLOWED_HOSTS))"
)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-c", code], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})


def test_importing_pytest_does_not_give_test_keys(tmp_path: Path) -> None:
    env = bare_environment(tmp_path / "var")
    refused = _python(SHOW_SETTINGS, env)
    assert refused.returncode != 0
    for name in SECRETS:
        assert f"{name} is not set" in refused.stderr
    assert settings_test.SECRET_KEY not in refused.stdout

    keys = fresh_keys()
    shown = _python(SHOW_SETTINGS, {**env, **keys})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        keys["CHIZHENG_SECRET_KEY"],
        keys["CHIZHENG_DATA_KEY"],
        keys["CHIZHENG_INDEX_KEY"],
        keys["CHIZHENG_AUDIT_KEY"],
        "127.0.0.1,localhost",
    ]


@pytest.mark.parametrize("missing", SECRETS)
def test_a_start_without_a_secret_names_it(tmp_path: Path, missing: str) -> None:
    env = {**bare_environment(tmp_path / "var"), **fresh_keys()}
    del env[missing]
    r = run([str(CHIZHENG), "check"], env)
    assert r.returncode == 2
    assert f"{missing} is not set" in r.stderr
    assert [name for name in SECRETS if name in r.stderr] == [missing]
    assert "Traceback" not in r.stderr  # the message, not a stack


def test_a_malformed_data_key_is_named(tmp_path: Path) -> None:
    env = {**bare_environment(tmp_path / "var"), **fresh_keys(), "CHIZHENG_DATA_KEY": "c2hvcnQ="}
    r = run([str(CHIZHENG), "check"], env)
    assert r.returncode == 2
    assert "CHIZHENG_DATA_KEY must decode to 32 bytes, got 5" in r.stderr


def test_a_demo_file_in_the_var_directory_is_read_only_when_named(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env_file = var_dir / "local.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in fresh_keys().items()))
    env = bare_environment(var_dir)

    ignored = run([str(CHIZHENG), "check"], env)
    assert ignored.returncode == 2 and "CHIZHENG_SECRET_KEY is not set" in ignored.stderr

    named = run([str(CHIZHENG), "check"], {**env, "CHIZHENG_ENV_FILE": str(env_file)})
    assert named.returncode == 0, named.stderr

    wrong = run([str(CHIZHENG), "check"], {**env, "CHIZHENG_ENV_FILE": str(var_dir / "nope")})
    assert wrong.returncode == 2 and "CHIZHENG_ENV_FILE" in wrong.stderr
