"""Helpers for tests that start the system as production does: in a subprocess, with
``config.settings`` (not the test settings) and an environment built from nothing."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHIZHENG = Path(sys.executable).parent / "chizheng"


def fresh_keys() -> dict[str, str]:
    return {
        "CHIZHENG_SECRET_KEY": secrets.token_urlsafe(50),
        "CHIZHENG_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
        "CHIZHENG_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "CHIZHENG_AUDIT_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def bare_environment(var_dir: Path) -> dict[str, str]:
    """The machine's environment without any of the project's or Django's settings (the test
    run sets some, e.g. DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests), with a var
    directory of its own and an SQLite database in it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHIZHENG_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["CHIZHENG_VAR_DIR"] = str(var_dir)
    env["DATABASE_URL"] = f"sqlite:///{var_dir / 'chizheng.sqlite3'}"
    return env


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """A production environment: fresh keys, nothing else of the project's."""
    return {**bare_environment(tmp_path / "var"), **fresh_keys()}


def run(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (the project's own commands)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
