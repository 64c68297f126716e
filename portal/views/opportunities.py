"""Matches for a person (offers, courses, MAP/LPU placements) with their explanations and the
gap analysis, and «Proponi» (records the «candidatura» consent first when needed).

Ranking, constraints, explanations and gap analysis come from the search app
(portal.presenters.matching adapts search.queries for the templates).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.models import User
from competenze.models import Consent, Person
from competenze.selectors.caseload import person_consents_audited
from competenze.selectors.people import person_get_editable
from competenze.services.people import consent_give
from lavoro.kinds import COURSE, KINDS, OFFER, PLACEMENT, OpportunityKind, kind_from_slug
from lavoro.models import Proposal
from lavoro.selectors import (
    course_get_visible,
    offer_get_visible,
    placement_get_visible,
    proposal_list_visible,
)
from lavoro.selectors.proposals import proposal_get_visible
from lavoro.services.proposals import (
    proposal_create,
    proposal_message_update,
    proposal_transition,
)
from portal.forms.competenze import PROPOSAL_CONSENT_REQUIRED, ProposalForm
from portal.presenters.matching import Matches, OpportunityView, person_matches
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    counsellor_view,
    form_add_service_error,
    messages_add_error,
)

PROPOSED = gettext_lazy("Proposta per «%(title)s» creata.")
PROPOSED_AND_SENT = gettext_lazy("Proposta per «%(title)s» inviata all'ente.")
FIX_BELOW = gettext_lazy("La proposta non è partita: vedi il messaggio sotto l'opportunità.")
CONSENT_RECORDED = gettext_lazy("Consenso alla candidatura per %(org)s registrato.")


def opportunities_url(person: Person, anchor: str = "") -> str:
    url = reverse("competenze:opportunities", args=[person.pseudonym])
    return f"{url}#{anchor}" if anchor else url


def _consents(user: User, person: Person) -> tuple[bool, set[int]]:
    """(a «candidatura» consent for every organisation is in force, the organisations named
    by one), read by the rule of Consent.objects.in_force."""
    active = person_consents_audited(user=user, person=person).in_force(Consent.Purpose.PROPOSAL)
    recipients = set(active.values_list("recipient_id", flat=True))
    return None in recipients, {r for r in recipients if r is not None}


def _proposals(user: User, person: Person) -> dict[str, Proposal]:
    """The person's proposals by the key of their opportunity (OpportunityView.key)."""
    found = {}
    for proposal in proposal_list_visible(user=user).filter(person=person):
        for kind in KINDS:
            target_id = getattr(proposal, f"{kind.code}_id")
            if target_id:
                found[f"{kind.slug}-{target_id}"] = proposal
    return found


def _decorate(
    result: Matches,
    proposals: dict[str, Proposal],
    general: bool,
    recipients: set[int],
    failed: tuple[str, ProposalForm] | None,
) -> None:
    for match in (*result.offers, *result.courses, *result.placements):
        match.proposal = proposals.get(match.key)  # type: ignore[attr-defined]
        match.has_consent = general or match.organisation_id in recipients  # type: ignore[attr-defined]
        if failed is not None and failed[0] == match.key:
            match.form = failed[1]  # type: ignore[attr-defined]
        else:
            match.form = ProposalForm(initial={"kind": match.kind.slug, "target": match.id})  # type: ignore[attr-defined]


def _section(
    result: Matches, kind: OpportunityKind, items: list[OpportunityView]
) -> dict[str, Any]:
    """One kind of opportunity as the page shows it: the suitable ones, the compatible ones
    still far from the profile, the courses leading closer when none is suitable (offers),
    and the near misses."""
    suitable = [item for item in items if item.suitable]
    gap = result.gap if kind.is_offer and not suitable else None
    return {
        "anchor": kind.anchor,
        "title": kind.plural,
        "kind": kind,
        "suitable": suitable,
        "others": [item for item in items if not item.suitable],
        "shown": len(items),
        "total": result.totals[kind.code],
        "approach": gap.courses if gap else [],
        "near": result.near_misses.get(kind.code, []),
        "near_total": result.near_totals.get(kind.code, 0),
    }


