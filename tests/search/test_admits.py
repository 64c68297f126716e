"""Whom a role admits, counted by the engine on the people's indexed constraints: the count
follows the database when a measure changes (the admin reindexes its person) and when the
indexed constraints have gone out of date (those people are decided from the database)."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from search.backends import get_backend
from search.profiles import indexed_constraints
from search.sources import candidate_docs
from search.types import CandidateDoc
from tests.conftest import client_for
from tests.factories.extra_lavoro import AdminUserFactory
from tests.search import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]


def _role_with_sharing_people(world, count: int):
    """An offer admitting only "affidamento", and `count` sharing people in Milano."""
    role = b.offer(world, compatible_measures=["affidamento"])
    people = []
    for _number in range(count):
        person = b.PersonFactory(domicile=world.towns["Milano"])
        b.skill(person, world.cooking)
        b.share(person)
        people.append(person)
    return role, people


def _compatible(role) -> int | None:
    url = f"/api/v1/matches/offers/{role.pk}/candidates/"
    return client_for(AdminUserFactory()).get(url).json()["compatible_with_role"]


def test_the_count_comes_from_the_index_and_follows_a_new_measure(backend_name, world):
    role, people = _role_with_sharing_people(world, 12)
    for person in people[:5]:
        b.measure(person, "affidamento")
    b.index_everything()
    assert _compatible(role) == 5
    for person in people[5:10]:
        b.measure(person, "affidamento")
    b.index_everything()
    assert _compatible(role) == 10


def test_people_indexed_with_outdated_constraints_are_decided_from_the_database(
    backend_name, world
):
    """Indexed long ago, before their measure began: the index cannot tell, the database can."""
    role, people = _role_with_sharing_people(world, 12)
    for person in people[:10]:
        b.measure(person, "affidamento")  # began 100 days ago
    long_ago = b.TODAY - datetime.timedelta(days=200)
    docs, _gone = candidate_docs([person.pk for person in people])
    then = indexed_constraints([person.pk for person in people], long_ago)
    old = [dataclasses.replace(doc, constraints=then[doc.person_id]) for doc in docs]
    assert {doc.person_id for doc in old if doc.constraints.valid_until} == {
        person.pk for person in people[:10]
    }  # measure-less: the same then as now, so still fresh
    get_backend().index_people(old)
    b.index_everything()  # the offers; the people again, then back to the old documents
    get_backend().index_people(old)
    assert _compatible(role) == 10


@pytest.mark.urls("config.urls")
def test_a_measure_changed_in_the_admin_reindexes_its_person(
    client, world, django_capture_on_commit_callbacks
):
    admin_user = AdminUserFactory(is_staff=True, is_superuser=True)
    person = world.person
    b.skill(person, world.cooking)
    b.share(person)
    measure = b.measure(person, "semiliberta", max_weekly_hours=20)
    b.index_everything()
    assert get_backend().candidate_get(person.pk).constraints is None  # never in a payload
    hours = _indexed_hours(person.pk)
    assert hours == [20]
    client.force_login(admin_user)
    url = reverse("admin:competenze_judicialmeasure_change", args=[measure.pk])
    form = {
        "person": person.pk,
        "measure_type": "semiliberta",
        "start_date": measure.start_date.isoformat(),
        "end_date": measure.end_date.isoformat(),
        "max_weekly_hours": 30,
        "avoid_sectors": "[]",
        "notes": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _indexed_hours(person.pk) == [30]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:competenze_judicialmeasure_delete", args=[measure.pk]), {"post": "yes"}
        )
    assert _indexed_hours(person.pk) == [10_000]  # no measure: no limit


def _indexed_hours(person_id: int) -> list[int]:
    """The filter-only hours limit the embedded index holds for this person."""
    import tantivy

    live = get_backend().generation()
    schema, searcher = live.candidates.schema, live.candidates.searcher()
    key = tantivy.Query.term_query(schema, "key", person_id)
    found = []
    for limit in (10, 20, 30, 10_000):
        hours = tantivy.Query.term_query(schema, "c_hours", limit)
        both = tantivy.Query.boolean_query([(tantivy.Occur.Must, key), (tantivy.Occur.Must, hours)])
        if searcher.search(both, 1).count:
            found.append(limit)
    return found


def test_nothing_stored_holds_the_constraints_yet_the_engine_filters_on_them(backend_name, world):
    """What any search can return is what is stored: on the real engine, no constraint."""
    person = world.person
    b.skill(person, world.cooking)
    b.share(person)
    b.measure(person, "semiliberta", max_weekly_hours=20, avoid_sectors=["COM"])
    b.index_everything()
    backend = get_backend()
    if backend_name == "elasticsearch":
        from search.documents import CANDIDATES

        response = backend.client.search(
            index=backend.alias(CANDIDATES), query={"match_all": {}}, size=10
        )
        [hit] = response["hits"]["hits"]
        assert "constraints" not in hit["_source"]
        assert set(hit["_source"]["payload"]) == set(
            CandidateDoc.from_payload(hit["_source"]["payload"]).to_payload()
        )
        hours = {"term": {"constraints.hours": {"value": 20}}}
        assert backend.client.count(index=backend.alias(CANDIDATES), query=hours)["count"] == 1
    else:
        import tantivy

        live = backend.generation()
        searcher = live.candidates.searcher()
        [(_score, address)] = searcher.search(tantivy.Query.all_query(), 10).hits
        assert set(searcher.doc(address).to_dict()) == {"payload"}
        hours = tantivy.Query.term_query(live.candidates.schema, "c_hours", 20)
        assert searcher.search(hours, 10).count == 1


def test_radius_groups_beyond_every_indexed_radius_are_left_out():
    """Each radius group is a clause: those no indexed radius reaches are cut, none other."""
    from search.admits import admits_for, within
    from tests.search.test_elastic_bodies import opportunity

    places = {1: (45.46, 9.19), 2: (45.52, 9.21), 3: (41.9, 12.5)}
    admitted = admits_for(opportunity(municipality_id=1), places, b.TODAY)
    assert [km for km, _homes in admitted.reach] == [0, 7, 477]
    assert [km for km, _homes in within(admitted, 7).reach] == [0, 7]
    assert [km for km, _homes in within(admitted, 6).reach] == [0]
    assert within(admitted, None).reach == ()
    assert within(admitted, 7).measures == admitted.measures


def test_radius_groups_are_the_reference_distances_rounded_up():
    """search.admits.reach over arrays gives matching.haversine_km's groups, exactly."""
    import math
    import random

    from search import matching
    from search.admits import reach
    from tests.search.test_elastic_bodies import opportunity

    rng = random.Random(13)
    places = {pk: (rng.uniform(36.6, 47.1), rng.uniform(6.6, 18.5)) for pk in range(1, 800)}
    places[800] = (45.46, 9.19)  # the opportunity's own municipality: 0 km
    for _case in range(20):
        doc = opportunity(
            latitude=rng.choice([45.46, rng.uniform(36.6, 47.1)]),
            longitude=rng.choice([9.19, rng.uniform(6.6, 18.5)]),
        )
        expected: dict[int, list[int]] = {}
        for pk, (lat, lon) in places.items():
            km = math.ceil(matching.haversine_km(lat, lon, doc.latitude, doc.longitude))
            expected.setdefault(km, []).append(pk)
        assert reach(doc, places) == tuple(
            (km, tuple(sorted(ids))) for km, ids in sorted(expected.items())
        )


