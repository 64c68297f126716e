"""IDVCC in the services: every stage change is a record made by the right person with what
the stage needs, and every forbidden path is refused before anything is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog
from competenze.models import IssuedCredential, SkillEntry, StageRecord, StageRequest
from competenze.selectors.idvcc import supported_stages
from competenze.services import idvcc
from competenze.services.people import skill_entry_remove
from tests.competenze.idvcc_helpers import attestation, world
from tests.factories import AssessorFactory, CertifierFactory, CounsellorFactory

pytestmark = pytest.mark.django_db


def _unchanged(w, stage="individuata"):
    w.entry.refresh_from_db()
    assert w.entry.stage == stage
    return True


def test_adding_an_entry_records_its_identification_by_the_counsellor():
    w = world()
    record = w.entry.stage_records.get()
    assert (record.kind, record.stage_after, record.actor, record.actor_role) == (
        "individuazione",
        "individuata",
        w.counsellor,
        "operatore",
    )
    assert record.organisation_id == w.counsellor.organisation_id


def test_only_the_counsellor_of_the_person_asks_for_a_stage():
    w = world()
    for outsider in (CounsellorFactory(), w.assessor, w.certifier):
        with pytest.raises(AccessDenied, match="Solo l'operatore che segue la persona"):
            idvcc.stage_request_create(
                entry=w.entry,
                stage="validata",
                organisation=w.assessor.organisation,
                requested_by=outsider,
            )
    assert not StageRequest.objects.exists()


def test_a_request_goes_only_to_an_organisation_that_can_take_it():
    w = world()
    with pytest.raises(ApplicationError, match="non ha valutatori"):
        idvcc.stage_request_create(
            entry=w.entry,
            stage="validata",
            organisation=w.certifier.organisation,
            requested_by=w.counsellor,
        )
    with pytest.raises(ApplicationError, match="già validata"):
        idvcc.stage_request_create(
            entry=w.entry,
            stage="certificata",
            organisation=w.certifier.organisation,
            requested_by=w.counsellor,
        )
    w.ask("validata")
    with pytest.raises(ApplicationError, match="già una richiesta in attesa"):
        w.ask("validata")


def test_counsellor_can_neither_validate_nor_certify():
    w = world()
    w.ask("validata")
    with pytest.raises(AccessDenied, match="Solo un valutatore può validare"):
        idvcc.skill_entry_validate(
            entry=w.entry, assessor=w.counsellor, method="documentale", evidences=[w.statement]
        )
    with pytest.raises(AccessDenied, match="Solo un ente titolato può certificare"):
        idvcc.skill_entry_certify(
            entry=w.entry, certifier=w.counsellor, method="documentale", **attestation()
        )
    assert _unchanged(w) and w.entry.stage_records.count() == 1


def test_assessor_may_not_validate_an_entry_they_recorded():
    w = world()
    w.entry.recorded_by = w.assessor  # e.g. a former counsellor who now assesses
    w.entry.save(update_fields=["recorded_by"])
    w.ask("validata")
    with pytest.raises(AccessDenied, match="che hai registrato tu"):
        idvcc.skill_entry_validate(
            entry=w.entry, assessor=w.assessor, method="documentale", evidences=[w.statement]
        )
    assert _unchanged(w)


def test_assessor_acts_only_on_requests_to_their_own_organisation():
    w = world()
    with pytest.raises(AccessDenied, match="non è stata chiesta al tuo ente"):
        idvcc.skill_entry_validate(
            entry=w.entry, assessor=w.assessor, method="documentale", evidences=[w.statement]
        )
    w.ask("validata")
    with pytest.raises(AccessDenied, match="non è stata chiesta al tuo ente"):
        idvcc.skill_entry_validate(
            entry=w.entry, assessor=AssessorFactory(), method="documentale", evidences=[w.statement]
        )
    assert _unchanged(w)


@pytest.mark.parametrize("chosen", ["none", "answer_only"])
def test_validation_without_accepted_evidence_is_refused(chosen):
    w = world()
    evidences = [] if chosen == "none" else [w.answer]
    with pytest.raises(ApplicationError, match="la sola risposta al colloquio non basta"):
        w.validate(evidences=evidences)
    assert _unchanged(w)
    assert StageRequest.objects.get().status == "aperta"  # nothing closed either


def test_validation_refuses_evidence_of_another_entry_and_a_missing_method():
    w = world()
    foreign = world().statement
    with pytest.raises(ApplicationError, match="non appartiene a questa competenza"):
        w.validate(evidences=[foreign])
    with pytest.raises(ApplicationError, match="Indica il metodo"):
        idvcc.skill_entry_validate(
            entry=w.entry, assessor=w.assessor, method="", evidences=[w.statement]
        )
    assert _unchanged(w)


def test_positive_validation_is_a_complete_audited_record():
    w = world()
    record = w.validate(method="osservazione", note="Osservato in cucina per due turni.")
    assert w.entry.stage == "validata" and w.entry.stage_changed_by == w.assessor
    assert (record.kind, record.outcome, record.stage_before, record.stage_after) == (
        "validazione",
        "positivo",
        "individuata",
        "validata",
    )
    assert record.method == "osservazione" and list(record.evidences.all()) == [w.statement]
    assert record.organisation == w.assessor.organisation
    assert record.actor_username == w.assessor.username and record.actor_role == "valutatore"
    assert record.request.status == "conclusa" and record.request.closed_by == w.assessor
    audit = AccessLog.objects.filter(data_category="fasi_idvcc", actor=w.assessor)
    assert audit.filter(action="create", subject=w.person.pseudonym).count() == 1


def test_negative_validation_keeps_the_stage_and_needs_a_note():
    w = world()
    with pytest.raises(ApplicationError, match="esito negativo"):
        w.validate(outcome="negativo", evidences=[])
    w.entry.refresh_from_db()
    record = idvcc.skill_entry_validate(
        entry=w.entry,
        assessor=w.assessor,
        method="prova_pratica",
        evidences=[],
        outcome="negativo",
        note="Non sa ancora gestire i tempi di cottura.",
    )
    assert (record.stage_before, record.stage_after) == ("individuata", "individuata")
    assert _unchanged(w)


@pytest.mark.parametrize(
    "missing",
    ["attestation_number", "attestation_date", "attestation_issuer", "attestation_standard"],
)
def test_certification_without_attestation_is_refused(missing):
    w = world()
    w.validate()
    blank = None if missing == "attestation_date" else "  "
    with pytest.raises(ApplicationError, match="servono i dati dell'attestazione") as refused:
        w.certify(**{missing: blank})
    assert refused.value.extra == {"missing": [missing]}
    assert _unchanged(w, "validata")


def test_certification_needs_a_validated_entry_a_certifier_and_no_future_date():
    w = world()
    w.ask("validata")
    with pytest.raises(ApplicationError, match="Si certifica solo una competenza già validata"):
        # a certification request cannot even be made before validation; force one
        StageRequest.objects.create(
            entry=w.entry,
            stage="certificata",
            organisation=w.certifier.organisation,
            requested_by=w.counsellor,
        )
        idvcc.skill_entry_certify(
            entry=w.entry, certifier=w.certifier, method="documentale", **attestation()
        )
    StageRequest.objects.filter(stage="certificata").delete()
    idvcc.skill_entry_validate(
        entry=w.entry, assessor=w.assessor, method="documentale", evidences=[w.statement]
    )
    w.ask("certificata")
    with pytest.raises(AccessDenied, match="Solo un ente titolato"):
        idvcc.skill_entry_certify(
            entry=w.entry, certifier=w.assessor, method="documentale", **attestation()
        )
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError, match="nel futuro"):
        idvcc.skill_entry_certify(
            entry=w.entry,
            certifier=w.certifier,
            method="documentale",
            **{**attestation(), "attestation_date": future},
        )
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"


def test_certification_records_the_attestation():
    w = world()
    w.validate()
    record = w.certify()
    assert w.entry.stage == "certificata" and record.is_attested
    assert record.attestation_number == "LOM-2026-0042"
    assert record.organisation == w.certifier.organisation


def test_revocation_goes_one_stage_down_only_by_who_made_the_stage():
    w = world()
    w.validate()
    w.certify()
    for outsider in (w.assessor, CertifierFactory(), w.counsellor):
        with pytest.raises(AccessDenied):
            idvcc.skill_entry_stage_revoke(entry=w.entry, revoked_by=outsider, note="errore")
    with pytest.raises(ApplicationError, match="Scrivi il motivo"):
        idvcc.skill_entry_stage_revoke(entry=w.entry, revoked_by=w.certifier, note=" ")
    record = idvcc.skill_entry_stage_revoke(
        entry=w.entry, revoked_by=w.certifier, note="Attestato rilasciato per errore."
    )
    w.entry.refresh_from_db()
    assert (record.kind, record.stage_after, w.entry.stage) == ("revoca", "validata", "validata")
    idvcc.skill_entry_stage_revoke(entry=w.entry, revoked_by=w.assessor, note="Evidenza falsa.")
    w.entry.refresh_from_db()
    assert w.entry.stage == "individuata"
    kinds = list(w.entry.stage_records.values_list("kind", flat=True))
    assert kinds == ["individuazione", "validazione", "certificazione", "revoca", "revoca"]


def test_revocation_revokes_the_credentials_of_the_lost_stage_and_withdraws_requests():
    w = world()
    validation = w.validate()
    credential = IssuedCredential.objects.create(
        entry=w.entry, record=validation, status_index=7, kid="k", token="t"
    )
    w.ask("certificata")
    idvcc.skill_entry_stage_revoke(entry=w.entry, revoked_by=w.assessor, note="Evidenza falsa.")
    credential.refresh_from_db()
    assert credential.revoked_at is not None and credential.revocation_reason == "Evidenza falsa."
    assert StageRequest.objects.get(stage="certificata").status == "ritirata"


def test_records_are_append_only():
    w = world()
    record = w.validate()
    record.note = "cambiata"
    with pytest.raises(ValidationError, match="non si modificano"):
        record.save()
    with pytest.raises(ValidationError, match="non si modificano"):
        record.delete()
    assert StageRecord.objects.get(pk=record.pk).note == ""


def test_the_database_refuses_a_certification_record_without_attestation():
    w = world()
    with pytest.raises(IntegrityError), transaction.atomic():
        StageRecord.objects.create(
            entry=w.entry,
            kind="certificazione",
            method="documentale",
            stage_before="validata",
            stage_after="certificata",
        )


def test_validated_entries_cannot_be_removed_silently():
    w = world()
    w.validate()
    with pytest.raises(ApplicationError, match="non si toglie dal profilo"):
        skill_entry_remove(entry=w.entry, removed_by=w.counsellor)
    assert SkillEntry.objects.filter(pk=w.entry.pk).exists()


def test_a_stage_written_without_a_record_is_not_supported():
    w = world()
    SkillEntry.objects.filter(pk=w.entry.pk).update(stage="certificata")  # bypassing services
    assert supported_stages(entry_ids=[w.entry.pk]) == {w.entry.pk: "individuata"}
    w.entry.refresh_from_db()
    w.entry.stage = "individuata"
    w.entry.save()
    w.validate()
    assert supported_stages(entry_ids=[w.entry.pk]) == {w.entry.pk: "validata"}
