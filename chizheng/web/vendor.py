"""The front-end files installed from npm (``settings.VENDOR_FILES``), as static files.

Django's own finders take whole directories; the npm packages ship some 50 MB of builds the
pages never load, which `collectstatic` would copy and compress at every `chizheng serve`.
This finder exposes exactly the files named, each under its static name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        source = _files().get(path)
        if source is None or not source.is_file():
            return []  # what Django's own finders answer for "not here"
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, source in _files().items():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(name).parent)  # type: ignore[attr-defined]
            yield source.name, storage
