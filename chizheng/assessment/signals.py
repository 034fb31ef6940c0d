"""Signals of the assessment area, so that derived tallies elsewhere stay in step."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after certificates (or their first-of-year flags) changed. Arguments: ``year`` (int) and
# ``keys``: the (county id, month) slices touched, or None for the whole year. Whoever deletes or
# re-dates a certificate sends it too, with the old slice in ``keys``.
certificates_changed = Signal()
