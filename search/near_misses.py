"""Person → the opportunities one hard constraint alone keeps out (near misses), and what
relaxing one constraint would open (what-if), for counsellors who plan with the person.

Both are searches of the index (search.types.OpportunityQuery: `near_miss`, `baseline`),
never a scan of the database. The constraint and the amount are judicial data: they are
worded only for who may see the person's measure (competenze.permissions.can_view_judicial);
everyone else reads NOT_COMPATIBLE. A what-if changes nothing on the person: it is a
query with one constraint relaxed, for counsellors and administrators only.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied, ApplicationError
from common.models import User
from competenze import permissions
from competenze.models import Sector
from competenze.models.people import MeasureType
from search import matching
from search.backends import get_backend
from search.queries import OpportunityMatch, PersonContext, match_of, person_context
from search.types import OPPORTUNITY_KINDS, PLACEMENT, OpportunityDoc, OpportunityQuery

NOT_COMPATIBLE = gettext_lazy("non compatibile")
WHAT_IF_DENIED = gettext_lazy(
    "Solo chi segue la persona e può vedere la misura prova ad allentare un vincolo."
)
NOT_RELAXABLE = gettext_lazy("Questo vincolo non si può allentare: %(code)s.")
RADIUS_RANGE = gettext_lazy("Il raggio va da 1 a 300 km.")
HOURS_RANGE = gettext_lazy("Le ore settimanali vanno da 1 a 60.")
MAX_RADIUS_KM, MAX_WEEKLY_HOURS = 300, 60


@dataclass(frozen=True)
class NearMiss:
    """An opportunity one constraint keeps out; `code` is empty and `reason` is
    NOT_COMPATIBLE for who may not see the measure."""

    match: OpportunityMatch
    code: str
    reason: str


@dataclass(frozen=True)
class NearMissPage:
    total: int
    results: tuple[NearMiss, ...]


def _hour(value: int) -> str:
    hours, minutes = divmod(value, 60)
    return f"{hours}:{minutes:02d}" if minutes else str(hours)


def _day(value: datetime.date | None) -> str:
    return date_format(value, "j/n/Y") if value else "—"


def _window(window: tuple[int | None, int | None]) -> str:
    start, end = window
    if start is not None and end is not None:
        return f"{_hour(start)}–{_hour(end)}"
    if start is not None:
        return _("dalle %(h)s") % {"h": _hour(start)}
    return _("entro le %(h)s") % {"h": _hour(end or 0)}


def _measures(codes: Sequence[str]) -> str:
    labels = dict(MeasureType.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes) or "—"


def _area_reason(miss: matching.Miss) -> str:
    if miss.limit_km is None:
        return _("fuori dai comuni consentiti dalla misura")
    if miss.distance_km is None:
        return _("domicilio non indicato: l'area consentita non si può verificare")
    return _("fuori dall'area consentita: %(km)s km, limite %(limit)s km") % {
        "km": f"{miss.distance_km:.0f}",
        "limit": f"{miss.limit_km:g}",
    }


def _end_reason(miss: matching.Miss, doc: OpportunityDoc) -> str:
    values = {"start": _day(miss.start), "end": _day(miss.limit_date)}
    if doc.kind == PLACEMENT:
        return _("inizia il %(start)s, dopo la fine della misura (%(end)s)") % values
    return _("inizia il %(start)s, prima della fine della misura (%(end)s)") % values


def _measure_reason(miss: matching.Miss, doc: OpportunityDoc) -> str:
    admitted = _measures(miss.admitted)
    if doc.kind == PLACEMENT:
        return _("posto per %(admitted)s: la misura in corso non è ammessa") % {
            "admitted": admitted
        }
    return _("offerta per altre misure (%(admitted)s)") % {"admitted": admitted}


def miss_reason(miss: matching.Miss, doc: OpportunityDoc, sectors: dict[str, str]) -> str:
    """The reason a near miss is excluded and by how much, in Italian (`sectors`: code →
    name, for the sectors to avoid)."""
    if miss.code == matching.AREA:
        return _area_reason(miss)
    if miss.code == matching.HOURS:
        return _("chiede %(hours)s ore a settimana, limite %(limit)s") % {
            "hours": miss.hours,
            "limit": miss.limit_hours,
        }
    if miss.code == matching.SHIFT and miss.shift and miss.window:
        return _("turno %(shift)s fuori dalla fascia consentita (%(window)s)") % {
            "shift": _window(miss.shift),
            "window": _window(miss.window),
        }
    if miss.code == matching.MEASURE:
        return _measure_reason(miss, doc)
    if miss.code == matching.SECTORS:
        names = ", ".join(sectors.get(code, code) for code in miss.sectors)
        return _("settore da evitare: %(sectors)s") % {"sectors": names}
    if miss.code == matching.DATES:
        return _("inizia il %(start)s, prima della disponibilità (dal %(from)s)") % {
            "start": _day(miss.start),
            "from": _day(miss.limit_date),
        }
    if miss.code == matching.MEASURE_END:
        return _end_reason(miss, doc)
    if miss.code == matching.INSTITUTE:
        return _("si svolge fuori dall'istituto")
    return _("posti esauriti")


def _sector_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = Sector.objects.filter(code__in=codes).order_by("framework__is_default", "pk")
    return dict(rows.values_list("code", "label"))  # the default framework's name wins


def near_misses_for_context(
    context: PersonContext,
    *,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    offset: int = 0,
    limit: int = 20,
) -> NearMissPage:
    """The opportunities exactly one hard constraint excludes, best score first."""
    query = OpportunityQuery(
        kinds=tuple(kinds),
        credits=context.profile.credit_values,
        origin=context.profile.origin,
        constraints=context.constraints,
        offset=offset,
        limit=limit,
        affinity=context.profile.affinity,
        near_miss=True,
    )
    found = get_backend().match_opportunities_for_person(query)
    misses = []
    for hit in found.hits:
        code = matching.near_miss(context.constraints, hit.doc, hit.distance_km) or ""
        misses.append((hit, code))
    avoided = set(context.constraints.avoid_sectors) if context.show_judicial else set()
    names = _sector_names(avoided)
    results = []
    for hit, code in misses:
        reason = str(NOT_COMPATIBLE)
        if context.show_judicial and code:
            miss = matching.miss_for(code, context.constraints, hit.doc, hit.distance_km)
            reason = miss_reason(miss, hit.doc, names)
        shown = code if context.show_judicial else ""
        results.append(NearMiss(match_of(hit, context), shown, reason))
    return NearMissPage(found.total, tuple(results))


def person_near_misses(
    *,
    user: User,
    pseudonym: str,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    offset: int = 0,
    limit: int = 20,
    today: datetime.date | None = None,
) -> NearMissPage:
    """Near misses for the person `user` may see (Http404 otherwise): the constraint and by
    how much only for who may see the measure. For who may not match on the measure at all
    (programme managers) the constraints are the person's availability only."""
    context = person_context(user=user, pseudonym=pseudonym, today=today)
    return near_misses_for_context(context, kinds=kinds, offset=offset, limit=limit)


