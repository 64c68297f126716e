"""Import the official ESCO CSV package (Italian files) as the "esco" framework.

Download "ESCO dataset – classification – it – csv" from https://esco.ec.europa.eu and point
the importer at the unzipped folder. Concepts are keyed by their ESCO URI, so a re-import
updates labels in place; nothing is ever deleted (people's skills point at these concepts).
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from competenze.importers.base import (
    BATCH_SIZE,
    ConceptDraft,
    ConceptWriter,
    CsvRow,
    ImportResult,
    ProgressCallback,
    RelationWriter,
    check_header,
    find_file,
    framework_prepare,
    read_csv,
)
from competenze.models import Concept, ConceptExternalCode, ConceptRelation, Framework

DEFAULT_VERSION = "1.2"
FRAMEWORK_CODE = "esco"
FRAMEWORK_NAME = "ESCO"
LICENCE = "© Unione europea, ESCO (https://esco.ec.europa.eu), riutilizzo consentito"
SKILL_CONCEPT_TYPE = "knowledgeskillcompetence"

# Official names; the relation files carry a language suffix in some ESCO releases.
SKILLS_FILES = ("skills_it.csv",)
OCCUPATIONS_FILES = ("occupations_it.csv",)
BROADER_FILES = ("broaderRelationsSkillPillar.csv", "broaderRelationsSkillPillar_it.csv")
RELATIONS_FILES = ("occupationSkillRelations.csv", "occupationSkillRelations_it.csv")

SKILL_COLUMNS = ("conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels")
OCCUPATION_COLUMNS = ("conceptUri", "iscoGroup", "preferredLabel", "altLabels")
BROADER_COLUMNS = ("conceptType", "conceptUri", "broaderType", "broaderUri")
RELATION_COLUMNS = ("occupationUri", "relationType", "skillUri")

SKILL_KINDS = {"skill/competence": Concept.Kind.SKILL, "knowledge": Concept.Kind.KNOWLEDGE}
SKILL_CONCEPT_KINDS = {*SKILL_KINDS.values(), Concept.Kind.TRANSVERSAL}
RELATION_KINDS = {
    "essential": ConceptRelation.Kind.ESSENTIAL,
    "optional": ConceptRelation.Kind.OPTIONAL,
}

UNKNOWN_SKILL_TYPE = _("skillType sconosciuto «%(value)s» (attesi: skill/competence, knowledge)")
UNKNOWN_RELATION_TYPE = _("relationType sconosciuto «%(value)s» (attesi: essential, optional)")
UNKNOWN_SKILL = _("%(column)s «%(uri)s» non è un'abilità presente in %(file)s")
UNKNOWN_OCCUPATION = _("occupationUri «%(uri)s» non è un'occupazione presente in %(file)s")
OWN_PARENT = _("il concetto «%(uri)s» non può essere più generico di sé stesso")


def esco_import(
    *,
    directory: Path,
    version: str = DEFAULT_VERSION,
    make_default: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import skills, occupations, the skill hierarchy and occupation → skill relations.

    All files and columns are checked before writing; everything runs in one transaction,
    so an ImportFileError (message names file and line) leaves the database unchanged.
    A skill with several broader skills keeps the first one; skill groups are not imported.
    """
    paths = _package_paths(directory)
    with transaction.atomic():
        framework = framework_prepare(
            code=FRAMEWORK_CODE,
            version=version,
            name=FRAMEWORK_NAME,
            source=Framework.Source.ESCO,
            licence=LICENCE,
            make_default=make_default,
        )
        concepts = ConceptWriter(framework=framework)
        _import_skills(paths[0], concepts, progress)
        _import_occupations(paths[1], concepts, progress)
        concepts.flush()
        _import_broader(paths[2], concepts, progress)
        relations = RelationWriter(concepts=concepts)
        _import_occupation_skills(paths[3], concepts, relations, progress)
        relations.flush()
    return ImportResult(
        framework=framework,
        concepts=len(concepts.ids),
        relations=relations.count,
        external_codes=concepts.external_code_count,
    )


def _package_paths(directory: Path) -> list[Path]:
    specs = [
        (SKILLS_FILES, SKILL_COLUMNS),
        (OCCUPATIONS_FILES, OCCUPATION_COLUMNS),
        (BROADER_FILES, BROADER_COLUMNS),
        (RELATIONS_FILES, RELATION_COLUMNS),
    ]
    paths = [find_file(directory, names) for names, _columns in specs]
    for path, (_names, columns) in zip(paths, specs, strict=True):
        check_header(path, columns=columns)
    return paths


