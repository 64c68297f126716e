"""Middleware of our own: refuse an oversized request body before anything reads it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from common.errors import api_error, is_api
from common.limits import MAX_UPLOAD_BYTES, max_request_bytes, megabytes


def body_too_large_message() -> str:
    return _(
        "La richiesta è troppo grande: un file caricato può pesare al massimo %(size)s. "
        "Scegli un file più piccolo e riprova."
    ) % {"size": megabytes(MAX_UPLOAD_BYTES)}


class RequestSizeLimitMiddleware:
    """413 for a body whose Content-Length is above common.limits.max_request_bytes().

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
