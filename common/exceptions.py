from typing import Any


class ApplicationError(Exception):
    """A business rule refused the request; the message is shown to the user (Italian)."""

    def __init__(self, message: str, *, code: str = "invalid", extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class AccessDenied(ApplicationError):
    def __init__(self, message: str, *, extra: dict[str, Any] | None = None):
        super().__init__(message, code="permission_denied", extra=extra)
