"""Opportunities: job offers, courses, MAP/LPU placements."""

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import accumulate

from django.db import models

from competenze.models.people import MeasureType
from demo.context import (
    Context,
    EmployerRef,
    HostRef,
    InstituteRef,
    Profile,
    aware,
    day_after,
    home_pick,
    weighted,
)
from demo.tables import Row
from demo.vocabulary import HOST_ACTIVITIES, PLACEMENT_TITLES, SECTOR_WORDS
from lavoro.models import (
    Course,
    CourseSkill,
    JobOffer,
    OfferSkill,
    Placement,
)

M = MeasureType


def _values(*members: models.TextChoices) -> list[str]:
    """Plain values for the rows (psycopg's COPY must not see enum members)."""
    return [member.value for member in members]


Status = JobOffer.Status  # every opportunity shares it
# The measures an offer accepts ([]: any), the contract, the status: the lists, then how
# many in 160. Most employers set no restriction; MAP, LPU and the released may take a job.
OFFER_MEASURES: tuple[list[str], ...] = (
    [],
    _values(M.PROBATION, M.RELEASED, M.MAP, M.LPU),
    _values(M.ART21, M.SEMI_LIBERTY, M.PROBATION, M.MAP, M.LPU, M.RELEASED),
    _values(M.PROBATION, M.HOME_DETENTION, M.RELEASED, M.MAP, M.LPU),
    _values(M.ART21, M.PROBATION, M.RELEASED, M.MAP, M.LPU),
    _values(M.DETENTION),
)
OFFER_MEASURES_CUM = list(accumulate((60, 30, 25, 20, 22, 3)))
DETENTION_ONLY = OFFER_MEASURES[-1]
# About half the offers name a daily shift (start, end; the last one crosses midnight).
SHIFTS = (
    (dt.time(8), dt.time(17)),
    (dt.time(9), dt.time(13)),
    (dt.time(6), dt.time(14)),
    (dt.time(14), dt.time(22)),
    (dt.time(22), dt.time(6)),
)
SHIFT_CUM = list(accumulate((35, 25, 20, 15, 5)))
SHIFT_SHARE = 0.5
Contract = JobOffer.Contract
CONTRACT_WEIGHT = {
    Contract.FIXED_TERM: 40,
    Contract.PERMANENT: 20,
    Contract.INTERNSHIP: 15,
    Contract.APPRENTICESHIP: 10,
    Contract.TEMPORARY: 15,
}
CONTRACTS = tuple(_values(*CONTRACT_WEIGHT))
CONTRACT_CUM = list(accumulate(CONTRACT_WEIGHT.values()))
STATUSES = tuple(_values(Status.PUBLISHED, Status.DRAFT, Status.CLOSED))
PLACEMENT_KINDS = frozenset({M.MAP, M.LPU})
PLACEMENT_MEASURES = (
    _values(M.MAP, M.LPU),
    _values(M.MAP),
    _values(M.LPU),
    _values(M.MAP, M.LPU, M.LSU),
)
PLACEMENT_MEASURES_CUM = list(accumulate((60, 20, 10, 10)))


DEMO_OFFERS = 4


def iter_offers(
    context: Context, employers: Sequence[EmployerRef], count: int
) -> Iterator[tuple[Row, list[Row]]]:
    """Offers with their skills: the demo login's employer (the first) gets DEMO_OFFERS,
    published, every other employer one, then at random."""
    rng, names = context.rng, context.territory.names
    contracts = {choice.value: str(choice.label).lower() for choice in JobOffer.Contract}
    first = [employers[0]] * DEMO_OFFERS + list(employers[1:])
    for index in range(count):
        employer = first[index] if index < len(first) else rng.choice(employers)
        profile = context.skills.pick(rng, employer.sector)
        site_id, municipality = rng.choice(employer.sites)
        site: int | None = site_id
        measures = weighted(rng, OFFER_MEASURES, OFFER_MEASURES_CUM)
        if measures == DETENTION_ONLY and context.institutes:  # work for the prison's inmates
            site, municipality = None, rng.choice(context.institutes).municipality
        duties = ", ".join(rng.sample(SECTOR_WORDS[profile.sector].duties, 2))
        contract = weighted(rng, CONTRACTS, CONTRACT_CUM)
        hours = rng.choice((20, 24, 30, 36, 38, 40))
        status = weighted(rng, STATUSES, (80, 90, 100))
        if index < DEMO_OFFERS:
            status = Status.PUBLISHED.value  # what the demo login sees and gets proposals for
        start = day_after(context.today, 7, 300, rng)
        published = start - dt.timedelta(days=rng.randint(10, 60))
        offer: Row = {
            "employer_id": employer.id,
            "site_id": site,
            "title": profile.label if hours > 24 else f"{profile.label} (part-time)",
            "description": f"{employer.name} cerca personale per la sede di {names[municipality]}."
            f" Mansioni: {duties}. Contratto a {contracts[contract]}, {hours} ore settimanali.",
            "municipality_id": municipality,
            "status": status,
            "start_date": start,
            "weekly_hours": hours,
            "profile_id": profile.id,
            "contract": contract,
            "positions": weighted(rng, (1, 2, 3, 5), (70, 88, 97, 100)),
            "compatible_measures": measures,
            "smuraglia_eligible": employer.smuraglia and rng.random() < 0.7,
            "published_at": None if status == "bozza" else aware(published),
        }
        if rng.random() < SHIFT_SHARE:
            offer["shift_start"], offer["shift_end"] = weighted(rng, SHIFTS, SHIFT_CUM)
        skills = [
            {"concept_id": concept, "essential": essential}
            for concept, essential in profile.relations[:12]
            if essential or rng.random() < 0.5
        ]
        yield offer, skills


