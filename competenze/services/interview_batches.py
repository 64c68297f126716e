"""Decisions taken on many cards at once («accetta le evidenti», «rifiuta le rimanenti»)
and their undo.

Each is recorded as a SuggestionBatch with what each acceptance changed in the profile, so
that it can be undone while nothing has moved on since. A card is accepted as one at a time
(suggestion_accept).
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.events import PERSON_CHANGED, send_on_commit
from common.exceptions import ApplicationError
from common.models import User
from competenze import permissions
from competenze.models import (
    Evidence,
    Interview,
    InterviewAnswer,
    SkillEntry,
    SkillSuggestion,
    SuggestionBatch,
)
from competenze.services.interview_cards import card_joined_pending, interview_cards_pending
from competenze.services.interview_suggestions import suggestion_accept

Decision = SkillSuggestion.Status
# Cards this sure are the «evidenti» that a counsellor may accept in one go.
EVIDENT_SCORE = 0.85

EDIT_DENIED = gettext_lazy("Non puoi decidere sulle competenze di questa persona.")
INTERVIEW_CANCELLED = gettext_lazy("Il colloquio è stato annullato.")
NOTHING_EVIDENT = gettext_lazy("Non ci sono competenze evidenti da accettare.")
NOTHING_PENDING = gettext_lazy("Non ci sono competenze suggerite da rifiutare.")
BATCH_ALREADY_UNDONE = gettext_lazy("Questa decisione è già stata annullata.")
BATCH_CHANGED = gettext_lazy(
    "Non si può annullare: alcune di queste competenze sono state decise di nuovo dopo."
)
BATCH_ENTRY_ADVANCED = gettext_lazy(
    "Non si può annullare: la competenza «%(label)s» nel profilo è già oltre la fase «individuata»."
)


def _open_for_decisions(interview: Interview, user: User) -> None:
    permissions.person_editor_require(user, interview.person, EDIT_DENIED)
    if interview.status == Interview.Status.CANCELLED:
        raise ApplicationError(INTERVIEW_CANCELLED, code="interview_closed")


def _profile_before(person_id: int, concept_id: int) -> dict[str, Any]:
    entry = SkillEntry.objects.filter(person_id=person_id, concept_id=concept_id).first()
    if entry is None:
        return {"entry": None}
    return {
        "entry": entry.pk,
        "level": entry.level,
        "evidence_text": entry.evidence_text,
        "evidences": sorted(entry.evidences.values_list("pk", flat=True)),
    }


@transaction.atomic
def interview_cards_accept_evident(
    *,
    interview: Interview,
    decided_by: User,
    min_score: float = EVIDENT_SCORE,
    sector_code: str | None = None,
) -> SuggestionBatch:
    """Accept every undecided card at least `min_score` sure (of one sector when
    `sector_code` is given), in one undoable batch."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _open_for_decisions(interview, decided_by)
    cards = list(
        interview_cards_pending(interview=interview, sector_code=sector_code)
        .filter(score__gte=min_score)
        .select_related("answer")
        .order_by("-score", "id")
    )
    if not cards:
        raise ApplicationError(NOTHING_EVIDENT, code="nothing_to_decide")
    batch = SuggestionBatch.objects.create(
        interview=interview, action=SuggestionBatch.Action.ACCEPT, decided_by=decided_by
    )
    records = []
    for card in cards:
        before = _profile_before(interview.person_id, card.concept_id)
        joined = list(card_joined_pending(card).values_list("pk", "answer_id"))
        answers = {card.answer_id, *(answer for _pk, answer in joined)}
        evidence_before: dict[int, int | None] = dict(
            InterviewAnswer.objects.filter(pk__in=answers).values_list("pk", "evidence_id")
        )
        accepted = suggestion_accept(suggestion=card, decided_by=decided_by)
        rows = [card.pk, *(pk for pk, _answer in joined)]
        records.append(_acceptance_record(accepted, rows, before, evidence_before))
    SkillSuggestion.objects.filter(pk__in=[pk for r in records for pk in r["suggestions"]]).update(
        decision_batch=batch
    )
    batch.undo = records
    batch.save(update_fields=["undo"])
    return batch


def _acceptance_record(
    card: SkillSuggestion,
    rows: list[int],
    before: dict[str, Any],
    evidence_before: dict[int, int | None],
) -> dict[str, Any]:
    """What accepting `card` changed, to put it back: the entry created or its previous
    level and words, the evidence links and the evidence rows it added."""
    entry = card.skill_entry
    assert entry is not None
    after = dict(
        InterviewAnswer.objects.filter(pk__in=evidence_before).values_list("pk", "evidence_id")
    )
    created_evidences = [
        evidence
        for answer, evidence in after.items()
        if evidence is not None and evidence_before.get(answer) is None
    ]
    linked_before = set(before.get("evidences", []))
    linked_now = set(entry.evidences.values_list("pk", flat=True))
    return {
        "suggestions": rows,
        "entry": entry.pk,
        "created": before["entry"] is None,
        "level": before.get("level"),
        "evidence_text": before.get("evidence_text"),
        "linked": sorted(linked_now - linked_before),
        "new_evidences": created_evidences,
    }