# ------------------------------------------------------------------ what-if


@dataclass(frozen=True)
class Relaxation:
    """One constraint relaxed: the area to `radius_km` around the domicile, the weekly hours
    to `max_weekly_hours`, or (without a value) the constraint set aside."""

    code: str
    radius_km: float | None = None
    max_weekly_hours: int | None = None

    def validate(self) -> None:
        """Raises ApplicationError (Italian) for a code or value out of range."""
        if self.code not in matching.RELAXABLE:
            raise ApplicationError(str(NOT_RELAXABLE) % {"code": self.code}, code="not_relaxable")
        if self.radius_km is not None and not 0 < self.radius_km <= MAX_RADIUS_KM:
            raise ApplicationError(str(RADIUS_RANGE), code="radius_range")
        hours = self.max_weekly_hours
        if hours is not None and not 0 < hours <= MAX_WEEKLY_HOURS:
            raise ApplicationError(str(HOURS_RANGE), code="hours_range")


@dataclass(frozen=True)
class WhatIfPage:
    """What the relaxation would open (admitted with it, not without), best first."""

    relaxation: Relaxation
    total: int
    results: tuple[OpportunityMatch, ...]


def _what_if_query(
    context: PersonContext,
    relaxation: Relaxation,
    kinds: Sequence[str],
    offset: int,
    limit: int,
) -> OpportunityQuery:
    relaxed = matching.relax(
        context.constraints,
        relaxation.code,
        radius_km=relaxation.radius_km,
        max_weekly_hours=relaxation.max_weekly_hours,
    )
    return OpportunityQuery(
        kinds=tuple(kinds),
        credits=context.profile.credit_values,
        origin=context.profile.origin,
        constraints=relaxed,
        offset=offset,
        limit=limit,
        affinity=context.profile.affinity,
        baseline=context.constraints,
    )


