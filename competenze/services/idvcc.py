"""IDVCC stage changes (D.Lgs. 13/2013), each one an append-only, audited StageRecord.

- individuazione: the counsellor who records the entry (skill_entry_add writes the record);
- validazione: an assessor of the organisation the counsellor asked, not the one who recorded
  the entry, on at least one evidence item of an accepted kind, with a method and an outcome;
- certificazione: a user of the certifying body asked, on a validated entry, with the
  attestation (number, date, issuer, qualification or standard);
- revoca: whoever's organisation made the stage, with a reason; the entry goes back one stage
  and the credentials issued for the stage it loses are revoked.

Every refusal raises AccessDenied (who may not act) or ApplicationError (what is missing),
with an Italian message, before anything is written.
"""

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.events import PERSON_CHANGED, send_on_commit
from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog, Organisation, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import Evidence, IssuedCredential, SkillEntry, StageRecord, StageRequest
from competenze.selectors.idvcc import STAGE_RANK, supporting_record
from competenze.services.evidence import evidence_file_validate

Stage = SkillEntry.Stage
Kind = StageRecord.Kind
Outcome = StageRecord.Outcome
Role = User.Role
AUDIT_CATEGORY = "fasi_idvcc"

ACCEPTED_EVIDENCE_KINDS = (
    Evidence.Kind.CERTIFICATE,
    Evidence.Kind.EMPLOYER_STATEMENT,
    Evidence.Kind.WORK_SAMPLE,
    Evidence.Kind.OBSERVATION,
    Evidence.Kind.PRACTICAL_TEST,
)
"""Evidence that can support a validation. An interview answer («colloquio») is the
person's own account: it identifies a competence, it does not prove it; «altro» says too
little to be checked."""

REQUEST_DENIED = _(
    "Solo l'operatore che segue la persona può chiedere una validazione o una certificazione."
)
REQUEST_WRONG_STAGE = _("Si può chiedere la validazione o la certificazione, non altre fasi.")
REQUEST_NEEDS_IDENTIFIED = _("Questa competenza è già validata: puoi chiederne la certificazione.")
REQUEST_NEEDS_VALIDATED = _(
    "Si può chiedere la certificazione solo di una competenza già validata."
)
REQUEST_ALREADY_CERTIFIED = _("Questa competenza è già certificata.")
REQUEST_NO_ASSESSOR = _("L'ente scelto non ha valutatori: scegli un ente che valida le competenze.")
REQUEST_NO_CERTIFIER = _("L'ente scelto non è un ente titolato a certificare le competenze.")
REQUEST_DUPLICATE = _("C'è già una richiesta in attesa per questa competenza.")
REQUEST_NOT_OPEN = _("Questa richiesta non è più in attesa.")
VALIDATION_ROLE_ONLY = _("Solo un valutatore può validare una competenza.")
VALIDATION_NOT_ASKED = _("La validazione di questa competenza non è stata chiesta al tuo ente.")
VALIDATION_OWN_ENTRY = _(
    "Non puoi validare una competenza che hai registrato tu: serve un valutatore diverso da chi "
    "ha condotto il colloquio."
)
VALIDATION_ALREADY = _("Questa competenza è già validata.")
VALIDATION_NEEDS_EVIDENCE = _(
    "Per validare serve almeno un'evidenza di un tipo accettato (attestato, dichiarazione del "
    "datore, prodotto, scheda di osservazione, esito di una prova pratica): la sola risposta "
    "al colloquio non basta."
)
EVIDENCE_NOT_OF_ENTRY = _("Un'evidenza scelta non appartiene a questa competenza.")
METHOD_NEEDED = _(
    "Indica il metodo di valutazione: documentale, osservazione, prova pratica o colloquio tecnico."
)
NEGATIVE_NEEDS_NOTE = _("Con esito negativo scrivi nella nota che cosa manca.")
CERTIFICATION_ROLE_ONLY = _("Solo un ente titolato può certificare una competenza.")
CERTIFICATION_NOT_ASKED = _(
    "La certificazione di questa competenza non è stata chiesta al tuo ente."
)
CERTIFICATION_NEEDS_VALIDATION = _(
    "Si certifica solo una competenza già validata da un valutatore."
)
CERTIFICATION_NEEDS_ATTESTATION = _(
    "Per certificare servono i dati dell'attestazione: numero, data, ente che la rilascia e "
    "qualificazione o standard di riferimento."
)
ATTESTATION_IN_FUTURE = _("La data dell'attestazione non può essere nel futuro.")
REVOKE_NOTHING = _(
    "Questa competenza è solo individuata: non c'è una validazione o una certificazione "
    "da revocare."
)
REVOKE_DENIED_CERTIFIED = _(
    "Solo l'ente titolato che l'ha certificata può revocare la certificazione."
)
REVOKE_DENIED_VALIDATED = _(
    "Solo un valutatore dell'ente che l'ha validata può revocare la validazione."
)
REVOKE_NEEDS_NOTE = _("Scrivi il motivo della revoca: resta nel registro.")
ASSESSOR_EVIDENCE_DENIED = _(
    "Puoi aggiungere evidenze solo alle competenze che il tuo ente sta valutando."
)
EVIDENCE_NEEDS_CONTENT = _("Carica un file oppure scrivi una descrizione dell'evidenza.")
STAGE_NOT_BY_HAND = _(
    "La fase non si cambia direttamente: chiedi la validazione a un valutatore o la "
    "certificazione a un ente titolato."
)


