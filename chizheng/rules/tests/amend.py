"""Test helper: the shipped policy with one parameter amended from a date, the way a new
year's document is encoded (the open version closed the day before, the new value in an
amendment file), made the process's policy for the duration of a ``with`` block."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from chizheng.rules import params


def amended_policy_dir(tmp_path: Path, name: str, *, on: dt.date, value: Any) -> Path:
    """A copy of ``policy/`` in which ``name`` takes ``value`` from ``on``."""
    out = tmp_path / "policy"
    shutil.copytree(params.default_policy_dir(), out)
    for f in sorted((out / "parameters").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        body = (doc.get("parameters") or {}).get(name)
        if body is None:
            continue
        last = body["versions"][-1]
        assert last.get("until") is None and last["from"] < on, (name, last)
        last["until"] = on - dt.timedelta(days=1)
        f.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        amendment = {
            "from": on,
            "value": value,
            "clause": last["clause"],
            "original": "测试用修订",
            "source": "测试用修订文件",
        }
        (out / "parameters" / f"amend-{name}.yaml").write_text(
            yaml.safe_dump({"amendments": {name: [amendment]}}, allow_unicode=True),
            encoding="utf-8",
        )
        return out
    raise AssertionError(f"no parameter {name} in the shipped policy")


@contextmanager
def amended(tmp_path: Path, name: str, *, on: dt.date, value: Any) -> Iterator[params.Policy]:
    """Within the block, ``params.current()`` is the shipped policy with ``name`` amended."""
    before = os.environ.get("CHIZHENG_POLICY_DIR")
    os.environ["CHIZHENG_POLICY_DIR"] = str(amended_policy_dir(tmp_path, name, on=on, value=value))
    params.current.cache_clear()
    try:
        yield params.current()
    finally:
        if before is None:
            del os.environ["CHIZHENG_POLICY_DIR"]
        else:
            os.environ["CHIZHENG_POLICY_DIR"] = before
        params.current.cache_clear()
