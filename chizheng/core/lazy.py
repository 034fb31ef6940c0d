"""Deferred imports of heavy modules (Arrow, DuckDB, openpyxl, ReportLab).

Every management command runs Django's system checks, which import the URL configuration
and with it every view and API module. A module that imports Arrow or ReportLab at its top
makes ``chizheng audit verify`` pay for them; imported through ``lazy_import`` it is loaded
when a view first uses it. Type checkers see the real module::

    if TYPE_CHECKING:
        from . import pdf
    else:
        pdf = lazy_import("chizheng.training.pdf")
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """Stands for a module until an attribute is read, then loads it and steps aside."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_target"] = name

    def _load(self) -> ModuleType:
        return importlib.import_module(self.__dict__["_target"])

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._load())


def lazy_import(name: str) -> ModuleType:
    """``name`` if already imported, else a stand-in that imports it on first use."""
    return sys.modules.get(name) or _Deferred(name)