@transaction.atomic
def interview_cards_reject_pending(
    *, interview: Interview, decided_by: User, sector_code: str | None = None
) -> SuggestionBatch:
    """Reject every undecided card (of one sector when `sector_code` is given) and the
    words joined to it, in one undoable batch."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _open_for_decisions(interview, decided_by)
    cards = list(
        interview_cards_pending(interview=interview, sector_code=sector_code).select_for_update(
            of=("self",)
        )
    )
    if not cards:
        raise ApplicationError(NOTHING_PENDING, code="nothing_to_decide")
    batch = SuggestionBatch.objects.create(
        interview=interview, action=SuggestionBatch.Action.REJECT, decided_by=decided_by
    )
    joined = SkillSuggestion.objects.filter(status=Decision.PROPOSED, card__in=cards)
    ids = [card.pk for card in cards] + list(joined.values_list("pk", flat=True))
    SkillSuggestion.objects.filter(pk__in=ids).update(
        status=Decision.REJECTED,
        level=None,
        decided_by=decided_by,
        decided_at=timezone.now(),
        decision_batch=batch,
    )
    batch.undo = [{"suggestions": sorted(ids)}]
    batch.save(update_fields=["undo"])
    return batch


@transaction.atomic
def suggestion_batch_undo(*, batch: SuggestionBatch, undone_by: User) -> SuggestionBatch:
    """Put back what a bulk decision changed: its cards are undecided again and the
    profile entries it created or changed are as they were. Refused when a card was
    decided again since, or an entry went past «individuata»."""
    batch = (
        SuggestionBatch.objects.select_for_update()
        .select_related("interview__person")
        .get(pk=batch.pk)
    )
    permissions.person_editor_require(undone_by, batch.interview.person, EDIT_DENIED)
    if batch.undone_at is not None:
        raise ApplicationError(BATCH_ALREADY_UNDONE, code="already_undone")
    ids = [pk for record in batch.undo for pk in record["suggestions"]]
    rows = list(SkillSuggestion.objects.select_for_update().filter(pk__in=ids))
    expected = (
        {Decision.ACCEPTED, Decision.MODIFIED}
        if batch.action == SuggestionBatch.Action.ACCEPT
        else {Decision.REJECTED}
    )
    if len(rows) != len(ids) or any(
        r.decision_batch_id != batch.pk or r.status not in expected for r in rows
    ):
        raise ApplicationError(BATCH_CHANGED, code="batch_changed")
    if batch.action == SuggestionBatch.Action.ACCEPT:
        for record in batch.undo:
            _undo_acceptance(record)
        _drop_orphan_evidences([pk for record in batch.undo for pk in record["new_evidences"]])
        send_on_commit(PERSON_CHANGED, person_id=batch.interview.person_id)
    SkillSuggestion.objects.filter(pk__in=ids).update(
        status=Decision.PROPOSED,
        level=None,
        decided_by=None,
        decided_at=None,
        skill_entry=None,
        decision_batch=None,
    )
    batch.undone_at, batch.undone_by = timezone.now(), undone_by
    batch.save(update_fields=["undone_at", "undone_by"])
    return batch


def _undo_acceptance(record: dict[str, Any]) -> None:
    entry = (
        SkillEntry.objects.select_for_update(of=("self",))
        .select_related("concept")
        .filter(pk=record["entry"])
        .first()
    )
    if entry is not None:
        if entry.stage != SkillEntry.Stage.IDENTIFIED:
            raise ApplicationError(
                BATCH_ENTRY_ADVANCED % {"label": entry.concept.pref_label}, code="batch_changed"
            )
        if record["created"]:
            entry.delete()
        else:
            entry.level = record["level"]
            entry.evidence_text = record["evidence_text"]
            entry.save(update_fields=["level", "evidence_text", "updated_at"])
            entry.evidences.remove(*record["linked"])


def _drop_orphan_evidences(ids: list[int]) -> None:
    """Evidence rows the batch created that no profile entry uses any more."""
    for evidence in Evidence.objects.filter(pk__in=ids):
        if not evidence.skill_entries.exists():
            InterviewAnswer.objects.filter(evidence=evidence).update(evidence=None)
            evidence.delete()
