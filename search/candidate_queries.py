"""Opportunity → candidates, for employers, host bodies and administrators.

Results are pseudonymised profiles of people who share them with the viewer (an active
"profilo_datori" consent, general or naming the viewer's organisation); nothing identifying
is in the index, and the people's current constraints are there only as filter-only fields
(search.admits: never stored with a profile, never returned). With an offer the order is
the match score for that role (skills and province, nothing judicial). "Compatible with
this role" (the offer's hard constraints against the candidates' measures: one filtered
count in the engine) is computed only for administrators
(competenze.permissions.can_view_all_judicial), as an aggregate count,
rounded and withheld on small result sets, never a per-candidate flag, filter or order:
employers and host bodies could narrow any count with filters until it tells one person's
measure, so they get results that do not depend on judicial data at all. Every result
shown is audited, like a candidate profile view.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import AccessLog, Municipality, User
from common.services import access_log_add, access_log_build, access_log_record
from competenze.models import Concept, Person
from competenze.permissions import can_view_all_judicial
from lavoro import permissions
from lavoro.selectors import offer_get_manageable
from search import matching, sources
from search.admits import STALE_LIMIT, admits_for
from search.backends import get_backend
from search.profiles import compatible_people
from search.types import (
    AVAILABILITY_BANDS,
    OFFER,
    Admits,
    CandidateDoc,
    CandidateHit,
    CandidateHits,
    CandidateQuery,
    FacetBucket,
    OpportunityDoc,
)

CANDIDATES_DENIED = gettext_lazy(
    "Solo datori di lavoro, enti ospitanti e amministratori vedono i candidati."
)
SEARCH_PURPOSE = "ricerca candidati"
COMPATIBLE_PURPOSE = "compatibilità aggregata con l'offerta %(offer)s (solo conteggio)"
COMPATIBLE_MIN_RESULTS = 10
COMPATIBLE_ROUNDING = 5
DATA_PROFILE = "profilo_pseudonimo"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CandidateFilters:
    text: str = ""
    skills: tuple[str, ...] = ()  # concept codes, all required
    province: str = ""
    availability: str = ""  # a band of AVAILABILITY_BANDS: available within
    language: str = ""
    min_hours: int | None = None
    offer_id: int | None = None


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class CandidateResult:
    pseudonym: str
    province: str
    summary: str
    skills: tuple[tuple[str, str, str, int], ...]  # code, label, stage, level
    languages: tuple[tuple[str, str], ...]
    weekly_hours_available: int | None
    available_from: datetime.date | None
    score: float
    explanation: matching.Explanation | None


@dataclass(frozen=True)
class CandidatePage:
    total: int
    results: tuple[CandidateResult, ...]
    facets: dict[str, tuple[Facet, ...]] = field(default_factory=dict)
    compatible: int | None = None
    """Results compatible with the offer, rounded down to 5; None when not shown."""


def _role(user: User, offer_id: int | None) -> OpportunityDoc | None:
    if offer_id is None:
        return None
    offer = offer_get_manageable(user=user, offer_id=offer_id)
    docs, _gone = sources.opportunity_docs(OFFER, [offer.pk], published_only=False)
    return docs[0] if docs else None


def _concept_ids(codes: tuple[str, ...]) -> tuple[int, ...]:
    if not codes:
        return ()
    found = dict(Concept.objects.filter(code__in=codes).values_list("code", "pk"))
    return tuple(found.get(code, -1) for code in codes)  # unknown code: no result


def _available_by(band: str, today: datetime.date) -> datetime.date | None:
    days = dict(AVAILABILITY_BANDS).get(band)
    return None if days is None else today + datetime.timedelta(days=days)


def _places() -> dict[int, tuple[float, float]]:
    """Every municipality's coordinates (a radius is measured between municipalities)."""
    rows = Municipality.objects.values_list("pk", "latitude", "longitude")
    return {pk: (lat, lon) for pk, lat, lon in rows}


def _admits(user: User, role: OpportunityDoc, today: datetime.date) -> Admits:
    """Whom the role admits, for the engine to count on the people's indexed constraints:
    a read of judicial data, audited as one."""
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject="*",
        data_category="giudiziari",
        purpose=COMPATIBLE_PURPOSE % {"offer": role.id},
    )
    return admits_for(role, _places(), today)


