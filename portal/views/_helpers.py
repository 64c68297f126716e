"""Helpers shared by the counsellor and trainee pages: role decorators, errors, pagination."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from common.exceptions import AccessDenied, ApplicationError
from common.models import User
from common.paging import page_get
from portal.views.home import role_required

PER_PAGE = 25
Role = User.Role


class AuthedRequest(HttpRequest):
    """The request of a view behind role_required: `user` is a logged-in common User."""

    user: User  # type: ignore[assignment]


def _access_denied_is_403(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except AccessDenied as error:
            raise PermissionDenied(error.message) from error

    return wrapped


def counsellor_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Counsellors only (others 403, anonymous → login); AccessDenied from services → 403."""
    return role_required(Role.COUNSELLOR)(_access_denied_is_403(view))


def trainee_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return role_required(Role.TRAINEE)(_access_denied_is_403(view))


def counsellor_or_trainee_view(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Pages the person shares with their counsellor (their documents and credentials)."""
    return role_required(Role.COUNSELLOR, Role.TRAINEE)(_access_denied_is_403(view))


def assessor_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Assessors and certifying-body users only; AccessDenied from services → 403."""
    return role_required(Role.ASSESSOR, Role.CERTIFIER)(_access_denied_is_403(view))


def is_fetch(request: HttpRequest) -> bool:
    """A request made by our own scripts (portal/static/js/*.js), which want a fragment back."""
    return request.headers.get("X-Requested-With") == "fetch"


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ApplicationError):
        return [error.message]
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


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
    for message in error_messages(error):
        messages.error(request, message)


def paginate(request: HttpRequest, items: QuerySet | list, per_page: int = PER_PAGE) -> Page:
    """The page `?pagina=` names; PageNotFound (404) when it names none."""
    return page_get(items, request.GET.get("pagina"), per_page=per_page)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` field or parameter if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
