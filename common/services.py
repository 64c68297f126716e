"""Shared services: access audit, territory data."""

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from common.models import AccessLog, Municipality, Province, User

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "comuni_lombardia.csv"


def access_log_build(
    *, actor: User | None, action: str, subject: str, data_category: str, purpose: str = ""
) -> AccessLog:
    """An unsaved audit row (for bulk_create), with the snapshot of who the actor is."""
    known = actor is not None and actor.is_authenticated
    return AccessLog(
        actor=actor if known else None,
        actor_username=actor.get_username() if known else "",  # type: ignore[union-attr]
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        subject=subject,
        data_category=data_category,
        purpose=purpose[:200],
    )


@dataclass
class _Batch:
    """Audit rows a request produced, written together when it ends; `depth` is how deep in
    transactions the request was when the batch opened."""

    depth: int
    rows: list[AccessLog] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("access_log_batch", default=None)


def _open_batch() -> _Batch | None:
    """The request's batch, when the caller is not inside a transaction of its own: rows
    written in a transaction stay in it (they must not outlive an edit that rolled back)."""
    batch = _batch.get()
    if batch is None or len(connection.atomic_blocks) != batch.depth:
        return None
    return batch


def access_log_add(entries: Iterable[AccessLog]) -> None:
    """Write unsaved audit rows (access_log_build): at the end of the request when one is
    running (access_log_batch), else now, in one statement."""
    rows = list(entries)
    batch = _open_batch()
    if batch is not None:
        batch.rows.extend(rows)
    elif rows:
        AccessLog.objects.bulk_create(rows)


def access_log_record(
    *, actor: User | None, action: str, subject: str, data_category: str, purpose: str = ""
) -> AccessLog:
    """Record that `actor` touched `data_category` of the person with pseudonym `subject`.

    Inside a request the row is written with the request's others when it ends
    (access_log_batch), refused accesses and error answers included; elsewhere at once."""
    entry = access_log_build(
        actor=actor, action=action, subject=subject, data_category=data_category, purpose=purpose
    )
    batch = _open_batch()
    if batch is not None:
        batch.rows.append(entry)
    else:
        entry.save()
    return entry


@contextmanager
def access_log_batch() -> Iterator[None]:
    """Collect the audit rows written meanwhile and insert them in one statement at the end,
    whatever happens (an exception, a 404): common.middleware.AccessLogMiddleware opens one
    per request. Nested batches join the outer one. Rows are stamped when written."""
    if _batch.get() is not None:
        yield
        return
    batch = _Batch(depth=len(connection.atomic_blocks))
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        if batch.rows:
            AccessLog.objects.bulk_create(batch.rows)


MUNICIPALITY_COLUMNS = [
    "istat_code",
    "name",
    "province_code",
    "province_name",
    "latitude",
    "longitude",
]


def _municipality_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(MUNICIPALITY_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ValidationError(
                _("%(file)s: mancano le colonne %(cols)s")
                % {"file": path.name, "cols": ", ".join(sorted(missing))}
            )
        yield from enumerate(reader, start=2)


def _parse_coordinate(path: Path, line: int, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:
        raise ValidationError(
            _("%(file)s, riga %(line)d: coordinata non valida «%(value)s»")
            % {"file": path.name, "line": line, "value": value}
        )
    return number


@transaction.atomic
def municipalities_load_from_csv(*, path: Path) -> int:
    """Create or update provinces and municipalities from a CSV; returns the rows read."""
    provinces: dict[str, Province] = {p.code: p for p in Province.objects.all()}
    existing = {m.istat_code: m for m in Municipality.objects.all()}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    for line, row in _municipality_rows(path):
        code = (row["istat_code"] or "").strip()
        if not code.isdigit() or len(code) != 6:
            raise ValidationError(
                _("%(file)s, riga %(line)d: codice ISTAT non valido «%(code)s»")
                % {"file": path.name, "line": line, "code": code}
            )
        province = provinces.get(row["province_code"])
        if province is None:
            province = Province.objects.create(code=row["province_code"], name=row["province_name"])
            provinces[province.code] = province
        municipality = existing.get(code) or Municipality(istat_code=code)
        municipality.name = row["name"].strip()
        municipality.province = province
        municipality.latitude = _parse_coordinate(path, line, row["latitude"], -90, 90)
        municipality.longitude = _parse_coordinate(path, line, row["longitude"], -180, 180)
        (to_update if municipality.pk else to_create).append(municipality)
    Municipality.objects.bulk_create(to_create, batch_size=1000)
    Municipality.objects.bulk_update(
        to_update, ["name", "province", "latitude", "longitude"], batch_size=1000
    )
    return len(to_create) + len(to_update)
