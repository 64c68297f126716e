"""Page numbers are bounded everywhere results are paged by a search backend.

The first three tests are the requests that made the process try to allocate ~320 TB:
each must now answer 404 in Italian without asking the engine for the page.
"""

import datetime

import pytest

from search.backends import get_backend
from search.backends.base import MAX_RESULT_WINDOW, ResultWindowExceeded
from search.backends.elastic import ElasticsearchBackend
from search.types import CandidateQuery, HardConstraints, OpportunityQuery
from tests.conftest import client_for
from tests.factories import CounsellorFactory, EmployerUserFactory
from tests.lavoro.web_helpers import candidate_world, login
from tests.search import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]
TODAY = datetime.date(2026, 6, 1)
PAGE_MISSING = "non esiste: le pagine vanno da 1 a"


@pytest.fixture
def employer_world():
    world = candidate_world()
    b.index_everything()
    return world


def _refuses_engine(monkeypatch) -> None:
    """Fail the test if the backend is asked for anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("the search backend must not be asked for this page")

    backend = type(get_backend())
    monkeypatch.setattr(backend, "search_candidates", refuse)
    monkeypatch.setattr(backend, "match_opportunities_for_person", refuse)


def test_candidate_search_api_far_past_the_last_page_is_an_italian_404(
    employer_world, monkeypatch
):
    _refuses_engine(monkeypatch)
    client = client_for(employer_world.employer_user)
    response = client.get("/api/v1/candidates/search/?page=999999999999")
    assert response.status_code == 404
    assert PAGE_MISSING in response.json()["message"]
    assert response.json()["code"] == "not_found"


def test_offer_candidates_api_far_past_the_last_page_is_an_italian_404(
    employer_world, monkeypatch
):
    _refuses_engine(monkeypatch)
    offer = employer_world.offer
    client = client_for(employer_world.employer_user)
    response = client.get(f"/api/v1/matches/offers/{offer.pk}/candidates/?page=528375558")
    assert response.status_code == 404
    assert PAGE_MISSING in response.json()["message"]


def test_employer_candidate_page_far_past_the_last_page_is_an_italian_404(
    employer_world, monkeypatch
):
    _refuses_engine(monkeypatch)
    response = login(employer_world.employer_user).get("/azienda/candidati/?pagina=999999999999")
    assert response.status_code == 404
    html = response.content.decode()
    assert "La pagina «999999999999» non esiste: le pagine vanno da 1 a 400." in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²", "9" * 5000])
def test_employer_candidate_page_with_a_malformed_page_number_is_a_404(employer_world, page):
    response = login(employer_world.employer_user).get("/azienda/candidati/", {"pagina": page})
    assert response.status_code == 404
    assert "9" * 100 not in response.content.decode()  # the refused number is not echoed whole


def test_candidate_page_one_past_the_last_is_a_404_and_the_last_is_served(employer_world):
    client = login(employer_world.employer_user)
    assert client.get("/azienda/candidati/", {"pagina": 1}).status_code == 200
    response = client.get("/azienda/candidati/", {"pagina": 2})
    assert response.status_code == 404
    assert "La pagina «2» non esiste: le pagine vanno da 1 a 1." in response.content.decode()


def test_search_api_page_past_the_results_is_a_404_but_an_empty_first_page_is_not(world):
    b.offer(world, title="Unica")
    b.index_everything()
    client = client_for(CounsellorFactory(organisation=world.person.organisation))
    url = f"/api/v1/matches/people/{world.person.pseudonym}/opportunities/"
    assert client.get(url, {"page": 1}).json()["count"] == 1
    response = client.get(url, {"page": 2})
    assert response.status_code == 404
    assert "le pagine vanno da 1 a 1" in response.json()["message"]
    nothing = client.get(url, {"q": "astronave"})
    assert nothing.status_code == 200 and nothing.json()["results"] == []


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page_size": 101}, 400),
        ({"page_size": 0}, 400),
        ({"page": 0}, 400),
        ({"page": "x"}, 400),
        ({"page": 101, "page_size": 100}, 404),  # starts at 10,000: outside the window
        ({"page": 10**40}, 404),
    ],
)
def test_search_api_bounds_page_and_page_size_before_the_backend(
    world, monkeypatch, params, status
):
    _refuses_engine(monkeypatch)
    client = client_for(EmployerUserFactory())
    response = client.get("/api/v1/candidates/search/", params)
    assert response.status_code == status
    assert response.json()["message"]


def test_the_last_page_inside_the_window_has_no_next_link(world, monkeypatch):
    """With more results than the window holds, the last reachable page links no further."""
    b.offer(world)
    b.index_everything()
    backend = type(get_backend())
    real = backend.match_opportunities_for_person

    def many(self, query):
        found = real(self, query)
        return type(found)(total=MAX_RESULT_WINDOW * 3, hits=found.hits)

    monkeypatch.setattr(backend, "match_opportunities_for_person", many)
    client = client_for(CounsellorFactory(organisation=world.person.organisation))
    url = f"/api/v1/matches/people/{world.person.pseudonym}/opportunities/"
    body = client.get(url, {"page": 100, "page_size": 100}).json()
    assert body["count"] == MAX_RESULT_WINDOW * 3
    assert body["next"] is None and "page=99" in body["previous"]
    assert client.get(url, {"page": 101, "page_size": 100}).status_code == 404


def _candidate_query(offset: int, limit: int) -> CandidateQuery:
    return CandidateQuery(today=TODAY, viewer_organisation=None, viewer_is_admin=True,
                          offset=offset, limit=limit)  # fmt: skip


def _opportunity_query(offset: int, limit: int) -> OpportunityQuery:
    return OpportunityQuery(kinds=("offer",), credits={}, origin=None,
                            constraints=HardConstraints(today=TODAY), offset=offset,
                            limit=limit)  # fmt: skip


@pytest.mark.parametrize(
    ("offset", "limit"),
    [(10**12, 20), (MAX_RESULT_WINDOW, 1), (MAX_RESULT_WINDOW - 5, 6), (-1, 20), (0, -1)],
)
def test_embedded_backend_refuses_pages_outside_the_result_window(world, offset, limit):
    b.index_everything()
    backend = get_backend()
    with pytest.raises(ResultWindowExceeded):
        backend.search_candidates(_candidate_query(offset, limit))
    with pytest.raises(ResultWindowExceeded):
        backend.match_opportunities_for_person(_opportunity_query(offset, limit))


def test_a_count_of_opportunities_asks_for_no_page_but_candidates_need_one(world):
    """Coverage and the what-if form count (limit 0); the candidate engine cannot."""
    b.offer(world)
    b.index_everything()
    backend = get_backend()
    found = backend.match_opportunities_for_person(_opportunity_query(0, 0))
    assert (found.total, found.hits) == (1, ())
    with pytest.raises(ResultWindowExceeded):
        backend.search_candidates(_candidate_query(0, 0))


def test_embedded_backend_serves_the_last_page_of_the_window(world):
    b.index_everything()
    backend = get_backend()
    assert backend.search_candidates(_candidate_query(MAX_RESULT_WINDOW - 20, 20)).hits == ()
    found = backend.match_opportunities_for_person(_opportunity_query(MAX_RESULT_WINDOW - 1, 1))
    assert found.hits == ()


def test_elasticsearch_backend_refuses_them_before_sending_anything():
    # a client with no methods at all: any request would fail with AttributeError instead
    backend = ElasticsearchBackend("http://127.0.0.1:9", "ponte-test", client=object())
    with pytest.raises(ResultWindowExceeded):
        backend.search_candidates(_candidate_query(10**12, 20))
    with pytest.raises(ResultWindowExceeded):
        backend.match_opportunities_for_person(_opportunity_query(MAX_RESULT_WINDOW, 1))
