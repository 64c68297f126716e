"""Read what the index needs from the database, in bulk: opportunities and candidate profiles.

Only published opportunities and people who share their profile (an active
"profilo_datori" consent, general or for some organisations) become documents; the ids
asked for that do not qualify come back as ids to delete. A few queries per chunk, none
per row: the full rebuild reads 100,000 people this way.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from competenze.models import Consent, Person, PersonLanguage, SkillEntry
from competenze.selectors.idvcc import supported_stages
from lavoro.models import Course, CourseSkill, JobOffer, OfferSkill, Placement
from search.concepts import ConceptCache, ConceptInfo
from search.matching import best_credits
from search.profiles import indexed_constraints
from search.types import (
    COURSE,
    OFFER,
    PLACEMENT,
    CandidateDoc,
    OpportunityDoc,
    PersonConstraints,
    Requirement,
    minutes,
)

PUBLISHED = JobOffer.Status.PUBLISHED
CHUNK_SIZE = 2000
PLACEMENT_ACTIVITY_SECTORS = {
    Placement.Activity.SOCIAL: ("ASS",),
    Placement.Activity.ENVIRONMENT: ("VER",),
    Placement.Activity.MAINTENANCE: ("IMP", "EDI"),
}
"""Framework sectors a placement's activity belongs to, for the sectors a measure avoids."""
MODELS: dict[str, type[JobOffer] | type[Course] | type[Placement]] = {
    OFFER: JobOffer,
    COURSE: Course,
    PLACEMENT: Placement,
}
COMMON_FIELDS = (
    "pk",
    "title",
    "description",
    "status",
    "start_date",
    "weekly_hours",
    "profile_id",
    "municipality_id",
    "municipality__name",
    "municipality__province__code",
    "municipality__latitude",
    "municipality__longitude",
    "shift_start",
    "shift_end",
)


def chunked(ids: Iterable[int], size: int = CHUNK_SIZE) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ------------------------------------------------------------------ opportunities


def _published(kind: str) -> QuerySet[Any]:
    return MODELS[kind]._default_manager.filter(status=PUBLISHED)


def opportunity_ids(kind: str) -> Iterator[int]:
    """Ids of the published opportunities of `kind`, in order (for the full rebuild)."""
    queryset = _published(kind).order_by("pk")
    ids: Iterator[int] = queryset.values_list("pk", flat=True).iterator(chunk_size=10_000)
    return ids


def opportunity_count(kind: str) -> int:
    return _published(kind).count()


def _explicit_skills(kind: str, ids: Sequence[int]) -> dict[int, list[tuple[int, bool]]]:
    found: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    if kind == OFFER:
        rows: Iterable[tuple[Any, ...]] = OfferSkill.objects.filter(
            offer_id__in_ids=ids
        ).values_list("offer_id", "concept_id", "essential")
    elif kind == COURSE:
        rows = (
            (course, concept, False)
            for course, concept in CourseSkill.objects.filter(course_id__in_ids=ids).values_list(
                "course_id", "concept_id"
            )
        )
    else:
        through = Placement.skills.through.objects.filter(placement_id__in_ids=ids)
        rows = ((p, c, False) for p, c in through.values_list("placement_id", "concept_id"))
    for owner, concept, essential in rows:
        found[owner].append((concept, essential))
    return found


def requirements_merged(
    explicit: Sequence[tuple[int, bool]],
    profile: tuple[tuple[int, bool], ...],
    cache: ConceptCache,
) -> tuple[Requirement, ...]:
    """Explicit skills first, then the profile's relations not already listed (concepts
    read with cache.info; others left out)."""
    merged = dict(explicit)
    for concept_id, essential in profile:
        merged.setdefault(concept_id, essential)
    made = (cache.requirement(pk, essential) for pk, essential in merged.items())
    return tuple(requirement for requirement in made if requirement is not None)


def _extra_fields(kind: str) -> tuple[str, ...]:
    if kind == OFFER:
        return ("employer__organisation__name", "compatible_measures", "positions")
    if kind == COURSE:
        return ("provider__organisation__name", "end_date", "seats", "seats_taken", "institute_id")
    return (
        "host_body__organisation__name",
        "eligible_measures",
        "places",
        "places_taken",
        "min_weekly_hours",
        "activity",
    )


