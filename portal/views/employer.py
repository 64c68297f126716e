"""Employer pages: company registration, offers list, offer form with suggested competences."""

import logging
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import AccessDenied
from common.models import User
from lavoro.models import Employer, JobOffer
from lavoro.selectors.employers import employer_get_for_user
from lavoro.selectors.offer_skills import OfferSkillRow, concepts_by_code, offer_skill_rows
from lavoro.selectors.offers import offer_get_manageable
from lavoro.selectors.proposals import proposal_list_visible
from lavoro.selectors.shortlists import (
    contact_requests_for_offer,
    offer_list_with_counts,
    shortlist_entry_get,
    shortlist_list_for_offer,
)
from lavoro.services.candidates import shortlist_remove
from lavoro.services.offers import offer_close, offer_create, offer_publish, offer_update
from lavoro.services.onboarding import employer_register_with_site
from ml.errors import RecognizerUnavailable
from ml.offers import OfferSkillSuggestion, offer_skill_suggestions
from portal.forms.lavoro import (
    MUNICIPALITY_DATALIST,
    EmployerRegisterForm,
    OfferForm,
    skill_decisions_parse,
    skill_search,
)
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    messages_add_error,
    paginate,
    role_required,
    safe_next,
)
from portal.views.proposals import receiver_actions

logger = logging.getLogger(__name__)
Role = User.Role
employer_required = role_required(Role.EMPLOYER)
SUGGESTIONS_UNAVAILABLE = gettext_lazy(
    "Il suggerimento delle competenze non è disponibile ora: aggiungile con la ricerca."
)
KEPT = ("essenziale", "facoltativa")


def _manageable_offer(user: User, offer_id: int) -> JobOffer:
    """An offer of the user's company; another company's offer answers 404 like a missing one."""
    try:
        return offer_get_manageable(user=user, offer_id=offer_id)
    except AccessDenied as error:
        raise Http404(error.message) from error


def _employer_or_none(user: User) -> Employer | None:
    try:
        return employer_get_for_user(user=user)
    except Http404:
        return None


def _employer(user: User) -> Employer:
    employer = _employer_or_none(user)
    if employer is None:
        raise Http404(_("Registra prima la tua azienda."))
    return employer


@employer_required
def employer_home(request: AuthedRequest) -> HttpResponse:
    """The company form until the organisation has an Employer; then its offers."""
    if _employer_or_none(request.user) is None:
        return _register(request)
    offers = paginate(request, offer_list_with_counts(user=request.user))
    return render(request, "lavoro/employer_home.html", {"page": offers})


