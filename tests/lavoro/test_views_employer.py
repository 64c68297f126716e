"""Employer home: company registration, then the list of offers with their counts."""

import pytest
from django.test import Client
from django.urls import reverse

from common.validators import PIVA_CHECK_FAILED, PIVA_INVALID
from lavoro.models import Employer, JobOffer, Proposal, Site
from lavoro.services.employers import PARTITA_IVA_TAKEN
from tests.factories import (
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    MunicipalityFactory,
    ProgrammeManagerFactory,
    ProposalFactory,
    ProvinceFactory,
    TraineeUserFactory,
    valid_partita_iva,
)
from tests.lavoro.web_helpers import login

pytestmark = pytest.mark.django_db
URL = "/azienda/"


@pytest.fixture
def bergamo():
    return MunicipalityFactory(name="Bergamo", province=ProvinceFactory(code="BG", name="Bergamo"))


def _registration(place, **changes):
    data = {
        "name": "Officine Esempio srl",
        "partita_iva": valid_partita_iva(501),
        "ateco_code": "25.62",
        "description": "Lavorazioni meccaniche di precisione.",
        "smuraglia_interest": "on",
        "site_name": "Stabilimento",
        "site_address": "Via Roma 1",
        "municipality": f"{place.name} ({place.province.code})",
    }
    data.update(changes)
    return data


def test_url_name_is_the_employer_home():
    assert reverse("lavoro:employer-home") == URL


def test_anonymous_is_sent_to_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "factory",
    [CounsellorFactory, HostBodyUserFactory, TraineeUserFactory, ProgrammeManagerFactory],
)
def test_other_roles_get_403(factory):
    assert login(factory()).get(URL).status_code == 403


def test_employer_without_company_sees_the_registration_form():
    response = login(EmployerUserFactory()).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Registra la tua azienda" in html
    assert 'name="partita_iva"' in html
    assert 'list="elenco-comuni"' in html  # municipality autocomplete
    assert "/api/v1/municipalities/" in html


def test_registration_creates_company_and_first_site(bergamo):
    user = EmployerUserFactory()
    response = login(user).post(URL, _registration(bergamo))
    assert response.status_code == 302
    employer = Employer.objects.get(organisation=user.organisation)
    assert employer.partita_iva == valid_partita_iva(501)
    assert employer.smuraglia_interest is True
    assert employer.organisation.name == "Officine Esempio srl"
    site = Site.objects.get(employer=employer)
    assert (site.name, site.municipality) == ("Stabilimento", bergamo)


def test_registration_accepts_the_istat_code_and_an_it_prefix(bergamo):
    user = EmployerUserFactory()
    data = _registration(
        bergamo, municipality=bergamo.istat_code, partita_iva="IT " + valid_partita_iva(502)
    )
    assert login(user).post(URL, data).status_code == 302
    assert Employer.objects.get(organisation=user.organisation).partita_iva == valid_partita_iva(
        502
    )


GOOD = valid_partita_iva(503)
WRONG_CHECK_DIGIT = GOOD[:10] + str((int(GOOD[10]) + 1) % 10)


@pytest.mark.parametrize(
    ("value", "message"), [("123", PIVA_INVALID), (WRONG_CHECK_DIGIT, PIVA_CHECK_FAILED)]
)
def test_wrong_partita_iva_is_explained_in_italian_and_input_kept(bergamo, value, message):
    user = EmployerUserFactory()
    response = login(user).post(URL, _registration(bergamo, partita_iva=value))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(message).replace("'", "&#x27;") in html
    assert "Officine Esempio srl" in html  # what the user typed is still there
    assert 'aria-invalid="true"' in html
    assert not Employer.objects.exists()


def test_taken_partita_iva_is_refused(bergamo):
    taken = EmployerFactory()
    response = login(EmployerUserFactory()).post(
        URL, _registration(bergamo, partita_iva=taken.partita_iva)
    )
    assert response.status_code == 200
    assert str(PARTITA_IVA_TAKEN) in response.content.decode().replace("&#x27;", "'")
    assert Employer.objects.count() == 1


def test_unknown_municipality_and_bad_ateco_are_explained(bergamo):
    data = _registration(bergamo, municipality="Paese Inesistente", ateco_code="abc")
    response = login(EmployerUserFactory()).post(URL, data)
    html = response.content.decode().replace("&#x27;", "'")
    assert "Comune non trovato" in html
    assert "Codice ATECO non valido" in html
    assert not Employer.objects.exists()


def test_registered_employer_sees_its_offers_with_counts():
    employer = EmployerFactory()
    user = EmployerUserFactory(organisation=employer.organisation)
    offer = JobOfferFactory(employer=employer, title="Magazziniere notturno")
    JobOfferFactory(employer=employer, title="Bozza riservata", status=JobOffer.Status.DRAFT)
    JobOfferFactory(title="Offerta di altri")
    ProposalFactory(offer=offer, status=Proposal.Status.SENT)
    ProposalFactory(offer=offer, status=Proposal.Status.DRAFT)  # not sent: not counted
    response = login(user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Magazziniere notturno" in html and "Bozza riservata" in html
    assert "Offerta di altri" not in html
    row = html[html.index("Magazziniere notturno") :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td>" in row
    assert "Pubblica una nuova offerta" in html
