"""Skill profile: stages, levels, removal, evidence upload and the authorised, audited
download; the printable summary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.models import AccessLog, User
from competenze.models import Evidence, SkillEntry
from tests.competenze.web_helpers import login
from tests.factories import (
    ConceptFactory,
    CounsellorFactory,
    EmployerUserFactory,
    PersonFactory,
    PersonIdentityFactory,
    SectorFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def person():
    person = PersonFactory()
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name="Esposito")
    return person


@pytest.fixture
def counsellor(person):
    return person.counsellor


@pytest.fixture
def entry(person):
    sector = SectorFactory(label="Ristorazione")
    concept = ConceptFactory(
        framework=sector.framework, sector=sector, pref_label="Preparare i primi piatti"
    )
    return SkillEntryFactory(
        person=person, concept=concept, evidence_text="«preparavo i primi» — in mensa"
    )


def url(name, person, *args):
    return reverse(f"competenze:{name}", args=[person.pseudonym, *args])


def upload(client, person, content=PDF, name="attestato.pdf", **extra):
    data = {
        "kind": "attestato",
        "description": "Attestato HACCP",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url("evidence-upload", person), data)


def test_profile_groups_entries_by_sector_with_stage_and_words(person, counsellor, entry):
    SkillEntryFactory(person=person, concept__pref_label="Usare il computer")
    response = login(counsellor).get(url("profile", person))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="settore-1">Ristorazione</h2>' in html
    assert "Altre competenze" in html
    assert 'class="badge individuata"' in html and "preparavo i primi" in html
    assert "non ancora verificata da altri" in html  # the stage explained in plain words
    assert "Porta alla fase" not in html and "Carica l'evidenza" in html


@pytest.mark.parametrize("factory", [EmployerUserFactory, TraineeUserFactory])
def test_profile_refuses_other_roles(person, factory):
    assert login(factory()).get(url("profile", person)).status_code == 403


def test_one_click_stage_change_is_gone(person, counsellor, entry):
    """The old «Porta alla fase» form posted here; the stage now changes only through a
    validation or certification record (tests/competenze/test_idvcc_pages.py)."""
    old_route = f"/operatore/persone/{person.pseudonym}/competenze/{entry.pk}/fase/"
    assert login(counsellor).post(old_route, {"stage": "certificata"}).status_code == 404
    entry.refresh_from_db()
    assert entry.stage == "individuata" and not entry.stage_records.exists()


def test_level_change_and_removal(person, counsellor, entry):
    client = login(counsellor)
    client.post(url("skill-level", person, entry.pk), {"level": "3"})
    entry.refresh_from_db()
    assert entry.level == 3
    bad = client.post(url("skill-level", person, entry.pk), {"level": "9"}, follow=True)
    assert "Livello non valido" in bad.content.decode()
    client.post(url("skill-remove", person, entry.pk))
    assert not SkillEntry.objects.filter(pk=entry.pk).exists()


def test_entry_of_another_person_is_404(person, counsellor):
    other = SkillEntryFactory()
    response = login(counsellor).post(url("skill-level", person, other.pk), {"level": "2"})
    assert response.status_code == 404


# --- evidence ---------------------------------------------------------------------------------


def test_upload_a_pdf_linked_to_an_entry(person, counsellor, entry, media):
    response = upload(login(counsellor), person, skill_entry=str(entry.pk))
    assert response.status_code == 302 and response["Location"].endswith("#evidenze")
    evidence = Evidence.objects.get(person=person)
    assert evidence.file.name.startswith(f"evidenze/{person.pseudonym}/")
    assert (media / evidence.file.name).read_bytes() == PDF
    assert list(entry.evidences.all()) == [evidence]
    assert AccessLog.objects.filter(data_category="evidenze", action="create").exists()


def test_upload_refuses_a_file_over_10_mb(person, counsellor):
    big = PDF + b"0" * (10 * 1024 * 1024)
    html = upload(login(counsellor), person, content=big).content.decode()
    assert "Il file è troppo grande: al massimo 10 MB" in html
    assert "Attestato HACCP" in html  # the description typed is kept
    assert not Evidence.objects.exists()


def test_upload_refuses_other_types_and_disguised_files(person, counsellor):
    client = login(counsellor)
    html = upload(client, person, content=b"MZ\x90\x00", name="virus.exe").content.decode()
    assert "Formato non ammesso: carica un PDF, un JPG o un PNG." in html
    html = upload(client, person, content=b"<html>", name="finto.pdf").content.decode()
    assert "Il contenuto del file non corrisponde all&#x27;estensione .pdf" in html
    assert not Evidence.objects.exists()


def test_upload_without_file_needs_a_description(person, counsellor):
    client = login(counsellor)
    html = client.post(url("evidence-upload", person), {"kind": "dichiarazione"}).content.decode()
    assert "Carica un file oppure scrivi una descrizione" in html
    client.post(
        url("evidence-upload", person),
        {"kind": "dichiarazione", "description": "Il datore conferma 2 anni."},
    )
    assert Evidence.objects.get().description == "Il datore conferma 2 anni."


def _uploaded(person, counsellor, content=PNG, name="lavoro.png"):
    upload(login(counsellor), person, content=content, name=name)
    return Evidence.objects.get(person=person)


def test_download_is_served_to_the_counsellor_and_audited(person, counsellor):
    evidence = _uploaded(person, counsellor)
    AccessLog.objects.all().delete()
    response = login(counsellor).get(reverse("competenze:evidence-file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
    log = AccessLog.objects.get()
    assert (log.actor, log.action, log.data_category, log.subject) == (
        counsellor,
        "view",
        "evidenze",
        person.pseudonym,
    )


def test_download_as_attachment(person, counsellor):
    evidence = _uploaded(person, counsellor, content=PDF, name="a.pdf")
    response = login(counsellor).get(
        reverse("competenze:evidence-file", args=[evidence.pk]) + "?scarica=1"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


def test_download_refused_to_another_organisation_with_a_denied_row(person, counsellor):
    evidence = _uploaded(person, counsellor)
    stranger = CounsellorFactory()
    response = login(stranger).get(reverse("competenze:evidence-file", args=[evidence.pk]))
    assert response.status_code == 404
    assert AccessLog.objects.filter(
        actor=stranger, action="denied", data_category="evidenze"
    ).exists()


def test_download_refused_to_employers_and_anonymous(client, person, counsellor):
    evidence = _uploaded(person, counsellor)
    file_url = reverse("competenze:evidence-file", args=[evidence.pk])
    assert login(EmployerUserFactory()).get(file_url).status_code == 403
    assert client.get(file_url).status_code == 302


def test_the_trainee_downloads_their_own_evidence(person, counsellor):
    evidence = _uploaded(person, counsellor)
    trainee = TraineeUserFactory()
    person.user = trainee
    person.save()
    assert (
        login(trainee).get(reverse("competenze:evidence-file", args=[evidence.pk])).status_code
        == 200
    )
    assert AccessLog.objects.filter(actor=trainee, data_category="evidenze", action="view").exists()


def test_media_files_are_not_served_publicly(client, person, counsellor):
    evidence = _uploaded(person, counsellor)
    assert client.get("/media/" + evidence.file.name).status_code == 404


# --- printable summary ------------------------------------------------------------------------


def test_printable_summary_is_now_the_document_preview(person, counsellor):
    response = login(counsellor).get(url("profile-print", person))
    assert response.status_code == 302
    assert response["Location"] == url("documents", person)


def test_printable_summary_refused_to_employers(person):
    employer = EmployerUserFactory()
    assert employer.role == User.Role.EMPLOYER
    assert login(employer).get(url("profile-print", person)).status_code == 403
