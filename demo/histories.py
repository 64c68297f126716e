"""What a person did (experiences) and what they can do (skill entries), in the words of
their sector."""

import datetime as dt
import random
from itertools import accumulate

from competenze.models import (
    Experience,
    SkillEntry,
)
from demo.context import Context, InstituteRef, PersonPlan, Profile, aware
from demo.tables import Row
from demo.vocabulary import CARE_AND_HOBBIES, FANTASY, SCHOOL, SECTOR_WORDS, SectorWords

Stage = SkillEntry.Stage
STAGE_WEIGHT = {Stage.IDENTIFIED: 75, Stage.VALIDATED: 18, Stage.CERTIFIED: 7}
STAGES = tuple(stage.value for stage in STAGE_WEIGHT)  # plain values for the rows
STAGE_CUM = list(accumulate(STAGE_WEIGHT.values()))


def plan_experiences(
    context: Context, plan: PersonPlan, main: Profile, institute: InstituteRef | None
) -> SectorWords:
    """1–4 experiences, the first a job in the main profile's sector; return its words."""
    rng = context.rng
    words = SECTOR_WORDS[main.sector]
    plan.experiences = [_job(rng, words)]
    detained = any(measure["institute_id"] for measure, _allowed in plan.measures)
    for _i in range(rng.randint(0, 3)):
        draw = rng.random()
        if draw < 0.3:
            plan.experiences.append(_job(rng, SECTOR_WORDS[context.skills.pick(rng).sector]))
        elif draw < 0.5 and detained and institute:
            plan.experiences.append(_prison_job(rng, words, institute.name, context.today))
        elif draw < 0.65:
            plan.experiences.append(_course(rng, words))
        elif draw < 0.8:
            plan.experiences.append(_school(rng))
        else:
            plan.experiences.append(_informal(rng))
    return words


def _duration(rng: random.Random) -> tuple[int, str]:
    months = rng.choice((4, 6, 8, 12, 18, 24, 36, 48, 60, 96))
    if months < 12:
        return months, f"{months} mesi"
    return months, "un anno" if months < 24 else f"{months // 12} anni"


def _job(rng: random.Random, words: SectorWords) -> Row:
    months, length = _duration(rng)
    role = rng.choice(words.roles)
    first, second = rng.sample(words.did, 2)
    end = dt.date(rng.randint(2008, 2024), rng.randint(1, 12), 1)
    return {
        "kind": Experience.Kind.INFORMAL.value,
        "category": Experience.Category.JOB.value,
        "title": role.capitalize(),
        "organisation_name": f"{rng.choice(words.firms)} {rng.choice(FANTASY)} (di fantasia)",
        "start_date": end - dt.timedelta(days=months * 30),
        "end_date": end,
        "description": f"Ho lavorato come {role} per {length} {rng.choice(words.places)}, "
        f"{first} e {second}.",
    }


def _prison_job(rng: random.Random, words: SectorWords, institute: str, today: dt.date) -> Row:
    months = rng.randint(3, 30)
    end = today - dt.timedelta(days=rng.randint(30, 700))
    return {
        "kind": Experience.Kind.INFORMAL.value,
        "category": Experience.Category.PRISON_WORK.value,
        "title": words.prison_role.capitalize(),
        "organisation_name": institute,
        "start_date": end - dt.timedelta(days=months * 30),
        "end_date": end,
        "description": f"In istituto ho lavorato come {words.prison_role} per {months} mesi: "
        f"{rng.choice(words.did)}.",
    }


def _course(rng: random.Random, words: SectorWords) -> Row:
    title = rng.choice((words.licence, "Sicurezza sul lavoro: formazione generale"))
    hours = rng.choice((8, 12, 16, 40, 80))
    end = dt.date(rng.randint(2012, 2025), rng.randint(1, 12), 15)
    return {
        "kind": Experience.Kind.NON_FORMAL.value,
        "category": Experience.Category.COURSE.value,
        "title": title,
        "organisation_name": f"Centro di formazione {rng.choice(FANTASY)} (di fantasia)",
        "start_date": end - dt.timedelta(days=hours),
        "end_date": end,
        "description": f"Ho frequentato il corso «{title}» di {hours} ore e ho l'attestato.",
    }


def _school(rng: random.Random) -> Row:
    title, year = rng.choice(SCHOOL), rng.randint(1985, 2022)
    return {
        "kind": Experience.Kind.FORMAL.value,
        "category": Experience.Category.SCHOOL.value,
        "title": title,
        "end_date": dt.date(year, 6, 30),
        "description": f"{title}, ottenuto nel {year}.",
    }


def _informal(rng: random.Random) -> Row:
    category, title, description = rng.choice(CARE_AND_HOBBIES)
    kind = Experience.Kind.INFORMAL.value
    return {"kind": kind, "category": category, "title": title, "description": description}


def plan_skills(
    context: Context, plan: PersonPlan, main: Profile, counsellor: int, words: SectorWords
) -> None:
    """3–12 skills among the main profile's competences and their children; a second
    profile tops up profiles with too few."""
    rng = context.rng
    wanted = rng.randint(3, 12)
    pool = main.pool
    if len(pool) < wanted:
        pool = tuple(dict.fromkeys(pool + context.skills.pick(rng).pool))
    chosen = rng.sample(pool, min(wanted, len(pool)))
    plan.skills = [_skill(rng, concept, counsellor, words, context.today) for concept in chosen]


def _skill(
    rng: random.Random, concept: int, counsellor: int, words: SectorWords, today: dt.date
) -> Row:
    stage = STAGES[rng.choices(range(3), cum_weights=STAGE_CUM)[0]]
    draw = rng.random()
    if stage == SkillEntry.Stage.CERTIFIED:
        source, evidence = SkillEntry.Source.CERTIFICATE, f"Attestato «{words.licence}»."
    elif draw < 0.45:
        source, evidence = SkillEntry.Source.INTERVIEW, f"«{rng.choice(words.did).capitalize()}»"
    elif draw < 0.8:
        source, evidence = SkillEntry.Source.EXPERIENCE, f"{rng.choice(words.did).capitalize()}."
    else:
        source, evidence = SkillEntry.Source.COUNSELLOR, "Osservata durante il colloquio."
    entry: Row = {
        "concept_id": concept,
        "level": rng.choices((1, 2, 3, 4), cum_weights=(35, 75, 95, 100))[0],
        "stage": stage,
        "source": source.value,
        "evidence_text": evidence,
        "recorded_by_id": counsellor,
    }
    if source != SkillEntry.Source.COUNSELLOR:
        entry["confidence"] = round(rng.uniform(0.55, 0.98), 2)
    if stage != SkillEntry.Stage.IDENTIFIED:
        entry["stage_changed_by_id"] = counsellor
        entry["stage_changed_at"] = aware(today - dt.timedelta(days=rng.randint(1, 300)))
    return entry
