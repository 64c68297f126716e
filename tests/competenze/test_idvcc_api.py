"""IDVCC through the API: the whole workflow, every forbidden path refused with the service's
Italian message (403 who may not, 400 what is missing), the public verification."""

import pytest
from django.urls import reverse

from competenze.models import StageRecord
from tests.competenze.idvcc_helpers import attestation, world
from tests.conftest import client_for
from tests.factories import CounsellorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    settings.PONTE_CREDENTIALS_KEY_DIR = tmp_path / "keys"


def api(name, *args):
    return reverse(f"api:competenze:{name}", args=args)


def _certification_body(**overrides):
    body = {"method": "prova_pratica", **attestation(), **overrides}
    body["attestation_date"] = str(body["attestation_date"]) if body["attestation_date"] else None
    return body


def test_the_whole_workflow_through_the_api():
    w = world()
    counsellor, assessor, certifier = (
        client_for(u) for u in (w.counsellor, w.assessor, w.certifier)
    )
    asked = counsellor.post(
        api("stage-request-create", w.entry.pk),
        {"stage": "validata", "organisation_id": w.assessor.organisation_id, "note": "Urgente"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    (listed,) = assessor.get(api("stage-requests")).json()
    assert listed["entry_id"] == w.entry.pk and listed["pseudonym"] == w.person.pseudonym
    assert client_for(w.certifier).get(api("stage-requests")).json() == []  # not theirs
    validated = assessor.post(
        api("skill-validate", w.entry.pk),
        {"method": "documentale", "evidence_ids": [w.statement.pk], "note": "ok"},
        format="json",
    )
    assert validated.status_code == 201, validated.json()
    assert validated.json()["stage_after"] == "validata"
    assert "valutatore indipendente" in validated.json()["stage_after_explanation"]
    counsellor.post(
        api("stage-request-create", w.entry.pk),
        {"stage": "certificata", "organisation_id": w.certifier.organisation_id},
        format="json",
    )
    certified = certifier.post(
        api("skill-certify", w.entry.pk), _certification_body(), format="json"
    )
    assert certified.status_code == 201, certified.json()
    records = counsellor.get(api("stage-records", w.entry.pk)).json()
    assert [r["kind"] for r in records] == ["individuazione", "validazione", "certificazione"]
    assert records[1]["evidence_ids"] == [w.statement.pk]
    exported = counsellor.post(api("person-credentials-export", w.person.pseudonym)).json()
    assert len(exported) == 1 and exported[0]["stage"] == "certificata"
    public = client_for(None)
    public.force_authenticate(user=None)
    verdict = public.post(api("credential-verify"), {"token": exported[0]["token"]}, format="json")
    assert verdict.status_code == 200
    assert verdict.json()["verdict"] == "valida"
    assert verdict.json()["achievement"] == "Preparare i primi piatti"
    europass = counsellor.get(api("person-credentials-europass", w.person.pseudonym))
    assert europass.json()["type"][1] == "EuropeanDigitalCredential"


def test_counsellor_certifying_is_forbidden():
    w = world()
    w.validate()
    w.ask("certificata")
    response = client_for(w.counsellor).post(
        api("skill-certify", w.entry.pk), _certification_body(), format="json"
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Solo un ente titolato può certificare una competenza."
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"


def test_assessor_validating_an_entry_they_recorded_is_forbidden():
    w = world()
    w.entry.recorded_by = w.assessor
    w.entry.save(update_fields=["recorded_by"])
    w.ask("validata")
    response = client_for(w.assessor).post(
        api("skill-validate", w.entry.pk),
        {"method": "documentale", "evidence_ids": [w.statement.pk]},
        format="json",
    )
    assert response.status_code == 403
    assert "che hai registrato tu" in response.json()["message"]


def test_validation_without_evidence_is_refused():
    w = world()
    w.ask("validata")
    for evidence_ids in ([], [w.answer.pk]):
        response = client_for(w.assessor).post(
            api("skill-validate", w.entry.pk),
            {"method": "documentale", "evidence_ids": evidence_ids},
            format="json",
        )
        assert response.status_code == 400
        assert "la sola risposta al colloquio non basta" in response.json()["message"]
    assert not StageRecord.objects.filter(kind="validazione").exists()


def test_certification_without_attestation_is_refused():
    w = world()
    w.validate()
    w.ask("certificata")
    response = client_for(w.certifier).post(
        api("skill-certify", w.entry.pk),
        _certification_body(attestation_number="", attestation_date=None),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "servono i dati dell'attestazione" in body["message"]
    assert body["extra"] == {"missing": ["attestation_number", "attestation_date"]}


def test_changing_the_stage_by_patch_is_refused():
    w = world()
    url = api("person-skill-detail", w.person.pseudonym, w.entry.pk)
    response = client_for(w.counsellor).patch(url, {"stage": "validata"}, format="json")
    assert (
        response.status_code == 400 and "non si cambia direttamente" in response.json()["message"]
    )


def test_whoever_has_no_part_in_the_entry_gets_404():
    w = world()
    for outsider in (CounsellorFactory(), w.assessor):
        assert client_for(outsider).get(api("stage-records", w.entry.pk)).status_code == 404


def test_the_schema_documents_the_idvcc_operations(api_client, counsellor):
    api_client.force_authenticate(user=counsellor)
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    validation = schema["paths"]["/api/v1/skills/{entry_id}/validation/"]["post"]
    assert set(validation["responses"]) >= {"201", "400", "403", "404"}
    assert validation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ValidationInputRequest"
    )
    verify = schema["paths"]["/api/v1/credentials/verify/"]["post"]
    assert verify.get("security") in (None, [], [{}])
