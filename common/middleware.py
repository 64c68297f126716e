"""Security headers on every response Django produces (static files are served before)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP_HEADER = "Content-Security-Policy"


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
