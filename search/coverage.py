"""Matching coverage: how many people have at least one opportunity, only near misses (one
constraint away), or nothing, per kind and overall, and which constraints block most.

Aggregated figures computed from many people's judicial data: only for who may see them
all (competenze.permissions.can_view_all_judicial) or an operator at the command line;
a dashboard showing them to others must suppress small cells. One audit row per run.
Every figure comes from index searches (three or six per person), never a scan of the
opportunities in the database.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Person
from search import matching
from search.backends import get_backend
from search.profiles import BulkPerson, people_constraints
from search.types import OPPORTUNITY_KINDS, OpportunityQuery

COVERAGE_PURPOSE = "copertura degli abbinamenti (solo dati aggregati)"
NEAR_MISS_SAMPLE = 200
"""Near misses read per person and kind to tell which constraint blocks them (the best
ranked; a person with more is counted on these)."""


@dataclass
class KindCoverage:
    """One kind of opportunity: people with a match, with near misses only, with nothing;
    `blocked_people[code]` how many people that constraint alone keeps from at least one
    opportunity, `blocked_pairs[code]` how many (person, opportunity) pairs."""

    kind: str
    matched: int = 0
    near_only: int = 0
    nothing: int = 0
    blocked_people: Counter[str] = field(default_factory=Counter)
    blocked_pairs: Counter[str] = field(default_factory=Counter)

    @property
    def blocks_most(self) -> str:
        """The constraint that keeps the most people from an opportunity ("" if none)."""
        ranked = sorted(
            self.blocked_people, key=lambda c: (-self.blocked_people[c], -self.blocked_pairs[c], c)
        )
        return ranked[0] if ranked else ""


@dataclass
class Coverage:
    people: int = 0
    matched: int = 0
    near_only: int = 0
    nothing: int = 0
    kinds: dict[str, KindCoverage] = field(default_factory=dict)


def _near_codes(person: BulkPerson, kind: str) -> tuple[int, Counter[str]]:
    query = OpportunityQuery(
        kinds=(kind,),
        credits={},
        origin=person.origin,
        constraints=person.constraints,
        limit=NEAR_MISS_SAMPLE,
        near_miss=True,
    )
    found = get_backend().match_opportunities_for_person(query)
    codes: Counter[str] = Counter()
    for hit in found.hits:
        code = matching.near_miss(person.constraints, hit.doc, hit.distance_km)
        if code:
            codes[code] += 1
    return found.total, codes


def _matches(person: BulkPerson, kind: str) -> int:
    query = OpportunityQuery(
        kinds=(kind,), credits={}, origin=person.origin, constraints=person.constraints, limit=0
    )
    return get_backend().match_opportunities_for_person(query).total


def _tally(coverage: Coverage, person: BulkPerson) -> None:
    any_match = any_near = False
    for kind in OPPORTUNITY_KINDS:
        row = coverage.kinds[kind]
        matched = _matches(person, kind)
        near, codes = _near_codes(person, kind)
        row.blocked_people.update(codes.keys())
        row.blocked_pairs.update(codes)
        if matched:
            row.matched += 1
        elif near:
            row.near_only += 1
        else:
            row.nothing += 1
        any_match |= bool(matched)
        any_near |= bool(near)
    coverage.people += 1
    if any_match:
        coverage.matched += 1
    elif any_near:
        coverage.near_only += 1
    else:
        coverage.nothing += 1


def matching_coverage(
    *, people: QuerySet[Person], actor: User | None = None, today: datetime.date | None = None
) -> Coverage:
    """Coverage over `people` (their current measures and availability, as the counsellor's
    matching reads them). The bulk read of judicial data is audited once, for `actor`."""
    today = today or timezone.localdate()
    access_log_record(
        actor=actor,
        action=AccessLog.Action.VIEW,
        subject="*",
        data_category="giudiziari",
        purpose=COVERAGE_PURPOSE,
    )
    coverage = Coverage(kinds={kind: KindCoverage(kind) for kind in OPPORTUNITY_KINDS})
    for person in people_constraints(people, today):
        _tally(coverage, person)
    return coverage
