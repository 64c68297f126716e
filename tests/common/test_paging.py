"""Page numbers of database-paged lists: API (?page=&page_size=) and pages (?pagina=)."""

import pytest

from tests.conftest import client_for
from tests.factories import (
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    PersonFactory,
    ProgrammeManagerFactory,
)
from tests.lavoro.web_helpers import login

pytestmark = pytest.mark.django_db
HUGE = "999999999999"


def test_api_list_far_past_the_last_page_is_an_italian_404(counsellor):
    PersonFactory(organisation=counsellor.organisation)
    response = client_for(counsellor).get("/api/v1/people/", {"page": HUGE})
    assert response.status_code == 404
    assert response.json() == {
        "message": f"La pagina «{HUGE}» non esiste: le pagine vanno da 1 a 1.",
        "code": "not_found",
        "extra": {},
    }


def test_api_list_serves_every_page_up_to_the_last_and_no_further(counsellor):
    PersonFactory.create_batch(5, organisation=counsellor.organisation)
    client = client_for(counsellor)
    pages = [client.get("/api/v1/people/", {"page": n, "page_size": 2}) for n in (1, 2, 3, 4)]
    assert [p.status_code for p in pages] == [200, 200, 200, 404]
    assert [len(p.json()["results"]) for p in pages[:3]] == [2, 2, 1]
    assert pages[2].json()["next"] is None


def test_an_empty_api_list_still_has_its_first_page(counsellor):
    response = client_for(counsellor).get("/api/v1/offers/")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert client_for(counsellor).get("/api/v1/offers/", {"page": 2}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 201},
        {"page_size": 0},
        {"page_size": "x"},
        {"page": 0},
        {"page": "-3"},
        {"page": "1" * 2000},
    ],
)
def test_api_list_refuses_malformed_page_parameters_in_italian(counsellor, params):
    response = client_for(counsellor).get("/api/v1/people/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("Alcuni dati non sono validi")
    assert set(body["extra"]["fields"]) <= {"page", "page_size"}


def test_api_page_size_up_to_the_maximum_is_served(counsellor):
    response = client_for(counsellor).get("/api/v1/people/", {"page_size": 200})
    assert response.status_code == 200


def test_caseload_page_past_the_last_is_a_404_that_says_why(counsellor):
    PersonFactory.create_batch(3, organisation=counsellor.organisation, counsellor=counsellor)
    client = login(counsellor)
    assert client.get("/operatore/", {"pagina": 1}).status_code == 200
    response = client.get("/operatore/", {"pagina": HUGE})
    assert response.status_code == 404
    assert f"La pagina «{HUGE}» non esiste: le pagine vanno da 1 a 1." in response.content.decode()


@pytest.mark.parametrize("page", ["2", "0", "abc", HUGE])
def test_opportunity_list_page_that_names_no_page_is_a_404(page):
    client = login(ProgrammeManagerFactory())
    assert client.get("/opportunita/").status_code == 200
    assert client.get("/opportunita/", {"pagina": page}).status_code == 404


def test_employer_home_page_past_the_last_is_a_404():
    employer = EmployerFactory()
    client = login(EmployerUserFactory(organisation=employer.organisation))
    assert client.get("/azienda/").status_code == 200
    assert client.get("/azienda/", {"pagina": HUGE}).status_code == 404


@pytest.mark.parametrize("param", ["pagina_proposte", "pagina_posti"])
def test_host_home_pages_past_the_last_are_404(param):
    host = HostBodyFactory()
    client = login(HostBodyUserFactory(organisation=host.organisation))
    assert client.get("/ente/").status_code == 200
    assert client.get("/ente/", {param: HUGE}).status_code == 404


def test_other_404_pages_do_not_show_djangos_own_text(counsellor):
    response = login(counsellor).get("/operatore/persone/P-NONE-XXXX/")
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()


def test_unknown_api_address_is_an_italian_json_404():
    response = client_for(CounsellorFactory()).get("/api/v1/non-esiste/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Risorsa non trovata.", "code": "not_found", "extra": {}}