def _kind_specific(kind: str, extra: tuple[Any, ...]) -> dict[str, Any]:
    if kind == OFFER:
        name, measures, _positions = extra
        return {"organisation": name, "measures": tuple(measures or ()), "seats_available": None}
    if kind == COURSE:
        name, end, seats, taken, institute = extra
        return {
            "organisation": name,
            "end_date": end,
            "seats_available": seats - taken,
            "institute_id": institute,
        }
    name, measures, places, taken, min_hours, activity = extra
    return {
        "organisation": name,
        "measures": tuple(measures or ()),
        "seats_available": places - taken,
        "weekly_hours": min_hours,
        "activity_sectors": PLACEMENT_ACTIVITY_SECTORS.get(activity, ()),
    }


def opportunity_sectors(
    profile_sector: str, requirements: Sequence[Requirement], extra: Sequence[str]
) -> tuple[str, ...]:
    """The profile's sector; without a profile, the sectors of the essential skills, or of
    all the skills when none is essential (what a course teaches)."""
    if profile_sector:
        found = [profile_sector]
    else:
        found = [item.sector for item in requirements if item.essential and item.sector]
        found = found or [item.sector for item in requirements if item.sector]
    return tuple(sorted({*found, *extra}))


def opportunity_docs(
    kind: str,
    ids: Sequence[int],
    cache: ConceptCache | None = None,
    *,
    published_only: bool = True,
) -> tuple[list[OpportunityDoc], list[int]]:
    """Documents for the published opportunities among `ids`, and the ids to delete.

    `published_only=False` returns every status (the ranker learns from closed offers too).
    """
    cache = cache or ConceptCache()
    fields = (*COMMON_FIELDS, *_extra_fields(kind))
    queryset = MODELS[kind]._default_manager.filter(pk__in_ids=ids)
    if published_only:
        queryset = queryset.filter(status=PUBLISHED)
    rows = list(queryset.values_list(*fields))
    explicit = _explicit_skills(kind, [row[0] for row in rows])
    profiles = {row[6] for row in rows if row[6] is not None}
    relations = cache.relations(profiles)
    wanted = {c for skills in explicit.values() for c, _e in skills}
    wanted |= profiles | {c for pk in profiles for c, _e in relations[pk]}
    cache.info(wanted)
    docs = [_opportunity_doc(kind, row, explicit, relations, cache) for row in rows]
    found = {doc.id for doc in docs}
    return docs, [pk for pk in ids if pk not in found]


def _opportunity_doc(
    kind: str,
    row: tuple[Any, ...],
    explicit: Mapping[int, list[tuple[int, bool]]],
    relations: Mapping[int, tuple[tuple[int, bool], ...]],
    cache: ConceptCache,
) -> OpportunityDoc:
    pk, title, description, status, start, hours, profile_id, *place, leave, back = row[
        : len(COMMON_FIELDS)
    ]
    specific = _kind_specific(kind, row[len(COMMON_FIELDS) :])
    concepts = cache.known  # read by opportunity_docs
    profile = concepts.get(profile_id) if profile_id is not None else None
    requirements = requirements_merged(
        explicit.get(pk, ()), relations.get(profile_id, ()) if profile_id else (), cache
    )
    activity_sectors = specific.pop("activity_sectors", ())
    values: dict[str, Any] = {
        "kind": kind,
        "id": pk,
        "title": title,
        "description": description,
        "status": status,
        "municipality_id": place[0],
        "municipality": place[1],
        "province": place[2] or "",
        "latitude": place[3],
        "longitude": place[4],
        "start_date": start,
        "end_date": None,
        "weekly_hours": hours,
        "measures": (),
        "institute_id": None,
        "profile_code": profile.code if profile else "",
        "profile_label": profile.label if profile else "",
        "requirements": requirements,
        "sectors": opportunity_sectors(
            profile.sector if profile else "", requirements, activity_sectors
        ),
        "teaches": tuple(c for c, _e in explicit.get(pk, ())) if kind == COURSE else (),
        "shift_start": minutes(leave),
        "shift_end": minutes(back),
    }
    values.update(specific)
    return OpportunityDoc(**values)


