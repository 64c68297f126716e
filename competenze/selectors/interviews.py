"""Reads of guided interviews. Visibility is the person's: who may see the person sees them."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import Message
from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import (
    AnswerWish,
    Consent,
    Interview,
    InterviewAnswer,
    Person,
    SkillSuggestion,
    SuggestionBatch,
)

INTERVIEW_NOT_FOUND = gettext_lazy("Colloquio non trovato.")
ANSWER_NOT_FOUND = gettext_lazy("Questa domanda non ha ancora una risposta.")
SUGGESTION_NOT_FOUND = gettext_lazy("Suggerimento non trovato.")
EDIT_DENIED = gettext_lazy("Non puoi modificare i colloqui di questa persona.")
DATA_INTERVIEW = "colloquio"


def _visible_or_404(user: User, person: Person | None, message: Message) -> None:
    """Missing and forbidden answer the same, so the API does not reveal who is recorded."""
    if person is None or not permissions.can_view_person(user, person):
        if person is not None:
            access_log_record(
                actor=user,
                action=AccessLog.Action.DENIED,
                subject=person.pseudonym,
                data_category=DATA_INTERVIEW,
            )
        raise Http404(message)


def interview_get_visible(*, user: User, interview_id: int) -> Interview:
    interview = (
        Interview.objects.select_related("person", "template", "counsellor")
        .filter(pk=interview_id)
        .first()
    )
    _visible_or_404(user, interview.person if interview else None, INTERVIEW_NOT_FOUND)
    assert interview is not None
    return interview


def interview_get_editable(*, user: User, interview_id: int) -> Interview:
    """The interview if `user` may change it; Http404 if not visible, AccessDenied if read-only."""
    interview = interview_get_visible(user=user, interview_id=interview_id)
    permissions.person_editor_require(user, interview.person, EDIT_DENIED)
    return interview


def interview_list_for_person(*, person: Person) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(person=person)
        .select_related("template", "counsellor")
        .order_by("-started_at", "-id")
    )


def interview_answers_list(*, interview: Interview) -> QuerySet[InterviewAnswer]:
    return (
        InterviewAnswer.objects.filter(interview=interview)
        .select_related("answered_by")
        .prefetch_related("suggestions__concept")
        .order_by("answered_at", "id")
    )


def interview_answer_get(*, interview: Interview, question_id: str) -> InterviewAnswer:
    answer = interview_answers_list(interview=interview).filter(question_id=question_id).first()
    if answer is None:
        raise Http404(ANSWER_NOT_FOUND)
    return answer


def interview_answers_read_record(*, user: User, interview: Interview, purpose: str) -> None:
    """Audit that `user` is shown the answers of `interview`: they are the person's own
    words (work, family, sometimes prison), read like identity and judicial data."""
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=interview.person.pseudonym,
        data_category=DATA_INTERVIEW,
        purpose=purpose,
    )


def interview_answers_list_audited(
    *, user: User, interview: Interview, purpose: str
) -> QuerySet[InterviewAnswer]:
    """interview_answers_list, the read audited (interview_answers_read_record)."""
    interview_answers_read_record(user=user, interview=interview, purpose=purpose)
    return interview_answers_list(interview=interview)


def interview_answer_get_audited(
    *, user: User, interview: Interview, question_id: str, purpose: str
) -> InterviewAnswer:
    """interview_answer_get, the read audited (only when the answer exists)."""
    answer = interview_answer_get(interview=interview, question_id=question_id)
    interview_answers_read_record(user=user, interview=interview, purpose=purpose)
    return answer


def answer_suggestions_list(*, answer: InterviewAnswer) -> QuerySet[SkillSuggestion]:
    """Best first; negated ones included (flagged) so the counsellor sees what was excluded."""
    return (
        SkillSuggestion.objects.filter(answer=answer)
        .select_related("concept", "concept__sector")
        .order_by("-score", "id")
    )


def suggestion_get_visible(*, user: User, suggestion_id: int) -> SkillSuggestion:
    suggestion = (
        SkillSuggestion.objects.select_related(
            "answer__interview__person", "concept", "skill_entry"
        )
        .filter(pk=suggestion_id)
        .first()
    )
    person = suggestion.answer.interview.person if suggestion else None
    _visible_or_404(user, person, SUGGESTION_NOT_FOUND)
    assert suggestion is not None
    return suggestion


def suggestion_get_editable(*, user: User, suggestion_id: int) -> SkillSuggestion:
    suggestion = suggestion_get_visible(user=user, suggestion_id=suggestion_id)
    permissions.person_editor_require(user, suggestion.answer.interview.person, EDIT_DENIED)
    return suggestion


class FeedbackExample(NamedTuple):
    """One counsellor decision: the answer's words, the concept proposed, kept or not."""

    text: str
    concept_code: str
    accepted: bool


