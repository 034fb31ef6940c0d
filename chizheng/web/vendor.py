"""The front-end files installed from npm (``settings.VENDOR_FILES``), as static files.

Django's own finders take whole directories; the npm packages ship some 50 MB of builds the
pages never load, which `collectstatic` would copy and compress at every `chizheng serve`.
This finder exposes exactly the files named, each under its static name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


def _files() -> dict[str, Path]:
    return {name: Path(source) for name, source in settings.VENDOR_FILES.items()}


class VendorFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"{source} is missing (static file {name}).",
                hint="Run `make install` (npm ci installs the front-end packages).",
                id="chizheng.E001",
            )
            for name, source in _files().items()
            if not source.is_file()
        ]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        source = _files().get(path)
        found = str(source) if source is not None and source.is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, source in _files().items():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(name).parent)  # type: ignore[attr-defined]
            yield source.name, storage
