"""Import a QRSP (Quadro Regionale degli Standard Professionali, Regione Lombardia) CSV export.

The open-data layout is not fixed, so Ponte defines the one it reads. One row per element:

    codice_profilo; denominazione_profilo; settore; codice_competenza;
    denominazione_competenza; tipo_elemento; descrizione_elemento; livello_eqf[; codice_ada]

- Header names are matched ignoring case and spaces ("Codice Profilo" = "codice_profilo");
  the separator (``;`` or ``,``) is sniffed from the header line; the file must be UTF-8.
- ``codice_ada`` is optional, as a column and as a value (several codes: separate with ``|``).
- ``settore`` and ``livello_eqf`` may be empty; every other value is required.
- ``tipo_elemento`` is ``abilita`` (or ``abilità``) or ``conoscenza``;
  ``livello_eqf`` is a whole number from 1 to 8 (``EQF 4`` is accepted too).

Mapping: profile and competence concepts keep their QRSP codes; the profile requires the
competence (essential relation); each abilità/conoscenza becomes a child concept of the
competence, coded ``<codice_competenza>-A<hash>`` / ``-K<hash>`` from its text, so a re-import
is idempotent even when rows are reordered. A settore becomes a Sector coded by its slug.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from competenze.importers.base import (
    LABEL_MAX_LENGTH,
    ConceptDraft,
    ConceptWriter,
    CsvRow,
    ImportResult,
    ProgressCallback,
    RelationWriter,
    framework_prepare,
    read_csv,
    sniff_delimiter,
    text_hash,
)
from competenze.models import Concept, ConceptExternalCode, ConceptRelation, Framework, Sector

DEFAULT_VERSION = "1"
FRAMEWORK_CODE = "qrsp-lombardia"
FRAMEWORK_NAME = "QRSP Regione Lombardia"
LICENCE = "Regione Lombardia, dati aperti (licenza indicata sul portale di origine)"
SECTOR_CODE_MAX_LENGTH = Sector._meta.get_field("code").max_length or 20
COLUMNS = (
    "codice_profilo",
    "denominazione_profilo",
    "settore",
    "codice_competenza",
    "denominazione_competenza",
    "tipo_elemento",
    "descrizione_elemento",
    "livello_eqf",
)
ELEMENT_KINDS = {
    "abilita": (Concept.Kind.SKILL, "A"),
    "conoscenza": (Concept.Kind.KNOWLEDGE, "K"),
    "conoscenze": (Concept.Kind.KNOWLEDGE, "K"),
}
EQF_PATTERN = re.compile(r"^(?:eqf\s*)?(\d{1,2})$", re.IGNORECASE)
ADA_SEPARATORS = re.compile(r"[|,;]")

UNKNOWN_ELEMENT_KIND = _("tipo_elemento sconosciuto «%(value)s» (attesi: abilita, conoscenza)")
INVALID_EQF = _("livello_eqf non valido «%(value)s» (atteso un numero da 1 a 8)")


@dataclass
class _Import:
    framework: Framework
    concepts: ConceptWriter
    relations: RelationWriter
    sectors: dict[str, int] = field(default_factory=dict)


def qrsp_import(
    *,
    path: Path,
    version: str = DEFAULT_VERSION,
    make_default: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import the file in one transaction; an ImportFileError leaves the database unchanged."""
    delimiter = sniff_delimiter(path)
    with transaction.atomic():
        framework = framework_prepare(
            code=FRAMEWORK_CODE,
            version=version,
            name=FRAMEWORK_NAME,
            source=Framework.Source.QRSP,
            licence=LICENCE,
            make_default=make_default,
        )
        concepts = ConceptWriter(framework=framework)
        state = _Import(framework, concepts, RelationWriter(concepts=concepts))
        for row in read_csv(path, columns=COLUMNS, delimiter=delimiter, progress=progress):
            _import_row(row, state)
        state.relations.flush()
    return ImportResult(
        framework=framework,
        concepts=len(concepts.ids),
        relations=state.relations.count,
        external_codes=concepts.external_code_count,
        sectors=len(state.sectors),
    )


def _import_row(row: CsvRow, state: _Import) -> None:
    profile = ConceptDraft(
        code=row.require("codice_profilo"),
        kind=Concept.Kind.PROFILE,
        pref_label=row.require("denominazione_profilo"),
    )
    competence = ConceptDraft(
        code=row.require("codice_competenza"),
        kind=Concept.Kind.COMPETENCE,
        pref_label=row.require("denominazione_competenza"),
        eqf_level=_eqf_level(row),
    )
    element = _element_draft(row, competence_code=competence.code)
    profile.sector_id = _sector_id(row.get("settore"), state)
    for draft in (profile, competence, element):
        state.concepts.add(draft, row=row)
    state.relations.add(
        source_code=profile.code, target_code=competence.code, kind=ConceptRelation.Kind.ESSENTIAL
    )
    for ada in ADA_SEPARATORS.split(row.get("codice_ada")):
        if ada.strip():
            state.concepts.add_external_code(
                concept_code=competence.code,
                system=ConceptExternalCode.System.ADA,
                code=ada.strip(),
            )


def _eqf_level(row: CsvRow) -> int | None:
    raw = row.get("livello_eqf")
    if not raw:
        return None
    match = EQF_PATTERN.match(raw)
    if match is None or not 1 <= int(match.group(1)) <= 8:
        raise row.error(INVALID_EQF % {"value": raw})
    return int(match.group(1))


def _element_kind(row: CsvRow) -> tuple[str, str]:
    raw = row.require("tipo_elemento")
    decomposed = unicodedata.normalize("NFKD", raw.lower())
    key = "".join(char for char in decomposed if char.isalpha())
    if key not in ELEMENT_KINDS:
        raise row.error(UNKNOWN_ELEMENT_KIND % {"value": raw})
    return ELEMENT_KINDS[key]


def _element_draft(row: CsvRow, *, competence_code: str) -> ConceptDraft:
    """Long texts keep the full wording in the description and a shortened label."""
    kind, prefix = _element_kind(row)
    text = " ".join(row.require("descrizione_elemento").split())
    too_long = len(text) > LABEL_MAX_LENGTH
    return ConceptDraft(
        code=f"{competence_code}-{prefix}{text_hash(text)}",
        kind=kind,
        pref_label=text[: LABEL_MAX_LENGTH - 1] + "…" if too_long else text,
        description=text if too_long else "",
        parent_code=competence_code,
    )


def sector_code(label: str) -> str:
    """The slug of the label; long slugs are cut and suffixed with a hash to stay unique."""
    slug = slugify(label)
    if slug and len(slug) <= SECTOR_CODE_MAX_LENGTH:
        return slug
    prefix = slug[: SECTOR_CODE_MAX_LENGTH - 7].rstrip("-")
    digest = text_hash(label, length=6)
    return f"{prefix}-{digest}" if prefix else digest


def _sector_id(label: str, state: _Import) -> int | None:
    if not label:
        return None
    code = sector_code(label)
    if code not in state.sectors:
        sector, _created = Sector.objects.update_or_create(
            framework=state.framework, code=code, defaults={"label": label}
        )
        state.sectors[code] = sector.pk
    return state.sectors[code]
