"""Public endpoints every verifier needs: the signing keys (JWKS), the revocation lists and
the issuers' profiles. No login, nothing personal; cached briefly."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from competenze.credentials.keys import jwks as jwks_current
from competenze.services.credentials import issuer_profile, status_list_token


@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(jwks_current(), content_type="application/jwk-set+json")


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """The revocation list as a signed BitstringStatusListCredential (VC-JWT)."""
    return HttpResponse(status_list_token(number=number), content_type="application/vc+jwt")


@require_GET
@cache_control(public=True, max_age=3600)
def issuer(request: HttpRequest, organisation_id: int) -> JsonResponse:
    return JsonResponse(
        issuer_profile(organisation_id=organisation_id), content_type="application/ld+json"
    )
