"""Reads of the online area."""

from __future__ import annotations

from . import config


def batches(*, platform: str) -> list[tuple[str, int]]:
    """The platform's stored batches (file name, rows), oldest first."""
    return config.store().batches(platform)
