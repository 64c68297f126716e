"""Credential pages: the public verification page (anyone pastes or uploads a credential and
sees whether it is valid, revoked or altered), and the downloads of a person's credentials
(Open Badges .jwt, Europass JSON-LD) for their counsellor and for the person themself."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from common.models import User
from competenze.models import IssuedCredential, Person
from competenze.selectors.people import person_get_editable, person_list_visible
from competenze.services.credentials import (
    credential_verify,
    person_credentials_issue,
    person_learning_model_export,
)
from competenze.stages import stage_explanation, stage_label
from portal.forms.idvcc import VerifyForm
from portal.views._helpers import AuthedRequest, counsellor_or_trainee_view

Role = User.Role


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    result = None
    form = VerifyForm()
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = credential_verify(token=form.cleaned_data["token"])
    return render(request, "competenze/idvcc/verify.html", {"form": form, "result": result})


def owner_person(request: AuthedRequest, pseudonym: str) -> Person:
    """The person whose credentials the user takes: their counsellor's, or their own."""
    if request.user.has_role(Role.TRAINEE):
        person = person_list_visible(user=request.user).filter(pseudonym=pseudonym).first()
        if person is None:
            raise Http404
        return person
    return person_get_editable(user=request.user, pseudonym=pseudonym)


def _rows(credentials: list[IssuedCredential]) -> list[dict[str, object]]:
    rows = []
    for credential in credentials:
        stage = credential.record.stage_after if credential.record else ""
        rows.append(
            {
                "credential": credential,
                "label": credential.entry.concept.pref_label if credential.entry else "",
                "stage": stage,
                "stage_label": stage_label(stage),
                "stage_help": stage_explanation(stage),
            }
        )
    return rows


@counsellor_or_trainee_view
def person_credentials(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    """The person's credentials, issued (or given again) on opening the page."""
    person = owner_person(request, pseudonym)
    credentials = person_credentials_issue(person=person, user=request.user)
    return render(
        request,
        "competenze/idvcc/credentials.html",
        {
            "person": person,
            "rows": _rows(credentials),
            "trainee": request.user.has_role(Role.TRAINEE),
        },
    )


@counsellor_or_trainee_view
def credential_download(request: AuthedRequest, pseudonym: str, credential_id: str) -> HttpResponse:
    person = owner_person(request, pseudonym)
    credentials = person_credentials_issue(person=person, user=request.user)
    credential = next((c for c in credentials if str(c.id) == credential_id), None)
    if credential is None:
        raise Http404
    response = HttpResponse(credential.token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="credenziale-{credential.id}.jwt"'
    response["Cache-Control"] = "private, no-store"
    return response


@counsellor_or_trainee_view
def learning_model_download(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = owner_person(request, pseudonym)
    document = person_learning_model_export(person=person, user=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="europass-{person.pseudonym}.jsonld"'
    response["Cache-Control"] = "private, no-store"
    return response
