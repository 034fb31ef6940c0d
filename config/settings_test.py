"""Test settings, named by the test configuration (pytest-django's ``DJANGO_SETTINGS_MODULE``
in pyproject.toml) and by the type checker; never chosen by inference.

Fixed keys written here are public: they encrypt only the tests' made-up people.
"""

from __future__ import annotations

from config.settings_base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DATA_KEY = "dGVzdC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE="
INDEX_KEY = "dGVzdC1pbmRleC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA="
AUDIT_KEY = "dGVzdC1hdWRpdC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA="

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Speed only: argon2 is still what production uses (tests of hashing set it explicitly).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405

# Tests render pages without `collectstatic`: plain names, files found where they lie.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