def _reindex(entry: SkillEntry) -> None:
    send_on_commit(PERSON_CHANGED, person_id=entry.person_id)


def _record(
    *,
    entry: SkillEntry,
    actor: User,
    kind: str,
    stage_after: str,
    outcome: str = Outcome.POSITIVE,
    method: str = "",
    note: str = "",
    evidences: Sequence[Evidence] = (),
    request: StageRequest | None = None,
    **attestation: object,
) -> StageRecord:
    """Write the record, move the entry's cached stage, audit; the caller checked the rules."""
    record = StageRecord(
        entry=entry,
        kind=kind,
        outcome=outcome,
        stage_before=entry.stage,
        stage_after=stage_after,
        actor=actor,
        actor_username=actor.get_username(),
        actor_name=actor.get_full_name(),
        actor_role=actor.role,
        organisation_id=actor.organisation_id,
        method=method,
        note=note.strip(),
        request=request,
        **attestation,
    )
    record.full_clean(exclude=["entry", "request", "organisation", "actor"])
    record.save()
    if evidences:
        record.evidences.set(evidences)
    if stage_after != entry.stage:
        entry.stage = stage_after
        entry.stage_changed_by = actor
        entry.stage_changed_at = record.at
        entry.save(update_fields=["stage", "stage_changed_by", "stage_changed_at", "updated_at"])
        _reindex(entry)
    if request is not None:
        _request_close(request, actor, StageRequest.Status.DONE)
    access_log_record(
        actor=actor,
        action=AccessLog.Action.CREATE,
        subject=entry.person.pseudonym,
        data_category=AUDIT_CATEGORY,
        purpose=f"{record.get_kind_display()} ({record.get_outcome_display()})",
    )
    return record


def _request_close(request: StageRequest, by: User | None, status: str) -> None:
    request.status = status
    request.closed_at = timezone.now()
    request.closed_by = by
    request.save(update_fields=["status", "closed_at", "closed_by"])


def _locked(entry: SkillEntry) -> SkillEntry:
    return (
        SkillEntry.objects.select_for_update(of=("self",))
        .select_related("person", "concept")
        .get(pk=entry.pk)
    )


def skill_entry_identify(*, entry: SkillEntry, identified_by: User) -> StageRecord:
    """The identification record of a new entry (called by the services that add entries)."""
    return _record(
        entry=entry, actor=identified_by, kind=Kind.IDENTIFICATION, stage_after=Stage.IDENTIFIED
    )


# --- requests (the counsellor's part) --------------------------------------------------------


