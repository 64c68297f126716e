"""Fictional demo data for Lombardy (`manage.py seed_demo`): check, delete the old demo
data, populate in one transaction.

Everything is invented: organisation names end with DEMO_MARK (so `--reset` can find and
delete them), e-mail addresses use the reserved `.invalid` domain, codici fiscali are left
empty. Only the prisons, courts and populations are real, because they are public facts;
the words live in demo/data/*.json, and every value the models constrain comes from their
choices.

Why rows are written past the services. Speed matters (100,000 people in about a minute,
for the benchmarks): rows are built by generators from precomputed choices and written in
batches, with no query per row (bulk_create for the few thousand organisations and users,
demo.tables.Table, multi-row INSERT or COPY, for the millions of rows about people and
opportunities). The services would also do what fictional data must not: write an audit
row for every record and ask the search index and the recogniser for every change (one
`search_rebuild` after seeding indexes everything at once). One path for every size keeps
`make run`'s 300 people shaped like the benchmark's 100,000. What the demo logins see is
walked through the real services where a workflow matters: the IDVCC validations and
certifications of the dashboard people (demo.idvcc).

All dates count from SeedOptions.today (by default the day it runs), so the data always
looks current and one seed gives the same data for the same day; only pseudonyms, drawn
with new_pseudonym() as the model does, differ between runs.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from common.models import Municipality, Organisation, User
from common.progress import Progress, no_progress
from competenze.models import (
    Consent,
    Experience,
    JudicialMeasure,
    Person,
    PersonIdentity,
    PersonLanguage,
    SkillEntry,
)
from competenze.selectors.framework import framework_default
from demo import idvcc
from demo.context import Context, load_context, scaled
from demo.opportunities import (
    course_count,
    iter_courses,
    iter_offers,
    iter_placements,
    save_courses,
    save_offers,
    save_placements,
)
from demo.options import (
    DEMO_EXISTS,
    DEMO_MARK,
    NO_FRAMEWORK,
    NO_MUNICIPALITIES,
    DemoDataError,
    SeedOptions,
    SeedSummary,
)
from demo.organisations import (
    create_employers,
    create_host_bodies,
    create_institutes,
    create_providers,
    create_services,
    create_users,
    users_attach,
)
from demo.people import iter_people, save_people
from demo.proposals import create_proposals, link_beneficiary
from demo.tables import batched
from lavoro.models import (
    CourseSkill,
    Employer,
    HostBody,
    OfferSkill,
    Placement,
    Proposal,
    TrainingProvider,
)


def demo_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(name__endswith=DEMO_MARK)


def demo_data_exists() -> bool:
    return demo_organisations().exists()


def demo_data_delete() -> int:
    """Delete every demo organisation and what hangs from it; return the rows deleted.

    The big leaf tables go first, one DELETE each: Django's collector would load every row
    into memory. The collector then deletes the rest, following whatever else points at it.
    """
    orgs = demo_organisations()
    people = Person.objects.filter(organisation__in=orgs)
    leaves: list[models.QuerySet] = [
        *idvcc.leaves(people),  # IDVCC records and credentials of the people's entries
        SkillEntry.evidences.through.objects.filter(skillentry__person__in=people),
        SkillEntry.objects.filter(person__in=people),
        Experience.objects.filter(person__in=people),
        PersonLanguage.objects.filter(person__in=people),
        PersonIdentity.objects.filter(person__in=people),
        JudicialMeasure.allowed_municipalities.through.objects.filter(
            judicialmeasure__person__in=people
        ),
        JudicialMeasure.objects.filter(person__in=people),
        OfferSkill.objects.filter(offer__employer__organisation__in=orgs),
        CourseSkill.objects.filter(course__provider__organisation__in=orgs),
    ]
    deleted = sum(queryset._raw_delete(queryset.db) for queryset in leaves)
    rest: list[models.QuerySet] = [
        Proposal.objects.filter(
            Q(person__in=people)
            | Q(offer__employer__organisation__in=orgs)
            | Q(course__provider__organisation__in=orgs)
            | Q(placement__host_body__organisation__in=orgs)
        ),
        Consent.objects.filter(Q(person__in=people) | Q(recipient__in=orgs)),
        people,
        Employer.objects.filter(organisation__in=orgs),
        TrainingProvider.objects.filter(organisation__in=orgs),
        Placement.objects.filter(host_body__organisation__in=orgs),  # conventions protect them
        HostBody.objects.filter(organisation__in=orgs),
        User.objects.filter(organisation__in=orgs),
        orgs,
    ]
    return deleted + sum(queryset.delete()[0] for queryset in rest)


def check_ready() -> None:
    """Raise DemoDataError when load_municipalities or load_framework has not run."""
    if not Municipality.objects.exists():
        raise DemoDataError(NO_MUNICIPALITIES)
    if framework_default() is None:
        raise DemoDataError(NO_FRAMEWORK)


def seed_demo(options: SeedOptions, progress: Progress = no_progress) -> SeedSummary:
    """Create the demo data in one transaction.

    Raises DemoDataError if the database is not ready, or already holds demo data and
    options.reset is false (with reset, the old demo data is deleted first).
    """
    started = time.monotonic()
    check_ready()
    with transaction.atomic():
        deleted = 0
        if demo_data_exists():
            if not options.reset:
                raise DemoDataError(DEMO_EXISTS)
            deleted = demo_data_delete()
        context = load_context(options.seed, options.today)
        _populate(context, options, progress)
    return SeedSummary(context.counts, deleted, time.monotonic() - started)


Step = tuple[str, int, Iterator[Any], Callable[[Context, list[Any]], None]]


def _populate(context: Context, options: SeedOptions, progress: Progress) -> None:
    """People first: employers, sites, courses and host bodies go where they live."""
    create_services(context)
    create_institutes(context)
    create_users(context, options.people)
    _run(
        context,
        progress,
        [("Persone", options.people, iter_people(context, options.people), save_people)],
    )
    employers = create_employers(context, scaled(options.offers, 5, 5, 20000))
    providers = create_providers(context, scaled(options.course_count, 25, 3, 2000))
    hosts = create_host_bodies(context, scaled(options.placement_count, 25, 3, 2000))
    users_attach(context, employers[0].organisation, hosts[0].organisation)
    courses, placements = options.course_count, options.placement_count
    _run(
        context,
        progress,
        [
            (
                "Offerte",
                options.offers,
                iter_offers(context, employers, options.offers),
                save_offers,
            ),
            (
                "Corsi",
                course_count(context, courses),
                iter_courses(context, providers, courses),
                save_courses,
            ),
            (
                "Posti MAP/LPU",
                placements,
                iter_placements(context, hosts, placements),
                save_placements,
            ),
        ],
    )
    if context.dashboard:
        link_beneficiary(context)
        create_proposals(context, employers[0], hosts[0])
    idvcc.populate(context)  # assessor, certifying body, validated and certified skills


def _run(context: Context, progress: Progress, steps: list[Step]) -> None:
    for label, total, rows, save in steps:
        bar = progress(label, total)
        for batch in batched(rows):
            save(context, batch)
            bar.update(len(batch))
        bar.close()