def _compatible(
    found: CandidateHits, role: OpportunityDoc | None, today: datetime.date
) -> int | None:
    """The engine's count, plus the profiles whose indexed constraints are out of date
    (a measure began or ended since they were indexed), decided from the database."""
    if found.compatible is None or role is None or not found.stale:
        return found.compatible
    if len(found.stale) >= STALE_LIMIT:
        logger.warning("Conteggio dei compatibili: più di %s profili da reindicizzare", STALE_LIMIT)
    people = Person.objects.filter(pk__in=found.stale)
    return found.compatible + len(compatible_people(role, people, today))


def _shown_compatible(total: int, compatible: int | None) -> int | None:
    if compatible is None or total < COMPATIBLE_MIN_RESULTS:
        return None
    return compatible - compatible % COMPATIBLE_ROUNDING


def _result(hit: CandidateHit, role: OpportunityDoc | None) -> CandidateResult:
    doc: CandidateDoc = hit.doc
    explanation = None
    if role is not None:
        explanation = matching.explain(
            role.requirements,
            {credit.concept_id: credit for credit in doc.credits},
            same_province=doc.province == role.province,
        )
    return CandidateResult(
        pseudonym=doc.pseudonym,
        province=doc.province,
        summary=doc.summary,
        skills=tuple((s.code, s.label, s.stage, s.level) for s in doc.skills),
        languages=doc.languages,
        weekly_hours_available=doc.weekly_hours_available,
        available_from=doc.available_from,
        score=round(hit.score, 4),
        explanation=explanation,
    )


def _facets(raw: dict[str, tuple[FacetBucket, ...]]) -> dict[str, tuple[Facet, ...]]:
    ids = [int(bucket.key) for bucket in raw.get("skills", ())]
    concepts = {
        pk: (code, label)
        for pk, code, label in Concept.objects.filter(pk__in=ids).values_list(
            "pk", "code", "pref_label"
        )
    }
    facets = {
        "skills": tuple(
            Facet(concepts[int(b.key)][0], concepts[int(b.key)][1], b.count)
            for b in raw.get("skills", ())
            if int(b.key) in concepts
        )
    }
    for name in ("province", "languages", "hours"):
        facets[name] = tuple(Facet(b.key, b.key, b.count) for b in raw.get(name, ()))
    running, cumulative = 0, []
    for bucket in raw.get("availability", ())[: len(AVAILABILITY_BANDS)]:
        running += bucket.count
        cumulative.append(Facet(bucket.key, bucket.key, running))
    facets["availability"] = tuple(cumulative)
    return facets


def _audit(user: User, results: tuple[CandidateResult, ...]) -> None:
    access_log_add(
        access_log_build(
            actor=user,
            action=AccessLog.Action.VIEW,
            subject=result.pseudonym,
            data_category=DATA_PROFILE,
            purpose=SEARCH_PURPOSE,
        )
        for result in results
    )


def candidates_search(
    *,
    user: User,
    filters: CandidateFilters,
    offset: int = 0,
    limit: int = 20,
    today: datetime.date | None = None,
) -> CandidatePage:
    """Pseudonymised candidates with facets; by match score when an offer is given.

    Raises AccessDenied for other roles, and for an offer the user does not manage
    (Http404 for an offer they may not see).
    """
    if not permissions.can_view_candidates(user):
        raise AccessDenied(CANDIDATES_DENIED)
    today = today or timezone.localdate()
    role = _role(user, filters.offer_id)
    query = CandidateQuery(
        today=today,
        viewer_organisation=user.organisation_id,
        viewer_is_admin=user.has_role(User.Role.ADMIN),
        text=filters.text,
        skills=_concept_ids(filters.skills),
        province=filters.province.upper(),
        language=filters.language.lower(),
        available_by=_available_by(filters.availability, today),
        min_hours=filters.min_hours,
        requirements=role.requirements if role else (),
        role_province=role.province if role else "",
        compatible=_admits(user, role, today) if role and can_view_all_judicial(user) else None,
        offset=offset,
        limit=limit,
    )
    found = get_backend().search_candidates(query)
    results = tuple(_result(hit, role) for hit in found.hits)
    _audit(user, results)
    return CandidatePage(
        total=found.total,
        results=results,
        facets=_facets(dict(found.facets)),
        compatible=_shown_compatible(found.total, _compatible(found, role, today)),
    )


def offer_candidates_match(
    *,
    user: User,
    offer_id: int,
    offset: int = 0,
    limit: int = 20,
    today: datetime.date | None = None,
) -> CandidatePage:
    """The candidates for the user's own offer, best match first."""
    filters = CandidateFilters(offer_id=offer_id)
    return candidates_search(user=user, filters=filters, offset=offset, limit=limit, today=today)
