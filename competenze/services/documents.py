"""The documents the person keeps, built from the records and printed as PDF.

competenze.documents.content holds the rules (what the employer version may contain); this
module reads the records, checks who asks, audits the export and renders the PDF.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.documents import content as doc
from competenze.documents.pdf import html_to_pdf
from competenze.models import Evidence, Person, SkillEntry, StageRecord
from competenze.selectors.idvcc import STAGE_RANK
from competenze.selectors.people import person_identity_get, person_skills_list
from competenze.stages import METHOD_EXPLANATIONS, stage_explanation, stage_label, stage_legend

Stage = SkillEntry.Stage
DOCUMENT_DENIED = _("Solo chi segue la persona, o la persona stessa, prepara i suoi documenti.")
UNKNOWN_DOCUMENT = _(
    "Documento sconosciuto: scegli trasparenza o validazione, per la persona o per un datore."
)
OTHER_SECTOR = _("Altre competenze")
TITLES = {
    doc.TRANSPARENCY: _("Documento di trasparenza delle competenze"),
    doc.VALIDATION: _("Documento di validazione delle competenze"),
}
TEMPLATES = {
    doc.TRANSPARENCY: "competenze/idvcc/pdf/transparency.html",
    doc.VALIDATION: "competenze/idvcc/pdf/validation.html",
}
IDENTITY_PURPOSE = "intestazione del documento delle competenze"


@dataclass
class _Standing:
    validation: StageRecord | None = None
    certification: StageRecord | None = None


def _standing_records(entry_ids: list[int]) -> dict[int, _Standing]:
    """For each entry, the validation and certification records that still stand
    (replaying its records in order: a revocation or demotion undoes what it takes back)."""
    standing = {pk: _Standing() for pk in entry_ids}
    records = (
        StageRecord.objects.filter(entry_id__in=entry_ids)
        .select_related("organisation")
        .prefetch_related("evidences")
        .order_by("at", "pk")
    )
    for record in records:
        state = standing[record.entry_id]
        positive = record.outcome == StageRecord.Outcome.POSITIVE
        if record.kind == StageRecord.Kind.VALIDATION and positive:
            state.validation = record
        elif record.kind == StageRecord.Kind.CERTIFICATION and positive:
            state.certification = record
        if STAGE_RANK[record.stage_after] < STAGE_RANK[Stage.CERTIFIED]:
            state.certification = None
        if STAGE_RANK[record.stage_after] < STAGE_RANK[Stage.VALIDATED]:
            state.validation = None
    return standing


def _evidence_kinds(evidences: list[Evidence]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(e.get_kind_display()).lower() for e in evidences))


def _summary(record: StageRecord | None) -> doc.RecordSummary | None:
    if record is None:
        return None
    return doc.RecordSummary(
        kind=record.kind,
        date=timezone.localtime(record.at).date(),
        organisation=record.organisation.name if record.organisation else "",
        assessor=record.actor_name or record.actor_username,
        method=str(record.get_method_display()),
        method_explanation=str(METHOD_EXPLANATIONS.get(record.method, "")),
        evidence=_evidence_kinds(list(record.evidences.all())),
        attestation_number=record.attestation_number,
        attestation_date=record.attestation_date,
        attestation_issuer=record.attestation_issuer,
        attestation_standard=record.attestation_standard,
    )


def _stage_of(state: _Standing) -> str:
    if state.certification is not None:
        return str(Stage.CERTIFIED)
    return str(Stage.VALIDATED) if state.validation is not None else str(Stage.IDENTIFIED)


def _entry(
    entry: SkillEntry, state: _Standing, choice: doc.QuoteChoice, audience: str
) -> doc.EntryContent:
    stage = _stage_of(state)
    sector = entry.concept.sector.label if entry.concept.sector else str(OTHER_SECTOR)
    content = doc.EntryContent(
        entry_id=entry.pk,
        label=entry.concept.pref_label,
        sector=sector,
        stage=stage,
        stage_label=stage_label(stage),
        stage_explanation=stage_explanation(stage),
        level=str(entry.get_level_display()),
        quote=doc.quote_for(entry.evidence_text, choice, audience),
        evidence=_evidence_kinds(list(entry.evidences.all())),
        validation=_summary(state.validation),
        certification=_summary(state.certification),
    )
    return doc.entry_for_audience(content, audience)


def _holder(user: User, person: Person) -> str:
    if not permissions.can_view_identity(user, person):
        return ""
    try:
        identity = person_identity_get(user=user, person=person, purpose=IDENTITY_PURPOSE)
    except Http404:
        return ""
    return f"{identity.first_name} {identity.last_name}".strip()


def _check(user: User, person: Person, kind: str, audience: str) -> None:
    if kind not in doc.KINDS or audience not in doc.AUDIENCES:
        raise ApplicationError(str(UNKNOWN_DOCUMENT), code="unknown_document")
    if not permissions.can_export_credentials(user, person):
        raise AccessDenied(str(DOCUMENT_DENIED))


def document_entries(*, person: Person) -> list[SkillEntry]:
    """The person's entries in document order: by sector («Altre» last), then label."""
    entries = list(person_skills_list(person=person).prefetch_related("evidences"))
    entries.sort(
        key=lambda e: (
            e.concept.sector is None,
            e.concept.sector.label if e.concept.sector else "",
            e.concept.pref_label.lower(),
        )
    )
    return entries


