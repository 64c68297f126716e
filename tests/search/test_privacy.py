"""No personal or judicial field reaches an employer: not in the index, not in the API."""

import datetime
import json

import pytest
import tantivy

from competenze.models import Consent
from search.backends import get_backend
from search.backends.elastic_features import TextAnalysis
from search.documents import (
    CANDIDATE_FIELDS,
    CANDIDATES,
    OPPORTUNITIES,
    CandidateDocument,
    candidate_body,
    index_body,
)
from search.sources import candidate_docs
from tests.conftest import client_for
from tests.factories import EmployerFactory, EmployerUserFactory, TraineeUserFactory
from tests.factories.extra_lavoro import AdminUserFactory
from tests.search import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]
SEARCH_URL = "/api/v1/candidates/search/"
PAYLOAD_FIELDS = {
    "person_id", "pseudonym", "province", "summary", "skills", "credits", "languages",
    "weekly_hours_available", "available_from", "share_all", "share_orgs",
}  # fmt: skip
RESULT_FIELDS = {
    "pseudonym",
    "province",
    "summary",
    "skills",
    "languages",
    "weekly_hours_available",
    "available_from",
    "score",
    "explanation",
}
NOTES = "Nota riservata: recidiva, non segnalare"


@pytest.fixture
def exposed(world):
    """A sharing candidate with identity, a measure (institute, notes, avoided sector)."""
    person = world.person
    b.skill(person, world.cooking)
    b.share(person)
    b.identity(person)
    b.language(person, "fr")
    inside = b.institute(world.towns["Monza"])
    b.measure(
        person,
        "semiliberta",
        institute=inside,
        notes=NOTES,
        avoid_sectors=["COM"],
        max_weekly_hours=20,
        allowed=[world.towns["Milano"]],
    )
    b.index_everything()
    return person


def secrets_of(person) -> list[str]:
    identity = person.identity
    measure = person.measures.get()
    return [
        identity.first_name,
        identity.last_name,
        identity.codice_fiscale,
        identity.email,
        identity.phone,
        identity.birth_date.isoformat(),
        identity.birth_date.strftime("%d/%m/%Y"),
        "semiliberta",
        "Semilibertà",
        measure.institute.name,
        NOTES,
        person.domicile.name,
        person.organisation.name,
        person.counsellor.username,
    ]


def stored_candidate_docs() -> list[dict]:
    live = get_backend().generation()
    searcher = live.candidates.searcher()
    hits = searcher.search(tantivy.Query.all_query(), 100).hits
    return [json.loads(bytes(searcher.doc(address)["payload"][0])) for _s, address in hits]


def test_embedded_candidate_index_holds_no_identity_or_judicial_data(exposed):
    stored = stored_candidate_docs()
    assert len(stored) == 1
    assert set(stored[0]) == PAYLOAD_FIELDS
    text = json.dumps(stored, ensure_ascii=False)
    for secret in secrets_of(exposed):
        assert secret not in text


FILTER_ONLY = {"c_fresh_from", "c_fresh_until", "c_measure", "c_area", "c_places", "c_home",
               "c_radius", "c_hours", "c_day_start", "c_day_end", "c_window", "c_avoid",
               "c_institute", "c_end"}  # fmt: skip


def test_indexed_fields_are_the_pseudonymised_ones_and_filter_only_constraints(exposed):
    from search.backends._tantivy import candidate_fields

    docs, _gone = candidate_docs([exposed.pk])
    indexed = candidate_fields(docs[0])
    assert set(indexed) == {"key", "text", "province", "languages", "skills", "credits",
                            "share", "available_day", "hours", "payload"} | FILTER_ONLY  # fmt: skip
    words = json.dumps({k: v for k, v in indexed.items() if k != "payload"}, default=str)
    for secret in secrets_of(exposed):
        assert secret not in words  # the measure is a number, the institute an id
    assert indexed["c_hours"] == 20 and indexed["c_avoid"] == ["COM"]


