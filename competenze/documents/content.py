"""What goes into the documents the person keeps, and the rules of the employer version.

Two documents: the *documento di trasparenza delle competenze* (every competence, its stage
and evidence, the person's own words where chosen) and the *documento di validazione*
(validated and certified competences with who assessed them, how, on what, and the
attestation). Each comes in two versions:

- «persona»: the person's own copy, everything as chosen in the preview;
- «datore»: the copy for employers. Every text passes through the flagged-words rules: work
  done in prison is described neutrally by default (documents.flagged.neutralise), a quote
  that still has a flagged word is left out unless the person explicitly chose to keep it,
  and any other text with a flagged word (an organisation's name, an attestation's issuer)
  is replaced by a neutral wording. Nothing else can put a flagged word in that version.

Pure Python: the ORM side is competenze.services.documents.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from competenze.documents import flagged

PERSON, EMPLOYER = "persona", "datore"
AUDIENCES = (PERSON, EMPLOYER)
TRANSPARENCY, VALIDATION = "trasparenza", "validazione"
KINDS = (TRANSPARENCY, VALIDATION)
NEUTRAL_ISSUER = _("l'ente che accompagna la persona")
NEUTRAL_TEXT = _("(omesso)")


@dataclass(frozen=True)
class QuoteChoice:
    """What the person and the counsellor decided about one quote in the preview."""

    include: bool = True
    text: str | None = None  # None: the recorded words (neutralised for employers)
    allow_flagged: bool = False


@dataclass(frozen=True)
class RecordSummary:
    kind: str
    date: datetime.date
    organisation: str
    assessor: str
    method: str
    method_explanation: str
    evidence: tuple[str, ...]
    attestation_number: str = ""
    attestation_date: datetime.date | None = None
    attestation_issuer: str = ""
    attestation_standard: str = ""


@dataclass(frozen=True)
class EntryContent:
    entry_id: int
    label: str
    sector: str
    stage: str
    stage_label: str
    stage_explanation: str
    level: str
    quote: str | None
    evidence: tuple[str, ...]
    validation: RecordSummary | None = None
    certification: RecordSummary | None = None


@dataclass(frozen=True)
class DocumentContent:
    kind: str
    audience: str
    holder: str
    issuer: str
    issued_on: datetime.date
    pseudonym: str
    entries: tuple[EntryContent, ...]
    omitted_quotes: int = 0
    allowed_flagged: tuple[int, ...] = field(default=())  # entries whose flagged words stay

    @property
    def groups(self) -> list[tuple[str, list[EntryContent]]]:
        """Entries by sector, in the order they came (sector, then label)."""
        groups: dict[str, list[EntryContent]] = {}
        for entry in self.entries:
            groups.setdefault(entry.sector, []).append(entry)
        return list(groups.items())


def quote_for(recorded: str, choice: QuoteChoice, audience: str) -> str | None:
    """The quote that goes into the document, or None when it stays out.

    For employers the starting text is the neutral rewrite of the recorded words, and a
    quote that still has a flagged word stays out unless `choice.allow_flagged`.
    """
    if not choice.include:
        return None
    if choice.text is not None:
        text = choice.text.strip()
    else:
        text = flagged.neutralise(recorded) if audience == EMPLOYER else recorded.strip()
    if not text:
        return None
    if audience == EMPLOYER and not choice.allow_flagged and flagged.has_flagged(text):
        return None
    return text


def clean_text(text: str, audience: str, fallback: str = "", *, rewrite: bool = True) -> str:
    """Any text other than a quote: as it is for the person; for employers neutralised
    (unless `rewrite` is off, as for names), and replaced by `fallback` (or «(omesso)») if a
    flagged word remains."""
    if audience != EMPLOYER or not text:
        return text
    neutral = flagged.neutralise(text) if rewrite else text
    if flagged.has_flagged(neutral):
        return fallback or str(NEUTRAL_TEXT)
    return neutral


def _clean_record(record: RecordSummary | None, audience: str) -> RecordSummary | None:
    if record is None or audience != EMPLOYER:
        return record
    return replace(
        record,
        organisation=clean_text(record.organisation, audience, rewrite=False),
        assessor=clean_text(record.assessor, audience, rewrite=False),
        attestation_number=clean_text(record.attestation_number, audience, rewrite=False),
        attestation_issuer=clean_text(record.attestation_issuer, audience, rewrite=False),
        attestation_standard=clean_text(record.attestation_standard, audience),
    )


def entry_for_audience(entry: EntryContent, audience: str) -> EntryContent:
    """The entry's texts other than the quote, cleaned for `audience`."""
    if audience != EMPLOYER:
        return entry
    return replace(
        entry,
        label=clean_text(entry.label, audience),
        sector=clean_text(entry.sector, audience),
        validation=_clean_record(entry.validation, audience),
        certification=_clean_record(entry.certification, audience),
    )


def document_texts(document: DocumentContent) -> list[str]:
    """Every text the document prints that comes from the records (for checks)."""
    texts = [document.holder, document.issuer]
    for entry in document.entries:
        texts += [entry.label, entry.sector, entry.quote or "", *entry.evidence]
        for record in (entry.validation, entry.certification):
            if record is not None:
                texts += [
                    record.organisation,
                    record.assessor,
                    record.attestation_number,
                    record.attestation_issuer,
                    record.attestation_standard,
                ]
    return [text for text in texts if text]
