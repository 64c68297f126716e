"""Shared plumbing for the framework importers: streaming CSV reading, errors, batch upserts.

Every error raised here is an ``ImportFileError`` whose message (Italian) names the file and,
when known, the line, so an operator can fix the source file and run the import again.
"""

import csv
import hashlib
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from competenze.models import Concept, ConceptExternalCode, ConceptRelation, Framework

BATCH_SIZE = 1000
PROGRESS_EVERY = 10_000
LABEL_MAX_LENGTH = Concept._meta.get_field("pref_label").max_length or 300
CONCEPT_UPDATE_FIELDS = [
    "kind",
    "pref_label",
    "alt_labels",
    "description",
    "eqf_level",
    "sector",
    "parent",
]

FILE_ERROR = _("%(file)s: %(message)s")
LINE_ERROR = _("%(file)s, riga %(line)d: %(message)s")
FILE_MISSING = _("file non trovato in %(directory)s")
FILE_EMPTY = _("il file è vuoto (manca la riga di intestazione)")
COLUMNS_MISSING = _("mancano le colonne obbligatorie: %(columns)s")
VALUE_MISSING = _("manca %(column)s")
NOT_UTF8 = _("il file non è in codifica UTF-8; salvarlo come UTF-8 e riprovare")
BAD_CSV = _("riga CSV non valida (%(detail)s)")
LABEL_TOO_LONG = _("l'etichetta «%(label)s…» supera i %(max)d caratteri")
KIND_CONFLICT = _("il codice «%(code)s» è già usato per un concetto di tipo «%(kind)s»")
SUMMARY = _(
    "Importati %(concepts)d concetti, %(relations)d relazioni, %(codes)d codici esterni e "
    "%(sectors)d settori nel quadro «%(framework)s»."
)

ProgressCallback = Callable[[str, int], None]


class ImportFileError(ApplicationError):
    """A source file cannot be imported; the message names the file and the line."""

    def __init__(self, message: str, *, file: str, line: int | None = None) -> None:
        values = {"file": file, "line": line, "message": message}
        text = FILE_ERROR % values if line is None else LINE_ERROR % values
        super().__init__(text, code="import_error")
        self.file = file
        self.line = line


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    concepts: int
    relations: int
    external_codes: int
    sectors: int = 0

    def summary(self) -> str:
        return SUMMARY % {
            "framework": self.framework,
            "concepts": self.concepts,
            "relations": self.relations,
            "codes": self.external_codes,
            "sectors": self.sectors,
        }


