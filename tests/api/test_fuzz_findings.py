"""Requests the schema fuzz found answering 500 (on PostgreSQL, or in the renderer), each
now an Italian 4xx. They run on both databases; the PostgreSQL run is the one that failed."""

import json

import pytest

from tests.conftest import client_for
from tests.factories import FrameworkFactory, PersonFactory
from tests.lavoro.web_helpers import login

pytestmark = pytest.mark.django_db
SURROGATE = "\ud925"  # a lone high surrogate: no character


def post_json(client, url: str, body: dict):
    """JSON with every non-ASCII character escaped, as a client may send a lone surrogate
    (the test client's own renderer could not encode it)."""
    return client.generic("POST", url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/P-%00/",
        "/api/v1/framework/concepts/A%00/",
        "/api/v1/interviews/1/answers/a%00b/",
    ],
)
def test_a_nul_character_in_an_api_path_is_a_404(counsellor, path):
    response = client_for(counsellor).get(path)
    assert response.status_code == 404
    assert response.json()["message"] == "Indirizzo non valido: contiene un carattere nullo."


def test_a_nul_character_in_a_page_path_is_a_404(counsellor):
    response = login(counsellor).get("/operatore/persone/P-%00/")
    assert response.status_code == 404
    assert "contiene un carattere nullo" in response.content.decode()


@pytest.mark.parametrize("code", [SURROGATE, "01\x0046", "Milano", 15146, ["015146"]])
def test_a_municipality_that_cannot_be_an_istat_code_is_refused_before_the_query(counsellor, code):
    response = post_json(
        client_for(counsellor),
        "/api/v1/people/",
        {"first_name": "Luca", "last_name": "Bianchi", "domicile": code},
    )
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert fields["domicile"] == ["Codice ISTAT del comune non valido: sono 6 cifre."]


def test_an_error_that_quotes_a_lone_surrogate_is_still_rendered(counsellor):
    person = PersonFactory(organisation=counsellor.organisation, counsellor=counsellor)
    response = post_json(
        client_for(counsellor),
        f"/api/v1/people/{person.pseudonym}/measures/",
        {"measure_type": SURROGATE, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["measure_type"] == [
        f'"{SURROGATE}" non è una scelta valida.'
    ]


@pytest.mark.parametrize("code", ["RIS\x00", f"RIS{SURROGATE}"])
def test_a_concept_code_with_a_nul_or_a_surrogate_is_refused_before_the_query(employer_user, code):
    FrameworkFactory(is_default=True)
    from tests.factories import EmployerFactory

    EmployerFactory(organisation=employer_user.organisation)
    response = post_json(
        client_for(employer_user),
        "/api/v1/offers/",
        {
            "title": "Cuoco",
            "municipality": "015146",
            "contract": "determinato",
            "skills": [{"code": code}],
        },
    )
    assert response.status_code == 400
    assert "skills" in response.json()["extra"]["fields"]