def _check_request_target(stage: str, organisation: Organisation) -> None:
    role = Role.ASSESSOR if stage == Stage.VALIDATED else Role.CERTIFIER
    staffed = (
        organisation.is_active and organisation.users.filter(role=role, is_active=True).exists()
    )
    if not staffed:
        message = REQUEST_NO_ASSESSOR if stage == Stage.VALIDATED else REQUEST_NO_CERTIFIER
        raise ApplicationError(str(message), code="wrong_organisation")


def _check_request_stage(entry: SkillEntry, stage: str) -> None:
    if stage not in (Stage.VALIDATED, Stage.CERTIFIED):
        raise ApplicationError(str(REQUEST_WRONG_STAGE), code="wrong_stage")
    if entry.stage == Stage.CERTIFIED:
        raise ApplicationError(str(REQUEST_ALREADY_CERTIFIED), code="wrong_stage")
    if stage == Stage.VALIDATED and entry.stage != Stage.IDENTIFIED:
        raise ApplicationError(str(REQUEST_NEEDS_IDENTIFIED), code="wrong_stage")
    if stage == Stage.CERTIFIED and entry.stage != Stage.VALIDATED:
        raise ApplicationError(str(REQUEST_NEEDS_VALIDATED), code="wrong_stage")


@transaction.atomic
def stage_request_create(
    *,
    entry: SkillEntry,
    stage: str,
    organisation: Organisation,
    requested_by: User,
    note: str = "",
) -> StageRequest:
    """Ask `organisation` to validate (or certify) the entry: it enters their work list."""
    entry = _locked(entry)
    if not permissions.can_request_stage(requested_by, entry.person):
        raise AccessDenied(str(REQUEST_DENIED))
    _check_request_stage(entry, stage)
    _check_request_target(stage, organisation)
    if StageRequest.objects.filter(
        entry=entry, stage=stage, status=StageRequest.Status.OPEN
    ).exists():
        raise ApplicationError(str(REQUEST_DUPLICATE), code="duplicate")
    request = StageRequest.objects.create(
        entry=entry,
        stage=stage,
        organisation=organisation,
        requested_by=requested_by,
        note=note.strip(),
    )
    access_log_record(
        actor=requested_by,
        action=AccessLog.Action.CREATE,
        subject=entry.person.pseudonym,
        data_category=AUDIT_CATEGORY,
        purpose=f"richiesta di fase «{stage}»",
    )
    return request


@transaction.atomic
def stage_request_withdraw(*, request: StageRequest, withdrawn_by: User) -> StageRequest:
    entry = request.entry
    if not permissions.can_request_stage(withdrawn_by, entry.person):
        raise AccessDenied(str(REQUEST_DENIED))
    if request.status != StageRequest.Status.OPEN:
        raise ApplicationError(str(REQUEST_NOT_OPEN), code="not_open")
    _request_close(request, withdrawn_by, StageRequest.Status.WITHDRAWN)
    access_log_record(
        actor=withdrawn_by,
        action=AccessLog.Action.UPDATE,
        subject=entry.person.pseudonym,
        data_category=AUDIT_CATEGORY,
        purpose="richiesta ritirata",
    )
    return request


def _open_request(
    entry: SkillEntry, stage: str, organisation_id: int | None
) -> StageRequest | None:
    if organisation_id is None:
        return None
    return StageRequest.objects.filter(
        entry=entry, stage=stage, status=StageRequest.Status.OPEN, organisation_id=organisation_id
    ).first()


# --- validation and certification --------------------------------------------------------


def _check_evidences(entry: SkillEntry, evidences: Sequence[Evidence], required: bool) -> None:
    own = set(entry.evidences.values_list("pk", flat=True))
    if any(evidence.pk not in own for evidence in evidences):
        raise ApplicationError(str(EVIDENCE_NOT_OF_ENTRY), code="evidence_other_entry")
    if required and not any(e.kind in ACCEPTED_EVIDENCE_KINDS for e in evidences):
        raise ApplicationError(str(VALIDATION_NEEDS_EVIDENCE), code="evidence_needed")


