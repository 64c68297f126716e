"""The counsellor answers an employer's contact request, or a person's interest in a course:
the pages the e-mails link to."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from competenze.models import Consent
from lavoro.models import ContactRequest, CourseInterest
from lavoro.selectors.shortlists import (
    contact_request_for_counsellor_get,
    course_interest_for_counsellor_get,
)
from lavoro.services.candidates import contact_request_answer
from lavoro.services.interests import course_interest_answer
from portal.views._helpers import SERVICE_ERRORS, AuthedRequest, counsellor_view, messages_add_error

OPEN = (ContactRequest.Status.SENT, ContactRequest.Status.IN_PROGRESS)


def _has_identity_consent(contact: ContactRequest) -> bool:
    organisation = contact.employer.organisation_id
    covering = Consent.objects.filter(person=contact.person).covering(
        purpose=Consent.Purpose.DISCLOSE_IDENTITY, organisation_id=organisation
    )
    return covering.filter(recipient_id=organisation).exists()


@counsellor_view
def contact_answer(request: AuthedRequest, request_id: int) -> HttpResponse:
    """GET: the request, whether the person's consent is there; POST: accept or decline."""
    contact = contact_request_for_counsellor_get(user=request.user, request_id=request_id)
    reason = ""
    if request.method == "POST":
        accept = request.POST.get("action") == "accept"
        reason = request.POST.get("reason", "")
        try:
            contact_request_answer(
                request=contact,
                answered_by=request.user,
                accept=accept,
                reason=reason,
                site_url=request.build_absolute_uri("/"),
            )
        except SERVICE_ERRORS as error:
            messages_add_error(request, error)
        else:
            if accept:
                messages.success(
                    request, _("Richiesta accolta: l'azienda vede ora nome e contatti.")
                )
            else:
                messages.success(request, _("Richiesta non accolta: l'azienda legge il motivo."))
            return redirect("competenze:contact-answer", request_id=contact.pk)
    return render(
        request,
        "competenze/contact_answer.html",
        {
            "contact": contact,
            "is_open": contact.status in OPEN,
            "has_consent": _has_identity_consent(contact),
            "reason": reason,
        },
    )


@counsellor_view
def interest_answer(request: AuthedRequest, interest_id: int) -> HttpResponse:
    """GET: the course the person is interested in; POST: propose it, or not now."""
    interest = course_interest_for_counsellor_get(user=request.user, interest_id=interest_id)
    answer = ""
    if request.method == "POST":
        propose = request.POST.get("action") == "propose"
        answer = request.POST.get("answer", "")
        try:
            course_interest_answer(
                interest=interest, answered_by=request.user, propose=propose, answer=answer
            )
        except SERVICE_ERRORS as error:
            messages_add_error(request, error)
        else:
            messages.success(
                request, _("Risposta registrata: la persona la vede nella sua pagina.")
            )
            if propose:  # the proposal itself is sent from the person's opportunities
                return redirect("competenze:opportunities", pseudonym=interest.person.pseudonym)
            return redirect("competenze:interest-answer", interest_id=interest.pk)
    return render(
        request,
        "competenze/interest_answer.html",
        {
            "interest": interest,
            "is_open": interest.status == CourseInterest.Status.WAITING,
            "answer": answer,
        },
    )
