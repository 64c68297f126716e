"""Every backend against the plain-Python reference (search.matching) on random documents:
which opportunities are admissible, their scores and order (ties: lower key first), pages;
which candidates a viewer finds, their match scores, facets and the compatible count.

These run on the embedded backend always and on Elasticsearch when ELASTICSEARCH_URL is
set; they talk to the backend directly (no database), so many cases stay cheap.
"""

import dataclasses
import datetime
import random
from collections import Counter

import pytest

from search import matching
from search.admits import admits_for, fresh
from search.backends import get_backend
from search.types import (
    AVAILABILITY_BANDS,
    HOURS_BANDS,
    OPPORTUNITY_KINDS,
    CandidateDoc,
    CandidateQuery,
    Credit,
    HardConstraints,
    IndexedSkill,
    OpportunityDoc,
    OpportunityQuery,
    PersonConstraints,
    Requirement,
)
from tests.search.test_features import (
    PLACES,
    TODAY,
    random_constraints,
    random_doc,
    random_query,
    reference_selection,
)

PROVINCES = ("MI", "MB", "BG", "BS")
LANGUAGES = ("it", "fr", "en", "ar")
ORGANISATIONS = (41, 42, 43)
SCORE_TOLERANCE = 1e-5  # Elasticsearch scores are 32-bit floats


def assert_ranked_like_the_reference(hits, expected):
    """Same documents and scores; best first, and among equal scores the lower key first."""
    scores = dict(expected)
    found = [(hit.doc.key, hit.score) for hit in hits]
    assert sorted(key for key, _score in found) == sorted(scores)
    for key, score in found:
        assert score == pytest.approx(scores[key], abs=SCORE_TOLERANCE), key
    for (key, score), (next_key, next_score) in zip(found, found[1:], strict=False):
        if abs(scores[key] - scores[next_key]) > SCORE_TOLERANCE:
            assert scores[key] > scores[next_key]
        else:
            assert key < next_key or score > next_score


@pytest.mark.parametrize("mode", ["match", "near", "what_if"])
@pytest.mark.parametrize("seed", range(4))
def test_opportunities_follow_the_reference_formula(backend_name, seed, mode):
    """Admitted opportunities, near misses (exactly one constraint excludes them) and what a
    relaxation opens, with the affinity in the score: as the reference says."""
    rng = random.Random(seed)
    docs = [random_doc(rng, pk) for pk in range(1, 201)]
    backend = get_backend()
    backend.index_opportunities(docs)
    for _query in range(5):
        query = random_query(rng, mode)
        expected = reference_selection(docs, query)
        found = backend.match_opportunities_for_person(query)
        assert found.total == len(expected)
        assert_ranked_like_the_reference(found.hits, expected)
        for hit in found.hits:
            pairs = [(r.concept_id, r.essential) for r in hit.doc.requirements]
            assert hit.skill_score == pytest.approx(matching.skill_score(pairs, query.credits))
            assert hit.affinity == matching.affinity_of(hit.doc.sectors, query.affinity)


def test_pages_of_tied_opportunities_follow_the_keys_and_never_overlap(backend_name):
    rng = random.Random(5)
    same = Requirement(3, "C3", "label 3", True)
    docs = [
        dataclasses.replace(
            random_doc(rng, pk),
            requirements=(same,),
            municipality_id=1,
            latitude=PLACES[1][0],
            longitude=PLACES[1][1],
        )
        for pk in range(1, 40)
    ]
    backend = get_backend()
    backend.index_opportunities(docs)
    base = {
        "kinds": OPPORTUNITY_KINDS,
        "credits": {3: 1.0},
        "origin": PLACES[1],
        "constraints": HardConstraints(today=TODAY, measure_type="map"),
    }
    everything = backend.match_opportunities_for_person(OpportunityQuery(**base, limit=100))
    keys = [hit.doc.key for hit in everything.hits]
    assert keys == sorted(keys)  # every score ties: the lower key first, across kinds
    pages = [
        backend.match_opportunities_for_person(OpportunityQuery(**base, offset=o, limit=7))
        for o in range(0, everything.total, 7)
    ]
    assert [hit.doc.key for page in pages for hit in page.hits] == keys


# ------------------------------------------------------------------ candidates