def test_the_constraints_are_indexed_but_never_stored(exposed):
    """What a search can return is what is stored: the payload only, no constraint."""
    live = get_backend().generation()
    searcher = live.candidates.searcher()
    ((_score, address),) = searcher.search(tantivy.Query.all_query(), 10).hits
    assert set(searcher.doc(address).to_dict()) == {"payload"}
    hours = tantivy.Query.term_query(live.candidates.schema, "c_hours", 20)
    assert searcher.search(hours, 10).count == 1  # and yet the index filters on them


def test_elasticsearch_candidate_document_holds_no_identity_or_judicial_words(exposed):
    docs, _gone = candidate_docs([exposed.pk])
    body = candidate_body(docs[0])
    assert set(body) <= CANDIDATE_FIELDS
    assert set(body["payload"]) == PAYLOAD_FIELDS
    text = json.dumps(body, default=str, ensure_ascii=False)
    for secret in secrets_of(exposed):
        assert secret not in text
    assert body["constraints"]["hours"] == 20  # filter-only, as numbers


def test_elasticsearch_candidate_mapping_lists_only_the_allowed_fields():
    mapping = CandidateDocument._doc_type.mapping.to_dict()
    assert set(mapping["properties"]) == CANDIDATE_FIELDS
    forbidden = ("name", "codice", "fiscal", "birth", "measure", "misura", "institute", "note")
    assert not [f for f in CANDIDATE_FIELDS for word in forbidden if word in f]


def test_elasticsearch_keeps_the_constraints_out_of_the_stored_source():
    body = index_body(CANDIDATES, analysis=TextAnalysis.CLIENT)
    assert body["mappings"]["_source"] == {"excludes": ["constraints"]}
    assert "_source" not in index_body(OPPORTUNITIES, analysis=TextAnalysis.CLIENT)["mappings"]


