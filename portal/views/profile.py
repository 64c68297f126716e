"""The skill profile: entries by sector with IDVCC stage, level and evidence; uploads,
the authorised evidence download, and the printable summary the person keeps."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.models import User
from competenze.models import Person, SkillEntry
from competenze.selectors.evidence import evidence_file_get, person_evidences_list
from competenze.selectors.people import (
    person_get_editable,
    person_skills_list,
)
from competenze.services import people as people_services
from competenze.services.evidence import EVIDENCE_TYPES, evidence_create, evidence_file_extension
from portal.forms.competenze import EvidenceForm, SkillLevelForm
from portal.views import idvcc
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    counsellor_view,
    form_add_service_error,
    messages_add_error,
    role_required,
)

OTHER_SECTOR = gettext_lazy("Altre competenze")


def profile_url(person: Person, anchor: str = "") -> str:
    url = reverse("competenze:profile", args=[person.pseudonym])
    return f"{url}#{anchor}" if anchor else url


def skill_groups(person: Person) -> list[dict[str, Any]]:
    """Profile entries grouped by framework sector (sector label order, «Altre» last)."""
    entries = list(person_skills_list(person=person).prefetch_related("evidences"))
    idvcc.annotate_entries(entries)  # stage in plain words, requests (portal.views.idvcc)

    def sector_key(entry: SkillEntry) -> tuple[int, str]:
        sector = entry.concept.sector
        return (1, "") if sector is None else (0, sector.label)

    entries.sort(key=lambda e: (*sector_key(e), e.concept.pref_label.lower()))
    return [
        {"label": key[1] or OTHER_SECTOR, "entries": list(group)}
        for key, group in groupby(entries, key=sector_key)
    ]


def _profile_page(request: AuthedRequest, person: Person, **extra: Any) -> HttpResponse:
    groups = skill_groups(person)
    entries = [entry for group in groups for entry in group["entries"]]
    context = {
        "person": person,
        "groups": groups,
        "count": len(entries),
        "evidences": person_evidences_list(person=person),
        "evidence_form": EvidenceForm(entries=entries),
        "levels": SkillEntry.Level.choices,
    }
    context.update(extra)
    return render(request, "competenze/profile.html", context)


@counsellor_view
def profile(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    return _profile_page(request, person)


def _entry(request: AuthedRequest, pseudonym: str, entry_id: int) -> SkillEntry:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    entry = person_skills_list(person=person).select_related("person").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(_("Competenza non trovata nel profilo."))
    return entry


@counsellor_view
@require_POST
def skill_level(request: AuthedRequest, pseudonym: str, entry_id: int) -> HttpResponse:
    entry = _entry(request, pseudonym, entry_id)
    form = SkillLevelForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Livello non valido: scegli Base, Intermedio, Avanzato o Esperto.")
        )
    else:
        try:
            people_services.skill_entry_set_level(
                entry=entry, level=form.cleaned_data["level"], changed_by=request.user
            )
        except SERVICE_ERRORS as error:
            messages_add_error(request, error)
        else:
            messages.success(
                request,
                _("«%(label)s»: livello aggiornato a «%(level)s».")
                % {"label": entry.concept.pref_label, "level": entry.get_level_display()},
            )
    return redirect(profile_url(entry.person, f"voce-{entry.pk}"))


@counsellor_view
@require_POST
def skill_remove(request: AuthedRequest, pseudonym: str, entry_id: int) -> HttpResponse:
    entry = _entry(request, pseudonym, entry_id)
    person, label = entry.person, entry.concept.pref_label
    try:
        people_services.skill_entry_remove(entry=entry, removed_by=request.user)
    except ApplicationError as error:
        messages_add_error(request, error)
        return redirect(profile_url(person, f"voce-{entry.pk}"))
    messages.success(request, _("«%(label)s» rimossa dal profilo.") % {"label": label})
    return redirect(profile_url(person))


@counsellor_view
@require_POST
def evidence_upload(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    entries = list(person_skills_list(person=person))
    form = EvidenceForm(request.POST, request.FILES, entries=entries)
    if form.is_valid():
        entry_id = form.cleaned_data["skill_entry"]
        entry = next((e for e in entries if e.pk == entry_id), None)
        try:
            evidence_create(
                person=person,
                uploaded_by=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                file=form.cleaned_data["file"],
                skill_entry=entry,
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Evidenza aggiunta al profilo."))
            return redirect(profile_url(person, "evidenze"))
    return _profile_page(request, person, evidence_form=form)


@role_required(User.Role.COUNSELLOR, User.Role.TRAINEE, User.Role.ADMIN)
def evidence_file(request: AuthedRequest, evidence_id: int) -> FileResponse:
    """Serve an evidence file to who may see the person; every download is audited."""
    evidence = evidence_file_get(
        user=request.user, evidence_id=evidence_id, purpose="download dell'evidenza"
    )
    extension = evidence_file_extension(evidence.file.name)
    content_type = EVIDENCE_TYPES.get(extension, ("application/octet-stream", ()))[0]
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Il file dell'evidenza non è più disponibile.")) from error
    filename = f"evidenza-{evidence.person.pseudonym}-{evidence.pk}.{extension or 'bin'}"
    response = FileResponse(
        handle,
        content_type=content_type,
        filename=filename,
        as_attachment=request.GET.get("scarica") == "1",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@counsellor_view
def profile_print(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    """The printable summary is now the document preview (PDF made on the server)."""
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    return redirect("competenze:documents", pseudonym=person.pseudonym)
