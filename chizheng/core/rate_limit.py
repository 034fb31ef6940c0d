"""A per-client limit on a public lookup (the certificate check): at most ``limit`` uses in
a fixed window, counted in the database so that every server process shares the count.
Concurrent uses are counted one by one (the window's row is locked while it is read and
raised)."""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import F

from .models import ClientHit


def allow(key: str, *, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one use of ``key`` (the lookup and the client) and say whether it is within the
    limit; a refused use is not counted."""
    window = int((time.time() if now is None else now) // window_seconds)
    with transaction.atomic():
        hit, created = ClientHit.objects.select_for_update().get_or_create(
            key=key[:100], window=window
        )
        if created:
            ClientHit.objects.filter(window__lt=window - 1).delete()
        if hit.count >= limit:
            return False
        ClientHit.objects.filter(pk=hit.pk).update(count=F("count") + 1)
    return True