def _register(request: AuthedRequest) -> HttpResponse:
    form = EmployerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer_register_with_site(user=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(request, _("Azienda registrata: ora puoi pubblicare un'offerta."))
            return redirect("lavoro:employer-home")
    context = {"form": form, "datalist_id": MUNICIPALITY_DATALIST}
    return render(request, "lavoro/employer_register.html", context)


def _offer_initial(offer: JobOffer | None) -> dict[str, Any]:
    if offer is None:
        return {"positions": 1}
    return {
        "title": offer.title,
        "description": offer.description,
        "site": offer.site_id,
        "municipality": offer.municipality,
        "contract": offer.contract,
        "weekly_hours": offer.weekly_hours,
        "positions": offer.positions,
        "start_date": offer.start_date,
        "shift_start": offer.shift_start,
        "shift_end": offer.shift_end,
        "compatible_measures": offer.compatible_measures,
        "smuraglia_eligible": offer.smuraglia_eligible,
        "profile": offer.profile_id,
    }


def _chosen_rows(decisions: dict[str, str] | None, offer: JobOffer | None) -> list[OfferSkillRow]:
    """The competences the form holds: what was posted, or what the offer has."""
    if decisions is None:
        return offer_skill_rows(offer=offer)
    kept = {code: choice for code, choice in decisions.items() if choice in KEPT}
    concepts = concepts_by_code(list(kept))
    return [
        OfferSkillRow(code=code, label=concepts[code].pref_label, essential=choice == KEPT[0])
        for code, choice in kept.items()
        if code in concepts
    ]


def _skills_to_save(decisions: dict[str, str]) -> list[tuple[Any, bool]]:
    kept = {code: choice for code, choice in decisions.items() if choice in KEPT}
    concepts = concepts_by_code(list(kept))
    return [
        (concepts[code], choice == KEPT[0]) for code, choice in kept.items() if code in concepts
    ]


def _suggestions_context(title: str, description: str, chosen: list[OfferSkillRow]) -> dict:
    exclude = frozenset(row.code for row in chosen)
    suggestions: list[OfferSkillSuggestion] = []
    unavailable = ""
    try:
        suggestions = offer_skill_suggestions(title=title, description=description, exclude=exclude)
    except RecognizerUnavailable:
        logger.warning("Riconoscitore non disponibile per le offerte")
        unavailable = str(SUGGESTIONS_UNAVAILABLE)
    return {
        "suggestions": suggestions,
        "suggestions_unavailable": unavailable,
        "suggestions_ran": bool(title or description),
    }


def _offer_context(
    request: AuthedRequest, form: OfferForm, offer: JobOffer | None, decisions: dict | None
) -> dict[str, Any]:
    chosen = _chosen_rows(decisions, offer)
    if request.method == "POST":
        title, description = request.POST.get("title", ""), request.POST.get("description", "")
    else:
        title, description = (offer.title, offer.description) if offer else ("", "")
    context: dict[str, Any] = {
        "form": form,
        "offer": offer,
        "chosen": chosen,
        "datalist_id": MUNICIPALITY_DATALIST,
        "skill_query": request.POST.get("skill_query", ""),
        "decisions": decisions or {},
        **_suggestions_context(title, description, chosen),
    }
    if request.POST.get("action") == "find":
        taken = {row.code for row in chosen} | {s.code for s in context["suggestions"]}
        found = skill_search(context["skill_query"])
        context["found"] = [concept for concept in found if concept.code not in taken]
        context["found_taken"] = [concept for concept in found if concept.code in taken]
        context["searched"] = True
    if offer is not None:
        context.update(_offer_side_lists(request, offer))
    return context


def _offer_side_lists(request: AuthedRequest, offer: JobOffer) -> dict[str, Any]:
    proposals = list(
        proposal_list_visible(user=request.user).filter(offer=offer).prefetch_related(None)
    )
    for proposal in proposals:
        proposal.actions = receiver_actions(proposal)  # type: ignore[attr-defined]
    return {
        "shortlist": list(shortlist_list_for_offer(offer=offer)),
        "contacts": list(contact_requests_for_offer(offer=offer)),
        "proposals": proposals,
    }


def _offer_save(
    request: AuthedRequest, form: OfferForm, employer: Employer, offer: JobOffer | None
) -> JobOffer:
    fields = form.service_fields()
    skills = _skills_to_save(skill_decisions_parse(request.POST))
    if offer is None:
        return offer_create(employer=employer, created_by=request.user, skills=skills, **fields)
    return offer_update(offer=offer, updated_by=request.user, skills=skills, **fields)


def _offer_page(
    request: AuthedRequest, *, employer: Employer, offer: JobOffer | None
) -> HttpResponse:
    posted = request.method == "POST"
    form = OfferForm(
        request.POST if posted else None, employer=employer, initial=_offer_initial(offer)
    )
    decisions = skill_decisions_parse(request.POST) if posted else None
    closed = offer is not None and offer.status == JobOffer.Status.CLOSED
    saving = posted and request.POST.get("action", "save") == "save"
    if posted and not saving:
        form.keep_input_without_errors()
    if saving and form.is_valid() and not closed:
        try:
            saved = _offer_save(request, form, employer, offer)
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(request, _("Offerta salvata. Controlla le competenze suggerite."))
            return redirect("lavoro:offer-edit", offer_id=saved.pk)
    if closed:
        for field in form.fields.values():
            field.disabled = True
    context = _offer_context(request, form, offer, decisions)
    context["closed"] = closed
    return render(request, "lavoro/offer_form.html", context)


@employer_required
def offer_new(request: AuthedRequest) -> HttpResponse:
    return _offer_page(request, employer=_employer(request.user), offer=None)


@employer_required
def offer_edit(request: AuthedRequest, offer_id: int) -> HttpResponse:
    employer = _employer(request.user)
    offer = _manageable_offer(request.user, offer_id)
    return _offer_page(request, employer=employer, offer=offer)


@employer_required
@require_POST
def offer_suggestions(request: AuthedRequest) -> HttpResponse:
    """The suggestions fragment for the text being typed (the JS of the offer form asks it)."""
    decisions = skill_decisions_parse(request.POST)
    chosen = _chosen_rows(decisions, None)
    context = _suggestions_context(
        request.POST.get("title", ""), request.POST.get("description", ""), chosen
    )
    context["decisions"] = decisions
    return render(request, "lavoro/_offer_suggestions.html", context)


@employer_required
@require_POST
def offer_publish_view(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer = _manageable_offer(request.user, offer_id)
    try:
        offer_publish(offer=offer, published_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _("Offerta pubblicata: ora gli operatori la vedono."))
    return redirect("lavoro:offer-edit", offer_id=offer.pk)


@employer_required
@require_POST
def offer_close_view(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer = _manageable_offer(request.user, offer_id)
    try:
        offer_close(offer=offer, closed_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _("Offerta chiusa."))
    return redirect("lavoro:offer-edit", offer_id=offer.pk)


@employer_required
@require_POST
def shortlist_remove_view(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = shortlist_entry_get(user=request.user, entry_id=entry_id)
    offer_id = entry.offer_id
    try:
        shortlist_remove(entry=entry, removed_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _("Candidato tolto dalla selezione."))
    default = redirect("lavoro:offer-edit", offer_id=offer_id).url
    return redirect(safe_next(request, default))
