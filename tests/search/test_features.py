"""The embedded backend's numpy/scipy matching agrees with the plain-Python reference."""

import dataclasses
import datetime
import random

import numpy as np
import pytest

from search import matching
from search.backends._features import OpportunityFeatures, rank
from search.types import (
    MEASURE_TYPES,
    OPPORTUNITY_KINDS,
    HardConstraints,
    OpportunityDoc,
    OpportunityQuery,
    Requirement,
)

TODAY = datetime.date(2026, 6, 1)
PLACES = {1: (45.46, 9.19), 2: (45.58, 9.27), 3: (45.70, 9.68), 4: (45.54, 10.21)}
SECTORS = ("RIS", "COM", "PUL", "ASS")
SHIFTS = ((6 * 60, 14 * 60), (8 * 60, 17 * 60), (14 * 60, 22 * 60), (22 * 60, 6 * 60))
WINDOWS = ((None, None), (7 * 60, 20 * 60), (6 * 60 + 30, 22 * 60), (None, 22 * 60), (8 * 60, None))


def _date(rng: random.Random) -> datetime.date | None:
    return None if rng.random() < 0.2 else TODAY + datetime.timedelta(days=rng.randint(-60, 200))


def random_doc(rng: random.Random, pk: int) -> OpportunityDoc:
    kind = rng.choice(OPPORTUNITY_KINDS)
    place = rng.choice(list(PLACES))
    requirements = tuple(
        Requirement(concept, f"C{concept}", f"label {concept}", rng.random() < 0.5)
        for concept in rng.sample(range(1, 30), rng.randint(0, 6))
    )
    return OpportunityDoc(
        kind=kind,
        id=pk,
        title=f"T{pk}",
        description="",
        organisation="O",
        status="pubblicata",
        municipality_id=place,
        municipality=str(place),
        province="MI",
        latitude=PLACES[place][0],
        longitude=PLACES[place][1],
        start_date=_date(rng),
        end_date=_date(rng) if kind == "course" else None,
        weekly_hours=rng.choice([None, 4, 10, 20, 36]),
        seats_available=None if kind == "offer" else rng.randint(0, 3),
        measures=tuple(rng.sample(MEASURE_TYPES, rng.randint(0, 3))),
        sectors=tuple(rng.sample(SECTORS, rng.randint(0, 2))),
        institute_id=rng.choice([None, 7, 8]) if kind == "course" else None,
        profile_code="",
        profile_label="",
        requirements=requirements,
        teaches=tuple(r.concept_id for r in requirements) if kind == "course" else (),
        **dict(zip(("shift_start", "shift_end"), rng.choice([(None, None), *SHIFTS]), strict=True)),
    )


def random_constraints(rng: random.Random) -> HardConstraints:
    measure = rng.choice(MEASURE_TYPES)
    daily_start, daily_end = rng.choice(WINDOWS)
    return HardConstraints(
        today=TODAY,
        measure_type=measure,
        allowed_municipalities=frozenset(rng.sample(list(PLACES), rng.randint(0, 2))),
        radius_km=rng.choice([None, 10.0, 60.0]),
        max_weekly_hours=rng.choice([None, 8, 20]),
        available_from=_date(rng),
        measure_end=_date(rng),
        avoid_sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 1))),
        institute_id=rng.choice([None, 7]) if measure == "detenzione" else None,
        daily_start=daily_start,
        daily_end=daily_end,
    )


def random_affinity(rng: random.Random) -> dict[str, float]:
    return {code: rng.choice([0.25, 0.5, 1.0]) for code in rng.sample(SECTORS, rng.randint(0, 3))}


def random_relaxation(rng: random.Random, constraints: HardConstraints) -> HardConstraints:
    """One constraint relaxed at random, as a what-if does."""
    code = rng.choice(matching.RELAXABLE)
    if code == matching.AREA and rng.random() < 0.5:
        return matching.relax(constraints, code, radius_km=rng.choice([30.0, 80.0]))
    if code == matching.HOURS and rng.random() < 0.5:
        return matching.relax(constraints, code, max_weekly_hours=rng.choice([10, 40]))
    return matching.relax(constraints, code)


def reference_selection(docs, query):
    """(key, score) of every document `query` selects, by the reference (search.matching):
    admitted, or a near miss, less what the baseline admits; scored with the affinity."""
    found = []
    for doc in docs:
        km = None
        if query.origin is not None:
            km = matching.haversine_km(*query.origin, doc.latitude, doc.longitude)
        if query.near_miss:
            selected = matching.near_miss(query.constraints, doc, km) is not None
        else:
            selected = matching.admissible(query.constraints, doc, km)
        if query.baseline is not None and matching.admissible(query.baseline, doc, km):
            selected = False
        if selected and doc.kind in query.kinds:
            pairs = [(r.concept_id, r.essential) for r in doc.requirements]
            affinity = matching.affinity_of(doc.sectors, query.affinity)
            skill = matching.skill_score(pairs, query.credits)
            found.append((doc.key, matching.opportunity_score(skill, km, affinity)))
    return found


