"""Personal data at rest: AES-256-GCM encryption and a keyed hash (blind index) for look-ups.

Keys come from the environment (``CHIZHENG_DATA_KEY``, ``CHIZHENG_INDEX_KEY``: 32 bytes,
base64); the demo generates them into ``var/local.env``. Losing the data key loses the data:
back it up with the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"


def _key(name: str, value: str) -> bytes:
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: personal data cannot be encrypted. Set it to 32 random bytes in "
            "base64 (`python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())'`)."
        )
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ImproperlyConfigured(f"{name} is not valid base64") from e
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


@lru_cache(maxsize=4)
def _aead(value: str) -> AESGCM:
    return AESGCM(_key("CHIZHENG_DATA_KEY", value))


@lru_cache(maxsize=4)
def _index_key(value: str) -> bytes:
    return _key("CHIZHENG_INDEX_KEY", value)


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.DATA_KEY).encrypt(nonce, plain.encode("utf-8"), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(PREFIX) :])
    return _aead(settings.DATA_KEY).decrypt(raw[:12], raw[12:], None).decode("utf-8")


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs match, the value cannot be recovered."""
    mac = hmac.new(_index_key(settings.INDEX_KEY), value.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii")
