"""People: one PersonPlan per person, built in memory, saved in batches."""

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from itertools import accumulate

from django.conf import settings

from competenze.models import (
    Consent,
    Experience,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    PersonLanguage,
    SkillEntry,
)
from competenze.models.people import MeasureType
from demo.context import Context, InstituteRef, PersonPlan, ascii_slug, aware, day_after, pseudonym
from demo.histories import plan_experiences, plan_skills
from demo.options import DASHBOARD_PEOPLE, DEMO_EMAIL_DOMAIN
from demo.tables import Row
from demo.vocabulary import ORIGIN_CUM, ORIGINS, Origin

M = MeasureType
# How many in 100 people serve each measure, how long it lasts (days, low-high) and the
# weekly hours a judge may allow for paid work (MAP and LPU set none: their 6–12 hours a week
# are the programme itself, not a limit on a job).
MEASURE_WEIGHT = {
    M.DETENTION: 16,
    M.ART21: 8,
    M.SEMI_LIBERTY: 6,
    M.PROBATION: 22,
    M.HOME_DETENTION: 10,
    M.MAP: 26,
    M.LPU: 12,
}
# Rows hold plain values: psycopg's COPY must not see enum members.
MEASURES = tuple(m.value for m in MEASURE_WEIGHT)
MEASURE_CUM = list(accumulate(MEASURE_WEIGHT.values()))
DURATION_DAYS: dict[str, tuple[int, int]] = {
    M.DETENTION: (365, 2900),
    M.ART21: (365, 1500),
    M.SEMI_LIBERTY: (300, 1100),
    M.PROBATION: (180, 1100),
    M.HOME_DETENTION: (180, 730),
    M.MAP: (180, 730),
    M.LPU: (30, 365),
}
MAX_HOURS: dict[str, tuple[int | None, ...]] = {
    M.DETENTION: (None, 20, 25),
    M.ART21: (36, 38, 40),
    M.SEMI_LIBERTY: (30, 36, 40),
    M.PROBATION: (30, 36, 40, None),
    M.HOME_DETENTION: (15, 20, 25),
    M.MAP: (None,),
    M.LPU: (None,),
}
PLACEMENT_MEASURES = frozenset({M.MAP, M.LPU})
IN_CUSTODY = frozenset({M.DETENTION, M.ART21, M.SEMI_LIBERTY})
AFTER_DETENTION = frozenset({M.ART21, M.SEMI_LIBERTY, M.PROBATION, M.HOME_DETENTION})
DAILY_WINDOW: dict[str, tuple[dt.time, dt.time]] = {
    M.ART21: (dt.time(7), dt.time(20)),
    M.SEMI_LIBERTY: (dt.time(6, 30), dt.time(22)),
    M.HOME_DETENTION: (dt.time(8), dt.time(18)),
}
Level = PersonLanguage.Level
PAGE_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES) - {settings.LANGUAGE_CODE}
ITALIAN_LEVELS = tuple(v.value for v in (Level.A2, Level.B1, Level.B1, Level.B2, Level.C1))
SECOND_LEVELS = tuple(v.value for v in (Level.B1, Level.B2, Level.C1))
ENGLISH_LEVELS = tuple(v.value for v in (Level.A1, Level.A2, Level.B1, Level.B2))


def iter_people(context: Context, count: int) -> Iterator[PersonPlan]:
    for index in range(count):
        yield person_plan(context, index)


