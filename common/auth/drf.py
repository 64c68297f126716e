"""DRF side of authentication: bearer tokens and request throttling."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from common.auth.tokens import TokenRefused, api_token_user
from common.models import ApiToken, User

KEYWORD = "Bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pnt_…` with a token from POST /api/v1/auth/token/."""

    answers_401 = True  # a refused token is a 401 (common.schema documents it)

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Intestazione Authorization non valida: usa «Bearer <token>»."
            )
        try:
            return api_token_user(token=parts[1].decode(errors="replace"))
        except TokenRefused as error:
            raise exceptions.AuthenticationFailed(error.message, code=error.code) from None

    def authenticate_header(self, request: Request) -> str | None:
        """A refused token is a 401 asking for a Bearer token; a request that sent none keeps
        DRF's 403 (as with session authentication alone)."""
        parts = get_authorization_header(request).split()
        if parts and parts[0].decode(errors="replace").lower() == KEYWORD.lower():
            return f'{KEYWORD} realm="api"'
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "common.auth.drf.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token creato con POST /api/v1/auth/token/ (scade).",
        }


class _RatesFromSettings:
    """Reads the rate when the request comes, not when the class is imported, so that a
    change of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (tests, settings) takes effect."""

    scope: str | None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate else None


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    """Anonymous requests, per address (rate "anon")."""


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    """Authenticated requests, per user (rate "user")."""


class AuthThrottle(_RatesFromSettings, SimpleRateThrottle):
    """Endpoints that check a password (rate "auth"), per address whoever asks: stricter
    than the others, and on top of the login lockout."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
