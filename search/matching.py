"""The matching formula in plain Python: credits, scores, hard constraints, explanations, gaps.

Backends compute the same formula in bulk (numpy, tantivy, Elasticsearch); this module is
the reference they are tested against and what builds every explanation. No ORM here.
docs/matching.md explains every constant.
"""

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from search.types import (
    COURSE,
    OFFER,
    PLACEMENT,
    Credit,
    HardConstraints,
    OpportunityDoc,
    Requirement,
)

STAGE_WEIGHT = {"certificata": 1.0, "validata": 0.8, "individuata": 0.6}
VIA_OWN, VIA_ABILITY, VIA_COMPETENCE = "propria", "da_abilita", "da_competenza"
RELATION_FACTOR = {VIA_OWN: 1.0, VIA_ABILITY: 0.5, VIA_COMPETENCE: 0.75}
ESSENTIAL_WEIGHT, OPTIONAL_WEIGHT = 2.0, 1.0
SKILL_WEIGHT, DISTANCE_WEIGHT, AFFINITY_WEIGHT = 0.6, 0.1, 0.3
DISTANCE_SCALE_KM = 25.0
CANDIDATE_SKILL_WEIGHT, CANDIDATE_PROVINCE_WEIGHT = 0.8, 0.2
COVERED_FROM = 0.6
"""A requirement whose credit reaches this is covered; below (but above 0) it is partial."""
CREDIT_VALUES = tuple(
    sorted(
        {round(s * r, 2) for s in STAGE_WEIGHT.values() for r in RELATION_FACTOR.values()},
        reverse=True,
    )
)
"""Every value a credit can take: engines score credits as terms, one per value."""
CREDIT_TABLE = {
    (stage, via): round(weight * factor, 2)
    for stage, weight in STAGE_WEIGHT.items()
    for via, factor in RELATION_FACTOR.items()
}
PLACEMENT_MEASURES = frozenset({"map", "lpu", "lsu"})
DETENTION = "detenzione"
EARTH_RADIUS_KM = 6371.0088

AREA, INSTITUTE, HOURS, SHIFT = "area", "istituto", "orario", "fascia"
MEASURE, SECTORS, DATES, MEASURE_END, SEATS = "misura", "settori", "date", "fine_misura", "posti"
CHECKS = (AREA, INSTITUTE, HOURS, SHIFT, MEASURE, SECTORS, DATES, MEASURE_END, SEATS)
"""Every hard constraint, in the order explanations list them."""
JUDICIAL_CHECKS = frozenset({AREA, INSTITUTE, HOURS, SHIFT, MEASURE, SECTORS, MEASURE_END})
"""Checks that derive from the judicial measure: shown only to who may see judicial data."""
RELAXABLE = tuple(code for code in CHECKS if code != SEATS)
"""What a what-if may set aside: the person's constraints, not the opportunity's seats."""
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class HeldSkill:
    concept_id: int
    stage: str
    parent_id: int | None = None


def credits_for(
    held: Iterable[HeldSkill], children: Mapping[int, Iterable[int]]
) -> dict[int, Credit]:
    """The best credit for every concept the profile reaches (held_credits of each held
    skill, the highest value winning; the first of equal ones)."""
    return best_credits(held_credits(skill, children) for skill in held)


def held_credits(skill: HeldSkill, children: Mapping[int, Iterable[int]]) -> tuple[Credit, ...]:
    """The credits one held skill gives: its concept counts fully; an ability or knowledge
    also counts (half) toward its parent competence; a held competence counts (three
    quarters) toward its abilities. Each is weighted by the stage the held skill reached."""
    stage = skill.stage
    reached = [(skill.concept_id, VIA_OWN)]
    if skill.parent_id is not None:
        reached.append((skill.parent_id, VIA_ABILITY))
    reached.extend((child, VIA_COMPETENCE) for child in children.get(skill.concept_id, ()))
    return tuple(
        Credit(concept_id, CREDIT_TABLE.get((stage, via), 0.0), via, stage)
        for concept_id, via in reached
    )


def best_credits(given: Iterable[Iterable[Credit]]) -> dict[int, Credit]:
    best: dict[int, Credit] = {}
    for credits in given:
        for credit in credits:  # inline: a rebuild runs this for every person
            current = best.get(credit.concept_id)
            if current is None or credit.value > current.value:
                best[credit.concept_id] = credit
    return best


def requirement_weight(essential: bool) -> float:
    return ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT


def skill_score(requirements: Iterable[tuple[int, bool]], credits: Mapping[int, float]) -> float:
    """Weighted share of the (concept id, essential) requirements the credits cover, 0..1."""
    total = covered = 0.0
    for concept_id, essential in requirements:
        weight = requirement_weight(essential)
        total += weight
        covered += weight * credits.get(concept_id, 0.0)
    return covered / total if total else 0.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_factor(distance_km: float | None) -> float:
    """1 on the doorstep, 1/e at DISTANCE_SCALE_KM, 0 when the distance is unknown."""
    return 0.0 if distance_km is None else math.exp(-distance_km / DISTANCE_SCALE_KM)


def affinity_of(sectors: Iterable[str], affinity: Mapping[str, float]) -> float:
    """The person's affinity with an opportunity: the best of its sectors' (0 without)."""
    return max((affinity.get(code, 0.0) for code in sectors), default=0.0)


def opportunity_score(skill: float, distance_km: float | None, affinity: float = 0.0) -> float:
    return (
        SKILL_WEIGHT * skill
        + DISTANCE_WEIGHT * distance_factor(distance_km)
        + AFFINITY_WEIGHT * affinity
    )


def candidate_score(skill: float, same_province: bool) -> float:
    return CANDIDATE_SKILL_WEIGHT * skill + CANDIDATE_PROVINCE_WEIGHT * float(same_province)


@dataclass(frozen=True)
class ConstraintCheck:
    code: str
    satisfied: bool

    @property
    def judicial(self) -> bool:
        return self.code in JUDICIAL_CHECKS


def _area(c: HardConstraints, doc: OpportunityDoc, distance_km: float | None) -> bool | None:
    if c.allowed_municipalities:
        return doc.municipality_id in c.allowed_municipalities
    if c.radius_km is not None:
        return distance_km is not None and distance_km <= c.radius_km
    return None