def person_plan(context: Context, index: int) -> PersonPlan:
    rng = context.rng
    if index < DASHBOARD_PEOPLE:
        counsellor, organisation = context.demo_counsellors[index % 2]
    else:
        counsellor, organisation = rng.choice(context.counsellors)
    kind = MEASURES[rng.choices(range(len(MEASURES)), cum_weights=MEASURE_CUM)[0]]
    institute = rng.choice(context.institutes) if context.institutes else None
    if institute and kind in IN_CUSTODY and rng.random() < 0.7:
        domicile = institute.municipality
    else:
        domicile = context.territory.pick(rng)
    if institute and institute.kind == Institute.Kind.IPM and kind in IN_CUSTODY:
        birth_year = rng.randint(2002, 2007)  # an IPM holds people up to 25
    else:
        birth_year = round(rng.triangular(1958, 2006, 1990))
    measures = plan_measures(context, kind, institute, domicile)
    limit = measures[0][0]["max_weekly_hours"]
    hours = rng.choice((10, 15, 20, 25, 30, 36, 40))
    person = {
        "pseudonym": pseudonym(context),
        "organisation_id": organisation,
        "counsellor_id": counsellor,
        "domicile_id": domicile,
        "birth_year": birth_year,
        "weekly_hours_available": min(hours, limit) if limit else hours,
        "available_from": day_after(context.today, -60, 60, rng),
    }
    identity, origin = plan_identity(context, birth_year)
    plan = PersonPlan(person, identity, measures, plan_languages(rng, origin))
    person["language"] = reading_language(plan.languages)
    plan.consents = plan_consents(context, counsellor)
    main = context.skills.pick(rng)
    words = plan_experiences(context, plan, main, institute)
    plan_skills(context, plan, main, counsellor, words)
    if len(plan.consents) > 1:  # shared with employers: write a short presentation
        person["summary"] = (
            f"Esperienza come {plan.experiences[0]['title'].lower()}. Disponibile "
            f"{person['weekly_hours_available']} ore a settimana dal "
            f"{person['available_from']:%d/%m/%Y}."
        )
    if index < DASHBOARD_PEOPLE:
        context.dashboard.append(plan)
    context.homes.append(domicile)
    if kind in PLACEMENT_MEASURES:
        context.placement_homes.append(domicile)
    return plan


def plan_measures(
    context: Context, kind: str, institute: InstituteRef | None, domicile: int
) -> list[tuple[Row, list[int]]]:
    """The current measure, and for some the detention that came before it."""
    rng = context.rng
    start = context.today - dt.timedelta(days=rng.randint(20, 700))
    end = day_after(start, *DURATION_DAYS[kind], rng)
    if end < context.today + dt.timedelta(days=30):
        end = day_after(context.today, 30, 540, rng)
    measures = [_measure(context, kind, institute, domicile, start, end)]
    if kind in AFTER_DETENTION and rng.random() < 0.35:
        before = start - dt.timedelta(days=1)
        previous = {
            "measure_type": MeasureType.DETENTION.value,
            "institute_id": institute.id if institute else None,
            "start_date": before - dt.timedelta(days=rng.randint(180, 1500)),
            "end_date": before,
        }
        measures.append((previous, []))
    return measures


def _measure(
    context: Context,
    kind: str,
    institute: InstituteRef | None,
    domicile: int,
    start: dt.date,
    end: dt.date,
) -> tuple[Row, list[int]]:
    rng, territory = context.rng, context.territory
    measure: Row = {
        "measure_type": kind,
        "institute_id": institute.id if institute and kind in IN_CUSTODY else None,
        "start_date": start,
        "end_date": end,
        "max_weekly_hours": rng.choice(MAX_HOURS[kind]),
    }
    if kind in DAILY_WINDOW:
        measure["daily_start"], measure["daily_end"] = DAILY_WINDOW[kind]
    elif kind == M.PROBATION and rng.random() < 0.5:
        measure["daily_end"] = dt.time(22)
    allowed: list[int] = []
    draw = rng.random()
    if kind == M.ART21 and institute:
        allowed = territory.near(rng, institute.municipality, rng.randint(0, 2))
    elif kind == M.SEMI_LIBERTY or (kind not in IN_CUSTODY and draw < 0.45):
        measure["allowed_radius_km"] = rng.choice((10, 15, 20, 30, 50))
    elif kind not in IN_CUSTODY and draw < 0.75:
        allowed = territory.near(rng, domicile, rng.randint(0, 3))
    if context.skills.sector_codes and rng.random() < 0.06:
        measure["avoid_sectors"] = [rng.choice(context.skills.sector_codes)]
    return measure, allowed


