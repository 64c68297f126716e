"""The review of an interview's suggested competences: one card per competence, grouped by
sector and ordered by confidence, decided one at a time (the suggestion decision view) or
a sector at a time, with an undo for the last decision on many. The count of cards left
goes to zero; a competence decided in the interview never comes back as a new card (new
words for it join its card). Pages are bounded: CARDS_PER_PAGE cards per page.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from competenze.models import Interview, SkillSuggestion, SuggestionBatch
from competenze.selectors import interviews as interview_selectors
from competenze.selectors.interviews import Card, CardGroup
from competenze.services import interview_batches
from portal.forms.competenze import CardsBulkForm
from portal.presenters.text import score_words
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    counsellor_view,
    messages_add_error,
    paginate,
)

CARDS_PER_PAGE = 12
PAGE_PURPOSE = "revisione delle competenze suggerite nel colloquio"
BULK_INVALID = gettext_lazy("Scelta non valida: usa i pulsanti delle decisioni in blocco.")
UNDONE = gettext_lazy("Decisione annullata: le competenze sono di nuovo da decidere.")


def cards_url(interview: Interview) -> str:
    return reverse("competenze:interview-cards", args=[interview.pk])


@dataclass(frozen=True)
class GroupOnPage:
    """A sector group as one page shows it: its cards on this page, and the counts of the
    whole group (its bulk buttons decide the whole group, not only this page)."""

    sector_code: str
    label: str
    form_value: str  # the `gruppo` value of its bulk forms
    cards: list[Card]
    pending: int
    evident: int


def _groups_on_page(groups: list[CardGroup], page_cards: list[Card]) -> list[GroupOnPage]:
    shown = {card.suggestion.pk for card in page_cards}
    rows = []
    for group in groups:
        cards = [c for c in group.cards if c.suggestion.pk in shown]
        if not cards:
            continue
        for card in cards:
            card.suggestion.score_words = score_words(card.confidence)  # type: ignore[attr-defined]
        rows.append(
            GroupOnPage(
                sector_code=group.sector_code,
                label=group.sector_label or _("Altre competenze"),
                form_value=group.sector_code or CardsBulkForm.NO_SECTOR,
                cards=cards,
                pending=len(group.cards),
                evident=sum(c.confidence >= interview_batches.EVIDENT_SCORE for c in group.cards),
            )
        )
    return rows


@counsellor_view
def interview_cards(request: AuthedRequest, interview_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    interview_selectors.interview_answers_read_record(
        user=request.user, interview=interview, purpose=PAGE_PURPOSE
    )
    groups = interview_selectors.interview_cards_by_sector(interview=interview)
    cards = [card for group in groups for card in group.cards]
    try:
        page = paginate(request, cards, per_page=CARDS_PER_PAGE)
    except Http404:  # the page emptied by the decisions taken on it
        return redirect(cards_url(interview))
    decided = [
        card
        for group in interview_selectors.interview_cards_by_sector(interview=interview, status=None)
        for card in group.cards
        if card.suggestion.status != SkillSuggestion.Status.PROPOSED
    ]
    context: dict[str, Any] = {
        "interview": interview,
        "person": interview.person,
        "groups": _groups_on_page(groups, list(page.object_list)),
        "page": page,
        "pending": len(cards),
        "evident": sum(c.confidence >= interview_batches.EVIDENT_SCORE for c in cards),
        "decided": decided,
        "last_batch": interview_selectors.interview_batch_last_undoable(interview=interview),
        "here": request.get_full_path(),
        "evident_percent": round(interview_batches.EVIDENT_SCORE * 100),
    }
    return render(request, "competenze/interview_cards.html", context)


def _bulk_done(batch: SuggestionBatch) -> str:
    count = sum(len(record["suggestions"]) for record in batch.undo)
    if batch.action == SuggestionBatch.Action.ACCEPT:
        cards = len(batch.undo)
        return ngettext(
            "%(n)d competenza evidente accettata e aggiunta al profilo.",
            "%(n)d competenze evidenti accettate e aggiunte al profilo.",
            cards,
        ) % {"n": cards}
    return ngettext("%(n)d suggerimento rifiutato.", "%(n)d suggerimenti rifiutati.", count) % {
        "n": count
    }


@counsellor_view
@require_POST
def interview_cards_bulk(request: AuthedRequest, interview_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    form = CardsBulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, BULK_INVALID)
        return redirect(cards_url(interview))
    decide = (
        interview_batches.interview_cards_accept_evident
        if form.cleaned_data["decision"] == "accetta"
        else interview_batches.interview_cards_reject_pending
    )
    try:
        batch = decide(interview=interview, decided_by=request.user, sector_code=form.sector_code())
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _bulk_done(batch))
    return redirect(cards_url(interview))


@counsellor_view
@require_POST
def interview_cards_undo(request: AuthedRequest, interview_id: int, batch_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    batch = interview_selectors.interview_batch_get(interview=interview, batch_id=batch_id)
    try:
        interview_batches.suggestion_batch_undo(batch=batch, undone_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, UNDONE)
    return redirect(cards_url(interview))
