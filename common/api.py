"""Shared API pieces: pagination and one exception handler giving JSON errors in Italian."""

import math
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.constraints import integrity_violation
from common.exceptions import AccessDenied, ApplicationError, ConflictError, PageNotFound
from common.models import Municipality, User
from common.paging import page_get
from common.parsers import BodyParseError


class AuthedRequest(Request):
    """The request of an API view that needs a login (the default permission): `user` is a
    common User, so views pass it to selectors and services without a check."""

    user: User


ISTAT_CODE_INVALID = _lazy("Codice ISTAT del comune non valido: sono 6 cifre.")
MUNICIPALITY_UNKNOWN = _lazy("Nessun comune ha il codice ISTAT «%(code)s».")


@extend_schema_field({"type": "string", "pattern": "^[0-9]{6}$", "example": "015146"})
class MunicipalityField(serializers.SlugRelatedField):
    """A municipality by its ISTAT code (6 digits), checked before the lookup: the database
    never sees a value that could not be a code (PostgreSQL refuses NUL characters)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="istat_code", queryset=Municipality.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Municipality:
        if not isinstance(data, str) or not re.fullmatch(r"[0-9]{6}", data):
            raise serializers.ValidationError(ISTAT_CODE_INVALID, code="invalid")
        try:
            municipality: Municipality = self.get_queryset().get(istat_code=data)
            return municipality
        except Municipality.DoesNotExist:
            raise serializers.ValidationError(
                MUNICIPALITY_UNKNOWN % {"code": data}, code="does_not_exist"
            ) from None


DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


class PageQuerySerializer(serializers.Serializer):
    """?page=&page_size= of a database-paged list: a bad value is a 400, a page past the
    last one a 404 (DefaultPagination)."""

    page = serializers.IntegerField(min_value=1, required=False, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=DEFAULT_PAGE_SIZE
    )


class DefaultPagination(PageNumberPagination):
    """Page-number pagination with both parameters bounded; past the last page → 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        params = PageQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.request = request
        self.page = page_get(
            queryset,
            str(params.validated_data["page"]),
            per_page=params.validated_data["page_size"],
        )
        return list(self.page)


def _django_validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "message_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def _throttled(exc: exceptions.Throttled) -> exceptions.Throttled:
    """429 in Italian; `wait` is kept, so the response carries Retry-After."""
    seconds = getattr(exc, "wait", None)
    wait = math.ceil(seconds) if seconds else None
    message = (
        _("Troppe richieste: riprova tra %(seconds)d secondi.") % {"seconds": wait}
        if wait
        else _("Troppe richieste: riprova tra poco.")
    )
    italian = exceptions.Throttled(detail=message)
    italian.wait = wait  # type: ignore[attr-defined]  # DRF sets it in its constructor
    return italian


def _integrity_response(error: IntegrityError) -> Response:
    """The database refused a write: its constraint's Italian message, 409 for a duplicate."""
    violation = integrity_violation(error)
    if violation.duplicate:
        body = {"message": violation.message, "code": "conflict", "extra": {}}
        return Response(body, status=status.HTTP_409_CONFLICT)
    body = {"message": violation.message, "code": "invalid", "extra": {}}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every error into {"message": ..., "code": ..., "extra": {...}}."""
    if isinstance(exc, AccessDenied):
        body = {"message": exc.message, "code": exc.code, "extra": exc.extra}
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ConflictError):
        body = {"message": exc.message, "code": exc.code, "extra": exc.extra}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ApplicationError):
        body = {"message": exc.message, "code": exc.code, "extra": exc.extra}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return _integrity_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, PageNotFound):
        exc = exceptions.NotFound(exc.message)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Risorsa non trovata."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("Non hai i permessi per questa operazione."))
    elif isinstance(exc, exceptions.Throttled):
        exc = _throttled(exc)
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType(
            "", _("Il corpo della richiesta deve essere JSON (Content-Type: application/json).")
        )
    elif isinstance(exc, exceptions.ParseError) and not isinstance(exc, BodyParseError):
        # DRF's detail is English ("JSON parse error - 'utf-8' codec can't decode...").
        exc = exceptions.ParseError(
            _("Il corpo della richiesta non è JSON valido (UTF-8).")
            if "JSON" in str(exc.detail)
            else _("Il corpo della richiesta non è leggibile.")
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message = _("Alcuni dati non sono validi: correggi i campi indicati.")
        response.data = {"message": message, "code": "invalid", "extra": {"fields": response.data}}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", "error")
        response.data = {"message": str(detail), "code": code, "extra": {}}
    return response


def paginated_response(
    *,
    serializer_class: type[serializers.BaseSerializer[Any]],
    queryset: QuerySet[Any],
    request: Request,
    view: Any,
) -> Response:
    """Paginate `queryset` with the default paginator and serialize the page."""
    paginator = DefaultPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "08:00"}
)
class ClockTimeField(serializers.TimeField):
    """A time of day without a time zone ("08:00"; "08:00:00" is read too). OpenAPI's
    `format: time` is RFC 3339's full-time, which requires an offset a shift never has."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)
