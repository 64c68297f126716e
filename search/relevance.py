"""The matching formula measured against human judgment: NDCG@10 on a relevance set.

search/data/relevance/ holds a fixed pool of opportunities (pool.json), sixty fictional
people (people.json: skills, measure, what they said they wish, the kind of opportunity
the counsellor looks for) and the grades a counsellor gave (judgments.json: 3 = propose
first, 2 = a good option, 1 = plausible, unlisted = 0), written by hand for Ponte.

A person's ranking is the formula's order of the opportunities of their kind that the hard
constraints admit (search.matching, the reference every engine is tested against), here
with any weights, so that the formula before a change and after it are measured on the
same set. Skill credits and interests come from the default framework in the database
(`manage.py load_framework`), through the same functions matching uses.
"""

import datetime
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from competenze.models import Concept
from search import interests, matching, sources
from search.concepts import ConceptCache, ConceptInfo
from search.profiles import interest_vocabulary
from search.types import (
    COURSE,
    OFFER,
    PLACEMENT,
    HardConstraints,
    OpportunityDoc,
    OpportunityQuery,
    Requirement,
)

DATA_DIR = Path(__file__).resolve().parent / "data" / "relevance"
K = 10
FOCUS = (OFFER, COURSE, PLACEMENT)


@dataclass(frozen=True)
class Weights:
    skill: float
    distance: float
    affinity: float

    def score(self, skill: float, distance_km: float | None, affinity: float) -> float:
        return (
            self.skill * skill
            + self.distance * matching.distance_factor(distance_km)
            + self.affinity * affinity
        )


BEFORE = Weights(0.7, 0.3, 0.0)
"""The formula before interests and profile sectors counted (docs/matching.md, 2026-05)."""


def current_weights() -> Weights:
    return Weights(matching.SKILL_WEIGHT, matching.DISTANCE_WEIGHT, matching.AFFINITY_WEIGHT)


@dataclass(frozen=True)
class JudgedPerson:
    id: str
    focus: str
    origin: tuple[float, float]
    credits: Mapping[int, float]
    constraints: HardConstraints
    affinity: Mapping[str, float]
    grades: Mapping[str, int] = field(default_factory=dict)

    def query(self, limit: int = K) -> OpportunityQuery:
        return OpportunityQuery(
            kinds=(self.focus,),
            credits=self.credits,
            origin=self.origin,
            constraints=self.constraints,
            affinity=self.affinity,
            limit=limit,
        )


@dataclass(frozen=True)
class RelevanceSet:
    docs: tuple[OpportunityDoc, ...]
    names: Mapping[int, str]  # opportunity key → id in pool.json
    people: tuple[JudgedPerson, ...]


def _read(directory: Path, name: str) -> Any:
    return json.loads((directory / name).read_text(encoding="utf-8"))


class _Framework:
    """Concepts of the default framework by code, with what matching needs of them."""

    def __init__(self) -> None:
        rows = Concept.objects.filter(framework__is_default=True).values_list("code", "pk")
        self.ids = dict(rows)
        self.cache = ConceptCache()

    def id(self, code: str) -> int:
        if code not in self.ids:
            raise ValueError(f"{code}: non è nel quadro predefinito (manage.py load_framework)")
        return self.ids[code]

    def info(self, ids: Iterable[int]) -> Mapping[int, ConceptInfo]:
        return self.cache.info(ids)


