"""The API's one parser: JSON, bounded in size and nesting, with Italian errors.

DRF's own JSONParser reads a body of any size (DATA_UPLOAD_MAX_MEMORY_SIZE guards only
request.body, which DRF does not use), lets RecursionError escape on deeply nested input
(a 500) and answers in English.
"""

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from common.limits import MAX_JSON_DEPTH, max_json_bytes, megabytes


class BodyParseError(exceptions.ParseError):
    """A parse error whose message is already Italian (the exception handler keeps it)."""


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _too_deep(maximum: int) -> BodyParseError:
    return BodyParseError(
        _("Il JSON è annidato troppo in profondità (al massimo %(n)d livelli).") % {"n": maximum}
    )


def json_depth_check(data: Any, maximum: int = MAX_JSON_DEPTH) -> None:
    """Raises BodyParseError when arrays and objects nest deeper than `maximum`."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > maximum:
            raise _too_deep(maximum)
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children)


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = max_json_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(
                _("Il corpo della richiesta supera il limite di %(size)s.")
                % {"size": megabytes(limit)}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise BodyParseError(_("Il corpo della richiesta non è JSON valido (UTF-8).")) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise _too_deep(MAX_JSON_DEPTH) from None
        except ValueError as error:
            message = _("Il corpo della richiesta non è JSON valido: %(where)s.")
            raise BodyParseError(message % {"where": _where(error)}) from None
        json_depth_check(data)
        return data


def _where(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return _("errore alla riga %(line)d, colonna %(column)d") % {
            "line": error.lineno,
            "column": error.colno,
        }
    return _("valore non ammesso (%(value)s)") % {"value": str(error)[:20]}