def split_labels(raw: str, *, exclude: str = "") -> list[str]:
    """ESCO packs alternative labels in one cell, one per line: split, strip, deduplicate."""
    labels = dict.fromkeys(label.strip() for label in raw.splitlines())
    return [label for label in labels if label and label != exclude]


def _concept_draft(row: CsvRow, *, kind: str) -> ConceptDraft:
    label = row.require("preferredLabel")
    return ConceptDraft(
        code=row.require("conceptUri"),
        kind=kind,
        pref_label=label,
        alt_labels=split_labels(row.get("altLabels"), exclude=label),
        description=row.get("description") or row.get("definition"),
    )


def _skill_kind(row: CsvRow) -> str:
    if row.get("reuseLevel").lower() == "transversal":
        return Concept.Kind.TRANSVERSAL
    skill_type = row.require("skillType")
    kind = SKILL_KINDS.get(skill_type.lower())
    if kind is None:
        raise row.error(UNKNOWN_SKILL_TYPE % {"value": skill_type})
    return kind


def _import_skills(path: Path, concepts: ConceptWriter, progress: ProgressCallback | None) -> None:
    for row in read_csv(path, columns=SKILL_COLUMNS, progress=progress):
        draft = _concept_draft(row, kind=_skill_kind(row))
        concepts.add(draft, row=row)
        concepts.add_external_code(
            concept_code=draft.code, system=ConceptExternalCode.System.ESCO, code=draft.code
        )


def _import_occupations(
    path: Path, concepts: ConceptWriter, progress: ProgressCallback | None
) -> None:
    for row in read_csv(path, columns=OCCUPATION_COLUMNS, progress=progress):
        draft = _concept_draft(row, kind=Concept.Kind.PROFILE)
        concepts.add(draft, row=row)
        concepts.add_external_code(
            concept_code=draft.code, system=ConceptExternalCode.System.ESCO, code=draft.code
        )
        if isco := row.get("iscoGroup"):
            concepts.add_external_code(
                concept_code=draft.code, system=ConceptExternalCode.System.ISCO, code=isco
            )


def _skill_id(row: CsvRow, column: str, concepts: ConceptWriter) -> int:
    uri = row.require(column)
    if concepts.kind_of(uri) not in SKILL_CONCEPT_KINDS:
        values = {"column": column, "uri": uri, "file": SKILLS_FILES[0]}
        raise row.error(UNKNOWN_SKILL % values)
    return concepts.ids[uri]


def _is_skill_to_skill(row: CsvRow) -> bool:
    """Rows about skill groups (ISCED-F fields, S1.1…) are skipped: groups are not imported."""
    types = (row.require("conceptType"), row.require("broaderType"))
    return all(value.lower() == SKILL_CONCEPT_TYPE for value in types)


def _broader_link(row: CsvRow, concepts: ConceptWriter) -> tuple[int, int] | None:
    if not _is_skill_to_skill(row):
        return None
    child = _skill_id(row, "conceptUri", concepts)
    parent = _skill_id(row, "broaderUri", concepts)
    if child == parent:
        raise row.error(OWN_PARENT % {"uri": row.get("conceptUri")})
    return child, parent


def _import_broader(path: Path, concepts: ConceptWriter, progress: ProgressCallback | None) -> None:
    """Set ``Concept.parent``; the skills pass has just reset it, so this mirrors the file."""
    assigned: set[int] = set()
    pending: list[Concept] = []
    for row in read_csv(path, columns=BROADER_COLUMNS, progress=progress):
        link = _broader_link(row, concepts)
        if link is None or link[0] in assigned:
            continue
        assigned.add(link[0])
        pending.append(Concept(pk=link[0], parent_id=link[1]))
        if len(pending) >= BATCH_SIZE:
            _write_parents(pending)
    _write_parents(pending)


def _write_parents(pending: list[Concept]) -> None:
    Concept.objects.bulk_update(pending, ["parent"], batch_size=BATCH_SIZE)
    pending.clear()


def _import_occupation_skills(
    path: Path,
    concepts: ConceptWriter,
    relations: RelationWriter,
    progress: ProgressCallback | None,
) -> None:
    for row in read_csv(path, columns=RELATION_COLUMNS, progress=progress):
        occupation = row.require("occupationUri")
        if concepts.kind_of(occupation) != Concept.Kind.PROFILE:
            raise row.error(UNKNOWN_OCCUPATION % {"uri": occupation, "file": OCCUPATIONS_FILES[0]})
        _skill_id(row, "skillUri", concepts)
        relation_type = row.require("relationType")
        kind = RELATION_KINDS.get(relation_type.lower())
        if kind is None:
            raise row.error(UNKNOWN_RELATION_TYPE % {"value": relation_type})
        relations.add(source_code=occupation, target_code=row.get("skillUri"), kind=kind)
