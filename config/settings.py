"""Django settings, from environment variables (see README "Configuration")."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, get_bool, get_float, get_int, get_time, load_env_file

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
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "chizheng.core",
    "chizheng.org",
    "chizheng.accounts",
    "chizheng.registry",
    "chizheng.assessment",
    "chizheng.training",
    "chizheng.subsidy",
    "chizheng.plan",
    "chizheng.online",
    "chizheng.jobs",
    "chizheng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chizheng.web.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chizheng.web.middleware.DomainErrorMiddleware",
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
    # WAL: the web server keeps reading while the worker writes (one writer at a time).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
    }
    # Tests use a file, not memory: the worker a browser test starts (a thread with its own
    # connection) must see the live server's database.
    # One file per checkout and test run, so that two runs never share one.
    _checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    DATABASES["default"]["TEST"] = {
        "NAME": str(
            Path(tempfile.gettempdir()) / f"chizheng-test-{_checkout}-{os.getpid()}.sqlite3"
        )
    }

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "chizheng.core.logging.MaskPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_pii"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CHIZHENG_LOG_LEVEL", "INFO")},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (chizheng.jobs, docs/jobs.md): django-tasks with its database backend, so
# the queue lives in the same database (SQLite or PostgreSQL) and needs no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker writes its heartbeat this often; one silent for STALL seconds is taken for dead
# and its running job is run again (longer than the longest SQLite write transaction, during
# which a heartbeat has to wait).
WORKER_HEARTBEAT_SECONDS = get_int("CHIZHENG_WORKER_HEARTBEAT_SECONDS", 10, low=1, high=3600)
WORKER_STALL_SECONDS = get_int("CHIZHENG_WORKER_STALL_SECONDS", 600, low=30, high=86400)
# How long an idle worker waits before it looks for work again.
WORKER_POLL_SECONDS = get_float("CHIZHENG_WORKER_POLL_SECONDS", 1.0, low=0.05, high=60)
# A job that raised is run again after this many seconds times its attempts so far.
WORKER_RETRY_DELAY_SECONDS = get_int("CHIZHENG_WORKER_RETRY_DELAY_SECONDS", 15, low=0, high=86400)
# Local time of day at which the worker enqueues the nightly jobs (docs/jobs.md).
NIGHTLY_AT = get_time("CHIZHENG_NIGHTLY_AT", "02:00")
# Exports of up to this many rows are written in the request; larger ones run as a job with a
# file to download. 2,000 rows write in about a second on the 2-core reference machine (the
# 48,402 people of the demo take 24 s: far too long for a request).
EXPORT_DIRECT_MAX_ROWS = get_int("CHIZHENG_EXPORT_DIRECT_MAX_ROWS", 2000, low=0, high=10**7)
# The queue is unhealthy when a ready job has waited longer than this (no worker running).
JOB_QUEUE_MAX_WAIT_SECONDS = get_int("CHIZHENG_JOB_QUEUE_MAX_WAIT_SECONDS", 300, low=1, high=86400)
