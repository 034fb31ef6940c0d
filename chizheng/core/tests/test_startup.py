"""Start-up cost of a command: bytecode compiled at install, heavy libraries not imported
until used, and ``chizheng policy show`` well within a few seconds.

The import checks are the real guard (they do not depend on how busy the machine is); the
timing bound is generous, for a loaded CI machine.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

from .processes import CHIZHENG, ROOT, fresh_env

HEAVY = ("pyspark", "duckdb", "pyarrow", "reportlab", "openpyxl", "numpy")


def _env(tmp_path: Path, *, keys: bool = False, **extra: str) -> dict[str, str]:
    return fresh_env(tmp_path / "var", keys=keys, PYTHONDONTWRITEBYTECODE="1", **extra)


def _loaded_after(code: str, env: dict[str, str]) -> list[str]:
    probe = code + (
        "\nimport json, sys\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    # The installed command or our own interpreter, with fixed arguments.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_every_url_and_model_loads_without_the_heavy_libraries(tmp_path: Path) -> None:
    """What every command pays before it runs: settings, apps, and (through the system
    checks) the whole URL configuration with every view and API module."""
    code = (
        "import django; django.setup()\n"
        "from django.urls import get_resolver; get_resolver().url_patterns\n"
        "from django.core.management import call_command; call_command('check')\n"
    )
    env = _env(tmp_path, keys=True, DJANGO_SETTINGS_MODULE="config.settings")
    assert _loaded_after(code, env) == []


def test_policy_show_loads_none_of_them(tmp_path: Path) -> None:
    code = "from chizheng.cli import main\nmain(['policy', 'show', 'class.max_size'])\n"
    assert _loaded_after(code, _env(tmp_path)) == []


def test_bytecode_was_compiled_at_install() -> None:
    """`make install` compiles site-packages (uv sync --compile-bytecode) and the project;
    without it, every start compiles from source where PYTHONDONTWRITEBYTECODE is set."""
    for module in (django.__file__, str(ROOT / "chizheng" / "cli.py")):
        assert module is not None
        assert Path(importlib.util.cache_from_source(module)).is_file(), module


def test_policy_show_starts_quickly(tmp_path: Path) -> None:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        # The installed command or our own interpreter, with fixed arguments.
        done = subprocess.run(  # noqa: S603
            [str(CHIZHENG), "policy", "show", "class.max_size"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        times.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr
    assert statistics.median(times) < 5.0, times
