"""Counsellors' list of open opportunities: offers, courses and placements, with filters."""

import pytest
from django.test import Client
from django.urls import reverse

from lavoro.models import Course, JobOffer, Placement
from tests.factories import (
    CounsellorFactory,
    CourseFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    MunicipalityFactory,
    PlacementFactory,
    ProgrammeManagerFactory,
    ProvinceFactory,
    TraineeUserFactory,
)
from tests.lavoro.web_helpers import login

pytestmark = pytest.mark.django_db
URL = "/opportunita/"


@pytest.fixture
def towns():
    return (
        MunicipalityFactory(province=ProvinceFactory(code="MI", name="Milano")),
        MunicipalityFactory(province=ProvinceFactory(code="BS", name="Brescia")),
    )


@pytest.fixture
def opportunities(towns):
    milano, brescia = towns
    return {
        "offer": JobOfferFactory(title="Magazziniere a Milano", municipality=milano),
        "draft": JobOfferFactory(title="Offerta in bozza", status=JobOffer.Status.DRAFT),
        "course": CourseFactory(title="Corso di saldatura", municipality=brescia),
        "closed": CourseFactory(title="Corso chiuso", status=Course.Status.CLOSED),
        "placement": PlacementFactory(title="Biblioteca di quartiere", municipality=milano),
        "hidden": PlacementFactory(title="Posto in bozza", status=Placement.Status.DRAFT),
    }


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_url_name():
    assert reverse("lavoro:opportunities") == URL


@pytest.mark.parametrize("factory", [EmployerUserFactory, HostBodyUserFactory, TraineeUserFactory])
def test_other_roles_get_403(factory):
    assert login(factory()).get(URL).status_code == 403


def test_anonymous_is_sent_to_login():
    assert Client().get(URL).status_code == 302


@pytest.mark.parametrize("factory", [CounsellorFactory, ProgrammeManagerFactory])
def test_lists_only_published_opportunities_of_every_kind(factory, opportunities):
    html = _html(login(factory()).get(URL))
    for title in ("Magazziniere a Milano", "Corso di saldatura", "Biblioteca di quartiere"):
        assert title in html
    for title in ("Offerta in bozza", "Corso chiuso", "Posto in bozza"):
        assert title not in html


def test_filters_by_kind_province_and_text(opportunities):
    client = login(CounsellorFactory())
    html = _html(client.get(URL, {"kind": "corso"}))
    assert "Corso di saldatura" in html and "Magazziniere" not in html
    html = _html(client.get(URL, {"province": "MI"}))
    assert "Magazziniere a Milano" in html and "Biblioteca di quartiere" in html
    assert "Corso di saldatura" not in html
    html = _html(client.get(URL, {"q": "bibliotec"}))
    assert "Biblioteca di quartiere" in html and "Magazziniere" not in html


def test_paginated_by_25_with_filters_kept(towns):
    milano = towns[0]
    for number in range(30):
        JobOfferFactory(title=f"Offerta numero {number:02d}", municipality=milano)
    client = login(CounsellorFactory())
    first = _html(client.get(URL, {"kind": "offerta"}))
    assert first.count('class="card opportunity"') == 25
    assert "Pagina 1 di 2" in first
    assert "kind=offerta&amp;pagina=2" in first
    second = _html(client.get(URL, {"kind": "offerta", "pagina": 2}))
    assert second.count('class="card opportunity"') == 5


def test_query_count_does_not_grow_with_rows(towns, django_assert_max_num_queries):
    for number in range(40):
        JobOfferFactory(title=f"Offerta {number}", municipality=towns[0])
        CourseFactory(title=f"Corso {number}", municipality=towns[1])
    client = login(CounsellorFactory())
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200
