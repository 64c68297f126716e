"""Reads of IDVCC records: the stage each entry's records support, work lists of assessors
and certifying bodies, the entries they may open (audited), stage histories."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.models import AccessLog, Organisation, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import Evidence, SkillEntry, StageRecord, StageRequest

Role = User.Role
Stage = SkillEntry.Stage
STAGE_RANK: dict[str, int] = {
    Stage.IDENTIFIED.value: 0,
    Stage.VALIDATED.value: 1,
    Stage.CERTIFIED.value: 2,
}
ENTRY_NOT_FOUND = gettext_lazy("Competenza non trovata.")
REQUEST_NOT_FOUND = gettext_lazy("Richiesta non trovata.")
ASSESSMENT_PURPOSE = "valutazione IDVCC"


def supported_stages(*, entry_ids: Iterable[int]) -> dict[int, str]:
    """The stage each entry's records support: `stage_after` of its latest record, or
    «individuata» for an entry without records. What employers, the search index and the
    documents show; the entry's own `stage` field is only a cache of it."""
    ids = list(entry_ids)
    stages = dict.fromkeys(ids, str(Stage.IDENTIFIED))
    if not ids:
        return stages
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        rows = (
            StageRecord.objects.filter(entry_id__in_ids=chunk)
            .order_by("entry_id", "at", "pk")
            .values_list("entry_id", "stage_after")
        )
        stages.update(dict(rows))  # the last row of each entry wins
    return stages


def supported_stages_of_people(*, person_ids: Iterable[int]) -> dict[int, str]:
    """supported_stages for every entry of these people (entry id → stage)."""
    people = list(person_ids)
    entry_ids = SkillEntry.objects.filter(person_id__in=people).values_list("pk", flat=True)
    stages = dict.fromkeys(entry_ids, str(Stage.IDENTIFIED))
    rows = (
        StageRecord.objects.filter(entry__person_id__in=people)
        .order_by("entry_id", "at", "pk")
        .values_list("entry_id", "stage_after")
    )
    stages.update(dict(rows))
    return stages


def stage_records_list(*, entry: SkillEntry) -> QuerySet[StageRecord]:
    return (
        StageRecord.objects.filter(entry=entry)
        .select_related("organisation")
        .prefetch_related("evidences")
        .order_by("at", "pk")
    )


def supporting_record(*, entry: SkillEntry) -> StageRecord | None:
    """The record that took the entry to the stage it has now (None at «individuata»):
    the last positive validation or certification not followed by a downgrade."""
    last = StageRecord.objects.filter(entry=entry).order_by("-at", "-pk").first()
    if last is None or last.stage_after == Stage.IDENTIFIED:
        return None
    kind = (
        StageRecord.Kind.CERTIFICATION
        if last.stage_after == Stage.CERTIFIED
        else StageRecord.Kind.VALIDATION
    )
    return (
        StageRecord.objects.filter(entry=entry, kind=kind, outcome=StageRecord.Outcome.POSITIVE)
        .select_related("organisation")
        .order_by("-at", "-pk")
        .first()
    )


def stage_requests_open_for_entry(*, entry: SkillEntry) -> QuerySet[StageRequest]:
    return StageRequest.objects.filter(entry=entry, status=StageRequest.Status.OPEN).select_related(
        "organisation"
    )


def _work_stage(user: User) -> str | None:
    if user.has_role(Role.ASSESSOR):
        return str(Stage.VALIDATED)
    if user.has_role(Role.CERTIFIER):
        return str(Stage.CERTIFIED)
    return None


def stage_request_worklist(*, user: User) -> QuerySet[StageRequest]:
    """Open requests sent to the user's organisation for the stage their role assesses
    (validation for assessors, certification for certifying-body users); none for others."""
    stage = _work_stage(user)
    if stage is None or user.organisation_id is None:
        return StageRequest.objects.none()
    return (
        StageRequest.objects.filter(
            organisation_id=user.organisation_id, stage=stage, status=StageRequest.Status.OPEN
        )
        .select_related("entry__concept", "entry__person", "requested_by")
        .order_by("requested_at", "pk")
    )


