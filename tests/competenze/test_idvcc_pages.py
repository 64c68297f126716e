"""IDVCC pages: the counsellor asks, assessors and certifying bodies work through their
list; every forbidden path refused on the page with nothing written; the public
verification page; what employers see."""

import jwt
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Consent, SkillEntry, StageRecord, StageRequest
from competenze.services import credentials as credential_services
from competenze.services import idvcc
from search.sources import candidate_docs
from tests.competenze.idvcc_helpers import attestation, world
from tests.competenze.web_helpers import login
from tests.factories import (
    AssessorFactory,
    ConsentFactory,
    EmployerFactory,
    EmployerUserFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.PONTE_CREDENTIALS_KEY_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"


def page(name, *args):
    return reverse(f"competenze:{name}", args=args)


def _request(w, stage="validata"):
    return StageRequest.objects.get(entry=w.entry, stage=stage, status="aperta")


# --- the counsellor ------------------------------------------------------------------------


def test_counsellor_asks_for_validation_from_the_profile_and_can_withdraw():
    w = world()
    client = login(w.counsellor)
    html = client.get(page("profile", w.person.pseudonym)).content.decode()
    assert "Chiedi la validazione" in html and w.assessor.organisation.name in html
    assert w.certifier.organisation.name not in html  # not an assessing body
    response = client.post(
        page("stage-request", w.person.pseudonym, w.entry.pk),
        {
            "stage": "validata",
            "organisation": w.assessor.organisation_id,
            "note": "Ha un attestato",
        },
    )
    assert response.status_code == 302
    item = _request(w)
    assert item.note == "Ha un attestato" and item.requested_by == w.counsellor
    html = client.get(page("profile", w.person.pseudonym)).content.decode()
    assert "in attesa" in html and "Ritira la richiesta" in html
    client.post(page("stage-request-withdraw", w.person.pseudonym, item.pk))
    item.refresh_from_db()
    assert item.status == "ritirata"


def test_counsellor_sees_the_stage_history():
    w = world()
    w.validate(note="Due turni osservati")
    html = login(w.counsellor).get(page("stage-history", w.person.pseudonym, w.entry.pk))
    text = html.content.decode()
    assert "Validazione" in text and "Due turni osservati" in text
    assert (
        w.assessor.organisation.name in text and "Dichiarazione del datore".lower() in text.lower()
    )


def test_counsellor_certifying_from_a_page_is_refused():
    w = world()
    w.validate()
    w.ask("certificata")
    item = _request(w, "certificata")
    client = login(w.counsellor)
    assert client.get(page("idvcc-assessment", item.pk)).status_code == 403
    response = client.post(
        page("idvcc-assessment", item.pk),
        {"method": "documentale", "outcome": "positivo", **attestation()},
    )
    assert response.status_code == 403
    assert client.get(page("idvcc-worklist")).status_code == 403
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"


# --- assessors ---------------------------------------------------------------------------


def test_assessor_worklist_shows_their_requests_with_the_pseudonym_only():
    w = world()
    w.ask("validata")
    html = login(w.assessor).get(page("idvcc-worklist")).content.decode()
    assert "Preparare i primi piatti" in html and w.person.pseudonym in html
    assert "Gennaro" not in html and "Esposito" not in html
    assert (
        "Preparare i primi piatti"
        not in login(AssessorFactory()).get(page("idvcc-worklist")).content.decode()
    )
    assert login(AssessorFactory()).get(page("idvcc-assessment", _request(w).pk)).status_code == 404


def test_assessor_validates_on_the_page_and_the_opening_is_audited():
    w = world()
    w.ask("validata")
    item = _request(w)
    client = login(w.assessor)
    html = client.get(page("idvcc-assessment", item.pk)).content.decode()
    assert "Facevo i primi piatti" in html and "accettata per validare" in html
    assert AccessLog.objects.filter(
        actor=w.assessor, action="view", data_category="competenze"
    ).exists()
    response = client.post(
        page("idvcc-assessment", item.pk),
        {"method": "osservazione", "evidences": [str(w.statement.pk)], "outcome": "positivo"},
    )
    assert response.status_code == 302 and response["Location"] == page("idvcc-worklist")
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"


def test_assessor_validating_their_own_entry_is_refused_on_the_page():
    w = world()
    SkillEntry.objects.filter(pk=w.entry.pk).update(recorded_by=w.assessor)
    w.ask("validata")
    response = login(w.assessor).post(
        page("idvcc-assessment", _request(w).pk),
        {"method": "documentale", "evidences": [str(w.statement.pk)], "outcome": "positivo"},
    )
    assert response.status_code == 200
    assert "che hai registrato tu" in response.content.decode()
    assert not StageRecord.objects.filter(kind="validazione").exists()


def test_validation_without_evidence_is_refused_on_the_page():
    w = world()
    w.ask("validata")
    response = login(w.assessor).post(
        page("idvcc-assessment", _request(w).pk),
        {"method": "documentale", "evidences": [str(w.answer.pk)], "outcome": "positivo"},
    )
    assert "la sola risposta al colloquio non basta" in response.content.decode()
    w.entry.refresh_from_db()
    assert w.entry.stage == "individuata"


def test_certification_without_attestation_is_refused_on_the_page():
    w = world()
    w.validate()
    w.ask("certificata")
    response = login(w.certifier).post(
        page("idvcc-assessment", _request(w, "certificata").pk),
        {"method": "prova_pratica", "outcome": "positivo", "attestation_number": "N-1"},
    )
    assert "servono i dati dell&#x27;attestazione" in response.content.decode()
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"


def test_certifier_certifies_on_the_page():
    w = world()
    w.validate()
    w.ask("certificata")
    values = attestation()
    values["attestation_date"] = values["attestation_date"].isoformat()
    response = login(w.certifier).post(
        page("idvcc-assessment", _request(w, "certificata").pk),
        {"method": "prova_pratica", "outcome": "positivo", **values},
    )
    assert response.status_code == 302
    w.entry.refresh_from_db()
    assert w.entry.stage == "certificata"


def test_assessor_adds_an_observation_and_opens_evidence_files_audited():
    w = world()
    w.ask("validata")
    item = _request(w)
    client = login(w.assessor)
    upload = SimpleUploadedFile("osservazione.pdf", PDF)
    response = client.post(
        page("idvcc-evidence-upload", item.pk),
        {"kind": "osservazione", "description": "Turno del 3 marzo", "file": upload},
    )
    assert response.status_code == 302
    evidence = w.entry.evidences.get(kind="osservazione")
    assert evidence.uploaded_by == w.assessor
    opened = client.get(page("idvcc-evidence-file", evidence.pk))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    assert login(AssessorFactory()).get(page("idvcc-evidence-file", evidence.pk)).status_code == 404
    assert AccessLog.objects.filter(data_category="evidenze", action="denied").exists()


def test_revocation_from_the_worklist():
    w = world()
    w.validate()
    client = login(w.assessor)
    assert "Registra la revoca" in client.get(page("idvcc-worklist")).content.decode()
    client.post(page("idvcc-revoke", w.entry.pk), {"note": ""})
    w.entry.refresh_from_db()
    assert w.entry.stage == "validata"  # a revocation needs its reason
    client.post(page("idvcc-revoke", w.entry.pk), {"note": "Dichiarazione non autentica"})
    w.entry.refresh_from_db()
    assert w.entry.stage == "individuata"


# --- the public verification page ----------------------------------------------------------


def _token(w):
    (credential,) = credential_services.person_credentials_issue(person=w.person, user=w.counsellor)
    return credential.token


def test_verification_page_says_valid_altered_or_revoked(client):
    w = world()
    w.validate()
    token = _token(w)
    assert client.get(page("credentials-verify")).status_code == 200  # no login needed
    html = client.post(page("credentials-verify"), {"token": token}).content.decode()
    assert "<h2>Valida</h2>" in html and "Preparare i primi piatti" in html
    header, payload, signature = token.split(".")
    altered = (
        f"{header}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{signature}"
    )
    html = client.post(page("credentials-verify"), {"token": altered}).content.decode()
    assert "<h2>Alterata</h2>" in html and "Preparare i primi piatti" not in html
    idvcc.skill_entry_stage_revoke(entry=w.entry, revoked_by=w.assessor, note="Errore")
    upload = SimpleUploadedFile("credenziale.jwt", token.encode())
    html = client.post(page("credentials-verify"), {"file": upload}).content.decode()
    assert "<h2>Revocata</h2>" in html


def test_person_credentials_page_and_downloads():
    w = world()
    w.validate()
    client = login(w.counsellor)
    html = client.get(page("credentials", w.person.pseudonym)).content.decode()
    assert "Preparare i primi piatti" in html and "Scarica (.jwt)" in html
    credential = w.entry.credentials.get()
    download = client.get(page("credential-download", w.person.pseudonym, str(credential.id)))
    assert download["Content-Type"] == "application/vc+jwt"
    assert jwt.get_unverified_header(download.content.decode())["alg"] == "EdDSA"
    europass = client.get(page("credentials-europass", w.person.pseudonym))
    assert europass.json()["credentialSubject"]["hasClaim"][0]["type"] == "LearningAchievement"
    assert (
        login(EmployerUserFactory()).get(page("credentials", w.person.pseudonym)).status_code == 403
    )


# --- what employers and the index see ------------------------------------------------------


def test_employers_and_the_index_see_only_the_stage_records_support():
    w = world()
    ConsentFactory(person=w.person, purpose=Consent.Purpose.SHARE_PROFILE)
    SkillEntry.objects.filter(pk=w.entry.pk).update(stage="certificata")  # no record behind it
    employer = login(EmployerUserFactory(organisation=EmployerFactory().organisation))
    url = reverse("lavoro:candidate-detail", args=[w.person.pseudonym])
    html = employer.get(url).content.decode()
    assert '<span class="badge individuata">Individuata</span>' in html
    assert 'badge certificata">Certificata</span></td>' not in html
    assert "non ancora verificata da altri" in html  # each stage explained
    (doc,), _gone = candidate_docs([w.person.pk])
    assert [skill.stage for skill in doc.skills] == ["individuata"]
    SkillEntry.objects.filter(pk=w.entry.pk).update(stage="individuata")
    w.validate()
    assert '<span class="badge validata">Validata</span>' in employer.get(url).content.decode()
    (doc,), _gone = candidate_docs([w.person.pk])
    assert [skill.stage for skill in doc.skills] == ["validata"]
