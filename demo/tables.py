"""Fast inserts for the tables that reach 100,000s of rows (multi-row INSERT, COPY on
PostgreSQL)."""

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

from demo.options import BATCH_SIZE

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


def batched(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


Row = dict[str, Any]
_ADAPTED_FIELDS = (models.DateField, models.TimeField, models.JSONField)  # DateTime is a Date


def _cached_adapter(field: models.Field, connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def adapt(value: Any) -> Any:
        key = json.dumps(value) if isinstance(value, list | dict) else value
        if key not in cache:
            cache[key] = field.get_db_prep_save(value, connection)
        return cache[key]

    return adapt


class Table:
    """Multi-row INSERTs for one model, from dicts of attribute values.

    bulk_create prepares every value of every row through its field (about 60 µs for one
    skill row on SQLite), too slow for two million rows. Here each row starts from the
    model's own defaults, timestamps are one shared value, and only dates, times and JSON
    are adapted (with a cache), so a row costs a few µs. Like bulk_create, this skips save(),
    signals and validators; the database still checks constraints.
    """

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.connection = connections[router.db_for_write(model)]
        columns = [column for column in model._meta.concrete_fields if not column.primary_key]
        self.defaults: Row = {}
        self.adapters: dict[str, Callable[[Any], Any]] = {}
        for column in columns:
            if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
                self.defaults[column.attname] = column.get_db_prep_save(now, self.connection)
                continue
            default = column.get_default()
            if isinstance(column, _ADAPTED_FIELDS):
                adapt = self.adapters[column.attname] = _cached_adapter(column, self.connection)
                default = None if default is None else adapt(default)
            self.defaults[column.attname] = default
        names = list(self.defaults)
        self.values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        self.quote = self.connection.ops.quote_name
        self.table = self.quote(model._meta.db_table)
        self.pk_column = model._meta.pk.column
        self.columns = ", ".join(self.quote(column.column) for column in columns)
        self.head = f"INSERT INTO {self.table} ({self.columns}) VALUES "
        self.row_sql = f"({', '.join(['%s'] * len(columns))})"
        self.tail = f" RETURNING {self.quote(self.pk_column)}"
        limit = self.connection.features.max_query_params or 65_000
        self.rows_per_statement = max(1, min(BATCH_SIZE, limit // len(columns)))

    def insert(self, rows: Sequence[Row], returning: bool = False) -> list[int]:
        """Insert the rows; with `returning`, give back their ids in the same order."""
        values = [self.values(self._merge(row)) for row in rows]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                return self._copy(cursor, values, returning)
            return self._insert(cursor, values, returning)

    def _insert(self, cursor: CursorWrapper, values: list[tuple], returning: bool) -> list[int]:
        ids: list[int] = []
        for chunk in batched(values, self.rows_per_statement):
            sql = self.head + ", ".join([self.row_sql] * len(chunk))
            cursor.execute(sql + self.tail if returning else sql, [v for row in chunk for v in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
        return ids

    def _copy(self, cursor: CursorWrapper, values: list[tuple], returning: bool) -> list[int]:
        """PostgreSQL: COPY is several times faster than INSERT; ids come from the sequence."""
        ids: list[int] = []
        columns = self.columns
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.table, self.pk_column, len(values)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            values = [(pk, *row) for pk, row in zip(ids, values, strict=True)]
            columns = f"{self.quote(self.pk_column)}, {columns}"
        with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return ids

    def _merge(self, row: Row) -> Row:
        merged = self.defaults | row
        for name, adapt in self.adapters.items():
            if name in row and row[name] is not None:
                merged[name] = adapt(row[name])
        return merged
