"""The person side of matching, read from the database at query time (never from an index).

`person_profile` gives the skill credits, the domicile and the sector affinity;
`declared_interests` reads what the person said they wish in the interview (callers audit
the read when it found something); `hard_constraints` reads the current judicial measure
(GDPR art. 10 data): callers check permissions and audit the read.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from competenze.models import Concept, JudicialMeasure, Person, Sector, SkillEntry
from competenze.selectors.idvcc import supported_stages
from competenze.selectors.interviews import person_aspirations_list, person_wished_sectors_list
from search import interests
from search.concepts import ConceptCache
from search.matching import (
    DETENTION,
    PLACEMENT_MEASURES,
    HeldSkill,
    admissible,
    credits_for,
    haversine_km,
)
from search.types import (
    OFFER,
    PLACEMENT,
    Credit,
    HardConstraints,
    OpportunityDoc,
    PersonConstraints,
    minutes,
)

RELEASED = "fine_pena"


@dataclass(frozen=True)
class PersonProfile:
    """`affinity`: sector code → 0..1 (search.interests); `interests`: the sectors the
    person declared in the interview."""

    person_id: int
    pseudonym: str
    origin: tuple[float, float] | None
    province: str
    credits: Mapping[int, Credit]
    affinity: Mapping[str, float] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()

    @property
    def credit_values(self) -> dict[int, float]:
        return {concept_id: credit.value for concept_id, credit in self.credits.items()}


def person_profile(
    person: Person, cache: ConceptCache | None = None, declared: Iterable[str] = ()
) -> PersonProfile:
    """The profile of `person`; `declared` are the sectors of their declared interests
    (declared_interests), which count in the affinity."""
    cache = cache or ConceptCache()
    entries = list(
        SkillEntry.objects.filter(person=person).values_list(
            "pk", "concept_id", "concept__parent_id", "concept__sector__code"
        )
    )
    stages = supported_stages(entry_ids=[row[0] for row in entries])  # what records support
    held = [HeldSkill(concept, stages[pk], parent) for pk, concept, parent, _s in entries]
    children = cache.children(skill.concept_id for skill in held)
    masses = interests.profile_masses((sector or "", stages[pk]) for pk, _c, _p, sector in entries)
    domicile = person.domicile
    return PersonProfile(
        person_id=person.pk,
        pseudonym=person.pseudonym,
        origin=(domicile.latitude, domicile.longitude) if domicile else None,
        province=domicile.province.code if domicile else "",
        credits=credits_for(held, children),
        affinity=interests.sector_affinity(declared, masses),
        interests=frozenset(declared),
    )


def interest_vocabulary() -> interests.Vocabulary:
    """The phrases naming each sector: the default framework's sectors, profiles and
    competences with their alternative labels (one query each)."""
    sectors = Sector.objects.filter(framework__is_default=True).values_list("code", "label")
    concepts = Concept.objects.filter(
        framework__is_default=True,
        kind__in=(Concept.Kind.PROFILE, Concept.Kind.COMPETENCE),
        sector__isnull=False,
    ).values_list("sector__code", "pref_label", "alt_labels")
    return interests.vocabulary_from(
        sectors, ((code, label, alt or ()) for code, label, alt in concepts)
    )


def declared_interests(person: Person) -> frozenset[str]:
    """The sectors the person said they wish to work or learn in: named in their answers on
    aspirations (competenze.selectors.interviews.ASPIRATION_QUESTIONS) or heard as wishes by
    the recogniser. Reads interview answers: callers audit the read when this is not empty."""
    found = set(person_wished_sectors_list(person=person))
    texts = person_aspirations_list(person=person)
    if texts:
        vocabulary = interest_vocabulary()
        for text in texts:
            found |= interests.sectors_in_text(text, vocabulary)
    return frozenset(found)


def _current(measures: Iterable[JudicialMeasure], today: datetime.date) -> JudicialMeasure | None:
    current = [m for m in measures if m.is_current(today)]
    return max(current, key=lambda m: (m.start_date, m.pk), default=None)


def _constraints(
    measure: JudicialMeasure | None,
    allowed: Iterable[int],
    available_from: datetime.date | None,
    today: datetime.date,
) -> HardConstraints:
    if measure is None:
        return HardConstraints(today=today, available_from=available_from)
    area = set(allowed)
    institute = measure.institute_id if measure.measure_type == DETENTION else None
    if institute is not None:
        area.add(measure.institute.municipality_id)  # type: ignore[union-attr]
    return HardConstraints(
        today=today,
        measure_type=measure.measure_type,
        allowed_municipalities=frozenset(area),
        radius_km=float(measure.allowed_radius_km) if measure.allowed_radius_km else None,
        max_weekly_hours=measure.max_weekly_hours,
        available_from=available_from,
        measure_end=measure.end_date,
        avoid_sectors=frozenset(str(code).upper() for code in measure.avoid_sectors or ()),
        institute_id=institute,
        daily_start=minutes(measure.daily_start),
        daily_end=minutes(measure.daily_end),
    )


def availability_constraints(person: Person, today: datetime.date) -> HardConstraints:
    """The constraints that owe nothing to judicial data (the person's availability), as
    for a person without a measure: for viewers whose results must not depend on it."""
    return _constraints(None, (), person.available_from, today)


def hard_constraints(person: Person, today: datetime.date) -> HardConstraints:
    """The constraints of the person's current measure (the latest started, still running)."""
    measures = JudicialMeasure.objects.filter(person=person).select_related("institute")
    measure = _current(measures, today)
    allowed = measure.allowed_municipalities.values_list("pk", flat=True) if measure else []
    return _constraints(measure, allowed, person.available_from, today)


MEASURE_FIELDS = (
    "pk",
    "person_id",
    "measure_type",
    "allowed_radius_km",
    "max_weekly_hours",
    "end_date",
    "avoid_sectors",
    "institute_id",
    "institute__municipality_id",
    "daily_start",
    "daily_end",
)


def _running(today: datetime.date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _row_constraints(
    row: tuple[Any, ...] | None,
    allowed: Iterable[int],
    available_from: datetime.date | None,
    today: datetime.date,
) -> HardConstraints:
    """The same as _constraints, from a values_list row (bulk reads build no model)."""
    if row is None:
        return HardConstraints(today=today, available_from=available_from)
    _pk, _person, kind, radius, hours, end, avoid, institute, institute_place, leave, back = row
    area = set(allowed)
    detained = institute if kind == DETENTION else None
    if detained is not None:
        area.add(institute_place)
    return HardConstraints(
        today=today,
        measure_type=kind,
        allowed_municipalities=frozenset(area),
        radius_km=float(radius) if radius else None,
        max_weekly_hours=hours,
        available_from=available_from,
        measure_end=end,
        avoid_sectors=frozenset(str(code).upper() for code in avoid or ()),
        institute_id=detained,
        daily_start=minutes(leave),
        daily_end=minutes(back),
    )


def _admitted_measures(doc: OpportunityDoc) -> frozenset[str] | None:
    """The measure types the opportunity admits, or None when it does not restrict them."""
    if doc.kind == PLACEMENT:
        return PLACEMENT_MEASURES.intersection(doc.measures)
    if doc.kind == OFFER and doc.measures:
        return frozenset(doc.measures)
    return None


@dataclass(frozen=True)
class BulkPerson:
    """One person's matching inputs read in bulk: judicial data (art. 10) inside. `home`
    is the domicile municipality."""

    person_id: int
    origin: tuple[float, float] | None
    measure_type: str
    constraints: HardConstraints
    home: int | None = None


def people_constraints(people: QuerySet[Person], today: datetime.date) -> Iterator[BulkPerson]:
    """The hard constraints of every one of `people` (current measure and availability),
    in a few queries and no model instances. Callers audit the read."""
    ids = people.values("pk")
    measures: dict[int, tuple[Any, ...]] = {}
    running = JudicialMeasure.objects.filter(_running(today), person_id__in=ids)
    for row in running.order_by("person_id", "start_date", "pk").values_list(*MEASURE_FIELDS):
        measures[row[1]] = row  # the last wins: latest start
    allowed = _allowed([row[0] for row in measures.values()])
    rows = people.values_list(
        "pk", "available_from", "domicile_id", "domicile__latitude", "domicile__longitude"
    )
    for pk, available, home, lat, lon in rows.order_by("pk"):
        row = measures.get(pk)
        constraints = _row_constraints(row, allowed[row[0]] if row else (), available, today)
        origin = None if lat is None else (lat, lon)
        yield BulkPerson(pk, origin, row[2] if row else RELEASED, constraints, home)


def _window(
    days: set[datetime.date], today: datetime.date
) -> tuple[datetime.date, datetime.date | None]:
    """The days around `today` over which the current measure stays the same, given the
    days it may change on (a measure's first day, the day after its last)."""
    before = [d for d in days if d <= today]
    after = [d for d in days if d > today]
    return (
        max(before, default=datetime.date.min),
        min(after) - datetime.timedelta(days=1) if after else None,
    )


def indexed_constraints(
    person_ids: Iterable[int], today: datetime.date
) -> dict[int, PersonConstraints]:
    """What the candidate index keeps of these people's current measure and availability
    (search.admits), with the days it holds; a few queries for any number of people.
    Judicial data: indexed as filter-only fields, never returned (search.documents).

    Every measure of these people is read once: the current one (the latest started
    among the running, as people_constraints has it) and the days the current one changes
    come from the same rows."""
    ids = list(person_ids)
    current: dict[int, tuple[Any, ...]] = {}
    changes: dict[int, set[datetime.date]] = defaultdict(set)
    rows = JudicialMeasure.objects.filter(person_id__in_ids=ids).order_by(
        "person_id", "start_date", "pk"
    )
    for *row, start in rows.values_list(*MEASURE_FIELDS, "start_date"):
        person, end = row[1], row[5]
        changes[person].add(start)
        if end is not None:
            changes[person].add(end + datetime.timedelta(days=1))
        if start <= today and (end is None or end >= today):  # _running(today)
            current[person] = tuple(row)  # the last wins: latest start
    allowed = _allowed([row[0] for row in current.values()])
    found = {}
    people = Person.objects.filter(pk__in_ids=ids).values_list(
        "pk", "available_from", "domicile_id"
    )
    for pk, available, home in people:
        row = current.get(pk)
        constraints = _row_constraints(row, allowed[row[0]] if row else (), available, today)
        since, until = _window(changes[pk], today) if pk in changes else (datetime.date.min, None)
        found[pk] = PersonConstraints(constraints, home, since, until)
    return found


def _allowed(measure_ids: list[int]) -> dict[int, list[int]]:
    """measure id → the municipalities it allows."""
    allowed: dict[int, list[int]] = defaultdict(list)
    through = JudicialMeasure.allowed_municipalities.through.objects.filter(
        judicialmeasure_id__in_ids=measure_ids
    )
    for measure_id, municipality in through.values_list("judicialmeasure_id", "municipality_id"):
        allowed[measure_id].append(municipality)
    return allowed


def compatible_people(
    doc: OpportunityDoc, people: QuerySet[Person], today: datetime.date
) -> frozenset[int]:
    """Which of `people` the opportunity's hard constraints admit.

    Reads judicial data in bulk (no model instances) and returns only ids: callers show no
    more than a count to employers and audit the read.
    """
    found = set()
    admitted = _admitted_measures(doc)
    for person in people_constraints(people, today):
        if admitted is not None and person.measure_type not in admitted:
            continue  # a cheap necessary condition; admissible() below decides
        origin = person.origin
        distance = None if origin is None else haversine_km(*origin, doc.latitude, doc.longitude)
        if admissible(person.constraints, doc, distance):
            found.add(person.person_id)
    return frozenset(found)
