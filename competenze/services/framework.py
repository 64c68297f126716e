"""Load the shipped framework (our QRSP-like data files) into the database."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competenze.models import Concept, ConceptExternalCode, ConceptRelation, Framework, Sector

SHIPPED_FRAMEWORK_DIR = Path(settings.BASE_DIR) / "competenze" / "data" / "framework"
DEFAULT_FRAMEWORK = "ponte-lombardia"
CONCEPT_COLUMNS = [
    "code",
    "kind",
    "parent",
    "pref_label",
    "alt_labels",
    "description",
    "eqf_level",
    "cp2011",
    "ateco",
    "esco_uri",
]
RELATION_COLUMNS = ["profile", "concept", "relation"]
EXTERNAL_COLUMNS = {"cp2011": "cp2011", "ateco": "ateco", "esco_uri": "esco"}


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    concepts: int
    relations: int


def _read_csv(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise ValidationError(
                _("%(file)s: intestazione attesa %(expected)s")
                % {"file": path.name, "expected": ",".join(columns)}
            )
        for line, row in enumerate(reader, start=2):
            yield line, {key: (value or "").strip() for key, value in row.items()}


def _row_error(path: Path, line: int, message: str) -> ValidationError:
    return ValidationError(f"{path.name}, " + _("riga") + f" {line}: {message}")


def _split_labels(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for label in raw.split("|"):
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def _concept_from_row(path: Path, line: int, row: dict[str, str]) -> dict[str, object]:
    if not row["code"] or not row["pref_label"]:
        raise _row_error(path, line, _("codice o etichetta mancante"))
    if row["kind"] not in Concept.Kind.values:
        raise _row_error(path, line, _("tipo sconosciuto «%s»") % row["kind"])
    eqf = row["eqf_level"]
    if eqf and (not eqf.isdigit() or not 1 <= int(eqf) <= 8):
        raise _row_error(path, line, _("livello EQF non valido «%s»") % eqf)
    return {
        "kind": row["kind"],
        "pref_label": row["pref_label"],
        "alt_labels": _split_labels(row["alt_labels"]),
        "description": row["description"],
        "eqf_level": int(eqf) if eqf else None,
        "parent": row["parent"],
        "sector": path.stem.upper(),
        "external": {
            system: row[column] for column, system in EXTERNAL_COLUMNS.items() if row[column]
        },
    }


def _read_concepts(directory: Path) -> dict[str, dict[str, object]]:
    concepts: dict[str, dict[str, object]] = {}
    for path in sorted((directory / "concepts").glob("*.csv")):
        for line, row in _read_csv(path, CONCEPT_COLUMNS):
            if row["code"] in concepts:
                raise _row_error(path, line, _("codice duplicato «%s»") % row["code"])
            concepts[row["code"]] = _concept_from_row(path, line, row)
    return concepts


def _read_relations(
    directory: Path, known: dict[str, dict[str, object]]
) -> list[tuple[str, str, str]]:
    relations = []
    for path in sorted((directory / "relations").glob("*.csv")):
        for line, row in _read_csv(path, RELATION_COLUMNS):
            for code in (row["profile"], row["concept"]):
                if code not in known:
                    raise _row_error(path, line, _("concetto sconosciuto «%s»") % code)
            if row["relation"] not in ConceptRelation.Kind.values:
                raise _row_error(path, line, _("relazione sconosciuta «%s»") % row["relation"])
            relations.append((row["profile"], row["concept"], row["relation"]))
    return relations


def _upsert_framework(directory: Path, *, make_default: bool) -> Framework:
    scheme = json.loads((directory / "scheme.json").read_text(encoding="utf-8"))
    if make_default or scheme.get("is_default"):
        Framework.objects.filter(is_default=True).exclude(
            code=scheme["code"], version=scheme["version"]
        ).update(is_default=False)
    framework, _created = Framework.objects.update_or_create(
        code=scheme["code"],
        version=scheme["version"],
        defaults={
            "name": scheme["name"],
            "language": scheme.get("language", "it"),
            "description": scheme.get("description", ""),
            "licence": scheme.get("licence", ""),
            "source": Framework.Source.SHIPPED,
            "is_default": bool(make_default or scheme.get("is_default")),
        },
    )
    return framework


def _upsert_sectors(framework: Framework, directory: Path) -> dict[str, Sector]:
    sectors = {}
    with (directory / "sectors.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sectors[row["code"]], _created = Sector.objects.update_or_create(
                framework=framework, code=row["code"], defaults={"label": row["label"]}
            )
    return sectors


def _upsert_concepts(
    framework: Framework, data: dict[str, dict[str, Any]], sectors: dict[str, Sector]
) -> dict[str, Concept]:
    existing = {c.code: c for c in Concept.objects.filter(framework=framework)}
    fields = ["kind", "pref_label", "alt_labels", "description", "eqf_level"]
    to_create: list[Concept] = []
    to_update: list[Concept] = []
    for code, values in data.items():
        concept = existing.get(code) or Concept(framework=framework, code=code)
        for field in fields:
            setattr(concept, field, values[field])
        concept.sector = sectors.get(str(values["sector"]))
        (to_update if concept.pk else to_create).append(concept)
    Concept.objects.bulk_create(to_create, batch_size=1000)
    Concept.objects.bulk_update(to_update, [*fields, "sector"], batch_size=1000)
    by_code = {c.code: c for c in Concept.objects.filter(framework=framework)}
    for code, values in data.items():
        by_code[code].parent = by_code.get(str(values["parent"])) if values["parent"] else None
    Concept.objects.bulk_update(list(by_code.values()), ["parent"], batch_size=1000)
    return by_code


def _replace_external_codes(concepts: dict[str, Concept], data: dict[str, dict[str, Any]]) -> None:
    ConceptExternalCode.objects.filter(concept__in=concepts.values()).delete()
    ConceptExternalCode.objects.bulk_create(
        ConceptExternalCode(concept=concepts[code], system=system, code=value)
        for code, values in data.items()
        for system, value in values["external"].items()
    )


def _replace_relations(
    framework: Framework, concepts: dict[str, Concept], relations: list[tuple[str, str, str]]
) -> int:
    ConceptRelation.objects.filter(source__framework=framework).delete()
    ConceptRelation.objects.bulk_create(
        ConceptRelation(source=concepts[source], target=concepts[target], kind=kind)
        for source, target, kind in relations
    )
    return len(relations)


@transaction.atomic
def framework_load_from_dir(*, directory: Path, make_default: bool = False) -> LoadResult:
    """Create or update a framework from a data directory; safe to run again.

    Raises ValidationError naming file and line for a malformed row; nothing is written then.
    """
    data = _read_concepts(directory)
    for code, values in data.items():
        parent = values["parent"]
        if parent and parent not in data:
            raise ValidationError(
                _("Il concetto %(code)s ha un padre sconosciuto %(parent)s")
                % {"code": code, "parent": parent}
            )
    relations = _read_relations(directory, data)
    framework = _upsert_framework(directory, make_default=make_default)
    sectors = _upsert_sectors(framework, directory)
    concepts = _upsert_concepts(framework, data, sectors)
    _replace_external_codes(concepts, data)
    count = _replace_relations(framework, concepts, relations)
    return LoadResult(framework=framework, concepts=len(concepts), relations=count)
