"""Login lockout (django-axes): the client's address, and the Italian 429 response."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_TEMPLATE = "registration/locked_out.html"


def client_ip(request: HttpRequest) -> str:
    """The address a request comes from. Behind PONTE_PROXY_COUNT trusted reverse proxies it
    is the one the outermost proxy saw (X-Forwarded-For, counted from the right, where a
    client cannot forge it); without proxies, REMOTE_ADDR."""
    proxies = settings.PONTE_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def _minutes(context_cooloff: Any) -> int:
    seconds = context_cooloff.total_seconds() if context_cooloff else 0
    return max(1, round(seconds / 60))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 after too many failed logins, for the account or for the address; the same text
    either way, so it does not tell whether the account exists."""
    from axes.helpers import get_cool_off

    minutes = _minutes(get_cool_off(request))
    message = _(
        "Troppi tentativi di accesso non riusciti: per sicurezza l'accesso è sospeso per "
        "%(minutes)d minuti. Se hai dimenticato la password, chiedi all'amministratore."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        body = {"message": message, "code": "locked_out", "extra": {"minutes": minutes}}
        return JsonResponse(body, status=429)
    return render(request, LOCKOUT_TEMPLATE, {"message": message}, status=429)
