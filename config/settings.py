"""Django settings, from environment variables (see README "Configuration")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, get_bool, get_networks, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHIZHENG_VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules or os.environ.get("CHIZHENG_TESTING") == "1"

# The demo writes generated secrets here; real deployments set the variables themselves.
if not TESTING:
    load_env_file(VAR_DIR / "local.env")

DEBUG = get_bool("CHIZHENG_DEBUG", default=False)

if TESTING:
    SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
    os.environ.setdefault("CHIZHENG_DATA_KEY", "dGVzdC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=")
    os.environ.setdefault("CHIZHENG_INDEX_KEY", "dGVzdC1pbmRleC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=")
    os.environ.setdefault("CHIZHENG_AUDIT_KEY", "dGVzdC1hdWRpdC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=")
else:
    SECRET_KEY = os.environ.get("CHIZHENG_SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "CHIZHENG_SECRET_KEY is not set. Run `chizheng demo` (which generates var/local.env) "
            "or set it in the environment."
        )

# Keys for personal data: 32 bytes, base64. Checked when first used (chizheng.core.crypto).
DATA_KEY = os.environ.get("CHIZHENG_DATA_KEY", "")
INDEX_KEY = os.environ.get("CHIZHENG_INDEX_KEY", "")
# Key of the audit chain (HMAC-SHA256, chizheng.core.audit): 32 bytes, base64. Kept out of
# the database, so that whoever holds only the database cannot rewrite the log unnoticed.
AUDIT_KEY = os.environ.get("CHIZHENG_AUDIT_KEY", "")
if not TESTING and not AUDIT_KEY:
    raise ImproperlyConfigured(
        "CHIZHENG_AUDIT_KEY is not set: the audit log cannot be signed. Run `chizheng demo` "
        "(which generates var/local.env) or set it to 32 random bytes in base64."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("CHIZHENG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if TESTING:
    ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "chizheng.core",
    "chizheng.org",
    "chizheng.accounts",
    "chizheng.registry",
    "chizheng.assessment",
    "chizheng.training",
    "chizheng.subsidy",
    "chizheng.plan",
    "chizheng.online",
    "chizheng.web",
]

MIDDLEWARE = [
    # First: the request id and the access line cover every other middleware's work.
    "chizheng.web.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chizheng.web.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chizheng.web.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in on any path into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chizheng.web.context.actor",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chizheng.sqlite3'}",
        base_dir=BASE_DIR,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Speed only: argon2 is still what production uses (tests of hashing set it explicitly).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling: failures per username+address within the window lock further tries.
LOGIN_MAX_FAILURES = int(os.environ.get("CHIZHENG_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_SECONDS = int(os.environ.get("CHIZHENG_LOGIN_LOCK_SECONDS", "900"))

# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDR networks, comma-separated):
# the client's address is REMOTE_ADDR unless that is one of these, then the right-most
# X-Forwarded-For entry that is not (chizheng.accounts.addresses).
TRUSTED_PROXIES = get_networks(
    "CHIZHENG_TRUSTED_PROXIES", os.environ.get("CHIZHENG_TRUSTED_PROXIES", "")
)

# One lockout for every way in (docs/adr/0004): django-axes checks before any password is
# tried, in every authenticate() call (/login/, /admin/login/, any other), and counts every
# failure, per username and client address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = "chizheng.accounts.lockout.failure_limit"  # LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = "chizheng.accounts.lockout.cool_off"  # LOGIN_LOCK_SECONDS
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "chizheng.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "chizheng.web.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "chizheng" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages installed from the npm registry by `make install`; served locally.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False

# Logs: plain text, or one JSON object per line (CHIZHENG_LOG_FORMAT=json); personal data
# masked, the request id and user id on every line (chizheng.core.logging).
LOG_FORMAT = os.environ.get("CHIZHENG_LOG_FORMAT", "") or "text"
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"CHIZHENG_LOG_FORMAT={LOG_FORMAT!r} is not text or json")
LOG_LEVEL = (os.environ.get("CHIZHENG_LOG_LEVEL", "") or "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"CHIZHENG_LOG_LEVEL={LOG_LEVEL!r} is not DEBUG, INFO, WARNING, ERROR or CRITICAL"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "chizheng.core.logging.RequestContext"},
        "mask_pii": {"()": "chizheng.core.logging.MaskPersonalData"},
    },
    "formatters": {
        "text": {"()": "chizheng.core.logging.TextFormatter"},
        "json": {"()": "chizheng.core.logging.JsonFormatter", "time_zone": TIME_ZONE},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request", "mask_pii"],
            "formatter": LOG_FORMAT,
        },
    },
    # Django's own loggers write through the same handler (its defaults would print
    # unformatted lines beside the JSON ones).
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
