"""Employer pages on candidates: search (search.candidate_queries), profile, shortlist, contact.

Only the pseudonymised view ever reaches these templates: pseudonym, province, skills with
their stage, languages, availability. Never names (unless the person consented to disclose
them to this employer), codice fiscale, judicial data, institute or notes.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import AccessDenied
from common.models import User
from common.paging import last_page, window_page_check, window_page_number
from competenze.stages import stage_label
from lavoro.permissions import can_view_candidates
from lavoro.selectors.candidates import candidate_profile_get
from lavoro.selectors.offer_skills import concepts_by_code
from lavoro.selectors.shortlists import candidate_employer_links, offer_choices_for_employer
from lavoro.services.candidates import contact_request_create, shortlist_add
from portal.forms.lavoro import (
    AVAILABILITY_CHOICES,
    LANGUAGE_LEVELS,
    CandidateSearchForm,
    ContactRequestForm,
    ShortlistForm,
    language_name,
)
from portal.views._helpers import PER_PAGE, SERVICE_ERRORS, AuthedRequest, role_required
from search.backends.base import MAX_RESULT_WINDOW
from search.candidate_queries import CandidateFilters, CandidateResult, candidates_search

employer_required = role_required(User.Role.EMPLOYER)


@dataclass(frozen=True)
class ResultRow:
    """One search result as the page shows it, with the reasons it is there."""

    result: CandidateResult
    reasons: tuple[str, ...]
    matched: tuple[tuple[str, str, bool], ...]  # label, stage, essential
    missing: tuple[tuple[str, bool], ...]  # label, essential
    percent: int | None


def _filters(form: CandidateSearchForm) -> CandidateFilters:
    data = form.cleaned_data
    return CandidateFilters(
        text=data.get("q") or "",
        skills=tuple(data.get("skills") or ()),
        province=data.get("province") or "",
        availability=data.get("availability") or "",
        language=data.get("language") or "",
        min_hours=data.get("min_hours"),
        offer_id=data.get("offer"),
    )


def _reasons(result: CandidateResult, filters: CandidateFilters) -> list[str]:
    reasons = []
    wanted = set(filters.skills)
    have = [label for code, label, _stage, _level in result.skills if code in wanted]
    if have:
        reasons.append(_("Ha le competenze cercate: %(skills)s.") % {"skills": ", ".join(have)})
    if filters.text:
        reasons.append(_("Il profilo contiene «%(text)s».") % {"text": filters.text})
    if filters.province:
        reasons.append(_("Domicilio in provincia di %(p)s.") % {"p": result.province})
    if filters.min_hours and result.weekly_hours_available:
        reasons.append(
            _("Disponibile %(h)d ore a settimana.") % {"h": result.weekly_hours_available}
        )
    return reasons


def _row(result: CandidateResult, filters: CandidateFilters) -> ResultRow:
    reasons = _reasons(result, filters)
    explanation = result.explanation
    if explanation is None:
        return ResultRow(result, tuple(reasons), (), (), None)
    matched = tuple(
        (m.label, stage_label(m.stage).lower(), m.essential) for m in explanation.skills_matched
    )
    missing = tuple((m.label, m.essential) for m in explanation.essential_missing)
    reasons.append(
        _("Ha %(p)d%% delle competenze dell'offerta (le essenziali contano il doppio).")
        % {"p": round(explanation.skill_score * 100)}
    )
    if explanation.same_province:
        reasons.append(_("Domicilio nella stessa provincia dell'offerta."))
    # The badge shows the score the list is ordered by (search.matching.candidate_score),
    # so percentages go down the page as the label says.
    return ResultRow(result, tuple(reasons), matched, missing, round(result.score * 100))


def _skill_choices(form: CandidateSearchForm, facets: dict[str, Any]) -> list[tuple[str, str]]:
    """Facet skills with their counts, plus the selected ones the facets left out."""
    choices = [(f.key, f"{f.label} ({f.count})") for f in facets.get("skills", ())]
    listed = {code for code, _label in choices}
    selected = [code for code in form.cleaned_data.get("skills") or () if code not in listed]
    concepts = concepts_by_code(selected)
    return choices + [(code, concepts[code].pref_label) for code in selected if code in concepts]


def _facet_counts(form: CandidateSearchForm, facets: dict[str, Any]) -> None:
    """Show how many results each province, availability and language choice would keep."""
    for field, facet in (
        ("province", "province"),
        ("availability", "availability"),
        ("language", "languages"),
    ):
        counts = {item.key: item.count for item in facets.get(facet, ())}
        choices = form.fields[field].choices  # type: ignore[attr-defined]
        form.fields[field].choices = [  # type: ignore[attr-defined]
            (value, f"{label} ({counts[value]})" if value in counts else label)
            for value, label in choices
        ]


def _pages(total: int, number: int) -> dict[str, Any]:
    count = last_page(total=total, per_page=PER_PAGE, window=MAX_RESULT_WINDOW)
    return {
        "number": number,
        "count": count,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < count else None,
    }


def _page_number(request: AuthedRequest) -> int:
    """`?pagina=`, checked before any search: PageNotFound past the backend's window."""
    return window_page_number(
        request.GET.get("pagina"), per_page=PER_PAGE, window=MAX_RESULT_WINDOW
    )


