"""`field__in_ids=[...]`: `__in` for many integer ids at once.

Django prepares every value of an `__in` list through the field (for a foreign key, through
the related model's primary key): with the thousands of ids the search index reads per batch
that preparation cost more than the query. The ids here are only checked to be integers; an
empty list matches nothing, as `__in` does; any number of ids is accepted.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignObject, Lookup
from django.db.models.sql.compiler import SQLCompiler


class InIds(Lookup):  # type: ignore[type-arg]  # not subscriptable at run time
    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        values: Iterable[Any] = self.rhs
        return [int(value) for value in values]

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids: list[int] = self.rhs
        if not ids:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, ids)
        # Written out: SQLite caps the parameters of a statement, and each id is an int
        # (get_prep_lookup), so nothing but digits reaches the SQL.
        return f"{lhs} IN ({', '.join(map(str, ids))})", tuple(lhs_params)


def register() -> None:
    Field.register_lookup(InIds)
    ForeignObject.register_lookup(InIds)  # related fields keep lookups of their own