def stage_records_by_organisation(*, user: User) -> QuerySet[StageRecord]:
    """The assessments and certifications the user's organisation recorded (most recent
    first): what an assessor or certifier may look back at, and revoke."""
    stage = _work_stage(user)
    if stage is None or user.organisation_id is None:
        return StageRecord.objects.none()
    kind = (
        StageRecord.Kind.VALIDATION if stage == Stage.VALIDATED else StageRecord.Kind.CERTIFICATION
    )
    return (
        StageRecord.objects.filter(organisation_id=user.organisation_id, kind=kind)
        .select_related("entry__concept", "entry__person")
        .order_by("-at", "-pk")
    )


def _in_assessor_scope(user: User, entry_filter: Q) -> QuerySet[SkillEntry]:
    stage = _work_stage(user)
    if stage is None or user.organisation_id is None:
        return SkillEntry.objects.none()
    asked = StageRequest.objects.filter(
        entry=OuterRef("pk"), organisation_id=user.organisation_id, stage=stage
    )
    assessed = StageRecord.objects.filter(
        entry=OuterRef("pk"), organisation_id=user.organisation_id
    )
    return SkillEntry.objects.filter(entry_filter).filter(Exists(asked) | Exists(assessed))


def entry_get_for_stage(*, user: User, entry_id: int, purpose: str = "") -> SkillEntry:
    """The entry, for whoever has a part in its IDVCC stages: the person's counsellors and
    administrators (who may see the person), assessors and certifying-body users whose
    organisation was asked to assess it or has assessed it.

    Http404 when it does not exist or the user has no part in it (the refusal is audited),
    so the answer does not tell who is in the records. Assessors' reads are audited.
    """
    entry = (
        SkillEntry.objects.select_related("person", "concept", "concept__sector", "recorded_by")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404(ENTRY_NOT_FOUND)
    if permissions.can_view_person(user, entry.person) and not user.has_role(Role.TRAINEE):
        return entry
    if _in_assessor_scope(user, Q(pk=entry_id)).exists():
        access_log_record(
            actor=user,
            action=AccessLog.Action.VIEW,
            subject=entry.person.pseudonym,
            data_category="competenze",
            purpose=purpose or ASSESSMENT_PURPOSE,
        )
        return entry
    access_log_record(
        actor=user,
        action=AccessLog.Action.DENIED,
        subject=entry.person.pseudonym,
        data_category="competenze",
    )
    raise Http404(ENTRY_NOT_FOUND)


def stage_request_get_for_worklist(*, user: User, request_id: int) -> StageRequest:
    """One request of the user's work list (open or not), Http404 otherwise."""
    stage = _work_stage(user)
    request = (
        StageRequest.objects.select_related("entry__person", "entry__concept", "organisation")
        .filter(pk=request_id)
        .first()
    )
    if (
        request is None
        or stage is None
        or request.stage != stage
        or request.organisation_id != user.organisation_id
    ):
        raise Http404(REQUEST_NOT_FOUND)
    return request


def entry_evidences_list(*, entry: SkillEntry) -> QuerySet[Evidence]:
    return entry.evidences.select_related("uploaded_by").order_by("created_at", "pk")


def assessment_evidence_get(*, user: User, evidence_id: int) -> Evidence:
    """An evidence file an assessor or certifier may open: linked to an entry in their
    scope. The read is audited; Http404 otherwise (the refusal audited too)."""
    evidence = Evidence.objects.select_related("person").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404(_("Evidenza non trovata."))
    linked = Q(evidences=evidence)
    if not _in_assessor_scope(user, linked).exists():
        access_log_record(
            actor=user,
            action=AccessLog.Action.DENIED,
            subject=evidence.person.pseudonym,
            data_category="evidenze",
        )
        raise Http404(_("Evidenza non trovata."))
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=evidence.person.pseudonym,
        data_category="evidenze",
        purpose=ASSESSMENT_PURPOSE,
    )
    return evidence


def _organisations_with_role(role: str) -> QuerySet[Organisation]:
    users = User.objects.filter(organisation=OuterRef("pk"), role=role, is_active=True)
    return Organisation.objects.filter(Exists(users), is_active=True).order_by("name")


def assessing_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one active assessor: where validation can be asked."""
    return _organisations_with_role(Role.ASSESSOR)


def certifying_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one active certifying-body user."""
    return _organisations_with_role(Role.CERTIFIER)