def plan_identity(context: Context, birth_year: int) -> tuple[Row, Origin]:
    rng = context.rng
    origin = rng.choices(ORIGINS, cum_weights=ORIGIN_CUM)[0]
    first = rng.choice(origin.female if rng.random() < 0.12 else origin.male)
    last = rng.choice(origin.surnames)
    identity = {
        "first_name": first,
        "last_name": last,
        "birth_date": dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
    }
    if rng.random() < 0.4:
        number = rng.randint(1, 999)
        identity["email"] = f"{ascii_slug(first)}.{ascii_slug(last)}{number}@{DEMO_EMAIL_DOMAIN}"
    return identity, origin


def plan_languages(rng: random.Random, origin: Origin) -> list[Row]:
    levels = {origin.language: Level.NATIVE.value}
    if origin.language != "it":
        levels["it"] = rng.choice(ITALIAN_LEVELS)
    if origin.second_language:
        levels[origin.second_language] = rng.choice(SECOND_LEVELS)
    if rng.random() < 0.2:
        levels.setdefault("en", rng.choice(ENGLISH_LEVELS))
    return [{"language": code, "level": level} for code, level in levels.items()]


def reading_language(languages: list[Row]) -> str:
    """The language shown beside Italian on the person's pages and in the interview: their
    mother tongue, when Ponte has it and their Italian is below B2."""
    levels = {row["language"]: row["level"] for row in languages}
    native = next((code for code, level in levels.items() if level == Level.NATIVE.value), "")
    weak_italian = levels.get("it") in (Level.A1.value, Level.A2.value, Level.B1.value)
    return native if native in PAGE_LANGUAGES and weak_italian else ""


def plan_consents(context: Context, counsellor: int) -> list[Row]:
    """Processing for everyone, a profile visible to employers for about 70%."""
    rng = context.rng
    given = aware(context.today - dt.timedelta(days=rng.randint(1, 400)))
    purposes = [Consent.Purpose.PROCESSING.value]
    if rng.random() < 0.7:
        purposes.append(Consent.Purpose.SHARE_PROFILE.value)
    return [
        {"purpose": purpose, "given_at": given, "recorded_by_id": counsellor}
        for purpose in purposes
    ]


def save_people(context: Context, plans: Sequence[PersonPlan]) -> None:
    ids = context.insert(Person, [plan.person for plan in plans], "Persone", returning=True)
    identities, measures, languages, consents, experiences = [], [], [], [], []
    for plan, pk in zip(plans, ids, strict=True):
        plan.pk = pk
        plan.identity["person_id"] = pk
        identities.append(plan.identity)
        for row in plan.languages + plan.consents + plan.experiences:
            row["person_id"] = pk
        for measure, _allowed in plan.measures:
            measure["person_id"] = pk
            measures.append(measure)
        languages += plan.languages
        consents += plan.consents
        experiences += plan.experiences
    context.insert(PersonIdentity, identities, "Dati identificativi")
    context.insert(PersonLanguage, languages, "Lingue")
    context.insert(Consent, consents, "Consensi")
    measure_ids = iter(context.insert(JudicialMeasure, measures, "Misure", returning=True))
    experience_ids = context.insert(Experience, experiences, "Esperienze", returning=True)
    allowed, skills, first_experience = [], [], 0
    for plan in plans:
        # zip stops at the person's own measures, leaving the rest of the ids for the next
        for (_row, towns), measure_id in zip(plan.measures, measure_ids, strict=False):
            allowed += [{"judicialmeasure_id": measure_id, "municipality_id": m} for m in towns]
        for entry in plan.skills:
            entry["person_id"] = plan.pk
            if entry["source"] == SkillEntry.Source.EXPERIENCE:  # learnt in the first job
                entry["experience_id"] = experience_ids[first_experience]
        skills += plan.skills
        first_experience += len(plan.experiences)
    context.insert(JudicialMeasure.allowed_municipalities.through, allowed, "Comuni consentiti")
    context.insert(SkillEntry, skills, "Competenze delle persone")
