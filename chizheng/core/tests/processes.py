"""The environment of a separate process started by a test: the real ``chizheng`` command or
our interpreter, with the production settings (not the test settings of this process).

``fresh_env`` drops every ``CHIZHENG_*`` and ``DJANGO_*`` variable and ``DATABASE_URL``
(a clone that never ran ``demo``); ``KEYS`` are what a configured production start needs.
A setting that production starts to require goes into ``KEYS``, once, here.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHIZHENG = ROOT / ".venv" / "bin" / "chizheng"

KEYS = {
    "CHIZHENG_SECRET_KEY": "subprocess-test-secret-key-0123456789abcdef",
    "CHIZHENG_DATA_KEY": "dGVzdC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=",
    "CHIZHENG_INDEX_KEY": "dGVzdC1pbmRleC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=",
    "CHIZHENG_AUDIT_KEY": "dGVzdC1hdWRpdC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=",
}


def fresh_env(var: Path, *, keys: bool, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHIZHENG_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["CHIZHENG_VAR_DIR"] = str(var)
    if keys:
        env.update(KEYS)
    env.update(extra)
    return env
