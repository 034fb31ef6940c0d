"""Settings for the commands that need neither a database nor the keys.

``chizheng policy``, ``chizheng rules`` and ``chizheng idcheck`` read only ``policy/``, the
shipped reference files and their arguments. ``chizheng.cli`` runs them with these settings
(unless ``DJANGO_SETTINGS_MODULE`` is set), so they work on a fresh install: before
``chizheng demo`` or ``chizheng migrate``, without ``var/local.env`` and without
``CHIZHENG_SECRET_KEY``, ``CHIZHENG_DATA_KEY``, ``CHIZHENG_INDEX_KEY`` or ``CHIZHENG_AUDIT_KEY``.

Nothing here can reach personal data: there is no database (any query fails with
"settings.DATABASES is improperly configured"), no data or index key (encryption refuses to
run), and the secret key is a new random one in every process (nothing is signed or kept).
Only ``chizheng.core`` is installed, the app these commands live in; they skip the system
checks, which would ask for the apps its models refer to.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from config.env import load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHIZHENG_VAR_DIR", BASE_DIR / "var"))

# As in config.settings, a KEY=VALUE file is read only when CHIZHENG_ENV_FILE names it: the
# demo's date (CHIZHENG_TODAY) is then the default date of `policy show` and `rules list`, as
# it is for the rest of the system; the keys the file also holds are not used.
if os.environ.get("CHIZHENG_ENV_FILE"):
    load_env_file(Path(os.environ["CHIZHENG_ENV_FILE"]))

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS: list[str] = []
INSTALLED_APPS = ["chizheng.core"]
DATABASES: dict[str, dict[str, str]] = {}
DATA_KEY = ""
INDEX_KEY = ""
AUDIT_KEY = ""

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "chizheng" / "locale"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "chizheng.core.logging.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_pii"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
