"""The matching and candidate API: permissions, filters, pagination, explanations."""

import pytest

from tests.conftest import client_for
from tests.factories import (
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    ProgrammeManagerFactory,
)
from tests.search import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]


def opportunities_url(person) -> str:
    return f"/api/v1/matches/people/{person.pseudonym}/opportunities/"


def test_counsellor_of_the_persons_organisation_gets_ranked_explained_matches(world):
    b.skill(world.person, world.cooking)
    b.offer(world, title="Vicino")
    b.offer(world, title="Lontano", town="Brescia")
    b.course(world, title="Corso")
    b.index_everything()
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    response = client_for(counsellor).get(opportunities_url(world.person), {"kind": "offer"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["ranking"] == "formula"
    assert [r["title"] for r in body["results"]] == ["Vicino", "Lontano"]
    first = body["results"][0]
    assert first["kind"] == "offer"
    assert first["explanation"]["skills_matched"][0]["code"] == "RIS-C02"
    assert first["explanation"]["distance_km"] == 0.0


def test_counsellor_of_another_organisation_gets_404(world):
    response = client_for(CounsellorFactory()).get(opportunities_url(world.person))
    assert response.status_code == 404


def test_programme_manager_sees_matches_without_judicial_checks(world):
    b.measure(world.person, "affidamento", max_weekly_hours=30)
    b.offer(world)
    b.index_everything()
    manager = ProgrammeManagerFactory(organisation=world.person.organisation)
    body = client_for(manager).get(opportunities_url(world.person)).json()
    assert body["results"][0]["explanation"]["constraints_satisfied"] == []


def test_matches_are_paginated(world):
    for number in range(5):
        b.offer(world, title=f"Offerta {number}")
    b.index_everything()
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    client = client_for(counsellor)
    first = client.get(opportunities_url(world.person), {"page_size": 2}).json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(opportunities_url(world.person), {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert "page=2" in last["previous"]
    titles = {
        r["title"]
        for page in (1, 2, 3)
        for r in client.get(opportunities_url(world.person), {"page_size": 2, "page": page}).json()[
            "results"
        ]
    }
    assert len(titles) == 5


def test_bad_parameters_are_refused(world):
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    response = client_for(counsellor).get(opportunities_url(world.person), {"kind": "nave"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_gap_api_for_an_offer(world):
    b.skill(world.person, world.cooking)
    target = b.offer(world, skills=[(world.cooking, True), (world.hygiene, True)])
    b.course(world, title="HACCP", teaches=[world.hygiene])
    b.index_everything()
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    url = f"/api/v1/matches/people/{world.person.pseudonym}/gap/"
    body = client_for(counsellor).get(url, {"offer_id": target.pk}).json()
    assert [m["code"] for m in body["missing"]] == ["RIS-C05"]
    assert [(c["title"], c["closes"]) for c in body["courses"]] == [("HACCP", ["RIS-C05"])]


def test_gap_api_needs_a_target_and_a_known_profile(world):
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    url = f"/api/v1/matches/people/{world.person.pseudonym}/gap/"
    assert client_for(counsellor).get(url).status_code == 400
    assert client_for(counsellor).get(url, {"profile": "NO-P99"}).status_code == 404
    assert client_for(counsellor).get(url, {"profile": "RIS-P01"}).status_code == 200


def sharing_candidate(world, town="Milano", **fields):
    person = b.PersonFactory(domicile=world.towns[town], **fields)
    b.skill(person, world.cooking)
    b.share(person)
    return person


def test_candidate_search_filters_and_facets(world):
    near = sharing_candidate(world, summary="Cuoco di mensa")
    sharing_candidate(world, town="Bergamo", summary="Cuoco di trattoria")
    b.index_everything()
    client = client_for(EmployerUserFactory(organisation=EmployerFactory().organisation))
    body = client.get("/api/v1/candidates/search/", {"q": "cuoco", "province": "mi"}).json()
    assert [r["pseudonym"] for r in body["results"]] == [near.pseudonym]
    assert body["facets"]["province"] == [{"key": "MI", "label": "MI", "count": 1}]
    assert body["facets"]["skills"][0]["label"] == "Preparare e cuocere piatti semplici"
    assert body["compatible_with_role"] is None
    body = client.get("/api/v1/candidates/search/", {"skills": "RIS-C02,RIS-C07"}).json()
    assert body["count"] == 0


def test_host_bodies_search_candidates_but_not_with_an_offer(world):
    sharing_candidate(world)
    b.index_everything()
    client = client_for(HostBodyUserFactory(organisation=HostBodyFactory().organisation))
    assert client.get("/api/v1/candidates/search/").json()["count"] == 1
    target = b.offer(world)
    assert client.get("/api/v1/candidates/search/", {"offer_id": target.pk}).status_code == 403


def test_counsellors_and_trainees_cannot_search_candidates(world):
    response = client_for(CounsellorFactory()).get("/api/v1/candidates/search/")
    assert response.status_code == 403


def test_only_the_offer_owner_sees_its_candidates(world):
    owner = EmployerUserFactory()
    target = b.offer(world, employer=EmployerFactory(organisation=owner.organisation))
    sharing_candidate(world)
    b.index_everything()
    url = f"/api/v1/matches/offers/{target.pk}/candidates/"
    body = client_for(owner).get(url).json()
    assert body["count"] == 1
    assert body["results"][0]["explanation"]["skills_matched"][0]["code"] == "RIS-C02"
    assert (
        client_for(EmployerUserFactory(organisation=EmployerFactory().organisation))
        .get(url)
        .status_code
        == 403
    )
    assert client_for(owner).get("/api/v1/matches/offers/999999/candidates/").status_code == 404


def test_near_misses_name_the_constraint_for_the_counsellor_only(world):
    b.offer(world, title="Bergamo", town="Bergamo")
    b.measure(world.person, "affidamento", allowed_radius_km=25)
    b.index_everything()
    url = f"/api/v1/matches/people/{world.person.pseudonym}/near-misses/"
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    body = client_for(counsellor).get(url, {"kind": "offer"}).json()
    assert body["count"] == 1
    [miss] = body["results"]
    assert (miss["constraint"], miss["reason"]) == (
        "area",
        "fuori dall'area consentita: 46 km, limite 25 km",
    )
    assert miss["opportunity"]["title"] == "Bergamo"
    assert miss["opportunity"]["suitable"] is False  # asks cooking, the person has nothing


def test_what_if_opens_with_a_wider_radius_and_is_refused_to_the_programme_manager(world):
    b.offer(world, title="Bergamo", town="Bergamo")
    b.measure(world.person, "affidamento", allowed_radius_km=25)
    b.index_everything()
    url = f"/api/v1/matches/people/{world.person.pseudonym}/what-if/"
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    body = client_for(counsellor).get(url, {"relax": "area", "radius_km": 50}).json()
    assert (body["count"], body["relax"]) == (1, "area")
    assert body["results"][0]["title"] == "Bergamo"
    refused = client_for(counsellor).get(url, {"relax": "posti"})
    assert refused.status_code == 400
    manager = ProgrammeManagerFactory(organisation=world.person.organisation)
    assert client_for(manager).get(url, {"relax": "area"}).status_code == 403
