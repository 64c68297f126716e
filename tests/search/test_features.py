"""The embedded backend's numpy/scipy matching agrees with the plain-Python reference."""

import dataclasses
import datetime
import random

import numpy as np
import pytest

from search import matching
from search.backends._features import Delta, Features, FeatureStore, Segment
from search.backends._select import rank
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


def assert_like_the_reference(ranked, expected):
    scores = dict(expected)
    found_keys = ranked.keys.tolist()
    assert ranked.total == len(expected)
    assert sorted(found_keys) == sorted(key for key, _s in expected)
    assert np.allclose(ranked.scores, [scores[key] for key in found_keys])
    assert list(ranked.scores) == sorted(ranked.scores, reverse=True)


@pytest.mark.parametrize("mode", ["match", "near", "what_if"])
@pytest.mark.parametrize("seed", range(12))
def test_vectorised_ranking_matches_the_reference(seed, mode):
    rng = random.Random(seed)
    docs = [random_doc(rng, pk) for pk in range(1, 301)]
    query = random_query(rng, mode)
    assert_like_the_reference(
        rank(Features.from_docs(docs), query), reference_selection(docs, query)
    )


@pytest.mark.parametrize("mode", ["match", "near", "what_if"])
@pytest.mark.parametrize("seed", range(12))
def test_the_first_page_is_the_references_best(seed, mode):
    """A short page out of many selected rows (only the nearest of the rows that score on
    distance alone are scored): the total and the best five as the reference says."""
    rng = random.Random(seed)
    docs = [random_doc(rng, pk) for pk in range(1, 301)]
    query = dataclasses.replace(random_query(rng, mode), limit=5)
    ranked = rank(Features.from_docs(docs), query)
    expected = sorted(reference_selection(docs, query), key=lambda pair: (-pair[1], pair[0]))
    assert ranked.total == len(expected)
    assert ranked.keys.tolist() == [key for key, _score in expected[:5]]
    assert np.allclose(ranked.scores, [score for _key, score in expected[:5]])


def written_later(rng: random.Random, docs: list[OpportunityDoc]):
    """Some documents replaced, some deleted, some added: (writes, deleted keys, final docs)."""
    replaced = [
        dataclasses.replace(random_doc(rng, doc.id), kind=doc.kind) for doc in rng.sample(docs, 40)
    ]
    added = [random_doc(rng, pk) for pk in range(1000, 1030)]
    deleted = [doc.key for doc in rng.sample(docs, 30) if doc not in replaced]
    final = {doc.key: doc for doc in docs}
    for doc in replaced + added:
        final[doc.key] = doc
    for key in deleted:
        final.pop(key, None)
    return replaced + added, deleted, list(final.values())


