from typing import TYPE_CHECKING, Any

from django.http import Http404

if TYPE_CHECKING:  # user text: a string, or a lazy translation (gettext_lazy)
    from django_stubs_ext import StrOrPromise as Message
else:
    Message = str

__all__ = ["AccessDenied", "ApplicationError", "ConflictError", "Message", "PageNotFound"]


class ApplicationError(Exception):
    """A business rule refused the request; the message is shown to the user (Italian).

    A lazy message is translated when the error is raised, in the request's language."""

    def __init__(
        self, message: Message, *, code: str = "invalid", extra: dict[str, Any] | None = None
    ) -> None:
        self.message = str(message)
        super().__init__(self.message)
        self.code = code
        self.extra = extra or {}


class AccessDenied(ApplicationError):
    def __init__(self, message: Message, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message, code="permission_denied", extra=extra)


class ConflictError(ApplicationError):
    """The request collides with data saved meanwhile (a unique value taken by a concurrent
    request, a stale version of a record): HTTP 409, with a message saying what to do."""

    def __init__(
        self, message: Message, *, code: str = "conflict", extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code, extra=extra)


class PageNotFound(Http404):
    """A page number that names no page of a list; the message is Italian and safe to show
    (common.paging builds it), unlike other 404s, whose text may be Django's own."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
