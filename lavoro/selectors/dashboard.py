"""Programme figures for the manager's dashboard: counts only, never a row per person.

Everything is aggregated in the database (values/annotate), in a fixed handful of queries
whatever the number of people. The institute is the one of each person's current measure
(latest start among those in force today), used only as a grouping key.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import User
from competenze.models import Institute, JudicialMeasure, Person, SkillEntry
from lavoro.models import Proposal

Stage = SkillEntry.Stage
Status = Proposal.Status
STARTED_EVER = (Status.STARTED, Status.COMPLETED, Status.INTERRUPTED)
STARTED_PLACEMENT = Q(placement__isnull=False, status__in=STARTED_EVER)
MONTHS = 12
Bounds = list[tuple[datetime.date, datetime.datetime, datetime.datetime]]
NO_INSTITUTE = _("Nessun istituto (misura esterna, conclusa o non registrata)")
MONTH_NAMES = [_("gen"), _("feb"), _("mar"), _("apr"), _("mag"), _("giu"),
               _("lug"), _("ago"), _("set"), _("ott"), _("nov"), _("dic")]  # fmt: skip


@dataclass
class InstituteFigures:
    label: str
    people: int = 0
    profiles: int = 0
    validated: int = 0
    certified: int = 0
    proposals: int = 0
    placements_started: int = 0


@dataclass
class MonthFigures:
    month: datetime.date
    profiles: int = 0
    validated: int = 0
    certified: int = 0
    proposals: int = 0
    placements_started: int = 0

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month.month - 1]} {self.month.year}"


@dataclass
class ProgrammeFigures:
    """Every total is the sum of the institute rows: the summary and the tables agree."""

    people: int = 0
    profiles: int = 0
    validated: int = 0
    certified: int = 0
    proposals: int = 0
    skills_by_stage: dict[str, int] = field(default_factory=dict)
    proposals_by_status: list[tuple[str, str, int]] = field(default_factory=list)
    placements_started: int = 0
    by_institute: list[InstituteFigures] = field(default_factory=list)
    by_month: list[MonthFigures] = field(default_factory=list)


def _scope(user: User) -> Q:
    """People of the manager's organisation; an administrator sees every organisation."""
    if user.has_role(User.Role.ADMIN):
        return Q()
    if not user.has_role(User.Role.PROGRAMME_MANAGER) or user.organisation_id is None:
        return Q(pk__in=[])
    return Q(organisation_id=user.organisation_id)


def _current_institute(person_ref: str) -> Subquery:
    today = timezone.localdate()
    current = (
        JudicialMeasure.objects.filter(person=OuterRef(person_ref), start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date", "-id")
    )
    return Subquery(current.values("institute_id")[:1])


def _people(scope: Q) -> QuerySet[Person]:
    return Person.objects.filter(scope)


def _started_placements(people: QuerySet[Person]) -> QuerySet[Proposal]:
    """The one definition of a MAP/LPU start, for the summary, the institutes and the months:
    a proposal on a placement that was started (and may since be concluded or interrupted)."""
    return Proposal.objects.filter(STARTED_PLACEMENT, person__in=people)


def _month_start(today: datetime.date) -> datetime.date:
    """The first day of the month eleven months ago: twelve months including this one."""
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def _institutes(scope: Q) -> dict[int | None, InstituteFigures]:
    rows: dict[int | None, InstituteFigures] = {}

    def row(key: int | None) -> InstituteFigures:
        return rows.setdefault(key, InstituteFigures(label=""))

    has_skill = Exists(SkillEntry.objects.filter(person=OuterRef("pk")))
    people = (
        _people(scope)
        .annotate(inst=_current_institute("pk"), has_skill=has_skill)
        .values("inst")
        .annotate(total=Count("id"), profiles=Count("id", filter=Q(has_skill=True)))
    )
    for item in people:
        row(item["inst"]).people, row(item["inst"]).profiles = item["total"], item["profiles"]
    skills = (
        SkillEntry.objects.filter(
            person__in=_people(scope), stage__in=[Stage.VALIDATED, Stage.CERTIFIED]
        )
        .annotate(inst=_current_institute("person_id"))
        .values("inst", "stage")
        .annotate(total=Count("id"))
    )
    for item in skills:
        figures = row(item["inst"])
        if item["stage"] == Stage.VALIDATED:
            figures.validated = item["total"]
        else:
            figures.certified = item["total"]
    proposals = (
        Proposal.objects.filter(person__in=_people(scope))
        .annotate(inst=_current_institute("person_id"))
        .values("inst")
        .annotate(total=Count("id"), started=Count("id", filter=STARTED_PLACEMENT))
    )
    for item in proposals:
        row(item["inst"]).proposals = item["total"]
        row(item["inst"]).placements_started = item["started"]
    names = dict(Institute.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "name"))
    for key, figures in rows.items():
        figures.label = names.get(key, str(NO_INSTITUTE)) if key else str(NO_INSTITUTE)
    return rows