def test_an_elasticsearch_index_built_before_the_constraints_gets_none(backend_name, world):
    """Writing them there would map them on the fly and store them in _source: they are
    left out, and the count decides those profiles from the database until a rebuild."""
    if backend_name != "elasticsearch":
        pytest.skip("Elasticsearch only: mappings")
    from search.backends.elastic_features import TextAnalysis
    from search.documents import CANDIDATES, index_body

    backend = get_backend()
    backend.clear()
    body = index_body(CANDIDATES, analysis=TextAnalysis.CLIENT, alias=backend.alias(CANDIDATES))
    del body["mappings"]["properties"]["constraints"], body["mappings"]["_source"]
    backend.client.indices.create(index=f"{backend.alias(CANDIDATES)}-legacy", **body)
    role, people = _role_with_sharing_people(world, 12)
    for person in people[:10]:
        b.measure(person, "affidamento")
    b.index_everything()
    response = backend.client.search(
        index=backend.alias(CANDIDATES), size=20, query={"match_all": {}}
    )
    assert len(response["hits"]["hits"]) == 12
    assert not [hit for hit in response["hits"]["hits"] if "constraints" in hit["_source"]]
    assert _compatible(role) == 10


def test_only_a_radius_keeps_the_home_municipality_in_the_index():
    """The radius groups read the home; nobody else's is indexed (less to read, less kept)."""
    from search.admits import indexed
    from search.types import HardConstraints, PersonConstraints

    today = datetime.date(2026, 6, 1)
    free = PersonConstraints(HardConstraints(today=today, measure_type="map"), 42, today)
    listed = PersonConstraints(
        HardConstraints(today=today, allowed_municipalities=frozenset({7}), radius_km=10.0),
        42,
        today,
    )
    radius = PersonConstraints(HardConstraints(today=today, radius_km=10.0), 42, today)
    assert [indexed(person)["home"] for person in (free, listed, radius)] == [0, 0, 42]