# ------------------------------------------------------------------ candidates


def person_ids() -> Iterator[int]:
    """Ids of every person (the full rebuild keeps those who share their profile)."""
    return Person.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=10_000)


def person_count() -> int:
    return Person.objects.count()


def _shares(ids: Sequence[int]) -> dict[int, tuple[bool, tuple[int, ...]]]:
    """person id → (general consent?, organisations named) for active profile consents."""
    found: dict[int, tuple[bool, set[int]]] = {}
    consents = Consent.objects.filter(person_id__in_ids=ids).in_force(Consent.Purpose.SHARE_PROFILE)
    for person, recipient in consents.values_list("person_id", "recipient_id"):
        general, orgs = found.get(person, (False, set()))
        if recipient is None:
            general = True
        else:
            orgs.add(recipient)
        found[person] = (general, orgs)
    return {pk: (general, tuple(sorted(orgs))) for pk, (general, orgs) in found.items()}


def candidate_docs(
    ids: Sequence[int], cache: ConceptCache | None = None
) -> tuple[list[CandidateDoc], list[int]]:
    """Candidate documents for the people among `ids` who share their profile (and whose
    path is active), and the ids to delete from the candidate index."""
    cache = cache or ConceptCache()
    shares = _shares(ids)
    people = Person.objects.filter(pk__in_ids=list(shares), is_active=True).values_list(
        "pk",
        "pseudonym",
        "domicile__province__code",
        "summary",
        "weekly_hours_available",
        "available_from",
    )
    rows = list(people)
    found = [row[0] for row in rows]
    skills: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    entries = list(
        SkillEntry.objects.filter(person_id__in_ids=found).values_list(
            "pk", "person_id", "concept_id", "level"
        )
    )
    stages = supported_stages(entry_ids=[row[0] for row in entries])  # what records support
    for entry, person, concept, level in entries:
        skills[person].append((concept, stages[entry], level))
    languages: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for owner, code, grade in (
        PersonLanguage.objects.filter(person_id__in_ids=found)
        .order_by("language")
        .values_list("person_id", "language", "level")
    ):
        languages[owner].append((code, grade))
    held = {concept for entries in skills.values() for concept, _s, _l in entries}
    concepts = cache.info(held)
    cache.children(held)  # read in one query: the credits below need them
    constraints = _constraints(found)
    docs = [
        _candidate_doc(
            row,
            shares[row[0]],
            skills[row[0]],
            languages[row[0]],
            concepts,
            cache,
            constraints.get(row[0]),
        )
        for row in rows
    ]
    kept = set(found)
    return docs, [pk for pk in ids if pk not in kept]


def _constraints(person_ids: Sequence[int]) -> Mapping[int, PersonConstraints]:
    """The current constraints of these people, as the candidate index keeps them to count
    whom a role admits (filter-only fields: search.admits)."""
    return indexed_constraints(person_ids, timezone.localdate())


def _candidate_doc(
    row: tuple[Any, ...],
    share: tuple[bool, tuple[int, ...]],
    skills: Sequence[tuple[int, str, int]],
    languages: Sequence[tuple[str, str]],
    concepts: Mapping[int, ConceptInfo],
    cache: ConceptCache,
    constraints: PersonConstraints | None = None,
) -> CandidateDoc:
    pk, pseudonym, province, summary, hours, available = row
    held = [
        (concept, stage, level, concepts[concept])
        for concept, stage, level in skills
        if concept in concepts
    ]
    credits = best_credits(cache.held_credits(concept, stage) for concept, stage, _l, _i in held)
    indexed = tuple(
        cache.indexed_skill(concept, stage, level)
        for concept, stage, level, _info in sorted(held, key=lambda item: item[3].code)
    )
    return CandidateDoc(
        person_id=pk,
        pseudonym=pseudonym,
        province=province or "",
        summary=summary,
        skills=indexed,
        credits=tuple(sorted(credits.values(), key=lambda credit: credit.concept_id)),
        languages=tuple(languages),
        weekly_hours_available=hours,
        available_from=available,
        share_all=share[0],
        share_orgs=share[1],
        skill_texts=tuple(item[3].text for item in held),
        constraints=constraints,
    )
