"""Person → opportunities for the counsellor and trainee pages, from the search app.

search.queries ranks offers, courses and MAP/LPU placements for a person (skill credits and
distance), filters them by the hard constraints of the current measure (the read of judicial
data is audited there) and explains each result; person_gap_analysis says what the person
lacks for an offer and which admissible courses teach it. This module only turns those
results into what the templates show, in Italian; it reads nothing itself but the receiving
organisation of each opportunity (for the «candidatura» consent), through lavoro.selectors.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from common.models import User
from competenze.models import Person
from competenze.models.people import MeasureType
from lavoro.kinds import COURSE, KINDS, OFFER, PLACEMENT, OpportunityKind, kind_from_code
from lavoro.selectors import course_list_open, offer_list_open, placement_list_open
from search import matching
from search.near_misses import NearMiss, near_misses_for_context
from search.queries import (
    GapAnalysis,
    PersonContext,
    opportunities_for_context,
    person_context,
    person_gap_analysis,
)
from search.queries import OpportunityMatch as SearchMatch

CHECK_LABELS = {
    matching.AREA: _("Nel territorio consentito dalla misura"),
    matching.INSTITUTE: _("Si svolge nell'istituto in cui si trova la persona"),
    matching.HOURS: _("Entro le ore settimanali consentite dalla misura"),
    matching.SHIFT: _("Turno entro la fascia oraria consentita"),
    matching.MEASURE: _("Misura in corso ammessa"),
    matching.SECTORS: _("Nessun settore da evitare"),
    matching.DATES: _("Date compatibili con la disponibilità"),
    matching.MEASURE_END: _("Inizia prima della fine della misura"),
    matching.SEATS: _("Ci sono posti liberi"),
}
OFFER_AFTER_DETENTION = _("Inizia dopo la fine della misura")
NO_MEASURE = MeasureType.RELEASED
NEAR_MISSES_SHOWN = 5


@dataclass
class OpportunityView:
    """One opportunity as the pages show it, with the reasons it ranks where it does."""

    kind: OpportunityKind
    id: int
    title: str
    organisation: str
    municipality: str
    start_date: datetime.date | None
    weekly_hours: int | None
    seats_available: int | None
    score: float
    skill_score: float
    skills_fit: list[str]
    essential_missing: list[str]
    optional_missing: list[str]
    distance_km: float | None
    checks: list[str]
    teaches_ids: list[int] = field(default_factory=list)
    essential_missing_ids: list[int] = field(default_factory=list)
    closes_gaps: list[str] = field(default_factory=list)
    organisation_id: int | None = None
    suitable: bool = True

    @property
    def key(self) -> str:
        return f"{self.kind.slug}-{self.id}"

    @property
    def score_percent(self) -> int:
        return round(100 * self.score)

    @property
    def teaches(self) -> list[str]:
        """For a course: what it teaches that the person does not have yet."""
        return [*self.essential_missing, *self.optional_missing]


@dataclass
class NearMissView:
    """An opportunity one constraint keeps out, and why (or «non compatibile»)."""

    opportunity: OpportunityView
    reason: str


@dataclass
class GapItem:
    concept_id: int
    label: str
    count: int


@dataclass
class GapView:
    """search.queries.GapAnalysis for one offer, with labels instead of codes."""

    offer: OpportunityView | None
    title: str
    covered: list[str]
    partial: list[str]
    missing: list[tuple[str, bool]]  # (label, essential)
    courses: list[tuple[int, str, str, list[str]]]  # (id, title, organisation, closes)
    not_closed: list[str]


@dataclass
class Matches:
    offers: list[OpportunityView]
    courses: list[OpportunityView]
    placements: list[OpportunityView]
    totals: dict[str, int]  # by kind code
    gaps: list[GapItem]
    gap: GapView | None
    measure_label: str
    show_judicial: bool
    ranking: str
    near_misses: dict[str, list[NearMissView]] = field(default_factory=dict)  # by kind code
    near_totals: dict[str, int] = field(default_factory=dict)


def _check_label(code: str, kind: str) -> str:
    if code == matching.MEASURE_END and kind == OFFER.code:
        return str(OFFER_AFTER_DETENTION)
    return str(CHECK_LABELS.get(code, code))


def opportunity_view(match: SearchMatch) -> OpportunityView:
    explanation = match.explanation
    missing = [*explanation.essential_missing, *explanation.optional_missing]
    return OpportunityView(
        kind=kind_from_code(match.kind),
        id=match.id,
        title=match.title,
        organisation=match.organisation,
        municipality=match.municipality,
        start_date=match.start_date,
        weekly_hours=match.weekly_hours,
        seats_available=match.seats_available,
        score=float(match.score),
        skill_score=float(explanation.skill_score),
        skills_fit=[item.label for item in explanation.skills_matched],
        essential_missing=[item.label for item in explanation.essential_missing],
        optional_missing=[item.label for item in explanation.optional_missing],
        distance_km=None if explanation.distance_km is None else float(explanation.distance_km),
        checks=[_check_label(code, match.kind) for code in explanation.constraints_satisfied],
        teaches_ids=[item.concept_id for item in missing],
        essential_missing_ids=[item.concept_id for item in explanation.essential_missing],
        suitable=match.suitable,
    )


def _near_misses(context: PersonContext, kind: OpportunityKind) -> tuple[list[NearMissView], int]:
    page = near_misses_for_context(context, kinds=(kind.code,), limit=NEAR_MISSES_SHOWN)
    return [_near_view(item) for item in page.results], page.total


def _near_view(item: NearMiss) -> NearMissView:
    return NearMissView(opportunity=opportunity_view(item.match), reason=item.reason)


def _ranked(
    context: PersonContext, kind: OpportunityKind, limit: int
) -> tuple[list[OpportunityView], int, str]:
    page = opportunities_for_context(context, kinds=(kind.code,), limit=limit)
    return [opportunity_view(match) for match in page.results], page.total, page.ranking


def _gaps(items: Iterable[OpportunityView]) -> list[GapItem]:
    counts: Counter[int] = Counter()
    labels: dict[int, str] = {}
    for item in items:
        for concept_id, label in zip(
            item.essential_missing_ids, item.essential_missing, strict=True
        ):
            counts[concept_id] += 1
            labels[concept_id] = label
    return [GapItem(pk, labels[pk], n) for pk, n in counts.most_common(10)]


def _mark_closing(courses: list[OpportunityView], gaps: list[GapItem]) -> None:
    wanted = {gap.concept_id: gap.label for gap in gaps}
    for course in courses:
        course.closes_gaps = [wanted[pk] for pk in course.teaches_ids if pk in wanted]


def _organisations(views: list[OpportunityView]) -> None:
    """Fill organisation_id (the consent's recipient) with one query per kind."""
    selectors = {OFFER: offer_list_open, COURSE: course_list_open, PLACEMENT: placement_list_open}
    for kind, selector in selectors.items():
        ids = [view.id for view in views if view.kind is kind]
        if not ids:
            continue
        column = f"{kind.owner}__organisation_id"
        found = dict(selector().filter(pk__in=ids).values_list("pk", column))
        for view in views:
            if view.kind is kind:
                view.organisation_id = found.get(view.id)


def _gap_view(gap: GapAnalysis, offer: OpportunityView | None) -> GapView:
    labels = {item.code: item.label for item in (*gap.covered, *gap.partial)}
    labels.update({item.code: item.label for item in gap.missing})
    return GapView(
        offer=offer,
        title=gap.target_title,
        covered=[item.label for item in gap.covered],
        partial=[item.label for item in gap.partial],
        missing=[(item.label, item.essential) for item in gap.missing],
        courses=[
            (c.id, c.title, c.organisation, [labels.get(code, code) for code in c.closes])
            for c in gap.courses
        ],
        not_closed=[labels.get(code, code) for code in gap.not_closed],
    )


def _gap_for(
    context: PersonContext, user: User, offer_id: int | None, offers: list[OpportunityView]
) -> GapView | None:
    if offer_id is None:
        return None
    pseudonym = context.person.pseudonym
    try:
        gap = person_gap_analysis(
            user=user, pseudonym=pseudonym, offer_id=offer_id, context=context
        )
    except Http404:
        return None
    return _gap_view(gap, next((o for o in offers if o.id == offer_id), None))


def person_matches(
    *, user: User, person: Person, gap_offer_id: int | None = None, limit: int = 10
) -> Matches:
    """Best offers, courses and placements for the person, explained; the skills the best
    offers and placements miss most often; the gap analysis of one offer (`gap_offer_id`,
    else the best offer) with the courses that close it."""
    context = person_context(user=user, pseudonym=person.pseudonym)
    offers, offers_total, ranking = _ranked(context, OFFER, limit)
    courses, courses_total, _r = _ranked(context, COURSE, limit)
    placements, placements_total, _r = _ranked(context, PLACEMENT, limit)
    gaps = _gaps([*offers, *placements])
    _mark_closing(courses, gaps)
    _organisations([*offers, *courses, *placements])
    measure = context.constraints.measure_type
    target = gap_offer_id if gap_offer_id is not None else (offers[0].id if offers else None)
    near = {kind: _near_misses(context, kind) for kind in KINDS}
    return Matches(
        offers=offers,
        courses=courses,
        placements=placements,
        totals={
            OFFER.code: offers_total,
            COURSE.code: courses_total,
            PLACEMENT.code: placements_total,
        },
        gaps=gaps,
        gap=_gap_for(context, user, target, offers),
        measure_label=str(MeasureType(measure).label)
        if context.show_judicial and measure != NO_MEASURE and measure in MeasureType.values
        else "",
        show_judicial=context.show_judicial,
        ranking=ranking,
        near_misses={kind.code: views for kind, (views, _n) in near.items()},
        near_totals={kind.code: total for kind, (_v, total) in near.items()},
    )


def course_recommendations(*, user: User, person: Person, limit: int = 8) -> list[OpportunityView]:
    """Courses for the trainee: first those teaching what the offers that fit them best
    lack (most gaps closed first), then the best ranked others. Judicial constraints filter
    the results (audited in search) but are never shown to the trainee."""
    context = person_context(user=user, pseudonym=person.pseudonym)
    offers, _total, _r = _ranked(context, OFFER, 5)
    courses, _total, _r = _ranked(context, COURSE, 30)
    _mark_closing(courses, _gaps(offers))
    ordered = sorted(courses, key=lambda c: (-len(c.closes_gaps), -c.score))
    return ordered[:limit]
