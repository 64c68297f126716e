"""Suggestions from the recogniser and the counsellor's decisions on them.

`answer_suggestions_store` / `answer_extraction_failed` are what the ML task calls back;
accepting puts the competence in the profile (stage «individuata») with the answer as
evidence. Every decision is training data (see selectors.interviews.suggestion_feedback_examples).
"""

import math
from collections.abc import Sequence
from typing import Protocol

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.events import PERSON_CHANGED, send_on_commit
from common.exceptions import ApplicationError
from common.models import User
from competenze import permissions
from competenze.models import (
    AnswerWish,
    Concept,
    Evidence,
    Framework,
    Interview,
    InterviewAnswer,
    SkillEntry,
    SkillSuggestion,
)
from competenze.selectors.framework import framework_default
from competenze.services.interview_cards import (
    answer_suggestions_discard,
    card_join,
    card_joined_pending,
    card_place,
)
from competenze.services.interview_templates import template_definition
from competenze.services.people import skill_entry_add, skill_entry_set_level

SUGGESTED_LEVEL = SkillEntry.Level.BASIC


class RecognisedSkill(Protocol):
    """What the recogniser says of one competence in an answer (ml.types.Suggestion has
    it): competenze stores it without importing the recogniser."""

    @property
    def code(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def span(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def negated(self) -> bool: ...
    @property
    def wish(self) -> bool: ...
    @property
    def duration_months(self) -> int | None: ...


Extraction = InterviewAnswer.ExtractionStatus
Decision = SkillSuggestion.Status

EDIT_DENIED = gettext_lazy("Non puoi decidere sulle competenze di questa persona.")
INTERVIEW_CANCELLED = gettext_lazy("Il colloquio è stato annullato.")
SUGGESTION_ALREADY_ACCEPTED = gettext_lazy(
    "Il suggerimento è già stato accettato: per toglierlo rimuovi la competenza dal profilo."
)
SUGGESTION_ACCEPTED_AGAIN = gettext_lazy("Il suggerimento è già stato accettato.")


# --- suggestions from the recogniser ----------------------------------------------------------


def _clip_score(score: float) -> float:
    try:
        number = float(score)
    except (TypeError, ValueError):
        return 0.0
    return min(max(number, 0.0), 1.0) if math.isfinite(number) else 0.0


@transaction.atomic
def answer_suggestions_store(
    *,
    answer: InterviewAnswer,
    suggestions: Sequence[RecognisedSkill],
    model_version: str,
    extracted_from: str | None = None,
    wishes: Sequence[RecognisedSkill] = (),
) -> int:
    """Store the recogniser's suggestions (RecognisedSkill) for an answer; returns how many.

    Undecided suggestions of the answer are replaced; decided ones are kept and never
    duplicated. A competence the interview already has a card for joins that card (see
    interview_cards); a rejected one comes back only when said much more strongly. Codes
    are looked up in the default framework; unknown codes are ignored; a code given twice
    keeps its best score. Scores are clipped to [0, 1]. With `extracted_from` (the text the
    recogniser read), nothing is stored if the answer's text changed meanwhile.
    """
    answer = (
        InterviewAnswer.objects.select_for_update().select_related("interview").get(pk=answer.pk)
    )
    if extracted_from is not None and answer.text != extracted_from:
        return 0
    answer_suggestions_discard(answer=answer)
    decided = set(answer.suggestions.values_list("concept_id", flat=True))
    best: dict[str, RecognisedSkill] = {}
    for suggestion in suggestions:
        kept = best.get(suggestion.code)
        if kept is None or _clip_score(suggestion.score) > _clip_score(kept.score):
            best[suggestion.code] = suggestion
    framework = framework_default()
    concepts = {c.code: c for c in Concept.objects.filter(framework=framework, code__in=best)}
    rows = []
    for code, suggestion in best.items():
        concept = concepts.get(code)
        if concept is None or concept.pk in decided:
            continue
        row = _suggestion_row(answer, concept, suggestion, model_version)
        card, reopened = card_place(interview=answer.interview, concept=concept, score=row.score)
        if card is not None:
            card_join(card=card, row=row)
        row.reopens = reopened
        rows.append(row)
    SkillSuggestion.objects.bulk_create(rows)
    _answer_wishes_replace(answer, wishes, framework, model_version)
    answer.extraction_status = Extraction.READY
    answer.extraction_error = ""
    answer.model_version = model_version[:60]
    answer.save(
        update_fields=["extraction_status", "extraction_error", "model_version", "updated_at"]
    )
    return len(rows)


def _answer_wishes_replace(
    answer: InterviewAnswer,
    wishes: Sequence[RecognisedSkill],
    framework: Framework | None,
    model_version: str,
) -> None:
    """The answer's wishes become exactly `wishes` (not negated; codes of the framework)."""
    answer.wishes.all().delete()
    codes = {wish.code: wish for wish in wishes if wish.wish and not wish.negated}
    concepts = Concept.objects.filter(framework=framework, code__in=codes)
    AnswerWish.objects.bulk_create(
        AnswerWish(
            answer=answer,
            concept=concept,
            span=codes[concept.code].span[:500],
            model_version=model_version[:60],
        )
        for concept in concepts
    )


def _suggestion_row(
    answer: InterviewAnswer, concept: Concept, suggestion: RecognisedSkill, model_version: str
) -> SkillSuggestion:
    start = min(max(int(suggestion.start), 0), len(answer.text))
    return SkillSuggestion(
        answer=answer,
        concept=concept,
        score=_clip_score(suggestion.score),
        start=start,
        end=min(max(int(suggestion.end), start), len(answer.text)),
        span=suggestion.span,
        reason=suggestion.reason or "",
        negated=bool(suggestion.negated),
        hedged=bool(suggestion.wish),
        duration_months=suggestion.duration_months
        if suggestion.duration_months is None or suggestion.duration_months >= 0
        else None,
        model_version=model_version[:60],
    )


def answer_extraction_failed(*, answer: InterviewAnswer, error: str) -> InterviewAnswer:
    """Record that the recogniser failed; answering again with the same text retries."""
    answer.extraction_status = Extraction.ERROR
    answer.extraction_error = str(error)[:300]
    answer.save(update_fields=["extraction_status", "extraction_error", "updated_at"])
    return answer


# --- decisions --------------------------------------------------------------------------------

SENTENCE_ENDS = ".!?;\n"
MAX_CONTEXT_CHARS = 600


def answer_sentence_around(text: str, start: int, end: int, span: str) -> str:
    """The sentence of `text` that holds the span (found again if the offsets are stale)."""
    if not (0 <= start <= end <= len(text)) or text[start:end] != span:
        start = text.find(span) if span else -1
        if start < 0:
            return span
        end = start + len(span)
    left = max(text.rfind(mark, 0, start) for mark in SENTENCE_ENDS) + 1
    rights = [i for mark in SENTENCE_ENDS if (i := text.find(mark, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    if right - left > MAX_CONTEXT_CHARS:
        half = (MAX_CONTEXT_CHARS - (end - start)) // 2
        left, right = max(left, start - half), min(right, end + half)
        return f"…{text[left:right].strip()}…"
    return text[left:right].strip()


def suggestion_evidence_text(suggestion: SkillSuggestion) -> str:
    """«span» — the sentence around it, as stored in the profile entry."""
    answer = suggestion.answer
    sentence = answer_sentence_around(
        answer.text, suggestion.start, suggestion.end, suggestion.span
    )
    return (
        f"«{suggestion.span}» — {sentence}"
        if sentence != suggestion.span
        else f"«{suggestion.span}»"
    )


def _answer_evidence(answer: InterviewAnswer, recorded_by: User) -> Evidence:
    """One Evidence row per answer (kind «colloquio»), shared by all competences it supports."""
    if answer.evidence_id is not None:
        assert answer.evidence is not None
        return answer.evidence
    interview = answer.interview
    question = template_definition(interview.template).question(answer.question_id)
    description = _(
        "Colloquio «%(title)s» del %(date)s.\nDomanda: %(question)s\nRisposta: %(answer)s"
    ) % {
        "title": interview.template.title,
        "date": formats.date_format(timezone.localtime(answer.answered_at), "SHORT_DATE_FORMAT"),
        "question": question.text if question else answer.question_id,
        "answer": answer.text,
    }
    evidence = Evidence.objects.create(
        person=interview.person,
        kind=Evidence.Kind.INTERVIEW,
        description=description,
        uploaded_by=recorded_by,
    )
    answer.evidence = evidence
    answer.save(update_fields=["evidence", "updated_at"])
    return evidence


def _locked(suggestion: SkillSuggestion) -> SkillSuggestion:
    return (
        SkillSuggestion.objects.select_for_update(of=("self",))
        .select_related(
            "answer__interview__person",
            "answer__interview__template",
            "answer__evidence",
            "concept",
            "skill_entry",
        )
        .get(pk=suggestion.pk)
    )


def _accept(
    suggestion: SkillSuggestion, decided_by: User, level: int, status: str
) -> SkillSuggestion:
    suggestion = _locked(suggestion)
    answer = suggestion.answer
    person = answer.interview.person
    permissions.person_editor_require(decided_by, person, EDIT_DENIED)
    if answer.interview.status == Interview.Status.CANCELLED:
        raise ApplicationError(INTERVIEW_CANCELLED, code="interview_closed")
    entry = (
        SkillEntry.objects.select_for_update()
        .filter(person=person, concept=suggestion.concept)
        .first()
    )
    if suggestion.status in (Decision.ACCEPTED, Decision.MODIFIED) and entry is not None:
        # a new level for an accepted suggestion is an explicit choice: it wins
        if entry.level != level:
            skill_entry_set_level(entry=entry, level=level, changed_by=decided_by)
    else:
        evidence_text = suggestion_evidence_text(suggestion)
        if entry is None:
            entry = skill_entry_add(
                person=person,
                concept=suggestion.concept,
                recorded_by=decided_by,
                source=SkillEntry.Source.INTERVIEW,
                level=level,
                confidence=_clip_score(suggestion.score),
                evidence_text=evidence_text,
            )
        else:  # already in the profile: add the new words, keep the higher level
            entry.level = max(entry.level, level)
            if evidence_text not in entry.evidence_text:
                entry.evidence_text = "\n".join(filter(None, [entry.evidence_text, evidence_text]))
            entry.save(update_fields=["level", "evidence_text", "updated_at"])
            send_on_commit(PERSON_CHANGED, person_id=person.pk)
        entry.evidences.add(_answer_evidence(answer, decided_by))
    suggestion.status, suggestion.level, suggestion.skill_entry = status, level, entry
    suggestion.decided_by, suggestion.decided_at = decided_by, timezone.now()
    suggestion.save(update_fields=["status", "level", "skill_entry", "decided_by", "decided_at"])
    if suggestion.is_card:
        for joined in card_joined_pending(suggestion).select_related("answer__evidence"):
            _add_evidence(entry, joined, decided_by)
            joined.status, joined.level, joined.skill_entry = status, level, entry
            joined.decided_by, joined.decided_at = decided_by, suggestion.decided_at
            joined.save(
                update_fields=["status", "level", "skill_entry", "decided_by", "decided_at"]
            )
    return suggestion


def _add_evidence(entry: SkillEntry, suggestion: SkillSuggestion, recorded_by: User) -> None:
    """The words of `suggestion` (and its answer) become evidence of `entry` too."""
    evidence_text = suggestion_evidence_text(suggestion)
    if evidence_text not in entry.evidence_text:
        entry.evidence_text = "\n".join(filter(None, [entry.evidence_text, evidence_text]))
        entry.save(update_fields=["evidence_text", "updated_at"])
    entry.evidences.add(_answer_evidence(suggestion.answer, recorded_by))


@transaction.atomic
def suggestion_accept(
    *, suggestion: SkillSuggestion, decided_by: User, level: int | None = None
) -> SkillSuggestion:
    """Accept: the competence enters the profile at stage «individuata», the answer as evidence.

    If the competence is already in the profile, the evidence is added and the higher level
    kept. A level other than the suggested one makes the decision «modificata».
    """
    if suggestion.status in (Decision.ACCEPTED, Decision.MODIFIED) and level is None:
        raise ApplicationError(SUGGESTION_ACCEPTED_AGAIN, code="already_decided")
    chosen = SUGGESTED_LEVEL if level is None else level
    status = Decision.ACCEPTED if chosen == SUGGESTED_LEVEL else Decision.MODIFIED
    return _accept(suggestion, decided_by, chosen, status)


@transaction.atomic
def suggestion_change_level(
    *, suggestion: SkillSuggestion, decided_by: User, level: int
) -> SkillSuggestion:
    """Accept with another level (decision «modificata»); on an accepted one, change its level."""
    return _accept(suggestion, decided_by, level, Decision.MODIFIED)


@transaction.atomic
def suggestion_reject(*, suggestion: SkillSuggestion, decided_by: User) -> SkillSuggestion:
    suggestion = _locked(suggestion)
    permissions.person_editor_require(decided_by, suggestion.answer.interview.person, EDIT_DENIED)
    if suggestion.status in (Decision.ACCEPTED, Decision.MODIFIED):
        raise ApplicationError(SUGGESTION_ALREADY_ACCEPTED, code="already_decided")
    suggestion.status, suggestion.level = Decision.REJECTED, None
    suggestion.decided_by, suggestion.decided_at = decided_by, timezone.now()
    suggestion.save(update_fields=["status", "level", "decided_by", "decided_at"])
    if suggestion.is_card:
        SkillSuggestion.objects.filter(card=suggestion, status=Decision.PROPOSED).update(
            status=Decision.REJECTED,
            level=None,
            decided_by=decided_by,
            decided_at=suggestion.decided_at,
        )
    return suggestion