def document_content_build(
    *,
    person: Person,
    user: User,
    kind: str,
    audience: str,
    choices: Mapping[int, doc.QuoteChoice] | None = None,
) -> doc.DocumentContent:
    """The content of one document for `audience`, with the quotes as `choices` decide
    (entry id → choice; entries without one keep their recorded words, neutralised and
    checked for employers). The validation document lists validated and certified entries
    only. Raises AccessDenied/ApplicationError; reads nothing else than it shows."""
    _check(user, person, kind, audience)
    choices = choices or {}
    entries = document_entries(person=person)
    standing = _standing_records([entry.pk for entry in entries])
    built = [
        _entry(entry, standing[entry.pk], choices.get(entry.pk, doc.QuoteChoice()), audience)
        for entry in entries
    ]
    if kind == doc.VALIDATION:
        built = [entry for entry in built if entry.stage != Stage.IDENTIFIED]
    omitted = sum(
        1
        for entry, made in zip(entries, built, strict=False)
        if entry.evidence_text.strip() and made.quote is None
    )
    allowed = tuple(pk for pk, choice in choices.items() if choice.allow_flagged)
    return doc.DocumentContent(
        kind=kind,
        audience=audience,
        holder=_holder(user, person),
        issuer=doc.clean_text(
            person.organisation.name, audience, str(doc.NEUTRAL_ISSUER), rewrite=False
        ),
        issued_on=timezone.localdate(),
        pseudonym=person.pseudonym if audience == doc.PERSON else "",
        entries=tuple(built),
        omitted_quotes=omitted,
        allowed_flagged=allowed,
    )


def document_pdf(*, person: Person, user: User, content: doc.DocumentContent) -> bytes:
    """Print the document; the export is audited (the person's pseudonym, never content)."""
    _check(user, person, content.kind, content.audience)
    html = render_to_string(
        TEMPLATES[content.kind],
        {
            "document": content,
            "title": TITLES[content.kind],
            "employer": content.audience == doc.EMPLOYER,
            "stages": stage_legend(),
        },
    )
    pdf = html_to_pdf(html)
    access_log_record(
        actor=user,
        action=AccessLog.Action.EXPORT,
        subject=person.pseudonym,
        data_category=f"documento_{content.kind}",
        purpose=f"PDF, versione per {content.audience}",
    )
    return pdf


def document_filename(*, person: Person, content: doc.DocumentContent) -> str:
    suffix = "datore" if content.audience == doc.EMPLOYER else "persona"
    return f"{content.kind}-{person.pseudonym}-{suffix}.pdf"
