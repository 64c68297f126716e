"""The OpenAPI document: what every operation may answer, and unambiguous names.

Views declare their request and success responses with `extend_schema`. PonteAutoSchema
adds the error responses that the project's shared code gives (the exception handler in
common.api, the parser in common.parsers, the size limit in common.middleware), so that
each operation documents every status it can answer:

- 400 for an operation with a body or query parameters, and for every write (services
  refuse with ApplicationError);
- 401 when the first authentication class asks for credentials, 403 for every
  authenticated operation (no session or token, or a role without the right);
- 404 for every authenticated operation (what it names, in the path or in the body, is
  missing or not visible to the user; a page past the last);
- 409 for every write (the database refused a duplicate, common.constraints);
- 413 and 415 for an operation with a body (too large; not JSON);
- 429 when the view is throttled.

Components are named after their class; a serializer nested in a view takes the view's
name as prefix (PersonIdentityApi.OutputSerializer → PersonIdentityOutput), so that two
views' `OutputSerializer` never collide. Operation ids come from the view's name.
"""

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

JSON_BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorSerializer(serializers.Serializer):
    """Every error of the API: an Italian message, a stable code, details (field errors
    under extra.fields)."""

    message = serializers.CharField()
    code = serializers.CharField()
    extra = serializers.DictField()


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERRORS = {
    400: _error("Dati non validi o operazione rifiutata (messaggio in italiano)."),
    401: _error("Credenziali mancanti o non valide."),
    403: _error("Non autenticato, o il ruolo non consente l'operazione."),
    404: _error("Risorsa inesistente o non visibile, o pagina oltre l'ultima."),
    413: _error("Corpo della richiesta troppo grande."),
    409: _error("I dati esistono già (vincolo di unicità)."),
    415: _error("Il corpo della richiesta non è JSON."),
    429: _error("Troppe richieste: riprova più tardi."),
}


_pages: dict[str, tuple[Any, type[serializers.Serializer]]] = {}


def page_of(
    name: str, item: type[serializers.Serializer], **extra: serializers.Field
) -> type[serializers.Serializer]:
    """The serializer class documenting a page of `item`s (count, next, previous, results,
    and `extra` fields), created once per name: two classes of one name would collide."""
    if name in _pages:
        known_item, page = _pages[name]
        assert known_item is item, f"{name} already documents a page of {known_item}"
        return page
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
        **extra,
    }
    page = type(name, (serializers.Serializer,), fields)
    _pages[name] = (item, page)
    return page


def _words(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class PonteAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        name = type(self.view).__name__.removesuffix("Api")
        return f"{_words(name)}_{self.method.lower()}"

    def get_serializer_name(self, serializer: serializers.Serializer, direction: Any) -> str:
        qualified = type(serializer).__qualname__
        if "<locals>" in qualified:
            return type(serializer).__name__
        outer = [
            part.removesuffix("Api").removesuffix("Serializer")
            for part in qualified.split(".")[:-1]
        ]
        return "".join(outer) + type(serializer).__name__

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ERRORS[code], str(code), direction=direction
                )
        return responses

    def _error_codes(self) -> list[int]:
        codes = []
        has_body = self.method in JSON_BODY_METHODS and self.get_request_serializer() is not None
        if has_body or self.method != "GET" or self._has_query_parameters():
            codes.append(400)
        if self._requires_authentication():
            if self._asks_for_credentials():
                codes.append(401)
            codes += [403, 404]
        elif "{" in self.path or self._has_query_parameter("page"):
            codes.append(404)
        if self.method != "GET":
            codes.append(409)
        if has_body:
            codes += [413, 415]
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def _query_parameter_names(self) -> set[str]:
        """The query parameters the view declares (serializers or OpenApiParameter)."""
        names: set[str] = set()
        for parameter in self.get_override_parameters():
            if isinstance(parameter, OpenApiParameter):
                if parameter.location == OpenApiParameter.QUERY:
                    names.add(parameter.name)
                continue
            serializer = parameter() if isinstance(parameter, type) else parameter
            names.update(serializer.fields)
        return names

    def _has_query_parameters(self) -> bool:
        return bool(self._query_parameter_names())

    def _has_query_parameter(self, name: str) -> bool:
        return name in self._query_parameter_names()

    def _requires_authentication(self) -> bool:
        return any(not isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _asks_for_credentials(self) -> bool:
        """A 401 is possible when an authenticator can refuse credentials it was sent (a
        token that expired): those declare `answers_401`."""
        return any(getattr(a, "answers_401", False) for a in self.view.get_authenticators())