def _month_bounds(today: datetime.date) -> Bounds:
    """(first day, start, end) of each of the last twelve months, as aware datetimes."""
    bounds, day = [], _month_start(today)
    for _index in range(MONTHS):
        following = (day + datetime.timedelta(days=32)).replace(day=1)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))
        bounds.append((day, start, end))
        day = following
    return bounds


def _month_counts(
    field: str, bounds: Bounds, prefix: str, extra: Q | None = None
) -> dict[str, Count]:
    """Count(...) terms, one per month, named <prefix><index>, for a single aggregate()."""
    condition = extra or Q()
    return {
        f"{prefix}{index}": Count(
            "pk", filter=condition & Q(**{f"{field}__gte": start, f"{field}__lt": end})
        )
        for index, (_day, start, end) in enumerate(bounds)
    }


def _by_month(rows: QuerySet[Any], field: str, bounds: Bounds) -> list[int]:
    """One count per month in a single aggregate query (portable, no per-row truncation)."""
    counts = rows.aggregate(**_month_counts(field, bounds, "m"))
    return [counts[f"m{index}"] for index in range(len(bounds))]


def _skills(scope: Q, bounds: Bounds) -> dict[str, int]:
    """One scan of the people's skills: totals by stage, validations/certifications by month."""
    terms = {stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values}
    for stage, prefix in ((Stage.VALIDATED, "v"), (Stage.CERTIFIED, "c")):
        terms.update(_month_counts("stage_changed_at", bounds, prefix, Q(stage=stage)))
    return SkillEntry.objects.filter(person__in=_people(scope)).aggregate(**terms)


def _months(scope: Q, bounds: Bounds, skills: dict[str, int]) -> list[MonthFigures]:
    since = bounds[0][1]
    people = _people(scope)
    first_skill = people.annotate(first=Min("skills__created_at")).filter(first__gte=since)
    started = (
        _started_placements(people)
        .annotate(first=Min("events__at", filter=Q(events__to_status=Status.STARTED)))
        .filter(first__gte=since)
    )
    proposals = Proposal.objects.filter(person__in=people, created_at__gte=since)
    columns = {
        "profiles": _by_month(first_skill, "first", bounds),
        "validated": [skills[f"v{index}"] for index in range(len(bounds))],
        "certified": [skills[f"c{index}"] for index in range(len(bounds))],
        "proposals": _by_month(proposals, "created_at", bounds),
        "placements_started": _by_month(started, "first", bounds),
    }
    return [
        MonthFigures(month=day, **{name: values[index] for name, values in columns.items()})
        for index, (day, _start, _end) in enumerate(bounds)
    ]


def dashboard_people(*, user: User) -> QuerySet[Person]:
    """The people whose figures the user's dashboard aggregates."""
    return _people(_scope(user))


def programme_figures_get(*, user: User, today: datetime.date | None = None) -> ProgrammeFigures:
    """Aggregated figures of the people followed by the manager's organisation.

    Totals by institute and by month (last twelve months), in nine queries whatever the
    number of people. Other roles get empty figures.
    """
    scope = _scope(user)
    bounds = _month_bounds(today or timezone.localdate())
    institutes = _institutes(scope)
    ordered = sorted(
        institutes.values(), key=lambda r: (r.label == str(NO_INSTITUTE), -r.people, r.label)
    )
    statuses = dict(
        Proposal.objects.filter(person__in=_people(scope))
        .values("status")
        .annotate(total=Count("id"))
        .values_list("status", "total")
    )
    skills = _skills(scope, bounds)
    return ProgrammeFigures(
        people=sum(r.people for r in ordered),
        profiles=sum(r.profiles for r in ordered),
        validated=sum(r.validated for r in ordered),
        certified=sum(r.certified for r in ordered),
        proposals=sum(r.proposals for r in ordered),
        skills_by_stage={stage: skills[stage] for stage in Stage.values},
        proposals_by_status=[
            (value, str(label), statuses.get(value, 0)) for value, label in Status.choices
        ],
        placements_started=sum(r.placements_started for r in ordered),
        by_institute=ordered,
        by_month=_months(scope, bounds, skills),
    )
