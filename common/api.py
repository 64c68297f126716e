"""Shared API pieces: pagination and one exception handler giving JSON errors in Italian."""

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import AccessDenied, ApplicationError, ConflictError


class DefaultPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _django_validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "message_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def _throttled(exc: exceptions.Throttled) -> exceptions.Throttled:
    """429 in Italian; `wait` is kept, so the response carries Retry-After."""
    wait = math.ceil(exc.wait) if exc.wait else None
    message = (
        _("Troppe richieste: riprova tra %(seconds)d secondi.") % {"seconds": wait}
        if wait else _("Troppe richieste: riprova tra poco.")
    )
    italian = exceptions.Throttled(detail=message)
    italian.wait = wait
    return italian


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
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Risorsa non trovata."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("Non hai i permessi per questa operazione."))
    elif isinstance(exc, exceptions.Throttled):
        exc = _throttled(exc)
    elif isinstance(exc, exceptions.ParseError):
        # DRF's detail is English ("JSON parse error - 'utf-8' codec can't decode...").
        exc = exceptions.ParseError(
            _("Il corpo della richiesta non è JSON valido (UTF-8).")
            if "JSON" in str(exc.detail) else _("Il corpo della richiesta non è leggibile.")
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


def paginated_response(*, serializer_class, queryset, request, view) -> Response:
    """Paginate `queryset` with the default paginator and serialize the page."""
    paginator = DefaultPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
