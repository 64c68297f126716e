"""Counsellor pages: the caseload, a new person, and the person file with its sections."""

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError, ConflictError
from common.selectors import municipality_search
from competenze.models import Consent, Person, SkillEntry
from competenze.selectors.caseload import (
    caseload_list,
    consent_renewals_for_caseload,
    person_consents_audited,
)
from competenze.selectors.interviews import interview_list_for_person
from competenze.selectors.people import (
    consent_renewals_list,
    person_experiences_list,
    person_get_editable,
    person_identity_get,
    person_measures_list,
    person_skills_list,
)
from competenze.services import people as people_services
from competenze.services.interviews import interview_progress
from lavoro.selectors.shortlists import (
    contact_requests_for_counsellor,
    course_interests_for_counsellor,
)
from portal.forms.competenze import (
    ConsentForm,
    ConsentRenewForm,
    ExperienceForm,
    JudicialMeasureForm,
    PersonCreateForm,
    PersonLanguageForm,
    PersonSearchForm,
)
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    counsellor_view,
    form_add_service_error,
    is_fetch,
    messages_add_error,
    paginate,
)

IDENTITY_PURPOSE = "consultazione dalla scheda della persona"
PERSON_CREATED = gettext_lazy("Persona registrata con lo pseudonimo %(pseudonym)s.")
MEASURE_ADDED = gettext_lazy("Misura giudiziaria registrata.")
CONSENT_GIVEN = gettext_lazy("Consenso registrato.")
CONSENT_REVOKED = gettext_lazy("Consenso revocato.")
CONSENT_RENEWED = gettext_lazy("Consenso a comunicare l'identità registrato di nuovo per %(org)s.")
CONSENT_RENEWAL_DISMISSED = gettext_lazy("Rinnovo archiviato: il vecchio consenso resta annullato.")
RENEWALS_SHOWN = 20
EXPERIENCE_ADDED = gettext_lazy("Esperienza aggiunta.")
IDENTITY_MISSING = gettext_lazy("Dati identificativi non ancora inseriti.")
LANGUAGE_SET = gettext_lazy("Lingua della persona registrata.")
# The measure and experience forms share field names (start_date, end_date) on one page:
# their prefixes keep the ids of their fields apart.
MEASURE_PREFIX = "misura"
EXPERIENCE_PREFIX = "esperienza"


def person_url(person: Person, anchor: str = "") -> str:
    url = reverse("competenze:person-detail", args=[person.pseudonym])
    return f"{url}#{anchor}" if anchor else url


# --- caseload ---------------------------------------------------------------------------------


CONTACT_REQUESTS_SHOWN = 20


@counsellor_view
def caseload(request: AuthedRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, caseload_list(user=request.user, search=search))
    requests = contact_requests_for_counsellor(user=request.user)[:CONTACT_REQUESTS_SHOWN]
    renewals = consent_renewals_for_caseload(user=request.user)
    return render(
        request,
        "competenze/caseload.html",
        {
            "form": form,
            "search": search,
            "search_query": urlencode({"q": search}) if search else "",
            "page": page,
            "people": page.object_list,
            "contact_requests": requests,
            "course_interests": course_interests_for_counsellor(user=request.user)[
                :CONTACT_REQUESTS_SHOWN
            ],
            "renewals": renewals[:RENEWALS_SHOWN],
            "renewals_total": renewals.count(),
        },
    )


def _municipality_names() -> list[str]:
    return [
        f"{name} ({province})"
        for name, province in municipality_search().values_list("name", "province__code")
    ]


