"""The one application error type, with stable codes, rendered the same by API and UI."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An error the user can act on.

    ``code`` is stable (API clients switch on it); ``message`` is the Chinese text shown
    in the UI; ``message_en`` its English form; ``detail`` carries structured data such
    as the list of bad rows of an import.
    """

    code = "error"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        message_en: str = "",
        code: str | None = None,
        detail: Any = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class NotFound(DomainError):
    """Missing and forbidden look the same to the caller (no existence leak)."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class ValidationError(DomainError):
    code = "invalid"
    http_status = 422


class ConfigurationError(DomainError):
    code = "configuration"
    http_status = 500
