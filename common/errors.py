"""Error responses Django itself gives (handler400/403/404/500), in Italian.

Under /api/ they are JSON in the shape of the API's own errors ({"message", "code",
"extra"}), so that a client never parses an HTML page: an unknown API address, a body
Django refused before DRF saw it (too large, too many fields), an unexpected failure.
Elsewhere they are the site's pages (portal/templates/400.html … 500.html). Only a PageNotFound
says why a page is missing: its message is ours; other 404s may carry Django's English
text and are not shown.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import defaults

from common.exceptions import PageNotFound

API_PREFIX = "/api/"
BAD_REQUEST = gettext_lazy("La richiesta non è valida e non può essere elaborata.")
FORBIDDEN = gettext_lazy("Non hai i permessi per questa operazione.")
NOT_FOUND = gettext_lazy("Risorsa non trovata.")
SERVER_ERROR = gettext_lazy(
    "Si è verificato un errore interno: la richiesta non è stata completata. Riprova più tardi."
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(message: str, *, code: str, status: int) -> JsonResponse:
    body = {"message": message, "code": code, "extra": {}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(str(BAD_REQUEST), code="bad_request", status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(str(FORBIDDEN), code="permission_denied", status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = exception.message if isinstance(exception, PageNotFound) else ""
    if is_api(request):
        return api_error(message or str(NOT_FOUND), code="not_found", status=404)
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(str(SERVER_ERROR), code="server_error", status=500)
    return defaults.server_error(request)
