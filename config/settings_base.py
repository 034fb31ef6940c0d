"""The settings every process shares, from environment variables (see README "Configuration").

Not a settings module of its own: ``config.settings`` (production, the default) adds the
secrets, which it requires; ``config.settings_test`` (named by the test configuration) adds
fixed test keys. Nothing here decides which of the two is in use.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    get_bool,
    get_float,
    get_int,
    get_list,
    get_networks,
    get_origins,
    get_proxy_ssl_header,
    get_time,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHIZHENG_VAR_DIR", BASE_DIR / "var"))

DEBUG = get_bool("CHIZHENG_DEBUG", default=False)

ALLOWED_HOSTS = get_list("CHIZHENG_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = get_origins("CHIZHENG_CSRF_TRUSTED_ORIGINS")

# Behind a TLS-terminating reverse proxy (docs/deploy.md): the proxy's header says the
# request came in over HTTPS. Trusted only because the server listens where only the proxy
# reaches it.
SECURE_PROXY_SSL_HEADER = get_proxy_ssl_header("CHIZHENG_SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = get_bool("CHIZHENG_SSL_REDIRECT", default=False)
# Health probes come from the machine itself, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = get_int("CHIZHENG_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = get_bool("CHIZHENG_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = get_bool("CHIZHENG_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = get_bool("CHIZHENG_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The reverse proxies whose X-Forwarded-For names the real client (addresses or networks).
# Empty: no proxy is trusted and the connection's own address is the client's.
TRUSTED_PROXIES = get_networks("CHIZHENG_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
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
    "chizheng.books",
    "chizheng.simulate",
    "chizheng.supervision",
    "chizheng.competitions",
    "chizheng.ledgers",
    "chizheng.web",
]

MIDDLEWARE = [
    # First: the request id and the access line cover every other middleware's work.
    "chizheng.web.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
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
            # The permission table's question, in every template: {% if actor|can:"…" %}
            "builtins": ["chizheng.accounts.templatetags.permissions"],
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
    # connection) must see the live server's database. One file per checkout and test run,
    # so that two runs never share one.
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sign-in lockout: failures per username and client address within the window lock
# further tries, on every way in.
LOGIN_MAX_FAILURES = get_int("CHIZHENG_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_SECONDS = get_int("CHIZHENG_LOGIN_LOCK_SECONDS", 900, minimum=1)

# One lockout for every way in (docs/adr/0004): django-axes checks before any password is
# tried, in every authenticate() call (/login/, /admin/login/, any other), and counts every
# failure, per username and client address (the real one behind TRUSTED_PROXIES).
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
# `chizheng serve` collects the static files here before it starts (docs/adr/0002).
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "chizheng.web.vendor.VendorFinder",
]
# Front-end files installed from the npm registry by `make install`, served locally: only
# the ones the pages use (the packages hold 50 MB of other builds).
VENDOR_FILES = {
    "vendor/htmx/htmx.min.js": BASE_DIR / "node_modules" / "htmx.org" / "dist" / "htmx.min.js",
    "vendor/echarts/echarts.min.js": BASE_DIR
    / "node_modules"
    / "echarts"
    / "dist"
    / "echarts.min.js",
}
# Hashed names (cached for a year by browsers) and gzip copies, served by WhiteNoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Content-Security-Policy: every script and style comes from this site's static files; no
# inline script, no inline style, no eval (the pages are tested in Chromium against it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# /healthz: each check by name (docs/deploy.md "Health checks"); a dotted path to a function
# returning a chizheng.web.health.Result.
HEALTH_CHECKS = {
    "database": "chizheng.web.health.database",
    "disk": "chizheng.web.health.disk",
    "job_queue": "chizheng.web.health.job_queue",
}
# The disk check fails when the var directory's file system has less free space than this.
HEALTH_MIN_FREE_MB = get_int("CHIZHENG_HEALTH_MIN_FREE_MB", 1024)

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

# Background jobs (chizheng.jobs, docs/jobs.md): django-tasks with its database backend, so
# the queue lives in the same database (SQLite or PostgreSQL) and needs no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker writes its heartbeat this often; one silent for STALL seconds is taken for dead
# and its running job is run again (longer than the longest SQLite write transaction, during
# which a heartbeat has to wait).
WORKER_HEARTBEAT_SECONDS = get_int("CHIZHENG_WORKER_HEARTBEAT_SECONDS", 10, minimum=1, maximum=3600)
WORKER_STALL_SECONDS = get_int("CHIZHENG_WORKER_STALL_SECONDS", 600, minimum=30, maximum=86400)
# How long an idle worker waits before it looks for work again.
WORKER_POLL_SECONDS = get_float("CHIZHENG_WORKER_POLL_SECONDS", 1.0, minimum=0.05, maximum=60)
# A job that raised is run again after this many seconds times its attempts so far.
WORKER_RETRY_DELAY_SECONDS = get_int(
    "CHIZHENG_WORKER_RETRY_DELAY_SECONDS", 15, minimum=0, maximum=86400
)
# Local time of day at which the worker enqueues the nightly jobs (docs/jobs.md).
NIGHTLY_AT = get_time("CHIZHENG_NIGHTLY_AT", "02:00")
# Exports of up to this many rows are written in the request; larger ones run as a job with a
# file to download. 2,000 rows write in about a second on the 2-core reference machine (the
# 48,402 people of the demo take 24 s: far too long for a request).
EXPORT_DIRECT_MAX_ROWS = get_int("CHIZHENG_EXPORT_DIRECT_MAX_ROWS", 2000, minimum=0, maximum=10**7)
# The queue is unhealthy when a ready job has waited longer than this (no worker running).
JOB_QUEUE_MAX_WAIT_SECONDS = get_int(
    "CHIZHENG_JOB_QUEUE_MAX_WAIT_SECONDS", 300, minimum=1, maximum=86400
)
