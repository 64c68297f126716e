"""Small pieces the lavoro services share."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from common.exceptions import ApplicationError, Message

UNKNOWN_FIELDS = gettext_lazy("Campi non modificabili: %(fields)s.")


def fields_apply(
    *, instance: models.Model, fields: Mapping[str, Any], allowed: Iterable[str]
) -> list[str]:
    """Set `fields` on `instance` and return their names; refuse names not in `allowed`."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ApplicationError(
            UNKNOWN_FIELDS % {"fields": ", ".join(unknown)},
            code="unknown_fields",
            extra={"fields": unknown},
        )
    for name, value in fields.items():
        setattr(instance, name, value)
    return list(fields)


def field_error(field: str, message: Message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def clean_and_save(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)
    instance.save()


def prefetch_forget(instance: models.Model, name: str) -> None:
    """Drop a prefetched relation after changing it, so callers don't serialize stale rows."""
    getattr(instance, "_prefetched_objects_cache", {}).pop(name, None)
