"""The application's error types; front doors map them to HTTP, CLI exit codes or form errors in one place.

Pure Python: the parser raises these without importing Django.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every error a person can act on."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def as_dict(self) -> dict:
        """Return the error as a JSON-ready dict."""
        data = {"error": type(self).__name__, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.details:
            data["details"] = self.details
        return data


class NotFound(AppError):
    status_code = 404


class ValidationError(AppError):
    status_code = 422


class PermissionDenied(AppError):
    status_code = 403


class NotAuthenticated(AppError):
    status_code = 401


class Throttled(AppError):
    """Too many failed sign-ins or API tokens from one client; it may try again after the cool-off."""

    status_code = 429


class Conflict(AppError):
    """A write based on a stale version (lost-update protection)."""

    status_code = 409


class IngestError(AppError):
    """A report that cannot be read; names the file, the line and what was expected."""

    status_code = 422

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        where = file if line is None else f"{file}, línea {line}"
        text = f"{where}: {message}"
        if expected:
            text += f" (se esperaba: {expected})"
        super().__init__(text, field=field, details={"file": file, "line": line, "expected": expected})
        self.file = file
        self.line = line
        self.expected = expected