def test_candidate_search_api_returns_pseudonymised_profiles_only(exposed):
    response = client_for(EmployerUserFactory(organisation=EmployerFactory().organisation)).get(
        SEARCH_URL, {"q": "cuocere"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert set(body["results"][0]) == RESULT_FIELDS
    text = json.dumps(body, ensure_ascii=False)
    for secret in secrets_of(exposed):
        assert secret not in text


def test_offer_candidates_api_shows_no_judicial_data_and_no_per_candidate_compatibility(
    exposed, world
):
    employer = EmployerUserFactory()
    target = b.offer(
        world,
        employer=EmployerFactory(organisation=employer.organisation),
        compatible_measures=["semiliberta"],
    )
    response = client_for(employer).get(f"/api/v1/matches/offers/{target.pk}/candidates/")
    assert response.status_code == 200
    body = response.json()
    assert body["compatible_with_role"] is None  # withheld: too few results to stay anonymous
    assert set(body["results"][0]) == RESULT_FIELDS
    assert body["results"][0]["explanation"]["constraints_satisfied"] == []
    assert body["results"][0]["explanation"]["distance_km"] is None
    text = json.dumps(body, ensure_ascii=False)
    for secret in secrets_of(exposed):
        assert secret not in text


def test_compatible_count_is_for_administrators_only_rounded_on_larger_result_sets(world):
    employer = EmployerUserFactory()
    target = b.offer(
        world,
        employer=EmployerFactory(organisation=employer.organisation),
        compatible_measures=["affidamento"],
    )
    for number in range(12):
        person = b.PersonFactory(domicile=world.towns["Milano"])
        b.skill(person, world.cooking)
        b.share(person)
        if number < 7:
            b.measure(person, "affidamento")
    b.index_everything()
    url = f"/api/v1/matches/offers/{target.pk}/candidates/"
    body = client_for(AdminUserFactory()).get(url).json()
    assert body["count"] == 12
    assert body["compatible_with_role"] == 5  # 7, rounded down to a multiple of 5
    body = client_for(employer).get(url).json()
    assert body["count"] == 12
    assert body["compatible_with_role"] is None  # computed from measures: not for employers


def test_employer_cannot_narrow_the_compatible_count_to_one_person(world):
    """The attack the count allowed: a filter that adds one person to a set whose count sits
    on a rounding step tells that person's measure. Now nothing moves."""
    employer = EmployerUserFactory()
    target = b.offer(
        world,
        employer=EmployerFactory(organisation=employer.organisation),
        compatible_measures=["affidamento"],
    )
    for number in range(10):
        person = b.PersonFactory(domicile=world.towns["Milano"])
        b.skill(person, world.cooking)
        b.share(person)
        if number < 4:
            b.measure(person, "affidamento")
    target_person = b.PersonFactory(domicile=world.towns["Milano"])
    b.skill(target_person, world.cooking)
    b.share(target_person)
    b.index_everything()
    url = "/api/v1/candidates/search/"
    client = client_for(employer)

    def answers():
        everyone = client.get(url, {"offer_id": target.pk}).json()
        return everyone["count"], everyone["compatible_with_role"]

    before = answers()
    b.measure(target_person, "affidamento")
    b.index_everything()
    assert answers() == before == (11, None)


def test_employers_cannot_match_a_person(exposed):
    response = client_for(EmployerUserFactory(organisation=EmployerFactory().organisation)).get(
        f"/api/v1/matches/people/{exposed.pseudonym}/opportunities/"
    )
    assert response.status_code == 404


def test_trainee_sees_own_matches_without_judicial_checks(world):
    trainee = TraineeUserFactory()
    world.person.user = trainee
    world.person.save()
    b.measure(world.person, "affidamento", max_weekly_hours=30)
    b.offer(world, weekly_hours=20)
    b.course(world, seats=10, seats_taken=2)
    b.index_everything()
    url = f"/api/v1/matches/people/{world.person.pseudonym}/opportunities/"
    body = client_for(trainee).get(url).json()
    assert body["count"] == 2
    checks = [set(r["explanation"]["constraints_satisfied"]) for r in body["results"]]
    assert set().union(*checks) <= {"date", "posti"}
    admin_body = client_for(AdminUserFactory()).get(url).json()
    assert "orario" in set().union(
        *(r["explanation"]["constraints_satisfied"] for r in admin_body["results"])
    )


def test_trainee_cannot_see_someone_else(world):
    other = TraineeUserFactory()
    response = client_for(other).get(
        f"/api/v1/matches/people/{world.person.pseudonym}/opportunities/"
    )
    assert response.status_code == 404


def test_candidate_views_are_audited(exposed):
    from common.models import AccessLog

    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    client_for(employer).get(SEARCH_URL)
    logged = AccessLog.objects.filter(actor=employer, subject=exposed.pseudonym)
    assert logged.filter(data_category="profilo_pseudonimo").exists()


def test_revoked_share_consent_removes_the_candidate_on_reindex(exposed):
    from search.indexing import people_index

    Consent.objects.filter(person=exposed).update(revoked_at=datetime.datetime.now(datetime.UTC))
    people_index([exposed.pk])
    assert stored_candidate_docs() == []


def test_a_candidate_search_writes_its_audit_rows_in_one_insert(world):
    """The compatible count's read of the measures and every result shown: one INSERT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from common.models import AccessLog

    target = b.offer(world)
    for _number in range(6):
        person = b.PersonFactory(domicile=world.towns["Milano"])
        b.skill(person, world.cooking)
        b.share(person)
    b.index_everything()
    admin = AdminUserFactory()
    with CaptureQueriesContext(connection) as queries:
        body = client_for(admin).get(SEARCH_URL, {"offer_id": target.pk}).json()
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "common_accesslog"')]
    assert len(inserts) == 1
    rows = AccessLog.objects.filter(actor=admin)
    assert rows.filter(data_category="profilo_pseudonimo").count() == body["count"] == 6
    assert rows.filter(data_category="giudiziari", subject="*").count() == 1