def _check_assessment(method: str, outcome: str, note: str) -> None:
    if method not in StageRecord.Method.values:
        raise ApplicationError(str(METHOD_NEEDED), code="method_needed")
    if outcome not in Outcome.values:
        raise ApplicationError(str(_("Esito non valido: positivo o negativo.")), code="invalid")
    if outcome == Outcome.NEGATIVE and not note.strip():
        raise ApplicationError(str(NEGATIVE_NEEDS_NOTE), code="note_needed")


@transaction.atomic
def skill_entry_validate(
    *,
    entry: SkillEntry,
    assessor: User,
    method: str,
    evidences: Sequence[Evidence],
    outcome: str = Outcome.POSITIVE,
    note: str = "",
) -> StageRecord:
    """Record an assessor's validation (positive: the entry becomes «validata»; negative:
    it stays where it is). Closes the request it answers."""
    entry = _locked(entry)
    if not assessor.has_role(Role.ASSESSOR):
        raise AccessDenied(str(VALIDATION_ROLE_ONLY))
    request = _open_request(entry, Stage.VALIDATED, assessor.organisation_id)
    if request is None or not permissions.can_validate_for(assessor, request.organisation_id):
        raise AccessDenied(str(VALIDATION_NOT_ASKED))
    if entry.recorded_by_id == assessor.pk:
        raise AccessDenied(str(VALIDATION_OWN_ENTRY))
    if entry.stage != Stage.IDENTIFIED:
        raise ApplicationError(str(VALIDATION_ALREADY), code="wrong_stage")
    _check_assessment(method, outcome, note)
    _check_evidences(entry, evidences, required=outcome == Outcome.POSITIVE)
    stage_after = Stage.VALIDATED if outcome == Outcome.POSITIVE else entry.stage
    return _record(
        entry=entry,
        actor=assessor,
        kind=Kind.VALIDATION,
        stage_after=stage_after,
        outcome=outcome,
        method=method,
        note=note,
        evidences=evidences,
        request=request,
    )


def _attestation_missing(**fields: object) -> list[str]:
    return [
        name
        for name, value in fields.items()
        if value in (None, "") or (isinstance(value, str) and not value.strip())
    ]


@transaction.atomic
def skill_entry_certify(
    *,
    entry: SkillEntry,
    certifier: User,
    method: str,
    attestation_number: str,
    attestation_date: datetime.date | None,
    attestation_issuer: str,
    attestation_standard: str,
    evidences: Sequence[Evidence] = (),
    outcome: str = Outcome.POSITIVE,
    note: str = "",
) -> StageRecord:
    """Record a certifying body's decision on a validated entry, with its attestation."""
    entry = _locked(entry)
    if not certifier.has_role(Role.CERTIFIER):
        raise AccessDenied(str(CERTIFICATION_ROLE_ONLY))
    request = _open_request(entry, Stage.CERTIFIED, certifier.organisation_id)
    if request is None or not permissions.can_certify_for(certifier, request.organisation_id):
        raise AccessDenied(str(CERTIFICATION_NOT_ASKED))
    if entry.stage != Stage.VALIDATED:
        raise ApplicationError(str(CERTIFICATION_NEEDS_VALIDATION), code="wrong_stage")
    _check_assessment(method, outcome, note)
    _check_evidences(entry, evidences, required=False)
    attestation = {
        "attestation_number": attestation_number.strip(),
        "attestation_date": attestation_date,
        "attestation_issuer": attestation_issuer.strip(),
        "attestation_standard": attestation_standard.strip(),
    }
    if outcome == Outcome.POSITIVE:
        missing = _attestation_missing(**attestation)
        if missing:
            raise ApplicationError(
                str(CERTIFICATION_NEEDS_ATTESTATION),
                code="attestation_needed",
                extra={"missing": missing},
            )
        if attestation_date and attestation_date > timezone.localdate():
            raise ApplicationError(str(ATTESTATION_IN_FUTURE), code="attestation_date")
    stage_after = Stage.CERTIFIED if outcome == Outcome.POSITIVE else entry.stage
    return _record(
        entry=entry,
        actor=certifier,
        kind=Kind.CERTIFICATION,
        stage_after=stage_after,
        outcome=outcome,
        method=method,
        note=note,
        evidences=evidences,
        request=request,
        **attestation,
    )


