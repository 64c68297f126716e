"""Caseload page (/operatore/) and «Nuova persona»."""

import pytest
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Person, PersonIdentity
from tests.competenze.web_helpers import login
from tests.factories import (
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    MunicipalityFactory,
    PersonFactory,
    PersonIdentityFactory,
    ProgrammeManagerFactory,
    SkillEntryFactory,
    TraineeUserFactory,
    valid_codice_fiscale,
)
from tests.factories.interviews import InterviewFactory

pytestmark = pytest.mark.django_db

CASELOAD = reverse("competenze:caseload")
NEW = reverse("competenze:person-new")


@pytest.fixture
def counsellor():
    return CounsellorFactory()


def test_caseload_lists_only_the_organisation_people_with_counts(counsellor):
    mine = PersonFactory(organisation=counsellor.organisation, counsellor=counsellor)
    SkillEntryFactory.create_batch(3, person=mine)
    interview = InterviewFactory(person=mine)
    other = PersonFactory()
    response = login(counsellor).get(CASELOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.pseudonym in html and other.pseudonym not in html
    assert reverse("competenze:person-detail", args=[mine.pseudonym]) in html
    assert reverse("competenze:interview", args=[interview.pk]) in html
    assert "<td>3</td>" in html
    assert "Nuova persona" in html


def test_caseload_never_shows_identity(counsellor):
    person = PersonFactory(organisation=counsellor.organisation)
    identity = PersonIdentityFactory(person=person, first_name="Gennaro")
    html = login(counsellor).get(CASELOAD).content.decode()
    assert "Gennaro" not in html and identity.codice_fiscale not in html
    assert not AccessLog.objects.filter(data_category="identita").exists()


def test_caseload_search_by_pseudonym_and_municipality(counsellor):
    bergamo = MunicipalityFactory(name="Bergamo")
    in_bergamo = PersonFactory(organisation=counsellor.organisation, domicile=bergamo)
    elsewhere = PersonFactory(organisation=counsellor.organisation)
    client = login(counsellor)
    html = client.get(CASELOAD, {"q": "berg"}).content.decode()
    assert in_bergamo.pseudonym in html and elsewhere.pseudonym not in html
    html = client.get(CASELOAD, {"q": elsewhere.pseudonym[2:6]}).content.decode()
    assert elsewhere.pseudonym in html


def test_caseload_is_paginated_by_25_without_a_query_per_row(
    counsellor, django_assert_max_num_queries
):
    PersonFactory.create_batch(30, organisation=counsellor.organisation, counsellor=counsellor)
    client = login(counsellor)
    with django_assert_max_num_queries(10):
        first = client.get(CASELOAD)
    assert first.content.decode().count('<th scope="row">') == 25
    assert "Pagina 1 di 2" in first.content.decode()
    second = client.get(CASELOAD, {"pagina": 2}).content.decode()
    assert second.count('<th scope="row">') == 5


@pytest.mark.parametrize(
    "factory",
    [EmployerUserFactory, HostBodyUserFactory, TraineeUserFactory, ProgrammeManagerFactory],
)
def test_caseload_refuses_other_roles(factory):
    assert login(factory()).get(CASELOAD).status_code == 403
    assert login(factory()).get(NEW).status_code == 403


def test_caseload_sends_anonymous_users_to_login(client):
    response = client.get(CASELOAD)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_caseload_pages_keep_the_search(counsellor):
    town = MunicipalityFactory(name="San Donato Milanese")
    PersonFactory.create_batch(
        26, organisation=counsellor.organisation, counsellor=counsellor, domicile=town
    )
    html = login(counsellor).get(CASELOAD, {"q": "San Donato"}).content.decode()
    assert 'href="?q=San+Donato&amp;pagina=2" rel="next"' in html
    second = login(counsellor).get(CASELOAD, {"q": "San Donato", "pagina": 2})
    assert second.status_code == 200 and len(second.context["people"]) == 1


# --- new person -------------------------------------------------------------------------------


def test_new_person_form_renders_with_labels_and_marks_the_required_fields(counsellor):
    html = login(counsellor).get(NEW).content.decode()
    required = ' <span class="muted">(obbligatorio)</span>'
    for label in ("Nome", "Cognome"):
        assert f">{label}{required}</label>" in html
    for label in ("Codice fiscale", "Comune di domicilio"):
        assert f">{label}</label>" in html


def test_new_person_creates_person_and_identity_through_the_service(counsellor):
    MunicipalityFactory(name="Brescia", istat_code="017029")
    code = valid_codice_fiscale(7)
    response = login(counsellor).post(
        NEW,
        {
            "first_name": "Luca",
            "last_name": "Bianchi",
            "codice_fiscale": code.lower(),
            "birth_date": "1990-05-01",
            "domicile": "brescia",
            "weekly_hours_available": "20",
        },
    )
    person = Person.objects.get(identity__codice_fiscale=code)
    assert response.status_code == 302
    assert response["Location"] == reverse("competenze:person-detail", args=[person.pseudonym])
    assert person.organisation_id == counsellor.organisation_id
    assert person.counsellor == counsellor and person.domicile.name == "Brescia"
    assert AccessLog.objects.filter(subject=person.pseudonym, action="create").exists()


def test_new_person_refuses_a_wrong_codice_fiscale_in_italian_keeping_the_input(counsellor):
    response = login(counsellor).post(
        NEW,
        {
            "first_name": "Luca",
            "last_name": "Bianchi",
            "codice_fiscale": "RSSMRA80A01F205Z",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "il carattere di controllo non corrisponde" in html
    assert 'value="Bianchi"' in html
    assert not PersonIdentity.objects.exists()


def test_new_person_refuses_a_badly_shaped_codice_fiscale(counsellor):
    html = (
        login(counsellor)
        .post(
            NEW,
            {
                "first_name": "Luca",
                "last_name": "Bianchi",
                "codice_fiscale": "ABC123",
            },
        )
        .content.decode()
    )
    assert "Codice fiscale non valido: controlla le 16 lettere e cifre." in html


def test_new_person_refuses_a_duplicate_codice_fiscale_with_409(counsellor):
    existing = PersonIdentityFactory()
    response = login(counsellor).post(
        NEW,
        {"first_name": "Luca", "last_name": "Bianchi", "codice_fiscale": existing.codice_fiscale},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Esiste già una persona con questo codice fiscale." in html
    assert Person.objects.count() == 1


def test_new_person_reports_an_unknown_municipality(counsellor):
    html = (
        login(counsellor)
        .post(
            NEW,
            {
                "first_name": "Luca",
                "last_name": "Bianchi",
                "domicile": "Atlantide",
            },
        )
        .content.decode()
    )
    assert "Comune non trovato: «Atlantide»" in html
    assert not Person.objects.exists()


def test_new_person_requires_names_in_italian(counsellor):
    html = login(counsellor).post(NEW, {}).content.decode()
    assert "Campo obbligatorio." in html


def test_caseload_shows_open_contact_requests_of_the_organisation_only(counsellor):
    from lavoro.models import ContactRequest
    from tests.factories import EmployerUserFactory, JobOfferFactory

    mine = PersonFactory(organisation=counsellor.organisation, counsellor=counsellor)
    other = PersonFactory()
    offer = JobOfferFactory(title="Magazziniere notturno")
    employer_user = EmployerUserFactory(organisation=offer.employer.organisation)
    for person in (mine, other):
        ContactRequest.objects.create(
            employer=offer.employer,
            offer=offer,
            person=person,
            counsellor=person.counsellor,
            requested_by=employer_user,
            message="Possiamo incontrarla?",
        )
    html = login(counsellor).get(CASELOAD).content.decode()
    assert "Richieste di contatto dalle aziende" in html
    assert "Magazziniere notturno" in html and "Possiamo incontrarla?" in html
    assert html.count("Possiamo incontrarla?") == 1  # the other organisation's stays out