def what_if_context(user: User, pseudonym: str, today: datetime.date | None) -> PersonContext:
    """The person's context for a what-if: AccessDenied unless `user` may see the measure
    (Http404 when the person is not visible at all)."""
    context = person_context(user=user, pseudonym=pseudonym, today=today)
    if not permissions.can_view_judicial(user, context.person):
        raise AccessDenied(str(WHAT_IF_DENIED))
    return context


def what_if_for_context(
    context: PersonContext,
    relaxation: Relaxation,
    *,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    offset: int = 0,
    limit: int = 20,
) -> WhatIfPage:
    relaxation.validate()
    query = _what_if_query(context, relaxation, kinds, offset, limit)
    found = get_backend().match_opportunities_for_person(query)
    results = tuple(match_of(hit, context, constraints=query.constraints) for hit in found.hits)
    return WhatIfPage(relaxation, found.total, results)


def person_what_if(
    *,
    user: User,
    pseudonym: str,
    relaxation: Relaxation,
    kinds: Sequence[str] = OPPORTUNITY_KINDS,
    offset: int = 0,
    limit: int = 20,
    today: datetime.date | None = None,
) -> WhatIfPage:
    """What relaxing one constraint of the person's measure or availability would open,
    nothing changed on the person. Raises Http404 (person not visible), AccessDenied (not a
    counsellor of the person or an administrator), ApplicationError (relaxation invalid)."""
    context = what_if_context(user, pseudonym, today)
    return what_if_for_context(context, relaxation, kinds=kinds, offset=offset, limit=limit)


def what_if_overview(
    context: PersonContext, *, kinds: Sequence[str] = OPPORTUNITY_KINDS
) -> dict[str, int]:
    """For each constraint that applies to the person, how many opportunities setting it
    aside would open (one counting search each). For the what-if form."""
    counts = {}
    for code in _applying(context):
        query = _what_if_query(context, Relaxation(code), kinds, 0, 0)
        counts[code] = get_backend().match_opportunities_for_person(query).total
    return counts


def _applying(context: PersonContext) -> list[str]:
    """The relaxable constraints the person's measure or availability sets."""
    c = context.constraints
    present = {
        matching.AREA: bool(c.allowed_municipalities) or c.radius_km is not None,
        matching.INSTITUTE: c.institute_id is not None,
        matching.HOURS: c.max_weekly_hours is not None,
        matching.SHIFT: c.daily_start is not None or c.daily_end is not None,
        matching.MEASURE: True,
        matching.SECTORS: bool(c.avoid_sectors),
        matching.DATES: c.available_from is not None,
        matching.MEASURE_END: c.measure_end is not None,
    }
    return [code for code in matching.RELAXABLE if present[code]]