# --- revocation ------------------------------------------------------------------------------


def _check_revoker(entry: SkillEntry, user: User) -> str:
    """The stage the entry falls back to, if `user` may revoke its current one."""
    made_by = supporting_record(entry=entry)
    organisation_id = made_by.organisation_id if made_by is not None else None
    if entry.stage == Stage.CERTIFIED:
        if not permissions.can_certify_for(user, organisation_id):
            raise AccessDenied(str(REVOKE_DENIED_CERTIFIED))
        return Stage.VALIDATED
    if not permissions.can_validate_for(user, organisation_id):
        raise AccessDenied(str(REVOKE_DENIED_VALIDATED))
    return Stage.IDENTIFIED


def _credentials_revoke(entry: SkillEntry, above: str, reason: str) -> int:
    """Revoke the entry's credentials for stages above `above`; returns how many."""
    higher = [stage for stage, rank in STAGE_RANK.items() if rank > STAGE_RANK[above]]
    return IssuedCredential.objects.filter(
        entry=entry, record__stage_after__in=higher, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revocation_reason=reason[:300])


@transaction.atomic
def skill_entry_stage_revoke(*, entry: SkillEntry, revoked_by: User, note: str) -> StageRecord:
    """Take back the entry's current validation or certification (one stage down), with the
    reason; credentials issued for the lost stage are revoked, open requests for stages
    above the new one are withdrawn."""
    entry = _locked(entry)
    if entry.stage == Stage.IDENTIFIED:
        raise ApplicationError(str(REVOKE_NOTHING), code="wrong_stage")
    stage_after = _check_revoker(entry, revoked_by)
    if not note.strip():
        raise ApplicationError(str(REVOKE_NEEDS_NOTE), code="note_needed")
    record = _record(
        entry=entry, actor=revoked_by, kind=Kind.REVOCATION, stage_after=stage_after, note=note
    )
    _credentials_revoke(entry, stage_after, note.strip())
    higher = [stage for stage, rank in STAGE_RANK.items() if rank > STAGE_RANK[stage_after]]
    for request in StageRequest.objects.filter(
        entry=entry, stage__in=higher, status=StageRequest.Status.OPEN
    ):
        _request_close(request, revoked_by, StageRequest.Status.WITHDRAWN)
    return record


# --- evidence added by assessors -------------------------------------------------------------


@transaction.atomic
def assessment_evidence_add(
    *,
    entry: SkillEntry,
    uploaded_by: User,
    kind: str,
    description: str = "",
    file: UploadedFile | None = None,
) -> Evidence:
    """An assessor (or certifier) adds what their assessment produced — an observation
    sheet, the result of a practical test — to an entry their organisation is assessing."""
    stage = Stage.VALIDATED if uploaded_by.has_role(Role.ASSESSOR) else Stage.CERTIFIED
    allowed = (
        uploaded_by.has_role(Role.ASSESSOR, Role.CERTIFIER)
        and _open_request(entry, stage, uploaded_by.organisation_id) is not None
    )
    if not allowed:
        raise AccessDenied(str(ASSESSOR_EVIDENCE_DENIED))
    if file is None and not description.strip():
        raise ApplicationError(str(EVIDENCE_NEEDS_CONTENT), code="empty")
    if file is not None:
        evidence_file_validate(file)
    evidence = Evidence(
        person=entry.person, kind=kind, description=description.strip(), uploaded_by=uploaded_by
    )
    if file is not None:
        evidence.file = file
    evidence.full_clean(exclude=["file"])
    evidence.save()
    entry.evidences.add(evidence)
    access_log_record(
        actor=uploaded_by,
        action=AccessLog.Action.CREATE,
        subject=entry.person.pseudonym,
        data_category="evidenze",
        purpose=AUDIT_CATEGORY,
    )
    return evidence