def random_query(rng: random.Random, mode: str) -> OpportunityQuery:
    """A random person → opportunities query: admitted ("match"), near misses ("near") or
    what a relaxation opens ("what_if")."""
    credits = {c: rng.choice(matching.CREDIT_VALUES) for c in rng.sample(range(1, 30), 8)}
    constraints = random_constraints(rng)
    extra: dict = {}
    if mode == "near":
        extra["near_miss"] = True
    elif mode == "what_if":
        extra = {"constraints": random_relaxation(rng, constraints), "baseline": constraints}
    return OpportunityQuery(
        **{
            "kinds": OPPORTUNITY_KINDS,
            "credits": credits,
            "origin": rng.choice([None, PLACES[1]]),
            "constraints": constraints,
            "affinity": random_affinity(rng),
            "limit": 500,
            **extra,
        }
    )


@pytest.mark.parametrize("mode", ["match", "near", "what_if"])
@pytest.mark.parametrize("seed", range(12))
def test_vectorised_ranking_matches_the_reference(seed, mode):
    rng = random.Random(seed)
    docs = [random_doc(rng, pk) for pk in range(1, 301)]
    features = OpportunityFeatures.from_docs(docs)
    query = random_query(rng, mode)
    ranked = rank(features, query)

    expected = reference_selection(docs, query)
    found_keys = features.dense["keys"][ranked.rows].tolist()
    assert ranked.total == len(expected)
    assert sorted(found_keys) == sorted(key for key, _s in expected)
    scores = dict(expected)
    assert np.allclose(ranked.scores, [scores[key] for key in found_keys])
    assert list(ranked.scores) == sorted(ranked.scores, reverse=True)


def test_every_mode_selects_something_on_random_data():
    """The random cases above are not empty: each mode selects documents in some seeds."""
    for mode in ("match", "near", "what_if"):
        totals = []
        for seed in range(12):
            rng = random.Random(seed)
            docs = [random_doc(rng, pk) for pk in range(1, 301)]
            totals.append(len(reference_selection(docs, random_query(rng, mode))))
        assert sum(1 for total in totals if total) >= 6, (mode, totals)


def test_index_written_before_the_shift_columns_loads_them_as_unknown(tmp_path):
    rng = random.Random(4)
    features = OpportunityFeatures.from_docs([random_doc(rng, pk) for pk in range(1, 9)])
    old = {name: values for name, values in features.dense.items() if not name.startswith("shift")}
    features.dense = old
    features.save(tmp_path / "f.npz")
    loaded = OpportunityFeatures.load(tmp_path / "f.npz")
    assert loaded.dense["shift_start"].tolist() == [-1] * 8


def test_merge_replaces_and_deletes_rows():
    rng = random.Random(1)
    docs = [random_doc(rng, pk) for pk in range(1, 6)]
    features = OpportunityFeatures.from_docs(docs)
    changed = dataclasses.replace(docs[2], requirements=docs[2].requirements[:1])
    merged = features.merged([changed], [docs[0].key])
    keys = merged.dense["keys"].tolist()
    assert keys == sorted(doc.key for doc in docs[1:])
    row = keys.index(changed.key)
    assert merged.sparse["requirements"][row].nnz == len(changed.requirements)


def test_save_and_load_round_trip(tmp_path):
    rng = random.Random(2)
    features = OpportunityFeatures.from_docs([random_doc(rng, pk) for pk in range(1, 20)])
    features.save(tmp_path / "f.npz")
    loaded = OpportunityFeatures.load(tmp_path / "f.npz")
    for name, values in features.dense.items():
        assert np.array_equal(values, loaded.dense[name])
    for name, matrix in features.sparse.items():
        assert (matrix != loaded.sparse[name]).nnz == 0
    assert loaded.sector_vocab == features.sector_vocab


def test_pages_do_not_overlap():
    rng = random.Random(3)
    docs = [random_doc(rng, pk) for pk in range(1, 200)]
    features = OpportunityFeatures.from_docs(docs)
    base = OpportunityQuery(
        kinds=("offer",),
        credits={1: 1.0},
        origin=PLACES[1],
        constraints=HardConstraints(today=TODAY),
    )
    everything = rank(features, OpportunityQuery(**{**base.__dict__, "limit": 1000}))
    pages = [
        rank(features, OpportunityQuery(**{**base.__dict__, "offset": o, "limit": 7}))
        for o in range(0, everything.total, 7)
    ]
    assert np.concatenate([p.rows for p in pages]).tolist() == everything.rows.tolist()
