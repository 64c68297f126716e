"""Middleware of our own: security headers on every response Django produces (static files
are served before), and a guard that refuses, before any view runs, what no view can handle:
a body larger than any upload, and a path with a NUL character (PostgreSQL refuses NUL in
text, so a pseudonym or code containing one would fail the query instead of finding nothing)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import api_error, is_api, page_not_found
from common.exceptions import PageNotFound
from common.limits import MAX_UPLOAD_BYTES, max_request_bytes, megabytes
from common.services import access_log_batch

CSP_HEADER = "Content-Security-Policy"
PATH_NUL = gettext_lazy("Indirizzo non valido: contiene un carattere nullo.")


def csp_header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy (unless a view set its own) and `Cache-Control: no-store`.

    The policy (settings.PONTE_CSP) allows scripts and styles from this site's static files
    only: no inline script, event handler or style attribute runs, so injected markup cannot
    run code. No response may be kept by a browser or proxy cache (a view's own
    Cache-Control gets no-store added): pages and API responses
    carry identities, judicial data, evidence and printable profiles, and even a list of
    pseudonyms tells who is followed; a shared computer's back button must not show them
    after logout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = csp_header_value(settings.PONTE_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = self.csp
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        elif "no-store" not in response["Cache-Control"]:
            response["Cache-Control"] += ", no-store"
        return response


class AccessLogMiddleware:
    """Audit rows a request produces go to the database in one statement when it ends
    (common.services.access_log_batch), also when the answer is an error: a page that reads
    several people's data writes one INSERT, not one per row, which is most of the cost of
    an employer's search and keeps SQLite's single writer free under load."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_log_batch():
            return self.get_response(request)


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