@counsellor_view
def person_new(request: AuthedRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = people_services.person_create(created_by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            target = "codice_fiscale" if error.code == "duplicate" else None
            form.add_error(target, error.message)
            status = 409 if isinstance(error, ConflictError) else 200
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, PERSON_CREATED % {"pseudonym": person.pseudonym})
            return redirect(person_url(person))
    return render(
        request,
        "competenze/person_new.html",
        {"form": form, "municipalities": _municipality_names()},
        status=status,
    )


# --- person file ------------------------------------------------------------------------------


def _skill_summary(person: Person) -> dict[str, Any]:
    entries = list(person_skills_list(person=person))
    stages = Counter(entry.stage for entry in entries)
    return {
        "count": len(entries),
        "stages": [
            (value, label, stages.get(value, 0)) for value, label in SkillEntry.Stage.choices
        ],
        "first": entries[:8],
    }


def _interviews(person: Person) -> list[dict[str, Any]]:
    rows = []
    for interview in interview_list_for_person(person=person):
        progress = interview_progress(interview=interview) if interview.is_open else None
        rows.append({"interview": interview, "progress": progress})
    return rows


def _person_page(request: AuthedRequest, person: Person, **extra: Any) -> HttpResponse:
    interviews = _interviews(person)
    context = {
        "person": person,
        "identity": None,
        "measures": None,
        "consents": person_consents_audited(user=request.user, person=person),
        "renewals": [
            (consent, ConsentRenewForm(prefix=f"rinnovo-{consent.pk}"))
            for consent in consent_renewals_list(person=person)
        ],
        "experiences": person_experiences_list(person=person),
        "skills": _skill_summary(person),
        "interviews": interviews,
        "open_interview": next(
            (row["interview"] for row in interviews if row["interview"].is_open), None
        ),
        "language_form": PersonLanguageForm(
            initial={"language": person.language or settings.LANGUAGE_CODE}
        ),
        "measure_form": JudicialMeasureForm(prefix=MEASURE_PREFIX),
        "consent_form": ConsentForm(),
        "experience_form": ExperienceForm(prefix=EXPERIENCE_PREFIX),
    }
    context.update(extra)
    return render(request, "competenze/person_detail.html", context)


@counsellor_view
def person_detail(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    return _person_page(request, person)


@counsellor_view
@require_POST
def person_identity(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    """Show the identity: an explicit, audited request (never on every page load)."""
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    try:
        identity = person_identity_get(user=request.user, person=person, purpose=IDENTITY_PURPOSE)
    except Http404:
        identity, missing = None, True
    else:
        missing = False
    if is_fetch(request):
        return render(
            request,
            "competenze/_identity.html",
            {"person": person, "identity": identity, "identity_missing": missing},
        )
    if missing:
        messages.info(request, IDENTITY_MISSING)
    return _person_page(request, person, identity=identity, identity_missing=missing)


@counsellor_view
@require_POST
def person_language(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    form = PersonLanguageForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, language_form=form)
    try:
        people_services.person_language_set(
            person=person, language=form.cleaned_data["language"], changed_by=request.user
        )
    except ApplicationError as error:
        form.add_error("language", error.message)
        return _person_page(request, person, language_form=form)
    messages.success(request, LANGUAGE_SET)
    return redirect(person_url(person))


@counsellor_view
@require_POST
def person_measures(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    """Show judicial measures and constraints: an explicit, audited request."""
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    measures = list(person_measures_list(user=request.user, person=person))
    if is_fetch(request):
        return render(
            request, "competenze/_measures.html", {"person": person, "measures": measures}
        )
    return _person_page(request, person, measures=measures)


@counsellor_view
@require_POST
def measure_add(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    form = JudicialMeasureForm(request.POST, prefix=MEASURE_PREFIX)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        allowed = fields.pop("allowed_municipalities")
        try:
            people_services.judicial_measure_create(
                person=person,
                recorded_by=request.user,
                allowed_municipalities=allowed,
                **fields,
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, MEASURE_ADDED)
            return redirect(person_url(person, "misura"))
    return _person_page(request, person, measure_form=form)


@counsellor_view
@require_POST
def consent_give(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    form = ConsentForm(request.POST)
    if form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            people_services.consent_give(
                person=person,
                recorded_by=request.user,
                purpose=form.cleaned_data["purpose"],
                recipient_id=recipient.pk if recipient else None,
                note=form.cleaned_data["note"],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, CONSENT_GIVEN)
            return redirect(person_url(person, "consensi"))
    return _person_page(request, person, consent_form=form)


@counsellor_view
@require_POST
def consent_revoke(request: AuthedRequest, pseudonym: str, consent_id: int) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    consent = (
        person_consents_audited(user=request.user, person=person).filter(pk=consent_id).first()
    )
    if consent is None:
        raise Http404(_("Consenso non trovato."))
    try:
        people_services.consent_revoke(consent=consent, revoked_by=request.user)
    except ApplicationError as error:
        messages_add_error(request, error)
    else:
        messages.success(request, CONSENT_REVOKED)
    return redirect(person_url(person, "consensi"))


@counsellor_view
@require_POST
def experience_add(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    form = ExperienceForm(request.POST, prefix=EXPERIENCE_PREFIX)
    if form.is_valid():
        try:
            people_services.experience_create(
                person=person, recorded_by=request.user, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, EXPERIENCE_ADDED)
            return redirect(person_url(person, "esperienze"))
    return _person_page(request, person, experience_form=form)


def _renewal(person: Person, consent_id: int) -> Consent:
    consent = consent_renewals_list(person=person).filter(pk=consent_id).first()
    if consent is None:
        raise Http404(_("Non c'è un consenso da rinnovare con questo numero."))
    return consent


@counsellor_view
@require_POST
def consent_renew(request: AuthedRequest, pseudonym: str, consent_id: int) -> HttpResponse:
    """Redo a voided identity consent for the employer or host body the person chose."""
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    consent = _renewal(person, consent_id)
    form = ConsentRenewForm(request.POST, prefix=f"rinnovo-{consent.pk}")
    if form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            people_services.consent_renew(
                consent=consent, recipient_id=recipient.pk, recorded_by=request.user
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, CONSENT_RENEWED % {"org": recipient.name})
            return redirect(person_url(person, "consensi"))
    renewals = [
        (item, form if item.pk == consent.pk else ConsentRenewForm(prefix=f"rinnovo-{item.pk}"))
        for item in consent_renewals_list(person=person)
    ]
    return _person_page(request, person, renewals=renewals)


@counsellor_view
@require_POST
def consent_renewal_dismiss(
    request: AuthedRequest, pseudonym: str, consent_id: int
) -> HttpResponse:
    """Close a renewal without a new consent: the person does not give it again."""
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    try:
        people_services.consent_renewal_dismiss(
            consent=_renewal(person, consent_id), dismissed_by=request.user
        )
    except ApplicationError as error:
        messages_add_error(request, error)
    else:
        messages.success(request, CONSENT_RENEWAL_DISMISSED)
    return redirect(person_url(person, "consensi"))
