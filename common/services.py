"""Shared services: access audit, territory data."""

import csv
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
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


def access_log_record(
    *, actor: User | None, action: str, subject: str, data_category: str, purpose: str = ""
) -> AccessLog:
    """Record that `actor` touched `data_category` of the person with pseudonym `subject`."""
    entry = access_log_build(
        actor=actor, action=action, subject=subject, data_category=data_category, purpose=purpose
    )
    entry.save()
    return entry


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