def normalize_column(name: str) -> str:
    """``"Codice Profilo "`` and ``"codice_profilo"`` (or ``conceptUri``/``concepturi``) match."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def text_hash(text: str, *, length: int = 8) -> str:
    """A short digest that ignores case and spacing, for codes stable across re-imports."""
    normalized = " ".join(text.casefold().split())
    return hashlib.sha1(normalized.encode(), usedforsecurity=False).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class CsvRow:
    file: str
    line: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(normalize_column(column), "").strip()

    def require(self, column: str) -> str:
        value = self.get(column)
        if not value:
            raise self.error(VALUE_MISSING % {"column": column})
        return value

    def error(self, message: str) -> ImportFileError:
        return ImportFileError(message, file=self.file, line=self.line)


def find_file(directory: Path, names: Sequence[str]) -> Path:
    """The first of ``names`` present in ``directory``; the error names the first one."""
    for name in names:
        if (directory / name).is_file():
            return directory / name
    raise ImportFileError(FILE_MISSING % {"directory": directory}, file=names[0])


def sniff_delimiter(path: Path) -> str:
    """``;`` or ``,``, whichever the header line uses more."""
    header = _first_line(path)
    return ";" if header.count(";") > header.count(",") else ","


def check_header(path: Path, *, columns: Sequence[str], delimiter: str = ",") -> None:
    """Fail early, before any write, on a missing file, an empty file or a missing column."""
    rows = read_csv(path, columns=columns, delimiter=delimiter)
    try:
        next(rows, None)
    finally:
        rows.close()


def read_csv(
    path: Path,
    *,
    columns: Sequence[str],
    delimiter: str = ",",
    progress: ProgressCallback | None = None,
) -> Generator[CsvRow, None, None]:
    """Yield the data rows one at a time (blank lines skipped); ``line`` is the physical line.

    Raises ImportFileError on a missing file or column, malformed CSV or non UTF-8 bytes.
    """
    if not path.is_file():
        raise ImportFileError(FILE_MISSING % {"directory": path.parent}, file=path.name)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = _read_header(reader, path.name, columns)
            yield from _read_rows(reader, path.name, header, progress)
    except UnicodeDecodeError as exc:
        raise _encoding_error(path) from exc


def _read_header(reader: Any, file: str, columns: Sequence[str]) -> list[str]:
    record = _next_record(reader, file)
    if record is None:
        raise ImportFileError(str(FILE_EMPTY), file=file)
    header = [normalize_column(name) for name in record[1]]
    missing = [column for column in columns if normalize_column(column) not in header]
    if missing:
        raise ImportFileError(COLUMNS_MISSING % {"columns": ", ".join(missing)}, file=file)
    return header


def _read_rows(
    reader: Any, file: str, header: list[str], progress: ProgressCallback | None
) -> Iterator[CsvRow]:
    count = 0
    while (record := _next_record(reader, file)) is not None:
        line, cells = record
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(file, count)
        yield CsvRow(file=file, line=line, values=dict(zip(header, cells, strict=False)))


def _next_record(reader: Any, file: str) -> tuple[int, list[str]] | None:
    line = reader.line_num + 1
    try:
        return line, next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise ImportFileError(BAD_CSV % {"detail": exc}, file=file, line=line) from exc


def _first_line(path: Path) -> str:
    if not path.is_file():
        raise ImportFileError(FILE_MISSING % {"directory": path.parent}, file=path.name)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.readline()
    except UnicodeDecodeError as exc:
        raise _encoding_error(path) from exc


def _encoding_error(path: Path) -> ImportFileError:
    """Text decoding works in blocks; re-scan the bytes line by line to name the bad line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return ImportFileError(str(NOT_UTF8), file=path.name, line=number)
    return ImportFileError(str(NOT_UTF8), file=path.name)


def framework_prepare(
    *, code: str, version: str, name: str, source: str, licence: str, make_default: bool
) -> Framework:
    """Get or create the framework; with ``make_default`` the previous default is unset.

    Call inside the import transaction so a failed import keeps the old default.
    """
    framework, _created = Framework.objects.get_or_create(
        code=code,
        version=version,
        defaults={"name": name, "source": source, "licence": licence, "language": "it"},
    )
    if make_default and not framework.is_default:
        Framework.objects.filter(is_default=True).update(is_default=False)
        framework.is_default = True
        framework.save(update_fields=["is_default", "updated_at"])
    return framework


@dataclass
class ConceptDraft:
    code: str
    kind: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)
    description: str = ""
    eqf_level: int | None = None
    sector_id: int | None = None
    parent_code: str | None = None