@employer_required
def candidate_search(request: AuthedRequest) -> HttpResponse:
    if not can_view_candidates(request.user):  # the company is not registered yet
        messages.info(request, _("Registra la tua azienda per vedere i candidati."))
        return redirect("lavoro:employer-home")
    offers = offer_choices_for_employer(user=request.user)
    form = CandidateSearchForm(request.GET.copy(), offers=offers)  # always bound: no filter = all
    context: dict[str, Any] = {"form": form, "has_offers": bool(offers)}
    number = _page_number(request)
    if form.is_valid():
        filters = _filters(form)
        try:
            found = candidates_search(
                user=request.user, filters=filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
            )
        except (AccessDenied, Http404):
            form.add_error("offer", _("Scegli una delle tue offerte."))
        else:
            window_page_check(
                number, total=found.total, per_page=PER_PAGE, window=MAX_RESULT_WINDOW
            )
            form.fields["skills"].choices = _skill_choices(form, found.facets)  # type: ignore[attr-defined]
            _facet_counts(form, found.facets)
            context.update(
                rows=[_row(result, filters) for result in found.results],
                total=found.total,
                compatible=found.compatible,
                facets=found.facets,
                pages=_pages(found.total, number),
                offer_chosen=filters.offer_id is not None,
                offer_id=filters.offer_id,
            )
    query = request.GET.copy()
    query.pop("pagina", None)
    context.update(
        query=query.urlencode(),
        availability_labels=dict(AVAILABILITY_CHOICES),
        language_name=language_name,
    )
    return render(request, "lavoro/candidate_search.html", context)


def _profile(user: User, pseudonym: str):
    try:
        return candidate_profile_get(user=user, pseudonym=pseudonym)
    except AccessDenied as error:
        raise Http404(error.message) from error


def _detail_context(request: AuthedRequest, pseudonym: str, **forms: Any) -> dict[str, Any]:
    profile = _profile(request.user, pseudonym)
    offers = offer_choices_for_employer(user=request.user)
    shortlisted, requested = candidate_employer_links(
        user=request.user, pseudonym=profile.pseudonym
    )
    titles = {offer.pk: offer.title for offer in offers}
    chosen = request.GET.get("offer", "")
    initial = {"offer": int(chosen)} if chosen.isdigit() and int(chosen) in titles else {}
    return {
        "profile": profile,
        "offers": offers,
        "languages": [
            (language_name(item.language), LANGUAGE_LEVELS.get(item.level, item.level))
            for item in profile.languages
        ],
        "shortlisted": [
            (titles.get(pk) or entry.offer.title, entry) for pk, entry in shortlisted.items()
        ],
        "requested": [(titles.get(pk) or req.offer.title, req) for pk, req in requested.items()],
        "shortlist_form": forms.get("shortlist_form")
        or ShortlistForm(offers=offers, prefix="sel", initial=initial),
        "contact_form": forms.get("contact_form")
        or ContactRequestForm(offers=offers, prefix="contatto", initial=initial),
        "back": request.GET.get("da", ""),
    }


@employer_required
def candidate_detail(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    return render(request, "lavoro/candidate_detail.html", _detail_context(request, pseudonym))


@employer_required
@require_POST
def shortlist_add_view(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    offers = offer_choices_for_employer(user=request.user)
    form = ShortlistForm(request.POST, offers=offers, prefix="sel")
    if form.is_valid():
        try:
            shortlist_add(
                offer=form.cleaned_data["offer"],
                pseudonym=pseudonym,
                added_by=request.user,
                note=form.cleaned_data["note"],
            )
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(request, _("Candidato aggiunto alla selezione dell'offerta."))
            return redirect("lavoro:candidate-detail", pseudonym=pseudonym)
    context = _detail_context(request, pseudonym, shortlist_form=form)
    return render(request, "lavoro/candidate_detail.html", context)


@employer_required
@require_POST
def contact_request_view(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    offers = offer_choices_for_employer(user=request.user)
    form = ContactRequestForm(request.POST, offers=offers, prefix="contatto")
    if form.is_valid():
        try:
            contact_request_create(
                offer=form.cleaned_data["offer"],
                pseudonym=pseudonym,
                requested_by=request.user,
                message=form.cleaned_data["message"],
                site_url=request.build_absolute_uri("/"),
            )
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(
                request,
                _(
                    "Richiesta inviata all'operatore che segue la persona: sarà lui a "
                    "ricontattarti."
                ),
            )
            return redirect("lavoro:candidate-detail", pseudonym=pseudonym)
    context = _detail_context(request, pseudonym, contact_form=form)
    return render(request, "lavoro/candidate_detail.html", context)
