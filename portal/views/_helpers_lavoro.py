"""Small pieces the lavoro pages share: pagination, safe redirects, service errors."""

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from common.exceptions import ApplicationError
from common.paging import page_get

PER_PAGE = 25


def paginate(
    request: HttpRequest, items: Sequence[Any] | QuerySet[Any], *, param: str = "pagina"
) -> Page:
    """One page of `items` (25 per page); PageNotFound (404) for a number naming no page."""
    return page_get(items, request.GET.get(param), per_page=PER_PAGE)


def next_url(request: HttpRequest, default: str) -> str:
    """The `next` field of a POST when it points back into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


def error_message(error: Exception) -> str:
    """The Italian text of a service error, for the messages framework."""
    if isinstance(error, ApplicationError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    raise error


def message_error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, error_message(error))


SERVICE_ERRORS = (ApplicationError, ValidationError)
