"""seed_demo and IDVCC: validated and certified competences made through the real workflow
for the people the demo logins see, supported by records for everyone else."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from common.models import User
from competenze.models import Person, SkillEntry, StageRecord, StageRequest
from competenze.selectors.idvcc import supported_stages
from competenze.services.idvcc import ACCEPTED_EVIDENCE_KINDS
from demo.options import DEMO_PASSWORD
from tests.demo import test_seed_demo as base

municipalities, demo_framework, seeded = base.municipalities, base.demo_framework, base.seeded

pytestmark = pytest.mark.django_db


def test_the_demo_trainee_has_a_validated_and_a_certified_competence(seeded):
    person = Person.objects.get(user__username="beneficiario")
    stages = set(person.skills.values_list("stage", flat=True))
    assert {"validata", "certificata"} <= stages
    validations = StageRecord.objects.filter(entry__person=person, kind="validazione")
    assert {r.actor.username for r in validations} == {"valutatore"}
    assert all(
        r.request is not None and r.request.requested_by == person.counsellor for r in validations
    )
    certification = StageRecord.objects.get(entry__person=person, kind="certificazione")
    assert certification.actor.username == "certificatore" and certification.is_attested
    assert StageRequest.objects.filter(entry__person=person, status="aperta").exists()


def test_every_demo_stage_rests_on_a_record_that_keeps_the_rules(seeded):
    entries = list(SkillEntry.objects.values_list("pk", "stage", "recorded_by_id"))
    supported = supported_stages(entry_ids=[pk for pk, _s, _r in entries])
    assert all(supported[pk] == stage for pk, stage, _r in entries)
    assert {stage for _pk, stage, _r in entries} >= {"individuata", "validata", "certificata"}
    recorded_by = {pk: recorder for pk, _stage, recorder in entries}
    for record in StageRecord.objects.filter(kind="validazione").prefetch_related("evidences"):
        assert record.actor_id != recorded_by[record.entry_id]
        assert any(e.kind in ACCEPTED_EVIDENCE_KINDS for e in record.evidences.all())
        assert set(record.evidences.all()) <= set(record.entry.evidences.all())
    for record in StageRecord.objects.filter(kind="certificazione"):
        assert record.attestation_number and record.attestation_date and record.attestation_standard


def test_assessor_and_certifier_log_in_and_find_their_work(seeded, client):
    for username, role in (("valutatore", "valutatore"), ("certificatore", "ente_titolato")):
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.role == role
    assessor = User.objects.get(username="valutatore")
    assert StageRequest.objects.filter(organisation=assessor.organisation, status="aperta").exists()
    client.force_login(assessor)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/valutazione/"
    assert "Validazioni da fare" in response.content.decode()
    output = StringIO()
    call_command("demo_logins", stdout=output)
    assert "valutatore" in output.getvalue() and "certificatore" in output.getvalue()


def test_reset_removes_the_idvcc_records_with_the_demo(seeded):
    base.seed(reset=True)
    assert StageRecord.objects.filter(kind="validazione").exists()
    orphans = StageRecord.objects.exclude(entry__person__in=Person.objects.all())
    assert not orphans.exists()