@pytest.mark.parametrize("mode", ["match", "near", "what_if"])
@pytest.mark.parametrize("seed", range(6))
def test_a_base_with_a_delta_ranks_as_the_documents_written_last(seed, mode, tmp_path):
    rng = random.Random(50 + seed)
    docs = [random_doc(rng, pk) for pk in range(1, 301)]
    store = FeatureStore(tmp_path / "features")
    store.publish_base(Segment.from_docs(docs))
    writes, deleted, final = written_later(rng, docs)
    for start in range(0, len(writes), 7):  # a few writes at a time, as services do
        store.write(writes[start : start + 7], deleted[start // 7 :: 10])
    store.write([], deleted)
    query = random_query(rng, mode)
    assert_like_the_reference(rank(store.current(), query), reference_selection(final, query))


def test_a_merge_keeps_what_was_written_while_it_ran(tmp_path):
    rng = random.Random(9)
    docs = [random_doc(rng, pk) for pk in range(1, 201)]
    store = FeatureStore(tmp_path / "features")
    store.publish_base(Segment.from_docs(docs))
    writes, deleted, _final = written_later(rng, docs)
    store.write(writes[:30], deleted[:10])
    snapshot = store.read_delta()
    merged = store.merged_base(snapshot)  # meanwhile, more writes arrive
    late = [dataclasses.replace(writes[0], title="scritto durante la fusione"), *writes[30:]]
    store.write(late, deleted[10:])
    store.swap_base(merged, snapshot.seq)
    delta = store.read_delta()
    assert delta.base == merged
    assert sorted(delta.rows.keys.tolist()) == sorted({doc.key for doc in late})
    final = {doc.key: doc for doc in docs}
    final.update({doc.key: doc for doc in writes[:30] + late})
    for key in deleted:
        final.pop(key, None)
    query = random_query(rng, "match")
    assert_like_the_reference(
        rank(store.current(), query), reference_selection(list(final.values()), query)
    )


def test_a_write_rewrites_the_small_delta_not_the_base(tmp_path):
    rng = random.Random(8)
    store = FeatureStore(tmp_path / "features")
    store.publish_base(Segment.from_docs([random_doc(rng, pk) for pk in range(1, 2001)]))
    base = next((tmp_path / "features").glob("base-*"))
    before = {path.name: path.stat().st_mtime_ns for path in base.iterdir()}
    store.write([random_doc(rng, 5000)], [])
    after = {path.name: path.stat().st_mtime_ns for path in base.iterdir()}
    assert after == before
    assert len(store.read_delta()) == 1
    assert store.delta_path.stat().st_size < 20_000


def test_readers_see_a_write_and_keep_the_base_mapped(tmp_path):
    rng = random.Random(7)
    writer, reader = FeatureStore(tmp_path / "f"), FeatureStore(tmp_path / "f")
    writer.publish_base(Segment.from_docs([random_doc(rng, pk) for pk in range(1, 50)]))
    first = reader.current()
    assert isinstance(first.base.keys.base, np.memmap)  # mapped, not read
    writer.write([random_doc(rng, 60)], [])
    second = reader.current()
    assert second.base is first.base  # the base was not read again
    assert len(second) == len(first) + 1


def test_two_writers_take_turns_without_losing_a_write(tmp_path):
    """Each process keeps the delta it read; one written by another is read again."""
    rng = random.Random(8)
    first, second = FeatureStore(tmp_path / "f"), FeatureStore(tmp_path / "f")
    first.publish_base(Segment.from_docs([random_doc(rng, pk) for pk in range(1, 20)]))
    first.write([random_doc(rng, 60)], [])
    assert first.read_delta() is first.read_delta()  # not read again while unchanged
    second.write([random_doc(rng, 61)], [])
    first.write([random_doc(rng, 62)], [])
    assert len(FeatureStore(tmp_path / "f").read_delta()) == 3
    assert len(second.current()) == 19 + 3


def test_every_mode_selects_something_on_random_data():
    """The random cases above are not empty: each mode selects documents in some seeds."""
    for mode in ("match", "near", "what_if"):
        totals = []
        for seed in range(12):
            rng = random.Random(seed)
            docs = [random_doc(rng, pk) for pk in range(1, 301)]
            totals.append(len(reference_selection(docs, random_query(rng, mode))))
        assert sum(1 for total in totals if total) >= 6, (mode, totals)


def test_a_generation_written_before_segments_is_still_read(tmp_path):
    """One opportunities.npz beside the features directory, without the shift columns."""
    rng = random.Random(4)
    docs = [random_doc(rng, pk) for pk in range(1, 9)]
    segment = Segment.from_docs(docs)
    arrays = {
        name: values for name, values in segment.columns.items() if not name.startswith("shift")
    }
    for name, matrix in segment.matrices.items():
        arrays.update(
            {
                f"{name}__data": matrix.data,
                f"{name}__indices": matrix.indices,
                f"{name}__indptr": matrix.indptr,
                f"{name}__shape": np.array(matrix.shape),
            }
        )
    arrays["sector_vocab"] = np.array(segment.sector_vocab, dtype=np.str_)
    np.savez(tmp_path / "opportunities.npz", **arrays)
    features = FeatureStore(tmp_path / "features").current()
    assert features.base.keys.tolist() == sorted(doc.key for doc in docs)
    assert features.base.columns["shift_start"].tolist() == [-1] * 8


def test_delta_replaces_and_deletes_rows():
    rng = random.Random(1)
    docs = [random_doc(rng, pk) for pk in range(1, 6)]
    base = Segment.from_docs(docs)
    changed = dataclasses.replace(docs[2], requirements=docs[2].requirements[:1])
    delta = Delta.empty("base").written([changed], [docs[0].key])
    features = Features.of(base, delta)
    assert len(features) == 4
    assert sorted(base.keys[features.dead].tolist()) == sorted([docs[0].key, changed.key])
    assert features.delta.matrices["requirements"][0].nnz == len(changed.requirements)


def test_base_save_and_load_round_trip(tmp_path):
    rng = random.Random(2)
    segment = Segment.from_docs([random_doc(rng, pk) for pk in range(1, 20)])
    segment.save_base(tmp_path / "base-1")
    loaded = Segment.load_base(tmp_path / "base-1")
    for name, values in segment.columns.items():
        assert np.array_equal(values, loaded.columns[name])
    for name, matrix in segment.matrices.items():
        assert (matrix != loaded.matrices[name]).nnz == 0
    assert loaded.sector_vocab == segment.sector_vocab
    assert np.array_equal(loaded.place, segment.place)
    assert np.array_equal(loaded.by_municipality.rows, segment.by_municipality.rows)


def test_pages_do_not_overlap():
    rng = random.Random(3)
    docs = [random_doc(rng, pk) for pk in range(1, 200)]
    features = Features.from_docs(docs)
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
    assert np.concatenate([p.keys for p in pages]).tolist() == everything.keys.tolist()


@pytest.mark.parametrize("seed", range(4))
def test_distinct_places_group_the_rows_by_coordinates(seed):
    from search.backends._features import distinct_places

    rng = np.random.default_rng(seed)
    lat = rng.choice([0.79, 0.8, 0.81, np.nan], 500)
    lon = rng.choice([0.16, 0.17, np.nan], 500)
    place, (lats, lons) = distinct_places(lat, lon)
    np.testing.assert_array_equal(lats[place], lat)  # NaN where NaN
    np.testing.assert_array_equal(lons[place], lon)
    located = ~np.isnan(lat) & ~np.isnan(lon)
    pairs = {(a, b) for a, b in zip(lat[located], lon[located], strict=True)}
    assert len(set(place[located].tolist())) == len(pairs)  # one place per coordinates
    assert len(set(place[~located].tolist())) == (~located).sum()  # no coordinates: alone
    sure = rng.choice([0.79, 0.8, 0.81], 500), rng.choice([0.16, 0.17], 500)
    place, (lats, lons) = distinct_places(*sure)
    unique, inverse = np.unique(np.stack(sure, axis=1), axis=0, return_inverse=True)
    np.testing.assert_array_equal(place, inverse.reshape(-1))  # as numpy's unique rows
    np.testing.assert_array_equal(np.stack([lats, lons], axis=1), unique)
