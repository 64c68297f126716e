"""One card per competence per interview, and decisions taken on many cards at once.

The recogniser suggests competences answer by answer; the counsellor decides on *cards*.
The first suggestion of a competence in an interview is its card; later words for the same
competence join that card («detto anche in: …»), each with its own span and answer, whatever
the card's state: an accepted competence never comes back as a new card. A rejected one
comes back only when the new words are much stronger (REOPEN_MARGIN above everything said
before, and at least REOPEN_MIN), as a new card that names the rejected one it reopens.

Decisions on many cards at once are competenze.services.interview_batches.
"""

from django.db.models import Max, QuerySet

from competenze.models import (
    Concept,
    Interview,
    InterviewAnswer,
    SkillSuggestion,
)

Decision = SkillSuggestion.Status
REOPEN_MARGIN = 0.3
REOPEN_MIN = 0.8


# --- where new words go -----------------------------------------------------------------------


def interview_card_of(*, interview: Interview, concept: Concept) -> SkillSuggestion | None:
    """The interview's card for `concept`: the latest one (a reopening card comes after
    the rejected card it reopens), locked for the caller's transaction."""
    return (
        SkillSuggestion.objects.select_for_update()
        .filter(answer__interview=interview, concept=concept, card__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def card_strength(card: SkillSuggestion) -> float:
    """The strongest score said for the card: its own words or any words joined to it."""
    joined = card.joined.aggregate(best=Max("score"))["best"]
    return max(card.score, joined or 0.0)


def card_place(
    *, interview: Interview, concept: Concept, score: float
) -> tuple[SkillSuggestion | None, SkillSuggestion | None]:
    """(card the new words join, rejected card they reopen): at most one is set; neither
    when the competence is new to the interview."""
    card = interview_card_of(interview=interview, concept=concept)
    if card is None:
        return None, None
    if card.status == Decision.REJECTED and score >= max(
        card_strength(card) + REOPEN_MARGIN, REOPEN_MIN
    ):
        return None, card
    return card, None


def card_join(*, card: SkillSuggestion, row: SkillSuggestion) -> None:
    """Join `row` (not saved yet) to `card`; an undecided card takes the higher score."""
    row.card = card
    if card.status == Decision.PROPOSED and row.score > card.score:
        card.score = row.score
        card.save(update_fields=["score"])


def answer_suggestions_discard(*, answer: InterviewAnswer) -> int:
    """Drop the undecided suggestions of `answer` (its words changed or are being read
    again); a card that other answers' words joined passes to the strongest of them."""
    rows = list(answer.suggestions.select_for_update().filter(status=Decision.PROPOSED))
    for row in rows:
        if row.card_id is None:
            _hand_over(row)
    deleted, _detail = SkillSuggestion.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return deleted


def _hand_over(card: SkillSuggestion) -> None:
    joined = list(card.joined.exclude(answer_id=card.answer_id).order_by("-score", "id"))
    if not joined:
        return
    heir, others = joined[0], joined[1:]
    heir.card, heir.reopens = None, card.reopens
    heir.save(update_fields=["card", "reopens"])
    SkillSuggestion.objects.filter(pk__in=[o.pk for o in others]).update(card=heir)


# --- decisions on a card reach the words joined to it -----------------------------------------


def card_joined_pending(card: SkillSuggestion) -> QuerySet[SkillSuggestion]:
    return SkillSuggestion.objects.select_for_update(of=("self",)).filter(
        card=card, status=Decision.PROPOSED
    )


# --- undecided cards ---------------------------------------------------------------------------


def interview_cards_pending(
    *, interview: Interview, sector_code: str | None = None
) -> QuerySet[SkillSuggestion]:
    """Undecided cards of the interview (words joined to a card are not cards), of one
    sector when `sector_code` is given ("" for competences without a sector)."""
    cards = SkillSuggestion.objects.filter(
        answer__interview=interview, card__isnull=True, status=Decision.PROPOSED
    )
    if sector_code is None:
        return cards
    if sector_code == "":
        return cards.filter(concept__sector__isnull=True)
    return cards.filter(concept__sector__code=sector_code)