def _page(
    request: AuthedRequest, person: Person, failed: tuple[str, ProposalForm] | None = None
) -> HttpResponse:
    gap_offer = request.GET.get("lacune", "")
    result = person_matches(
        user=request.user,
        person=person,
        gap_offer_id=int(gap_offer) if gap_offer.isdigit() else None,
    )
    general, recipients = _consents(request.user, person)
    _decorate(result, _proposals(request.user, person), general, recipients, failed)
    listed = ((OFFER, result.offers), (COURSE, result.courses), (PLACEMENT, result.placements))
    sections = [_section(result, kind, items) for kind, items in listed]
    return render(
        request,
        "competenze/opportunities.html",
        {"person": person, "result": result, "sections": sections},
    )


@counsellor_view
def person_opportunities(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    return _page(request, person)


TARGET_GETTERS: dict[OpportunityKind, Callable[..., Any]] = {
    OFFER: offer_get_visible,
    COURSE: course_get_visible,
    PLACEMENT: placement_get_visible,
}


def _target(user: User, slug: str, target_id: int) -> tuple[dict[str, Any], Any, int]:
    """The opportunity (published, or Http404), as proposal_create's keyword, and its org."""
    kind = kind_from_slug(slug)
    target = TARGET_GETTERS[kind](user=user, **{f"{kind.code}_id": target_id})
    return {kind.code: target}, target, getattr(target, kind.owner).organisation_id


def _propose(request: AuthedRequest, person: Person, form: ProposalForm) -> Proposal:
    data = form.cleaned_data
    target_kwargs, target, organisation_id = _target(request.user, data["kind"], data["target"])
    owner = getattr(target, kind_from_slug(data["kind"]).owner)
    general, recipients = _consents(request.user, person)
    if not (general or organisation_id in recipients):
        if not data["consent_given"]:
            raise ValidationError({"consent_given": PROPOSAL_CONSENT_REQUIRED})
        consent_give(
            person=person,
            purpose=Consent.Purpose.PROPOSAL,
            recorded_by=request.user,
            recipient_id=organisation_id,
            note=_("Registrato proponendo la persona per «%(title)s».")
            % {"title": target.title[:120]},
        )
        messages.success(request, CONSENT_RECORDED % {"org": owner.organisation.name})
    proposal = proposal_create(
        person=person, proposed_by=request.user, message=data["message"], **target_kwargs
    )
    if data["send_now"]:
        proposal_transition(proposal=proposal, to_status=Proposal.Status.SENT, actor=request.user)
    return proposal


@counsellor_view
@require_POST
def propose(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Proposta non valida: riprova dalla lista delle opportunità."))
        return redirect(opportunities_url(person))
    key = f"{form.cleaned_data['kind']}-{form.cleaned_data['target']}"
    try:
        proposal = _propose(request, person, form)
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        for message in form.non_field_errors():
            messages.error(request, str(message))
        if any(form.errors.get(name) for name in form.fields):
            messages.error(request, FIX_BELOW)
        return _page(request, person, failed=(key, form))
    template = PROPOSED_AND_SENT if proposal.status == Proposal.Status.SENT else PROPOSED
    messages.success(request, template % {"title": str(proposal.target)})
    return redirect(opportunities_url(person, key))


DRAFT_SAVED = gettext_lazy("Messaggio della proposta salvato: è ancora in preparazione.")
DRAFT_SENT = gettext_lazy("Proposta inviata a «%(title)s».")
DRAFT_WITHDRAWN = gettext_lazy("Proposta ritirata: «%(title)s» non la riceverà.")


@counsellor_view
@require_POST
def proposal_draft(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    """A draft proposal («In preparazione») from the person's opportunities: save its
    message, send it, or withdraw it."""
    proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
    action = request.POST.get("action", "")
    title = str(proposal.target)
    try:
        if action in ("save", "send"):
            proposal_message_update(
                proposal=proposal, actor=request.user, message=request.POST.get("message", "")
            )
        if action == "send":
            proposal_transition(
                proposal=proposal, to_status=Proposal.Status.SENT, actor=request.user
            )
        elif action == "withdraw":
            proposal_transition(
                proposal=proposal, to_status=Proposal.Status.WITHDRAWN, actor=request.user
            )
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        done = {"save": DRAFT_SAVED, "send": DRAFT_SENT, "withdraw": DRAFT_WITHDRAWN}.get(action)
        if done is not None:
            messages.success(request, done % {"title": title})
    kind = next(k for k in KINDS if getattr(proposal, f"{k.code}_id"))
    anchor = f"{kind.slug}-{getattr(proposal, f'{kind.code}_id')}"
    return redirect(opportunities_url(proposal.person, anchor))
