"""Whom an opportunity admits, as conditions on people's indexed constraints: the hard
constraints of search.matching turned around, so that an engine counts the people an offer
admits with one filtered query (the administrators' "compatible with this role" count,
search.candidate_queries) instead of reading every person's measure from the database.

Rule by rule (matching.constraints_check, is_open), for an opportunity and a person whose
current measure gives constraints c:

  area         c lists municipalities: the opportunity's is among them; c has a radius
               (whole km, as the database keeps it): the person's home is among the
               municipalities whose distance to the opportunity, rounded up, is at most the
               radius (`reach`); else nothing asked
  istituto     a course inside a prison: c's institute is that one; any other course: c
               has no institute (is_open and the institute check together)
  orario       the opportunity's weekly hours are at most c's limit, or c has none
  fascia       c's window holds the shift; a shift crossing midnight: c has no window
  misura       the measure types the opportunity admits (placements: MAP, LPU, LSU among
               its own), or any
  settori      c avoids none of the opportunity's sectors
  date         the person is available by the start
  fine_misura  a placement starts by c's end; an offer not admitting detention starts after
               the end of a detention
  posti        seats left, or nobody

PersonConstraints are written into the index as integers (INDEXED: sentinel values stand for
"no limit"), the same for both engines; `stale` people, whose indexed constraints no longer
hold today, are left to the caller.
"""

import dataclasses
import datetime
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from search import matching
from search.types import (
    COURSE,
    MEASURE_TYPES,
    OFFER,
    PLACEMENT,
    Admits,
    OpportunityDoc,
    PersonConstraints,
)

EPOCH = datetime.date(1970, 1, 1)
FOREVER = 2**31 - 1
"""The day number standing for "no end"."""
NO_LIMIT_HOURS = 10_000
AREA_FREE, AREA_LISTED, AREA_RADIUS = 0, 1, 2
STALE_LIMIT = 1000
"""People with outdated indexed constraints a count decides from the database, at most."""


def day(value: datetime.date | None, missing: int) -> int:
    return missing if value is None else (value - EPOCH).days


def measure_code(measure_type: str) -> int:
    """Measure types are indexed as numbers, not as words a reader of the index takes in."""
    if measure_type in MEASURE_TYPES:
        return MEASURE_TYPES.index(measure_type)
    return len(MEASURE_TYPES)


def indexed(person: PersonConstraints) -> dict[str, Any]:
    """The constraint fields of a person's index document: integers (and sector codes). A
    radius counts only without listed municipalities (matching: the list comes first); the
    home municipality is kept only with a radius, so that the radius groups' terms list
    the few people with one (and no one else's home is indexed)."""
    c = person.constraints
    if c.allowed_municipalities:
        area = AREA_LISTED
    elif c.radius_km is not None:
        area = AREA_RADIUS
    else:
        area = AREA_FREE
    return {
        "fresh_from": day(person.valid_from, 0),
        "fresh_until": day(person.valid_until, FOREVER),
        "measure": measure_code(c.measure_type),
        "area": area,
        "places": sorted(c.allowed_municipalities),
        "home": (person.home or 0) if area == AREA_RADIUS else 0,  # only the radius reads it
        "radius": math.floor(c.radius_km)
        if c.radius_km is not None and area == AREA_RADIUS
        else -1,
        "hours": NO_LIMIT_HOURS if c.max_weekly_hours is None else c.max_weekly_hours,
        "day_start": 0 if c.daily_start is None else c.daily_start,
        "day_end": matching.DAY_MINUTES if c.daily_end is None else c.daily_end,
        "window": int(c.daily_start is not None or c.daily_end is not None),
        "avoid": sorted(c.avoid_sectors),
        "institute": c.institute_id or 0,
        "end": day(c.measure_end, FOREVER),
    }


def reach(
    doc: OpportunityDoc, places: Mapping[int, tuple[float, float]]
) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """The municipalities (`places`: id → latitude, longitude) grouped by their distance to
    the opportunity rounded up to whole km: a person living in one of a group is within a
    whole-km radius r when the group's km is at most r. The distances are
    matching.haversine_km's, term by term, over arrays (thousands of municipalities)."""
    if not places:
        return ()
    ids = np.fromiter(places.keys(), dtype=np.int64, count=len(places))
    coordinates = np.array(list(places.values()), dtype=np.float64)
    phi1, phi2 = np.radians(coordinates[:, 0]), math.radians(doc.latitude)
    dphi, dlambda = phi2 - phi1, np.radians(doc.longitude - coordinates[:, 1])
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * math.cos(phi2) * np.sin(dlambda / 2) ** 2
    km = np.ceil(2 * matching.EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a))))
    order = np.lexsort((ids, km))
    distances, starts = np.unique(km[order], return_index=True)
    groups = np.split(ids[order], starts[1:])
    return tuple((int(d), tuple(g.tolist())) for d, g in zip(distances, groups, strict=True))


def within(admitted: Admits, widest: int | None) -> Admits:
    """The same conditions, the radius groups cut to `widest`, the largest radius among
    the people counted (None: nobody has one): a group farther than every radius admits
    nobody, and each group is a clause the engine evaluates (a few hundred across Italy,
    a handful within the radii measures set)."""
    groups = () if widest is None else tuple(g for g in admitted.reach if g[0] <= widest)
    return dataclasses.replace(admitted, reach=groups)


def _measures(doc: OpportunityDoc) -> tuple[int, ...] | None:
    if doc.kind == PLACEMENT:
        admitted: Iterable[str] = matching.PLACEMENT_MEASURES.intersection(doc.measures)
    elif doc.kind == OFFER and doc.measures:
        admitted = doc.measures
    else:
        return None
    return tuple(sorted(measure_code(code) for code in admitted))


def _closed(doc: OpportunityDoc, today: datetime.date) -> bool:
    if doc.status != "pubblicata":
        return True
    if doc.seats_available is not None and doc.seats_available <= 0:
        return True
    return doc.kind == COURSE and doc.end_date is not None and doc.end_date < today


def admits_for(
    doc: OpportunityDoc, places: Mapping[int, tuple[float, float]], today: datetime.date
) -> Admits:
    shift = None
    if doc.shift_start is not None and doc.shift_end is not None:
        shift = (doc.shift_start, doc.shift_end)
    overnight = shift is not None and shift[1] <= shift[0]
    return Admits(
        kind=doc.kind,
        nobody=_closed(doc, today),
        municipality=doc.municipality_id,
        reach=reach(doc, places),
        measures=_measures(doc),
        hours=doc.weekly_hours,
        shift=None if overnight else shift,
        overnight=overnight,
        sectors=tuple(sorted(doc.sectors)),
        institute=(doc.institute_id or 0) if doc.kind == COURSE else None,
        start=None if doc.start_date is None else day(doc.start_date, 0),
        detention_after=doc.kind == OFFER and matching.DETENTION not in doc.measures,
    )


def fresh(person: PersonConstraints, today: datetime.date) -> bool:
    """Whether the indexed constraints still hold on `today`."""
    return person.valid_from <= today and (
        person.valid_until is None or today <= person.valid_until
    )