def random_candidate(rng: random.Random, pk: int) -> CandidateDoc:
    concepts = rng.sample(range(1, 20), rng.randint(0, 5))
    credits = tuple(
        Credit(c, rng.choice(matching.CREDIT_VALUES), matching.VIA_OWN, "validata")
        for c in sorted(concepts)
    )
    available = rng.choice(
        [
            None,
            TODAY - datetime.timedelta(days=3),
            TODAY + datetime.timedelta(days=rng.randint(0, 200)),
        ]
    )
    return CandidateDoc(
        person_id=pk,
        pseudonym=f"P-{pk:04d}",
        province=rng.choice(PROVINCES),
        summary=rng.choice(["Cuoco di mensa", "Magazziniere", "Cameriera di sala", ""]),
        skills=tuple(IndexedSkill(c, f"C{c}", f"label {c}", "validata", 2) for c in concepts),
        credits=credits,
        languages=tuple((code, "B1") for code in rng.sample(LANGUAGES, rng.randint(0, 2))),
        weekly_hours_available=rng.choice([None, 10, 20, 21, 30, 36]),
        available_from=available,
        share_all=rng.random() < 0.5,
        share_orgs=tuple(rng.sample(ORGANISATIONS, rng.randint(0, 2))),
        constraints=random_person_constraints(rng, available),
    )


def random_person_constraints(rng: random.Random, available) -> PersonConstraints | None:
    """A person's current constraints as indexed; some out of date (a measure began or ended
    since), some never indexed (None)."""
    if rng.random() < 0.05:
        return None
    constraints = dataclasses.replace(random_constraints(rng), available_from=available)
    until = rng.choice(
        [None, TODAY + datetime.timedelta(days=40), TODAY, TODAY - datetime.timedelta(days=1)]
    )
    since = rng.choice([TODAY - datetime.timedelta(days=300), TODAY])
    return PersonConstraints(constraints, rng.choice([None, *PLACES]), since, until)


def random_candidate_query(rng: random.Random) -> CandidateQuery:
    return random_candidate_search(rng)[0]


def random_candidate_search(rng: random.Random) -> tuple[CandidateQuery, OpportunityDoc]:
    """A random employer's query, and the role (a random opportunity) it counts for."""
    role = dataclasses.replace(
        random_doc(rng, 999),
        municipality_id=(place := rng.choice(list(PLACES))),
        latitude=PLACES[place][0],
        longitude=PLACES[place][1],
    )
    requirements = tuple(
        Requirement(c, f"C{c}", f"label {c}", rng.random() < 0.5)
        for c in rng.sample(range(1, 20), rng.randint(0, 4))
    )
    return CandidateQuery(
        today=TODAY,
        viewer_organisation=rng.choice([None, *ORGANISATIONS]),
        viewer_is_admin=rng.random() < 0.2,
        skills=tuple(rng.sample(range(1, 20), rng.randint(0, 1))),
        province=rng.choice(["", "", *PROVINCES]),
        language=rng.choice(["", "", *LANGUAGES]),
        available_by=rng.choice([None, TODAY + datetime.timedelta(days=30)]),
        min_hours=rng.choice([None, 20]),
        requirements=requirements,
        role_province=rng.choice(["", *PROVINCES]) if requirements else "",
        compatible=admits_for(role, PLACES, TODAY) if requirements else None,
        limit=200,
    ), role


def reference_compatible(q: CandidateQuery, admitted: list[CandidateDoc], role):
    """(how many fresh profiles the role admits, the ids of those out of date), by
    search.matching."""
    count, stale = 0, set()
    for doc in admitted:
        person = doc.constraints
        if person is None or not fresh(person, TODAY):
            stale.add(doc.person_id)
            continue
        home = PLACES.get(person.home) if person.home else None
        km = None if home is None else matching.haversine_km(*home, role.latitude, role.longitude)
        count += matching.admissible(person.constraints, role, km)
    return count, stale


def candidate_admitted(q: CandidateQuery, doc: CandidateDoc) -> bool:
    shared = q.viewer_is_admin or doc.share_all or q.viewer_organisation in doc.share_orgs
    held = {skill.concept_id for skill in doc.skills}
    return (
        shared
        and (not q.province or doc.province == q.province)
        and (not q.language or q.language in {code for code, _level in doc.languages})
        and set(q.skills) <= held
        and (
            q.available_by is None
            or doc.available_from is None
            or doc.available_from <= q.available_by
        )
        and (not q.min_hours or (doc.weekly_hours_available or 0) >= q.min_hours)
    )


def candidate_reference_score(q: CandidateQuery, doc: CandidateDoc) -> float:
    credits = {credit.concept_id: credit.value for credit in doc.credits}
    pairs = [(r.concept_id, r.essential) for r in q.requirements]
    same_province = bool(q.role_province) and doc.province == q.role_province
    return matching.candidate_score(matching.skill_score(pairs, credits), same_province)


