"""Middleware of our own: refuse, before any view runs, what no view can handle: a body
larger than any upload, and a path with a NUL character (PostgreSQL refuses NUL in text,
so a pseudonym or code containing one would fail the query instead of finding nothing)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import api_error, is_api, page_not_found
from common.exceptions import PageNotFound
from common.limits import MAX_UPLOAD_BYTES, max_request_bytes, megabytes

PATH_NUL = gettext_lazy("Indirizzo non valido: contiene un carattere nullo.")


def body_too_large_message() -> str:
    return _(
        "La richiesta è troppo grande: un file caricato può pesare al massimo %(size)s. "
        "Scegli un file più piccolo e riprova."
    ) % {"size": megabytes(MAX_UPLOAD_BYTES)}


class RequestGuardMiddleware:
    """413 for a body whose Content-Length is above common.limits.max_request_bytes(); 404
    for a path with a NUL character.

    It must come before any middleware that reads the body (CsrfViewMiddleware reads the
    form of a POST): Django would otherwise read a 60 MB upload whole before the form's
    own size check refuses it. A body without Content-Length is never read past its end
    by Django's WSGI request (it reads nothing), so this check is the whole bound.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _content_length(request) > max_request_bytes():
            return _too_large(request)
        if "\x00" in request.path:
            return page_not_found(request, PageNotFound(PATH_NUL))
        return self.get_response(request)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request: HttpRequest) -> HttpResponse:
    message = body_too_large_message()
    if is_api(request):
        return api_error(message, code="too_large", status=413)
    return render(request, "413.html", {"message": message}, status=413)
