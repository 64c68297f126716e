"""IDVCC pages: the counsellor asks for validation or certification (and sees each entry's
stage history); assessors and certifying-body users work through their list, look at the
competence and its evidence, add what their assessment produced, decide, and revoke.

Every decision goes through competenze.services.idvcc: a refused one comes back on the form
with the service's Italian message and nothing written.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.models import Organisation, User
from competenze.models import SkillEntry, StageRecord, StageRequest
from competenze.selectors import idvcc as selectors
from competenze.selectors.people import person_get_editable, person_skills_list
from competenze.services import idvcc as services
from competenze.services.evidence import EVIDENCE_TYPES, evidence_file_extension
from competenze.stages import stage_explanation
from portal.forms.idvcc import (
    AssessmentEvidenceForm,
    AssessmentForm,
    CertificationForm,
    RevokeForm,
    StageRequestForm,
    ValidationForm,
)
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    assessor_view,
    counsellor_view,
    form_add_service_error,
    messages_add_error,
)

Stage = SkillEntry.Stage
Role = User.Role
NEXT_REQUEST = {Stage.IDENTIFIED: Stage.VALIDATED, Stage.VALIDATED: Stage.CERTIFIED}


def _profile_url(entry: SkillEntry) -> str:
    return reverse("competenze:profile", args=[entry.person.pseudonym]) + f"#voce-{entry.pk}"


def _organisations(stage: str) -> QuerySet[Organisation]:
    if stage == Stage.VALIDATED:
        return selectors.assessing_organisations()
    return selectors.certifying_organisations()


def annotate_entries(entries: list[SkillEntry]) -> None:
    """Give each profile entry what its IDVCC panel shows: the stage in plain words, the
    open requests, and the request the counsellor can make next (with the organisations
    that can take it)."""
    open_requests: dict[int, list[StageRequest]] = {}
    for item in StageRequest.objects.filter(
        entry__in=entries, status=StageRequest.Status.OPEN
    ).select_related("organisation"):
        open_requests.setdefault(item.entry_id, []).append(item)
    choices = {stage: list(_organisations(stage)) for stage in (Stage.VALIDATED, Stage.CERTIFIED)}
    for entry in entries:
        next_stage = NEXT_REQUEST.get(Stage(entry.stage))
        pending = open_requests.get(entry.pk, [])
        entry.stage_help = stage_explanation(entry.stage)  # type: ignore[attr-defined]
        entry.open_requests = pending  # type: ignore[attr-defined]
        entry.next_request = None if pending else next_stage  # type: ignore[attr-defined]
        entry.request_organisations = choices.get(next_stage, []) if next_stage else []  # type: ignore[attr-defined]


# --- counsellor ------------------------------------------------------------------------------


def _counsellor_entry(request: AuthedRequest, pseudonym: str, entry_id: int) -> SkillEntry:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    entry = person_skills_list(person=person).select_related("person").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(_("Competenza non trovata nel profilo."))
    return entry


@counsellor_view
@require_POST
def stage_request(request: AuthedRequest, pseudonym: str, entry_id: int) -> HttpResponse:
    entry = _counsellor_entry(request, pseudonym, entry_id)
    stage = request.POST.get("stage", "")
    if stage not in (Stage.VALIDATED, Stage.CERTIFIED):
        messages.error(request, str(services.REQUEST_WRONG_STAGE))
        return redirect(_profile_url(entry))
    form = StageRequestForm(request.POST, organisations=_organisations(stage))
    if not form.is_valid():
        messages.error(
            request,
            _("Scegli l'ente a cui chiedere la %(fase)s.")
            % {"fase": _("validazione") if stage == Stage.VALIDATED else _("certificazione")},
        )
        return redirect(_profile_url(entry))
    try:
        services.stage_request_create(
            entry=entry,
            stage=stage,
            requested_by=request.user,
            organisation=form.cleaned_data["organisation"],
            note=form.cleaned_data["note"],
        )
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(
            request,
            _("Richiesta inviata a «%(org)s»: comparirà nel suo elenco di lavoro.")
            % {"org": form.cleaned_data["organisation"].name},
        )
    return redirect(_profile_url(entry))


@counsellor_view
@require_POST
def stage_request_withdraw(request: AuthedRequest, pseudonym: str, request_id: int) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    item = (
        StageRequest.objects.select_related("entry__person")
        .filter(pk=request_id, entry__person=person)
        .first()
    )
    if item is None:
        raise Http404(_("Richiesta non trovata."))
    try:
        services.stage_request_withdraw(request=item, withdrawn_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _("Richiesta ritirata."))
    return redirect(_profile_url(item.entry))


@counsellor_view
def stage_history(request: AuthedRequest, pseudonym: str, entry_id: int) -> HttpResponse:
    entry = _counsellor_entry(request, pseudonym, entry_id)
    return render(
        request,
        "competenze/idvcc/history.html",
        {
            "person": entry.person,
            "entry": entry,
            "records": selectors.stage_records_list(entry=entry),
            "requests": entry.stage_requests.select_related("organisation", "requested_by"),
            "stage_help": stage_explanation(entry.stage),
        },
    )


# --- assessors and certifying bodies ----------------------------------------------------


def _is_certifier(user: User) -> bool:
    return user.has_role(Role.CERTIFIER)


def _revocable(records: QuerySet[StageRecord]) -> list[StageRecord]:
    """The records still standing (the entry is at the stage they gave it)."""
    rows = list(records[:50])
    for record in rows:
        record.standing = (  # type: ignore[attr-defined]
            record.outcome == StageRecord.Outcome.POSITIVE
            and record.entry.stage == record.stage_after
            and selectors.supporting_record(entry=record.entry) == record
        )
    return rows


@assessor_view
def worklist(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "competenze/idvcc/worklist.html",
        {
            "requests": selectors.stage_request_worklist(user=request.user),
            "records": _revocable(selectors.stage_records_by_organisation(user=request.user)),
            "certifier": _is_certifier(request.user),
            "revoke_form": RevokeForm(),
        },
    )


def _assessment_page(
    request: AuthedRequest, item: StageRequest, entry: SkillEntry, **extra: Any
) -> HttpResponse:
    evidences = list(selectors.entry_evidences_list(entry=entry))
    form_class = CertificationForm if _is_certifier(request.user) else ValidationForm
    initial = {"attestation_issuer": item.organisation.name}
    context = {
        "item": item,
        "entry": entry,
        "evidences": evidences,
        "records": selectors.stage_records_list(entry=entry),
        "certifier": _is_certifier(request.user),
        "stage_help": stage_explanation(entry.stage),
        "form": form_class(evidences=evidences, initial=initial),
        "evidence_form": AssessmentEvidenceForm(),
        "accepted_kinds": services.ACCEPTED_EVIDENCE_KINDS,
    }
    context.update(extra)
    return render(request, "competenze/idvcc/assessment.html", context)


def _assessment_target(request: AuthedRequest, request_id: int) -> tuple[StageRequest, SkillEntry]:
    item = selectors.stage_request_get_for_worklist(user=request.user, request_id=request_id)
    entry = selectors.entry_get_for_stage(user=request.user, entry_id=item.entry_id)
    return item, entry


def _decide(request: AuthedRequest, entry: SkillEntry, form: AssessmentForm) -> StageRecord:
    data = form.cleaned_data
    common = {
        "method": data["method"],
        "evidences": form.chosen_evidences(),
        "outcome": data["outcome"],
        "note": data["note"],
    }
    if isinstance(form, CertificationForm):
        return services.skill_entry_certify(
            entry=entry,
            certifier=request.user,
            attestation_number=data["attestation_number"],
            attestation_date=data["attestation_date"],
            attestation_issuer=data["attestation_issuer"],
            attestation_standard=data["attestation_standard"],
            **common,
        )
    return services.skill_entry_validate(entry=entry, assessor=request.user, **common)


@assessor_view
def assessment(request: AuthedRequest, request_id: int) -> HttpResponse:
    """One request of the work list: the competence, its evidence and history, the decision."""
    item, entry = _assessment_target(request, request_id)
    if request.method != "POST":
        return _assessment_page(request, item, entry)
    evidences = list(selectors.entry_evidences_list(entry=entry))
    form_class = CertificationForm if _is_certifier(request.user) else ValidationForm
    form = form_class(request.POST, evidences=evidences)
    if form.is_valid():
        try:
            record = _decide(request, entry, form)
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("«%(label)s»: %(kind)s registrata, esito %(outcome)s.")
                % {
                    "label": entry.concept.pref_label,
                    "kind": record.get_kind_display().lower(),
                    "outcome": record.get_outcome_display().lower(),
                },
            )
            return redirect("competenze:idvcc-worklist")
    return _assessment_page(request, item, entry, form=form)


@assessor_view
@require_POST
def assessment_evidence_upload(request: AuthedRequest, request_id: int) -> HttpResponse:
    item, entry = _assessment_target(request, request_id)
    form = AssessmentEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assessment_evidence_add(
                entry=entry, uploaded_by=request.user, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Evidenza aggiunta alla competenza."))
            return redirect("competenze:idvcc-assessment", request_id=item.pk)
    return _assessment_page(request, item, entry, evidence_form=form)


@assessor_view
def assessment_evidence_file(request: AuthedRequest, evidence_id: int) -> FileResponse:
    """An evidence file of an entry in the user's scope; every read is audited."""
    evidence = selectors.assessment_evidence_get(user=request.user, evidence_id=evidence_id)
    extension = evidence_file_extension(evidence.file.name)
    content_type = EVIDENCE_TYPES.get(extension, ("application/octet-stream", ()))[0]
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Il file dell'evidenza non è più disponibile.")) from error
    response = FileResponse(
        handle, content_type=content_type, filename=f"evidenza-{evidence.pk}.{extension or 'bin'}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@assessor_view
@require_POST
def stage_revoke(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get_for_stage(user=request.user, entry_id=entry_id)
    form = RevokeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.skill_entry_stage_revoke(entry=entry, revoked_by=request.user, note=note)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(
            request, _("«%(label)s»: revoca registrata.") % {"label": entry.concept.pref_label}
        )
    return redirect("competenze:idvcc-worklist")
