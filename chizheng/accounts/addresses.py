"""The client's address, as the sign-in lockout (and any other per-client limit) sees it.

``REMOTE_ADDR`` is the address that opened the connection. Behind a reverse proxy that is the
proxy; the proxy appends the address it saw to ``X-Forwarded-For``. Only a proxy listed in
``TRUSTED_PROXIES`` is believed: the client is then the right-most entry of the header that
is not itself a trusted proxy (anything to its left was written by the client and may be
forged). A header sent by anyone else is ignored, so it cannot be used to dodge a lockout.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_LENGTH = 64  # what the lockout stores


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(str(n), strict=False) for n in configured)


def _parse(text: str) -> Address | None:
    """An address as a proxy writes it: ``a.b.c.d``, ``a.b.c.d:port``, ``v6``, ``[v6]:port``."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address | None) -> bool:
    if address is None:
        return False
    return any(address in n for n in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    remote_text = str(request.META.get("REMOTE_ADDR", "") or "")
    remote = _parse(remote_text)
    if not _trusted(remote):
        return (str(remote) if remote else remote_text)[:MAX_LENGTH]
    hops = [_parse(h) for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    known = [h for h in hops if h is not None]
    for hop in reversed(known):
        if not _trusted(hop):
            return str(hop)
    # Every hop is a trusted proxy: the farthest one is the best that is known.
    return str(known[0] if known else remote)