def test_indexed_constraints_read_once_agree_with_each_persons_own_reading(world):
    """One read of every measure gives each person the current measure hard_constraints
    finds, and the days it holds: it changes on a first day and on the day after a last."""
    from search.profiles import hard_constraints

    towns = list(world.towns.values())
    plain = b.PersonFactory(domicile=towns[0])
    ended = b.PersonFactory(domicile=towns[0])
    b.measure(ended, "affidamento", start_date=b.TODAY - 300 * b.DAY, end_date=b.TODAY - 10 * b.DAY)
    stacked = b.PersonFactory(domicile=towns[1])
    b.measure(stacked, "domiciliare", allowed=towns[:2], max_weekly_hours=12)
    b.measure(stacked, "semiliberta", start_date=b.TODAY - 5 * b.DAY, end_date=None)
    b.measure(stacked, "affidamento", start_date=b.TODAY + 20 * b.DAY, end_date=None)
    later = b.PersonFactory(domicile=None)
    b.measure(later, "map", start_date=b.TODAY + 3 * b.DAY, end_date=b.TODAY + 9 * b.DAY)
    people = [plain, ended, stacked, later]
    for today in (b.TODAY - 20 * b.DAY, b.TODAY, b.TODAY + 4 * b.DAY, b.TODAY + 30 * b.DAY):
        found = indexed_constraints([person.pk for person in people], today)
        for person in people:
            assert found[person.pk].constraints == hard_constraints(person, today), person
            assert found[person.pk].home == person.domicile_id
    now = indexed_constraints([person.pk for person in people], b.TODAY)
    assert (now[plain.pk].valid_from, now[plain.pk].valid_until) == (datetime.date.min, None)
    assert (now[ended.pk].valid_from, now[ended.pk].valid_until) == (
        b.TODAY - 9 * b.DAY,
        None,
    )
    assert (now[stacked.pk].valid_from, now[stacked.pk].valid_until) == (
        b.TODAY - 5 * b.DAY,
        b.TODAY + 19 * b.DAY,
    )
    assert (now[later.pk].valid_from, now[later.pk].valid_until) == (
        datetime.date.min,
        b.TODAY + 2 * b.DAY,
    )