def availability_band(doc: CandidateDoc) -> str:
    if doc.available_from is None:
        return AVAILABILITY_BANDS[0][0]
    for name, days in AVAILABILITY_BANDS:
        if doc.available_from <= TODAY + datetime.timedelta(days=days):
            return name
    return "oltre_3_mesi"


def reference_facets(docs: list[CandidateDoc]) -> dict[str, dict[str, int]]:
    hours: Counter[str] = Counter()
    for doc in docs:
        value = doc.weekly_hours_available or 0  # unknown hours count as 0 (embedded engine)
        hours.update(name for name, low, high in HOURS_BANDS if low <= value <= high)
    return {
        "skills": Counter(str(s.concept_id) for doc in docs for s in doc.skills),
        "province": Counter(doc.province for doc in docs),
        "languages": Counter(code for doc in docs for code, _level in doc.languages),
        "availability": Counter(availability_band(doc) for doc in docs),
        "hours": hours,
    }


@pytest.mark.parametrize("seed", range(4))
def test_candidates_follow_the_reference(backend_name, seed):
    rng = random.Random(100 + seed)
    docs = [random_candidate(rng, pk) for pk in range(1, 151)]
    backend = get_backend()
    backend.index_people(docs)
    for _query in range(8):
        query, role = random_candidate_search(rng)
        admitted = [doc for doc in docs if candidate_admitted(query, doc)]
        found = backend.search_candidates(query)
        assert found.total == len(admitted)
        found_ids = sorted(hit.doc.person_id for hit in found.hits)
        assert found_ids == sorted(doc.person_id for doc in admitted)
        if query.requirements:
            for hit in found.hits:
                expected = candidate_reference_score(query, hit.doc)
                assert hit.score == pytest.approx(expected, abs=SCORE_TOLERANCE)
            scores = [hit.score for hit in found.hits]
            assert scores == sorted(scores, reverse=True)
            count, stale = reference_compatible(query, admitted, role)
            assert (found.compatible, set(found.stale)) == (count, stale)
        facets = {
            name: {b.key: b.count for b in buckets if b.count}
            for name, buckets in found.facets.items()
        }
        assert facets == {name: dict(counts) for name, counts in reference_facets(admitted).items()}


def counts_like_the_reference(rng: random.Random, docs: list[CandidateDoc]) -> list[int]:
    """Index `docs`, count whom ten random roles admit; each count and the stale profiles
    as search.matching says. Returns the counts."""
    backend = get_backend()
    backend.index_people(docs)
    counts = []
    for _role in range(10):
        _query, role = random_candidate_search(rng)
        query = CandidateQuery(
            today=TODAY,
            viewer_organisation=None,
            viewer_is_admin=True,
            compatible=admits_for(role, PLACES, TODAY),
            limit=1,
        )
        found = backend.search_candidates(query)
        count, stale = reference_compatible(query, docs, role)
        assert (found.compatible, set(found.stale)) == (count, stale)
        counts.append(count)
    return counts


@pytest.mark.parametrize("seed", range(6))
def test_whom_a_role_admits_follows_the_reference(backend_name, seed):
    """The count of the people a role admits, from their indexed constraints, on roles of
    every kind: as search.matching says, person by person; out-of-date ones left aside."""
    rng = random.Random(300 + seed)
    counts = counts_like_the_reference(rng, [random_candidate(rng, pk) for pk in range(1, 201)])
    assert any(counts) and not all(count == counts[0] for count in counts)


@pytest.mark.parametrize("seed", range(3))
def test_whom_a_role_admits_with_many_distinct_radii_follows_the_reference(backend_name, seed):
    """More distinct radii than distance groups: the count reads the groups instead of the
    radii (embedded), and still says what search.matching says."""
    rng = random.Random(700 + seed)
    docs = []
    for pk in range(1, 201):
        doc = random_candidate(rng, pk)
        if doc.constraints is not None and rng.random() < 0.7:
            radius = dataclasses.replace(
                doc.constraints.constraints,
                allowed_municipalities=frozenset(),
                radius_km=float(rng.randint(0, 120)),  # whole km, as a measure sets it
            )
            person = dataclasses.replace(doc.constraints, constraints=radius)
            doc = dataclasses.replace(doc, constraints=person)
        docs.append(doc)
    assert any(counts_like_the_reference(rng, docs))