def _day(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today + datetime.timedelta(days=days)


def _minutes(hours: float | None) -> int | None:
    return None if hours is None else round(hours * 60)


def _requirements(item: Mapping[str, Any], framework: _Framework) -> tuple[Requirement, ...]:
    explicit = [(framework.id(code), True) for code in item.get("skills_essential", ())]
    for entry in item.get("skills", ()):
        code, essential = (entry, False) if isinstance(entry, str) else entry
        explicit.append((framework.id(code), essential))
    explicit += [(framework.id(code), False) for code in item.get("teaches", ())]
    profile = framework.id(item["profile"]) if item.get("profile") else None
    relations = framework.cache.relations([profile])[profile] if profile else ()
    framework.info([*(c for c, _e in explicit), *(c for c, _e in relations)])
    return sources.requirements_merged(explicit, relations, framework.cache)


def _doc(
    index: int,
    item: Mapping[str, Any],
    pool: Mapping[str, Any],
    framework: _Framework,
    today: datetime.date,
) -> OpportunityDoc:
    towns = list(pool["towns"])
    latitude, longitude = pool["towns"][item["town"]]
    requirements = _requirements(item, framework)
    profile_id = framework.id(item["profile"]) if item.get("profile") else None
    profile_sector = framework.info([profile_id])[profile_id].sector if profile_id else ""
    activity = sources.PLACEMENT_ACTIVITY_SECTORS.get(item.get("activity", ""), ())
    shift = item.get("shift") or (None, None)
    institutes = list(pool["institutes"])
    institute = item.get("institute")
    seats = item.get("seats", item.get("places"))
    return OpportunityDoc(
        kind=item["kind"],
        id=index,
        title=item["title"],
        description="",
        organisation="",
        status="pubblicata",
        municipality_id=towns.index(item["town"]) + 1,
        municipality=item["town"],
        province="",
        latitude=latitude,
        longitude=longitude,
        start_date=_day(today, item.get("start")),
        end_date=_day(today, item.get("end")),
        weekly_hours=item.get("hours"),
        seats_available=seats,
        measures=tuple(item.get("measures", ())),
        sectors=sources.opportunity_sectors(profile_sector, requirements, activity),
        institute_id=institutes.index(institute) + 1 if institute else None,
        profile_code=item.get("profile", ""),
        profile_label="",
        requirements=requirements,
        teaches=tuple(framework.id(code) for code in item.get("teaches", ())),
        shift_start=_minutes(shift[0]),
        shift_end=_minutes(shift[1]),
    )


def _constraints(
    person: Mapping[str, Any], pool: Mapping[str, Any], today: datetime.date
) -> HardConstraints:
    towns = list(pool["towns"])
    measure = person.get("measure")
    available = _day(today, person.get("available_from"))
    if not measure:
        return HardConstraints(today=today, available_from=available)
    allowed = {towns.index(name) + 1 for name in measure.get("allowed", ())}
    institute = measure.get("institute") if measure["type"] == matching.DETENTION else None
    if institute:
        allowed.add(towns.index(pool["institutes"][institute]) + 1)
    daily = measure.get("daily") or (None, None)
    return HardConstraints(
        today=today,
        measure_type=measure["type"],
        allowed_municipalities=frozenset(allowed),
        radius_km=measure.get("radius_km"),
        max_weekly_hours=measure.get("max_weekly_hours"),
        available_from=available,
        measure_end=_day(today, measure.get("end")),
        avoid_sectors=frozenset(measure.get("avoid", ())),
        institute_id=list(pool["institutes"]).index(institute) + 1 if institute else None,
        daily_start=_minutes(daily[0]),
        daily_end=_minutes(daily[1]),
    )


def _person(
    person: Mapping[str, Any],
    pool: Mapping[str, Any],
    framework: _Framework,
    vocabulary: interests.Vocabulary,
    today: datetime.date,
    grades: Mapping[str, int],
) -> JudgedPerson:
    held_ids = [(framework.id(code), stage) for code, stage in person.get("skills", ())]
    info = framework.info([pk for pk, _s in held_ids])
    held = [matching.HeldSkill(pk, stage, info[pk].parent_id) for pk, stage in held_ids]
    children = framework.cache.children(pk for pk, _s in held_ids)
    credits = matching.credits_for(held, children)
    masses = interests.profile_masses((info[pk].sector, stage) for pk, stage in held_ids)
    declared: set[str] = set()
    for text in person.get("aspirations", ()):
        declared |= interests.sectors_in_text(text, vocabulary)
    wished = framework.info(framework.id(code) for code in person.get("wishes", ()))
    declared |= {wished[framework.id(code)].sector for code in person.get("wishes", ())}
    return JudgedPerson(
        id=person["id"],
        focus=person["focus"],
        origin=tuple(pool["towns"][person["town"]]),
        credits={pk: credit.value for pk, credit in credits.items()},
        constraints=_constraints(person, pool, today),
        affinity=interests.sector_affinity(declared - {""}, masses),
        grades=grades,
    )


def load(directory: Path = DATA_DIR) -> RelevanceSet:
    """The relevance set, with concept ids of the default framework (ValueError when a code
    is missing there)."""
    pool, people = _read(directory, "pool.json"), _read(directory, "people.json")["people"]
    judgments = _read(directory, "judgments.json")["grades"]
    today = datetime.date.fromisoformat(pool["today"])
    framework = _Framework()
    docs = tuple(
        _doc(number, item, pool, framework, today)
        for number, item in enumerate(pool["opportunities"], start=1)
    )
    names = {doc.key: item["id"] for doc, item in zip(docs, pool["opportunities"], strict=True)}
    vocabulary = interest_vocabulary()
    judged = tuple(
        _person(person, pool, framework, vocabulary, today, judgments.get(person["id"], {}))
        for person in people
    )
    return RelevanceSet(docs, names, judged)


def admitted(
    person: JudgedPerson, docs: Sequence[OpportunityDoc]
) -> list[tuple[OpportunityDoc, float]]:
    """(document, distance) of the person's kind that the hard constraints admit."""
    found = []
    for doc in docs:
        if doc.kind != person.focus:
            continue
        km = matching.haversine_km(*person.origin, doc.latitude, doc.longitude)
        if matching.admissible(person.constraints, doc, km):
            found.append((doc, km))
    return found


def ranking(person: JudgedPerson, rs: RelevanceSet, weights: Weights) -> list[str]:
    """Pool ids, best first by `weights` (ties: lower key first, as the engines)."""
    scored = []
    for doc, km in admitted(person, rs.docs):
        pairs = [(r.concept_id, r.essential) for r in doc.requirements]
        skill = matching.skill_score(pairs, person.credits)
        affinity = matching.affinity_of(doc.sectors, person.affinity)
        scored.append((-weights.score(skill, km, affinity), doc.key))
    return [rs.names[key] for _score, key in sorted(scored)]


def dcg(grades: Sequence[int]) -> float:
    return float(sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades)))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain of the first `k` (gains 2^grade − 1)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(item, 0) for item in ranked[:k]]) / ideal


def evaluate(rs: RelevanceSet, weights: Weights) -> dict[str, float]:
    """NDCG@K of every judged person."""
    return {
        person.id: ndcg(ranking(person, rs, weights), person.grades)
        for person in rs.people
        if person.grades
    }
