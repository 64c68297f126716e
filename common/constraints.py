"""Italian messages for database constraint violations.

Every model constraint carries its own Italian `violation_error_message` (full_clean
raises it). When the database itself refuses a write (a race between two requests, or a
write that skipped full_clean) the IntegrityError names the constraint, or for SQLite's
UNIQUE only its columns: this module finds the same message, so the person never reads
a constraint name such as "measure_dates_ordered".
"""

import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import IntegrityError
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _

UNIQUE_VIOLATION = "23505"  # PostgreSQL SQLSTATE
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")
_POSTGRES_KEY = re.compile(r"Key \(([\w, ]+)\)=")  # the columns only, never the values


@dataclass(frozen=True)
class Violation:
    message: str
    duplicate: bool  # a unique constraint: the row exists already (409)


@cache
def _messages_by_name() -> dict[str, tuple[str, bool]]:
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            duplicate = isinstance(constraint, UniqueConstraint)
            found[constraint.name] = (str(constraint.violation_error_message), duplicate)
    return found


@cache
def _messages_by_columns() -> dict[tuple[str, frozenset[str]], str]:
    """(table, columns) of each unique constraint and unique field → its message."""
    found: dict[tuple[str, frozenset[str]], str] = {}
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                columns = frozenset(
                    str(model._meta.get_field(name).column)  # type: ignore[union-attr]
                    for name in constraint.fields
                )
                found[(table, columns)] = str(constraint.violation_error_message)
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                label = str(field.verbose_name)
                found[(table, frozenset([field.column]))] = _(
                    "Esiste già un elemento con questo valore di «%(field)s»."
                ) % {"field": label}
    return found


def _constraint_name(error: IntegrityError) -> str:
    diagnostics = getattr(error.__cause__, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return str(name)
    match = _SQLITE_CHECK.search(str(error))
    return match.group(1) if match else ""


def _sqlite_unique_message(error: IntegrityError) -> str | None:
    match = _SQLITE_UNIQUE.search(str(error))
    if not match:
        return None
    qualified = [item.strip().split(".", 1) for item in match.group(1).split(",")]
    tables = {table for table, _column in qualified}
    if len(tables) != 1:
        return None
    columns = frozenset(column for _table, column in qualified)
    return _messages_by_columns().get((tables.pop(), columns))


def _postgres_unique_message(error: IntegrityError) -> str | None:
    diagnostics = getattr(error.__cause__, "diag", None)
    table = getattr(diagnostics, "table_name", None)
    match = _POSTGRES_KEY.search(str(getattr(diagnostics, "message_detail", None) or ""))
    if not table or not match:
        return None
    columns = frozenset(column.strip() for column in match.group(1).split(","))
    return _messages_by_columns().get((str(table), columns))


def integrity_violation(error: IntegrityError) -> Violation:
    """The Italian message of the constraint `error` reports, and whether it is a duplicate."""
    name = _constraint_name(error)
    if name in _messages_by_name():
        message, duplicate = _messages_by_name()[name]
        return Violation(message, duplicate)
    unique = _sqlite_unique_message(error) or _postgres_unique_message(error)
    if unique is not None:
        return Violation(unique, True)
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if sqlstate == UNIQUE_VIOLATION or "UNIQUE constraint" in str(error):
        return Violation(_("Esiste già un elemento con questi dati."), True)
    return Violation(
        _("I dati non rispettano i vincoli dell'archivio: controllali e riprova."), False
    )
