"""Production settings, the default: the shared settings plus the secrets, which must be set.

A start without ``CHIZHENG_SECRET_KEY``, ``CHIZHENG_DATA_KEY``, ``CHIZHENG_INDEX_KEY`` or
``CHIZHENG_AUDIT_KEY`` stops with a message naming each missing one; there is no default and
no "test mode" to fall back to (the tests name ``config.settings_test`` themselves).

A file of KEY=VALUE lines is read only when ``CHIZHENG_ENV_FILE`` names it (what is already
in the environment wins); ``chizheng demo`` names the ``var/local.env`` it generates. A file
left lying in the var directory is never picked up on its own, so a production start cannot
silently take a demo's keys or its fixed date.
"""

from __future__ import annotations

import os
from pathlib import Path

from config.env import key_of_32_bytes, load_env_file, required

if os.environ.get("CHIZHENG_ENV_FILE"):
    load_env_file(Path(os.environ["CHIZHENG_ENV_FILE"]))

from config.settings_base import *  # noqa: F403

_secrets = required(
    ["CHIZHENG_SECRET_KEY", "CHIZHENG_DATA_KEY", "CHIZHENG_INDEX_KEY", "CHIZHENG_AUDIT_KEY"],
    check={
        "CHIZHENG_DATA_KEY": key_of_32_bytes,
        "CHIZHENG_INDEX_KEY": key_of_32_bytes,
        "CHIZHENG_AUDIT_KEY": key_of_32_bytes,
    },
)
SECRET_KEY = _secrets["CHIZHENG_SECRET_KEY"]
# Keys for personal data (chizheng.core.crypto): 32 bytes, base64.
DATA_KEY = _secrets["CHIZHENG_DATA_KEY"]
INDEX_KEY = _secrets["CHIZHENG_INDEX_KEY"]
# Key of the audit chain (HMAC-SHA256, chizheng.core.audit): 32 bytes, base64. Kept out of
# the database, so that whoever holds only the database cannot rewrite the log unnoticed.
AUDIT_KEY = _secrets["CHIZHENG_AUDIT_KEY"]
