"""Model field that stores text encrypted (see ``chizheng.core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Encrypted at rest; equality look-ups must use the companion blind-index field."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