def save_offers(context: Context, rows: Sequence[tuple[Row, list[Row]]]) -> None:
    offers = [offer for offer, _skills in rows]
    ids = context.insert(JobOffer, offers, "Offerte di lavoro", returning=True)
    links = []
    for (_offer, skills), pk in zip(rows, ids, strict=True):
        for skill in skills:
            skill["offer_id"] = pk
        links += skills
    context.insert(OfferSkill, links, "Competenze delle offerte")


Certificate = Course.Certificate
CERTIFICATE_HOURS: dict[str, tuple[int, int]] = {
    Certificate.ATTENDANCE: (16, 80),
    Certificate.COMPETENCES: (40, 120),
    Certificate.QUALIFICATION: (400, 800),
    Certificate.LICENCE: (8, 40),
}
CERTIFICATE_CUM = (40, 65, 85, 100)


def _course_title(certificate: str, profile: Profile) -> str:
    if certificate == Certificate.LICENCE:
        return SECTOR_WORDS[profile.sector].licence
    prefix: dict[str, str] = {
        Certificate.ATTENDANCE: "Corso base",
        Certificate.COMPETENCES: "Certificazione delle competenze",
    }
    return f"{prefix.get(certificate, 'Qualifica regionale')}: {profile.label}"


INSIDE_EACH_INSTITUTE = 2


def course_count(context: Context, count: int) -> int:
    """`count` courses plus the published ones every institute holds."""
    return count + INSIDE_EACH_INSTITUTE * len(context.institutes)


def iter_courses(
    context: Context, providers: Sequence[int], count: int
) -> Iterator[tuple[Row, list[Row]]]:
    """Courses in 2026–2027, about a third inside a prison, with the competences they build;
    then INSIDE_EACH_INSTITUTE published courses in every institute, so no detainee is left
    without one. Courses outside are held where people live."""
    rng = context.rng
    for index in range(count):
        inside = bool(context.institutes) and rng.random() < 0.3
        institute = rng.choice(context.institutes) if inside else None
        yield _course(context, providers, index, institute)
    for number, institute in enumerate(context.institutes * INSIDE_EACH_INSTITUTE):
        course, skills = _course(context, providers, count + number, institute)
        course["status"] = Status.PUBLISHED.value
        course["seats_taken"] = min(course["seats_taken"], course["seats"] - 1)
        yield course, skills


def _course(
    context: Context, providers: Sequence[int], index: int, institute: InstituteRef | None
) -> tuple[Row, list[Row]]:
    rng = context.rng
    profile = context.skills.pick(rng)
    certificate = weighted(rng, tuple(CERTIFICATE_HOURS), CERTIFICATE_CUM)
    hours = rng.randint(*CERTIFICATE_HOURS[certificate])
    weekly = rng.choice((10, 15, 20, 25, 30))
    start = day_after(context.today, 7, 540, rng)
    end = start + dt.timedelta(weeks=max(1, hours // weekly))
    seats = rng.randint(8, 20)
    where = f" presso la {institute.name}" if institute else ""
    course = {
        "provider_id": providers[index] if index < len(providers) else rng.choice(providers),
        "title": _course_title(certificate, profile),
        "description": f"Corso gratuito di {hours} ore per chi è in esecuzione penale{where}.",
        "municipality_id": institute.municipality if institute else home_pick(context),
        "institute_id": institute.id if institute else None,
        "status": weighted(rng, STATUSES, (85, 95, 100)),
        "start_date": start,
        "end_date": end,
        "weekly_hours": weekly,
        "profile_id": profile.id,
        "seats": seats,
        "seats_taken": rng.randint(0, seats),
        "total_hours": hours,
        "certificate": certificate,
    }
    concepts = [concept for concept, _essential in profile.relations]
    chosen = rng.sample(concepts, min(len(concepts), rng.randint(2, 6)))
    return course, [{"concept_id": concept} for concept in chosen]


def save_courses(context: Context, rows: Sequence[tuple[Row, list[Row]]]) -> None:
    courses = [course for course, _skills in rows]
    ids = context.insert(Course, courses, "Corsi", returning=True)
    links = []
    for (_course, skills), pk in zip(rows, ids, strict=True):
        for skill in skills:
            skill["course_id"] = pk
        links += skills
    context.insert(CourseSkill, links, "Competenze dei corsi")


def iter_placements(context: Context, hosts: Sequence[HostRef], count: int) -> Iterator[Row]:
    """MAP/LPU places: every host body gets one, then at random."""
    rng = context.rng
    for index in range(count):
        host = hosts[index] if index < len(hosts) else rng.choice(hosts)
        activity = rng.choice(HOST_ACTIVITIES[host.kind])
        places = rng.randint(1, 4)
        hours = rng.choice((4, 6, 8, 10, 12, 16))
        yield {
            "host_body_id": host.id,
            "convention_id": host.convention,
            "title": rng.choice(PLACEMENT_TITLES[activity]),
            "description": "Attività di pubblica utilità in convenzione con il tribunale, "
            "seguita da un tutor dell'ente.",
            "municipality_id": host.municipality,
            "status": weighted(rng, STATUSES, (85, 93, 100)),
            "start_date": day_after(context.today, 0, 200, rng),
            "weekly_hours": hours,
            "activity": activity,
            "places": places,
            "places_taken": rng.randint(0, places),
            "min_weekly_hours": min(hours, rng.choice((2, 4, 6))),
            "eligible_measures": weighted(rng, PLACEMENT_MEASURES, PLACEMENT_MEASURES_CUM),
        }


def save_placements(context: Context, rows: Sequence[Row]) -> None:
    context.insert(Placement, rows, "Posti MAP/LPU")