class ConceptWriter:
    """Buffers the concepts of one framework and upserts them by code, in batches.

    The first draft seen for a code wins (later duplicates are ignored); the same code with
    another kind is an error. ``ids`` maps the codes written so far to primary keys.
    """

    def __init__(self, *, framework: Framework) -> None:
        self.framework = framework
        self.ids: dict[str, int] = {}
        self._kinds: dict[str, str] = {}
        self._drafts: list[ConceptDraft] = []
        self._codes: list[tuple[str, str, str]] = []
        self._seen_codes: set[tuple[str, str, str]] = set()

    @property
    def external_code_count(self) -> int:
        return len(self._seen_codes)

    def kind_of(self, code: str) -> str | None:
        return self._kinds.get(code)

    def add(self, draft: ConceptDraft, *, row: CsvRow) -> None:
        if len(draft.pref_label) > LABEL_MAX_LENGTH:
            label = draft.pref_label[:40]
            raise row.error(LABEL_TOO_LONG % {"label": label, "max": LABEL_MAX_LENGTH})
        known = self._kinds.get(draft.code)
        if known is not None and known != draft.kind:
            raise row.error(KIND_CONFLICT % {"code": draft.code, "kind": known})
        if known is None:
            self._kinds[draft.code] = draft.kind
            self._drafts.append(draft)
            self._flush_if_full()

    def add_external_code(self, *, concept_code: str, system: str, code: str) -> None:
        key = (concept_code, system, code)
        if key not in self._seen_codes:
            self._seen_codes.add(key)
            self._codes.append(key)
            self._flush_if_full()

    def flush(self) -> None:
        """Write the buffered concepts (parents before children), then their external codes."""
        pending, self._drafts = self._drafts, []
        while pending:
            ready, pending = self._split_ready(pending)
            if not ready:
                raise RuntimeError(f"Parent concept never added: {pending[0].parent_code}")
            self._upsert(ready)
        self._write_external_codes()

    def _split_ready(
        self, drafts: list[ConceptDraft]
    ) -> tuple[list[ConceptDraft], list[ConceptDraft]]:
        ready: list[ConceptDraft] = []
        waiting: list[ConceptDraft] = []
        for draft in drafts:
            has_parent = draft.parent_code is None or draft.parent_code in self.ids
            (ready if has_parent else waiting).append(draft)
        return ready, waiting

    def _flush_if_full(self) -> None:
        if len(self._drafts) + len(self._codes) >= BATCH_SIZE:
            self.flush()

    def _upsert(self, drafts: list[ConceptDraft]) -> None:
        Concept.objects.bulk_create(
            [self._concept(draft) for draft in drafts],
            update_conflicts=True,
            unique_fields=["framework", "code"],
            update_fields=CONCEPT_UPDATE_FIELDS,
            batch_size=BATCH_SIZE,
        )
        written = Concept.objects.filter(
            framework=self.framework, code__in=[draft.code for draft in drafts]
        )
        self.ids.update(written.values_list("code", "id"))

    def _concept(self, draft: ConceptDraft) -> Concept:
        return Concept(
            framework=self.framework,
            code=draft.code,
            kind=draft.kind,
            pref_label=draft.pref_label,
            alt_labels=draft.alt_labels,
            description=draft.description,
            eqf_level=draft.eqf_level,
            sector_id=draft.sector_id,
            parent_id=self.ids[draft.parent_code] if draft.parent_code else None,
        )

    def _write_external_codes(self) -> None:
        codes, self._codes = self._codes, []
        ConceptExternalCode.objects.bulk_create(
            [
                ConceptExternalCode(concept_id=self.ids[concept], system=system, code=code)
                for concept, system, code in codes
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )


class RelationWriter:
    """Buffers source → target relations (by concept code) and upserts them, updating kind."""

    def __init__(self, *, concepts: ConceptWriter) -> None:
        self.concepts = concepts
        self._pending: dict[tuple[str, str], str] = {}
        self._seen: set[tuple[int, int]] = set()

    @property
    def count(self) -> int:
        return len(self._seen)

    def add(self, *, source_code: str, target_code: str, kind: str) -> None:
        self._pending.setdefault((source_code, target_code), kind)
        if len(self._pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        self.concepts.flush()
        ids = self.concepts.ids
        relations = []
        for (source, target), kind in self._pending.items():
            key = (ids[source], ids[target])
            if key not in self._seen:
                self._seen.add(key)
                relations.append(ConceptRelation(source_id=key[0], target_id=key[1], kind=kind))
        self._pending = {}
        ConceptRelation.objects.bulk_create(
            relations,
            update_conflicts=True,
            unique_fields=["source", "target"],
            update_fields=["kind"],
            batch_size=BATCH_SIZE,
        )