def suggestion_feedback_examples(
    *,
    since: datetime.datetime | None = None,
    framework_id: int | None = None,
) -> Iterator[FeedbackExample]:
    """Decided suggestions as training data for the ranker, oldest decision first.

    «accettata» and «modificata» (right competence, other level) count as accepted. A
    decision whose span no longer matches the answer (the text was rewritten afterwards)
    is left out: the words it was judged on are gone. Only answers of people whose
    consent to the processing of their data is active are used (purpose limitation).
    """
    consenting = Consent.objects.in_force(Consent.Purpose.PROCESSING).values("person_id")
    decided = SkillSuggestion.objects.exclude(status=SkillSuggestion.Status.PROPOSED).filter(
        answer__interview__person_id__in=consenting
    )
    if since is not None:
        decided = decided.filter(decided_at__gte=since)
    if framework_id is not None:
        decided = decided.filter(concept__framework_id=framework_id)
    rows = decided.order_by("decided_at", "id").values_list(
        "answer__text", "concept__code", "status", "start", "end", "span"
    )
    for text, code, status, start, end, span in rows.iterator(chunk_size=500):
        if text[start:end] != span:
            continue
        yield FeedbackExample(
            text=text, concept_code=code, accepted=status != SkillSuggestion.Status.REJECTED
        )


# --- cards of an interview (one per competence) -----------------------------------------------


@dataclass(frozen=True)
class Card:
    """A competence suggested in the interview: its own words, the words said again in
    other answers («detto anche in: …») and the rejected card it reopens, if any."""

    suggestion: SkillSuggestion
    also: list[SkillSuggestion] = field(default_factory=list)
    reopens: SkillSuggestion | None = None

    @property
    def confidence(self) -> float:
        return self.suggestion.score


@dataclass(frozen=True)
class CardGroup:
    sector_code: str
    sector_label: str
    cards: list[Card]


def interview_cards_by_sector(
    *, interview: Interview, status: str | None = SkillSuggestion.Status.PROPOSED
) -> list[CardGroup]:
    """The interview's cards of one decision state (every state with None), grouped by
    sector; groups ordered by their most confident card, cards by confidence."""
    cards = (
        SkillSuggestion.objects.filter(answer__interview=interview, card__isnull=True)
        .select_related("answer", "concept__sector", "reopens__answer")
        .prefetch_related("joined__answer")
        .order_by("-score", "id")
    )
    if status is not None:
        cards = cards.filter(status=status)
    groups: dict[str, list[Card]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in cards:
        sector = row.concept.sector
        code = sector.code if sector else ""
        labels[code] = sector.label if sector else ""
        also = sorted(row.joined.all(), key=lambda j: (j.answer.answered_at, j.pk))
        groups[code].append(Card(suggestion=row, also=also, reopens=row.reopens))
    return [
        CardGroup(sector_code=code, sector_label=labels[code], cards=rows)
        for code, rows in sorted(groups.items(), key=lambda item: (-item[1][0].confidence, item[0]))
    ]


def interview_cards_pending_count(*, interview: Interview) -> int:
    """How many cards are still to decide: the count the review screen brings to zero."""
    return SkillSuggestion.objects.filter(
        answer__interview=interview, card__isnull=True, status=SkillSuggestion.Status.PROPOSED
    ).count()


ASPIRATION_QUESTIONS = ("aspirazioni.lavoro", "aspirazioni.imparare", "lavoro.prima.preferito")
"""Questions of the interview where the person says what work or learning they wish: the
job they would like, what they would like to learn, the job they liked most."""


def person_aspirations_list(*, person: Person) -> list[str]:
    """The person's answers on what they wish (ASPIRATION_QUESTIONS), from interviews not
    cancelled. Not audited: callers that use them record the read."""
    answers = (
        InterviewAnswer.objects.filter(
            interview__person=person, question_id__in=ASPIRATION_QUESTIONS, skipped=False
        )
        .exclude(interview__status=Interview.Status.CANCELLED)
        .exclude(text="")
        .order_by("answered_at", "id")
    )
    return list(answers.values_list("text", flat=True))


def person_wished_sectors_list(*, person: Person) -> list[str]:
    """The sectors of what the recogniser heard as a wish («vorrei fare il cuoco») in any
    answer of an interview not cancelled: the AnswerWish rows the extraction writes, and the
    hedged suggestions stored before them unless the counsellor rejected them. Not audited
    either."""
    live = Q(answer__interview__person=person) & ~Q(
        answer__interview__status=Interview.Status.CANCELLED
    )
    wishes = AnswerWish.objects.filter(live, concept__sector__isnull=False)
    hedged = (
        SkillSuggestion.objects.filter(live, hedged=True, negated=False)
        .exclude(status=SkillSuggestion.Status.REJECTED)
        .exclude(concept__sector__isnull=True)
    )
    sectors = set(wishes.values_list("concept__sector__code", flat=True))
    sectors |= set(hedged.values_list("concept__sector__code", flat=True))
    return sorted(sectors)


def interview_batch_last_undoable(*, interview: Interview) -> SuggestionBatch | None:
    """The interview's latest bulk decision on cards not undone yet (the one the review
    screen offers to undo)."""
    return (
        SuggestionBatch.objects.filter(interview=interview, undone_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def interview_batch_get(*, interview: Interview, batch_id: int) -> SuggestionBatch:
    """A bulk decision of `interview` (404 for one of another interview)."""
    batch = SuggestionBatch.objects.filter(pk=batch_id, interview=interview).first()
    if batch is None:
        raise Http404
    return batch
