"""Person → opportunities, for counsellors and trainees: ranked, filtered by the hard
constraints of the current measure, every result explained; and the gap analysis.

These read judicial data to filter (audited, one row per request) only for viewers whose
results may depend on it (competenze.permissions.can_match_on_judicial: counsellors,
administrators, the person themself); a programme manager gets the results of a person
without a measure, the same whatever the measure. Explanations show the judicial checks
only to who may see judicial data. Results are plain dataclasses. The candidate side
(employers, host bodies) is in candidate_queries.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.exceptions import ApplicationError
from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import Concept, Person
from competenze.selectors.people import person_get_visible
from lavoro.selectors import offer_get_visible
from search import matching, ranking, sources
from search.backends import get_backend
from search.concepts import ConceptCache
from search.profiles import (
    PersonProfile,
    availability_constraints,
    declared_interests,
    hard_constraints,
    person_profile,
)
from search.ranking_data import ranker_path
from search.types import (
    COURSE,
    OFFER,
    OPPORTUNITY_KINDS,
    HardConstraints,
    OpportunityDoc,
    OpportunityHit,
    OpportunityQuery,
    Requirement,
)

MATCH_PURPOSE = "abbinamento con le opportunità (vincoli della misura)"
INTERESTS_PURPOSE = "abbinamento con le opportunità (interessi espressi nel colloquio)"
DATA_INTERVIEW = "colloquio"
PROFILE_NOT_FOUND = gettext_lazy("Profilo professionale non trovato.")
GAP_TARGET_REQUIRED = gettext_lazy(
    "Indica un'offerta (offer_id) o un profilo professionale (profile)."
)
FORMULA, MODEL = "formula", "modello"
GAP_COURSES = 50


@dataclass(frozen=True)
class OpportunityMatch:
    kind: str
    id: int
    title: str
    organisation: str
    municipality: str
    province: str
    start_date: datetime.date | None
    weekly_hours: int | None
    seats_available: int | None
    score: float
    outcome_probability: float | None
    explanation: matching.Explanation
    suitable: bool = True


@dataclass(frozen=True)
class OpportunityMatchPage:
    total: int
    results: tuple[OpportunityMatch, ...]
    ranking: str


@dataclass(frozen=True)
class PersonContext:
    person: Person
    profile: PersonProfile
    constraints: HardConstraints
    show_judicial: bool


def _constraints(user: User, person: Person, today: datetime.date) -> HardConstraints:
    """The measure's constraints (an audited read) for who may have results depend on it;
    for anyone else the availability only, the measure not even read."""
    if not permissions.can_match_on_judicial(user, person):
        return availability_constraints(person, today)
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category="giudiziari",
        purpose=MATCH_PURPOSE,
    )
    return hard_constraints(person, today)


def person_context(
    *, user: User, pseudonym: str, today: datetime.date | None = None
) -> PersonContext:
    """The person `user` may see (Http404 otherwise), their profile and constraints.

    The constraints are the current measure's (read and audited) only when
    competenze.permissions.can_match_on_judicial allows it; otherwise every result built
    on this context is the same whatever the measure.
    """
    person = person_get_visible(user=user, pseudonym=pseudonym)
    today = today or timezone.localdate()
    constraints = _constraints(user, person, today)
    declared = declared_interests(person)
    if declared:
        access_log_record(
            actor=user,
            action=AccessLog.Action.VIEW,
            subject=person.pseudonym,
            data_category=DATA_INTERVIEW,
            purpose=INTERESTS_PURPOSE,
        )
    return PersonContext(
        person=person,
        profile=person_profile(person, declared=declared),
        constraints=constraints,
        show_judicial=permissions.can_view_judicial(user, person),
    )


def match_of(
    hit: OpportunityHit,
    context: PersonContext,
    probability: float | None = None,
    constraints: HardConstraints | None = None,
) -> OpportunityMatch:
    """A hit as a result, explained against `constraints` (default: the person's)."""
    doc = hit.doc
    checks = matching.constraints_check(constraints or context.constraints, doc, hit.distance_km)
    explanation = matching.explain(
        doc.requirements,
        context.profile.credits,
        distance_km=hit.distance_km,
        same_province=doc.province == context.profile.province
        if context.profile.province
        else None,
        checks=checks,
        show_judicial=context.show_judicial,
        affinity=hit.affinity,
    )
    return OpportunityMatch(
        kind=doc.kind,
        id=doc.id,
        title=doc.title,
        organisation=doc.organisation,
        municipality=doc.municipality,
        province=doc.province,
        start_date=doc.start_date,
        weekly_hours=doc.weekly_hours,
        seats_available=doc.seats_available,
        score=round(hit.score, 4),
        outcome_probability=None if probability is None else round(probability, 4),
        explanation=explanation,
        suitable=matching.suitable(doc.kind, bool(doc.requirements), hit.skill_score, hit.affinity),
    )


def _query(
    context: PersonContext, kinds: Sequence[str], text: str, offset: int, limit: int
) -> OpportunityQuery:
    return OpportunityQuery(
        kinds=tuple(kinds),
        credits=context.profile.credit_values,
        origin=context.profile.origin,
        constraints=context.constraints,
        text=text,
        offset=offset,
        limit=limit,
        affinity=context.profile.affinity,
    )


def opportunities_for_context(
    context: PersonContext,
    *,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    text: str = "",
    offset: int = 0,
    limit: int = 20,
) -> OpportunityMatchPage:
    """Rank by the formula; with a trained model, re-rank the formula's best RERANK_WINDOW."""
    backend = get_backend()
    model = ranking.model_load(ranker_path())
    if model is None or offset + limit > ranking.RERANK_WINDOW:
        found = backend.match_opportunities_for_person(_query(context, kinds, text, offset, limit))
        results = tuple(match_of(hit, context) for hit in found.hits)
        return OpportunityMatchPage(found.total, results, FORMULA)
    window = backend.match_opportunities_for_person(
        _query(context, kinds, text, 0, ranking.RERANK_WINDOW)
    )
    rows = [
        ranking.features_for(h.doc, context.profile.credits, h.distance_km) for h in window.hits
    ]
    probabilities = list(model.score(rows)) if rows else []
    ordered = sorted(
        zip(window.hits, probabilities, strict=True), key=lambda pair: -float(pair[1])
    )[offset : offset + limit]
    results = tuple(match_of(hit, context, float(p)) for hit, p in ordered)
    return OpportunityMatchPage(window.total, results, MODEL)


def person_opportunities_match(
    *,
    user: User,
    pseudonym: str,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    text: str = "",
    offset: int = 0,
    limit: int = 20,
    today: datetime.date | None = None,
) -> OpportunityMatchPage:
    """Opportunities for the person, best first, each explained.

    Raises Http404 when the person does not exist or `user` may not see them (counsellors
    and programme managers of the person's organisation, the trainee themself, admins).
    """
    context = person_context(user=user, pseudonym=pseudonym, today=today)
    return opportunities_for_context(context, kinds=kinds, text=text, offset=offset, limit=limit)


# ------------------------------------------------------------------ gap analysis


@dataclass(frozen=True)
class GapCourse:
    id: int
    title: str
    organisation: str
    municipality: str
    start_date: datetime.date | None
    seats_available: int | None
    closes: tuple[str, ...]


@dataclass(frozen=True)
class GapAnalysis:
    target_kind: str
    target_id: int | None
    target_code: str
    target_title: str
    covered: tuple[matching.SkillMatch, ...]
    partial: tuple[matching.SkillMatch, ...]
    missing: tuple[matching.MissingSkill, ...]
    courses: tuple[GapCourse, ...]
    not_closed: tuple[str, ...]


def _offer_target(
    user: User, offer_id: int
) -> tuple[str, int | None, str, str, tuple[Requirement, ...]]:
    offer = offer_get_visible(user=user, offer_id=offer_id)
    docs, _gone = sources.opportunity_docs(OFFER, [offer.pk], published_only=False)
    return OFFER, offer.pk, "", offer.title, docs[0].requirements


def _profile_target(code: str) -> tuple[str, int | None, str, str, tuple[Requirement, ...]]:
    profile = (
        Concept.objects.filter(code=code, kind=Concept.Kind.PROFILE)
        .order_by("-framework__is_default")
        .first()
    )
    if profile is None:
        raise Http404(PROFILE_NOT_FOUND)
    cache = ConceptCache()
    relations = cache.relations([profile.pk])[profile.pk]
    concepts = cache.info(concept for concept, _e in relations)
    requirements = tuple(
        Requirement(pk, concepts[pk].code, concepts[pk].label, essential, concepts[pk].sector)
        for pk, essential in relations
        if pk in concepts
    )
    return "profile", None, profile.code, profile.pref_label, requirements


def _gap_courses(context: PersonContext, needed: tuple[int, ...]) -> list[OpportunityDoc]:
    if not needed:
        return []
    query = OpportunityQuery(
        kinds=(COURSE,),
        credits=context.profile.credit_values,
        origin=context.profile.origin,
        constraints=context.constraints,
        teaches_any=needed,
        limit=GAP_COURSES,
        affinity=context.profile.affinity,
    )
    return [hit.doc for hit in get_backend().match_opportunities_for_person(query).hits]


def person_gap_analysis(
    *,
    user: User,
    pseudonym: str,
    offer_id: int | None = None,
    profile_code: str = "",
    today: datetime.date | None = None,
    context: PersonContext | None = None,
) -> GapAnalysis:
    """Which skills the person lacks for an offer or a professional profile, and the
    admissible courses (same hard constraints) whose skills close them. `context`: the
    person's, when the caller built it already (one judicial read per page).

    Raises Http404 for an unknown person, offer or profile; ApplicationError without target.
    """
    if offer_id is None and not profile_code:
        raise ApplicationError(GAP_TARGET_REQUIRED, code="target_required")
    context = context or person_context(user=user, pseudonym=pseudonym, today=today)
    kind, pk, code, title, requirements = (
        _offer_target(user, offer_id) if offer_id is not None else _profile_target(profile_code)
    )
    gap = matching.gap_for(requirements, context.profile.credits)
    plan, left = matching.courses_closing(gap.to_close, _gap_courses(context, gap.to_close))
    codes = {item.concept_id: item.code for item in requirements}
    courses = tuple(
        GapCourse(
            id=item.doc.id,
            title=item.doc.title,
            organisation=item.doc.organisation,
            municipality=item.doc.municipality,
            start_date=item.doc.start_date,
            seats_available=item.doc.seats_available,
            closes=tuple(codes[c] for c in item.closes),
        )
        for item in plan
    )
    return GapAnalysis(
        target_kind=kind,
        target_id=pk,
        target_code=code,
        target_title=title,
        covered=gap.covered,
        partial=gap.partial,
        missing=gap.missing,
        courses=courses,
        not_closed=tuple(codes[c] for c in left),
    )