def _institute(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    if c.institute_id is None or doc.kind != COURSE:
        return None
    return doc.institute_id == c.institute_id


def _hours(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    if c.max_weekly_hours is None or doc.weekly_hours is None:
        return None
    return doc.weekly_hours <= c.max_weekly_hours


def _shift(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    """The daily shift within the hours the person may be out; a shift crossing midnight
    never is (the window is one day's)."""
    if c.daily_start is None and c.daily_end is None:
        return None
    if doc.shift_start is None or doc.shift_end is None:
        return None
    if doc.shift_end <= doc.shift_start:
        return False
    return (c.daily_start is None or doc.shift_start >= c.daily_start) and (
        c.daily_end is None or doc.shift_end <= c.daily_end
    )


def _measure(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    if doc.kind == PLACEMENT:
        return c.measure_type in PLACEMENT_MEASURES and c.measure_type in doc.measures
    if doc.kind == OFFER and doc.measures:
        return c.measure_type in doc.measures
    return None


def _sectors(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    if not c.avoid_sectors:
        return None
    return not c.avoid_sectors.intersection(doc.sectors)


def _dates(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    if c.available_from is None or doc.start_date is None:
        return None
    return doc.start_date >= c.available_from


def _measure_end(c: HardConstraints, doc: OpportunityDoc) -> bool | None:
    """A placement starts before the measure ends; a job offer that does not admit
    detention starts after a detention ends (outside work needs art. 21 or release)."""
    if c.measure_end is None or doc.start_date is None:
        return None
    if doc.kind == PLACEMENT:
        return doc.start_date <= c.measure_end
    if doc.kind == OFFER and c.measure_type == DETENTION and DETENTION not in doc.measures:
        return doc.start_date > c.measure_end
    return None


def _seats(doc: OpportunityDoc) -> bool | None:
    return None if doc.seats_available is None else doc.seats_available > 0


def is_open(doc: OpportunityDoc, constraints: HardConstraints) -> bool:
    """Published and, for a course, not over and, when held inside a prison, for someone
    detained: what no what-if can change (a detainee of another institute is a near miss of
    the `istituto` check instead)."""
    if doc.status != "pubblicata":
        return False
    if doc.kind != COURSE:
        return True
    if doc.institute_id is not None and constraints.institute_id is None:
        return False
    return doc.end_date is None or doc.end_date >= constraints.today


def constraints_check(
    constraints: HardConstraints, doc: OpportunityDoc, distance_km: float | None
) -> tuple[ConstraintCheck, ...]:
    """The hard constraints that apply to this pair, each satisfied or not.

    An opportunity is admissible when it is open (is_open) and all are satisfied;
    constraints that cannot be checked (unknown hours, shift or dates) do not apply, except
    a radius with an unknown distance, which fails; waived constraints do not apply either.
    Backends apply the same rules as filters.
    """
    c = constraints
    results = {
        AREA: _area(c, doc, distance_km),
        INSTITUTE: _institute(c, doc),
        HOURS: _hours(c, doc),
        SHIFT: _shift(c, doc),
        MEASURE: _measure(c, doc),
        SECTORS: _sectors(c, doc),
        DATES: _dates(c, doc),
        MEASURE_END: _measure_end(c, doc),
        SEATS: _seats(doc),
    }
    return tuple(
        ConstraintCheck(code, ok)
        for code, ok in results.items()
        if ok is not None and code not in c.waived
    )


def failing(
    constraints: HardConstraints, doc: OpportunityDoc, distance_km: float | None
) -> tuple[str, ...]:
    """The codes of the hard constraints that exclude this opportunity."""
    return tuple(
        check.code
        for check in constraints_check(constraints, doc, distance_km)
        if not check.satisfied
    )


def admissible(
    constraints: HardConstraints, doc: OpportunityDoc, distance_km: float | None
) -> bool:
    return is_open(doc, constraints) and not failing(constraints, doc, distance_km)


def near_miss(
    constraints: HardConstraints, doc: OpportunityDoc, distance_km: float | None
) -> str | None:
    """The one constraint that excludes an open opportunity, or None (admitted, closed, or
    excluded by more than one)."""
    if not is_open(doc, constraints):
        return None
    found = failing(constraints, doc, distance_km)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Miss:
    """Why an opportunity is excluded and by how much, as data (search.near_misses words
    it). Only the fields of its `code` are set."""

    code: str
    distance_km: float | None = None
    limit_km: float | None = None
    hours: int | None = None
    limit_hours: int | None = None
    shift: tuple[int, int] | None = None
    window: tuple[int | None, int | None] | None = None
    measure: str = ""
    admitted: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    start: datetime.date | None = None
    limit_date: datetime.date | None = None


def miss_for(
    code: str, constraints: HardConstraints, doc: OpportunityDoc, distance_km: float | None
) -> Miss:
    """The amounts behind a failed check (`code`) of this pair."""
    c = constraints
    if code == AREA:
        if c.allowed_municipalities:
            return Miss(code, distance_km=distance_km)
        return Miss(code, distance_km=distance_km, limit_km=c.radius_km)
    if code == HOURS:
        return Miss(code, hours=doc.weekly_hours, limit_hours=c.max_weekly_hours)
    if code == SHIFT and doc.shift_start is not None and doc.shift_end is not None:
        return Miss(
            code, shift=(doc.shift_start, doc.shift_end), window=(c.daily_start, c.daily_end)
        )
    if code == MEASURE:
        return Miss(code, measure=c.measure_type, admitted=tuple(doc.measures))
    if code == SECTORS:
        return Miss(code, sectors=tuple(sorted(c.avoid_sectors.intersection(doc.sectors))))
    if code == DATES:
        return Miss(code, start=doc.start_date, limit_date=c.available_from)
    if code == MEASURE_END:
        return Miss(code, start=doc.start_date, limit_date=c.measure_end)
    return Miss(code)


def relax(
    constraints: HardConstraints,
    code: str,
    *,
    radius_km: float | None = None,
    max_weekly_hours: int | None = None,
) -> HardConstraints:
    """The constraints with one of them relaxed: the area to a radius around the domicile
    (`radius_km`), the weekly hours to a new limit (`max_weekly_hours`), or any relaxable
    check set aside. Raises ValueError for a code that cannot be relaxed."""
    if code not in RELAXABLE:
        raise ValueError(code)
    if code == AREA and radius_km is not None:
        return replace(constraints, allowed_municipalities=frozenset(), radius_km=radius_km)
    if code == HOURS and max_weekly_hours is not None:
        return replace(constraints, max_weekly_hours=max_weekly_hours)
    return replace(constraints, waived=constraints.waived | {code})


SUITABLE_FROM = 0.2
"""Below this share of what a job offer asks (essential skills counting double) it is not
called suitable: the counsellor sees the courses that lead closer first."""


def suitable(kind: str, has_requirements: bool, skill: float, affinity: float) -> bool:
    """Whether to call an admissible opportunity suitable for the person.

    An opportunity asking nothing is (the hard constraints decide); a job offer when the
    profile covers at least SUITABLE_FROM of what it asks; a course or a placement also
    when it is in one of the person's sectors (interests, or the profile's own sectors):
    a course is there to teach what one does not have yet.
    """
    if not has_requirements:
        return True
    if kind == OFFER:
        return skill >= SUITABLE_FROM
    return skill >= SUITABLE_FROM or affinity > 0


@dataclass(frozen=True)
class SkillMatch:
    concept_id: int
    code: str
    label: str
    essential: bool
    credit: float
    via: str
    stage: str


@dataclass(frozen=True)
class MissingSkill:
    concept_id: int
    code: str
    label: str
    essential: bool


@dataclass(frozen=True)
class Explanation:
    skill_score: float
    skills_matched: tuple[SkillMatch, ...]
    essential_missing: tuple[MissingSkill, ...]
    optional_missing: tuple[MissingSkill, ...]
    distance_km: float | None
    same_province: bool | None
    constraints_satisfied: tuple[str, ...]
    affinity: float = 0.0


def _split(
    requirements: Iterable[Requirement], credits: Mapping[int, Credit]
) -> tuple[list[SkillMatch], list[MissingSkill]]:
    matched, missing = [], []
    for item in requirements:
        credit = credits.get(item.concept_id)
        if credit is None or credit.value <= 0:
            missing.append(MissingSkill(item.concept_id, item.code, item.label, item.essential))
            continue
        matched.append(
            SkillMatch(
                item.concept_id,
                item.code,
                item.label,
                item.essential,
                credit.value,
                credit.via,
                credit.stage,
            )
        )
    return matched, missing


def explain(
    requirements: Sequence[Requirement],
    credits: Mapping[int, Credit],
    *,
    distance_km: float | None = None,
    same_province: bool | None = None,
    checks: Iterable[ConstraintCheck] = (),
    show_judicial: bool = True,
    affinity: float = 0.0,
) -> Explanation:
    """Why a result ranks where it does; judicial checks are left out unless `show_judicial`."""
    matched, missing = _split(requirements, credits)
    values = {concept_id: credit.value for concept_id, credit in credits.items()}
    pairs = [(item.concept_id, item.essential) for item in requirements]
    return Explanation(
        skill_score=round(skill_score(pairs, values), 4),
        skills_matched=tuple(sorted(matched, key=lambda m: (not m.essential, -m.credit, m.code))),
        essential_missing=tuple(item for item in missing if item.essential),
        optional_missing=tuple(item for item in missing if not item.essential),
        distance_km=None if distance_km is None else round(distance_km, 1),
        same_province=same_province,
        constraints_satisfied=tuple(
            check.code
            for check in checks
            if check.satisfied and (show_judicial or not check.judicial)
        ),
        affinity=round(affinity, 4),
    )


@dataclass(frozen=True)
class Gap:
    covered: tuple[SkillMatch, ...]
    partial: tuple[SkillMatch, ...]
    missing: tuple[MissingSkill, ...]

    @property
    def to_close(self) -> tuple[int, ...]:
        """Concepts a course should teach: the missing ones and the partially covered."""
        return tuple(
            [item.concept_id for item in self.missing] + [item.concept_id for item in self.partial]
        )


def gap_for(requirements: Sequence[Requirement], credits: Mapping[int, Credit]) -> Gap:
    matched, missing = _split(requirements, credits)
    return Gap(
        covered=tuple(item for item in matched if item.credit >= COVERED_FROM),
        partial=tuple(item for item in matched if item.credit < COVERED_FROM),
        missing=tuple(sorted(missing, key=lambda item: (not item.essential, item.code))),
    )


@dataclass(frozen=True)
class ClosingCourse:
    doc: OpportunityDoc
    closes: tuple[int, ...]


def courses_closing(
    needed: Sequence[int], courses: Sequence[OpportunityDoc]
) -> tuple[tuple[ClosingCourse, ...], tuple[int, ...]]:
    """A short plan of courses that together teach the `needed` concepts, and what is left.

    Greedy set cover: take the course teaching most of what is still needed (ties: the
    earlier in `courses`, which come best-ranked first), until nothing more can be closed.
    """
    remaining = list(dict.fromkeys(needed))
    plan: list[ClosingCourse] = []
    pool = list(courses)
    while remaining and pool:
        best = max(pool, key=lambda doc: len(set(doc.teaches).intersection(remaining)))
        closes = tuple(concept for concept in remaining if concept in best.teaches)
        if not closes:
            break
        plan.append(ClosingCourse(doc=best, closes=closes))
        remaining = [concept for concept in remaining if concept not in closes]
        pool.remove(best)
    return tuple(plan), tuple(remaining)
