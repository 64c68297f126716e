"""What every page shares: role checks, service errors shown to the user, pagination, safe
redirects.

Service errors: pages catch SERVICE_ERRORS (ApplicationError, Django's ValidationError),
whose messages are written in Italian for the user, and show them on the form or as
messages. Any other exception is a bug: it is raised again (a 500, logged), never turned
into text, which could be English or quote what the user may not see.
"""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from common.exceptions import AccessDenied, ApplicationError
from common.models import User
from common.paging import page_get

PER_PAGE = 25
SERVICE_ERRORS = (ApplicationError, ValidationError)
Role = User.Role
View = Callable[..., HttpResponseBase]


class AuthedRequest(HttpRequest):
    """The request of a view behind role_required: `user` is a logged-in common User."""

    user: User  # type: ignore[assignment]


def role_required(*roles: str) -> Callable[[View], View]:
    """Logged-in users of these roles only (anonymous → login); any other role gets 403,
    never the page."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_view(*roles: str) -> Callable[[View], View]:
    """role_required, and an AccessDenied raised by a service becomes a 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except AccessDenied as error:
                raise PermissionDenied(error.message) from error

        return role_required(*roles)(wrapped)

    return decorator


counsellor_view = role_view(Role.COUNSELLOR)
trainee_view = role_view(Role.TRAINEE)
# pages the person shares with their counsellor (their documents and credentials)
counsellor_or_trainee_view = role_view(Role.COUNSELLOR, Role.TRAINEE)
assessor_view = role_view(Role.ASSESSOR, Role.CERTIFIER)


def is_fetch(request: HttpRequest) -> bool:
    """A request made by our own scripts (portal/static/js/*.js), which want a fragment back."""
    return request.headers.get("X-Requested-With") == "fetch"


def error_messages(error: Exception) -> list[str]:
    """The Italian messages of a service error; any other exception is raised again."""
    if isinstance(error, ApplicationError):
        return [error.message]
    if isinstance(error, ValidationError):
        return list(error.messages)
    raise error


def form_add_service_error(form: forms.Form, error: Exception) -> None:
    """Put a service's error on the form: on the fields it names, else on the whole form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if item.messages else str(item))
        return
    for message in error_messages(error):
        form.add_error(None, message)


def messages_add_error(request: HttpRequest, error: Exception) -> None:
    """Show a service's error as messages (one each) on the next page."""
    for message in error_messages(error):
        messages.error(request, message)


def paginate(
    request: HttpRequest,
    items: Sequence[Any] | QuerySet[Any],
    *,
    param: str = "pagina",
    per_page: int = PER_PAGE,
) -> Page:
    """The page that `?pagina=` (or `param`) names; PageNotFound (404) when it names none."""
    return page_get(items, request.GET.get(param), per_page=per_page)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` field or parameter if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
