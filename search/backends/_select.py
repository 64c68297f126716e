"""Person → opportunities on the embedded features, vectorised: the hard constraints as
boolean masks, the formula as sparse products, over the rows a query can select only.

Mirrors search.matching rule by rule (tests compare the two). Geography prunes before
anything else: a measure's municipalities, or its radius, select the rows of those
municipalities or of the places (distinct coordinates) within the radius, and distances are
computed once per place, not per row. A query of one kind reads that kind's rows as a slice
(no copy). Skill and affinity read the matrices by column: only the opportunities asking
a concept the person holds, or in a sector they are drawn to, are touched.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from search import matching
from search.backends._features import (
    MEASURE_BITS,
    NO_DATE,
    PLACEMENT_BITS,
    Array,
    Features,
    IntArray,
    Segment,
    day,
)
from search.types import (
    COURSE,
    KEY_SPAN,
    KIND_CODES,
    OFFER,
    PLACEMENT,
    HardConstraints,
    OpportunityQuery,
)

Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
FULL_SCAN_SHARE = 64
"""Below 1/64 of a segment's rows, sparse products read the rows; above, the columns."""


def place_distances(segment: Segment, origin: tuple[float, float]) -> Floats:
    """Haversine km from `origin` to every place of the segment (as matching.haversine_km)."""
    lat0, lon0 = np.radians(origin[0]), np.radians(origin[1])
    lat, lon = segment.places
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    km: Floats = 2 * matching.EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return km


class View:
    """The rows of a segment a query looks at: a slice (masks over column views, no copy)
    or an index array (the rows geography left)."""

    def __init__(
        self,
        segment: Segment,
        rows: slice | IntArray,
        place_km: Floats | None,
        kinds_exact: bool = False,
    ):
        self.segment = segment
        self.rows = rows
        self.place_km = place_km
        self.kinds_exact = kinds_exact  # every row is of a kind the query asks for
        self._cache: dict[str, Array] = {}

    def __len__(self) -> int:
        if isinstance(self.rows, slice):
            return int(self.rows.stop - self.rows.start)
        return len(self.rows)

    def col(self, name: str) -> Array:
        if name not in self._cache:
            source = self.segment.place if name == "place" else self.segment.columns[name]
            self._cache[name] = source[self.rows]
        return self._cache[name]

    @property
    def km(self) -> Floats | None:
        if self.place_km is None:
            return None
        if "km" not in self._cache:
            self._cache["km"] = self.place_km[self.col("place")]
        return self._cache["km"]

    def member(self, rows: IntArray) -> Mask:
        """Which rows of the view are among `rows` (ascending row numbers)."""
        if isinstance(self.rows, slice):
            found = np.zeros(len(self), dtype=bool)
            inside = rows[(rows >= self.rows.start) & (rows < self.rows.stop)]
            found[inside - self.rows.start] = True
            return found
        return np.isin(self.rows, rows, assume_unique=True)

    def absolute(self, mask: Mask) -> IntArray:
        """Row numbers in the segment of the rows `mask` keeps."""
        if isinstance(self.rows, slice):
            shifted: IntArray = (np.flatnonzero(mask) + self.rows.start).astype(np.int64)
            return shifted
        kept: IntArray = self.rows[mask].astype(np.int64)
        return kept


# ------------------------------------------------------------------ the hard constraints


def _area(v: View, c: HardConstraints) -> Mask | None:
    if c.allowed_municipalities:
        return v.member(v.segment.by_municipality.rows_for(c.allowed_municipalities))
    if c.radius_km is not None:
        km = v.km
        return np.zeros(len(v), dtype=bool) if km is None else km <= c.radius_km
    return None


def _institute(v: View, c: HardConstraints) -> Mask | None:
    if c.institute_id is None:
        return None
    inside: Mask = (v.col("kind") != KIND_CODES[COURSE]) | (v.col("institute") == c.institute_id)
    return inside


def _hours(v: View, c: HardConstraints) -> Mask | None:
    if c.max_weekly_hours is None:
        return None
    hours = v.col("hours")
    within: Mask = (hours < 0) | (hours <= c.max_weekly_hours)
    return within


def _shift(v: View, c: HardConstraints) -> Mask | None:
    if c.daily_start is None and c.daily_end is None:
        return None
    start, end = v.col("shift_start"), v.col("shift_end")
    inside = end > start
    if c.daily_start is not None:
        inside &= start >= c.daily_start
    if c.daily_end is not None:
        inside &= end <= c.daily_end
    found: Mask = (start < 0) | (end < 0) | inside
    return found


def _measure(v: View, c: HardConstraints) -> Mask:
    kind, measures = v.col("kind"), v.col("measures")
    bit = MEASURE_BITS.get(c.measure_type, 0)
    ok: Mask = ((measures & bit) != 0) | (kind == KIND_CODES[COURSE])
    ok |= (measures == 0) & (kind == KIND_CODES[OFFER])
    if not bit & PLACEMENT_BITS:
        ok &= kind != KIND_CODES[PLACEMENT]
    return ok


def _in_columns(v: View, matrix: str, columns: Sequence[int]) -> Mask:
    """Which rows of the view hold any of `columns` of a matrix."""
    found = [v.segment.by_column[matrix].column(c)[0] for c in columns]
    rows = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return v.member(rows.astype(np.int64))


def _sectors(v: View, c: HardConstraints) -> Mask | None:
    if not c.avoid_sectors:
        return None
    columns = [i for i, code in enumerate(v.segment.sector_vocab) if code in c.avoid_sectors]
    return ~_in_columns(v, "sectors", columns)


def _dates(v: View, c: HardConstraints) -> Mask | None:
    if c.available_from is None:
        return None
    start = v.col("start")
    after: Mask = (start == NO_DATE) | (start >= day(c.available_from))
    return after


def _measure_end(v: View, c: HardConstraints) -> Mask | None:
    if c.measure_end is None:
        return None
    kind, start, end = v.col("kind"), v.col("start"), day(c.measure_end)
    unknown = start == NO_DATE
    ok: Mask = (kind != KIND_CODES[PLACEMENT]) | unknown | (start <= end)
    if c.measure_type == matching.DETENTION:
        admits = (v.col("measures") & MEASURE_BITS[matching.DETENTION]) != 0
        ok &= (kind != KIND_CODES[OFFER]) | admits | unknown | (start > end)
    return ok


def _seats(v: View) -> Mask:
    seats = v.col("seats")
    free: Mask = (seats < 0) | (seats > 0)
    return free


def checks(v: View, c: HardConstraints) -> dict[str, Mask]:
    """One mask per hard constraint that applies (True: satisfied, or not checkable on that
    row), as matching.constraints_check; waived constraints left out."""
    found = {
        matching.AREA: _area(v, c) if matching.AREA not in c.waived else None,
        matching.INSTITUTE: _institute(v, c),
        matching.HOURS: _hours(v, c),
        matching.SHIFT: _shift(v, c),
        matching.MEASURE: _measure(v, c),
        matching.SECTORS: _sectors(v, c),
        matching.DATES: _dates(v, c),
        matching.MEASURE_END: _measure_end(v, c),
        matching.SEATS: _seats(v),
    }
    return {code: mask for code, mask in found.items() if mask is not None and code not in c.waived}


def _base(v: View, q: OpportunityQuery) -> Mask:
    """Rows of the asked kinds open to the person (matching.is_open; only published ones
    are indexed) and, for the gap analysis, teaching one of the concepts asked."""
    codes = {KIND_CODES[k] for k in q.kinds}
    kind = v.col("kind")
    if v.kinds_exact:
        mask: Mask = np.ones(len(v), dtype=bool)
    else:
        mask = np.zeros(len(v), dtype=bool)
        for code in codes:
            mask |= kind == code
    if KIND_CODES[COURSE] in codes:
        end = v.col("end")
        course = kind == KIND_CODES[COURSE]
        mask &= ~course | (end == NO_DATE) | (end >= day(q.constraints.today))
        if q.constraints.institute_id is None:  # courses inside a prison: for its detainees
            mask &= ~course | (v.col("institute") < 0)
    if q.teaches_any:
        mask &= _in_columns(v, "teaches", q.teaches_any)
    return mask


def _all(length: int, masks: Mapping[str, Mask]) -> Mask:
    found = np.ones(length, dtype=bool)
    for mask in masks.values():
        found &= mask
    return found


def selected(v: View, q: OpportunityQuery) -> Mask:
    """The rows the query selects: those every hard constraint admits (matching.admissible),
    or with `near_miss` those exactly one excludes (matching.near_miss); with `baseline`,
    less those the baseline constraints admit."""
    mask = _base(v, q)
    masks = checks(v, q.constraints)
    if q.near_miss:
        failures = np.zeros(len(v), dtype=np.int8)
        for satisfied in masks.values():
            failures += ~satisfied
        mask &= failures == 1
    else:
        mask &= _all(len(v), masks)
    if q.baseline is not None:
        mask &= ~_all(len(v), checks(v, q.baseline))
    return mask


# ------------------------------------------------------------------ scores


def _by_columns(
    segment: Segment, matrix: str, weights: Mapping[int, float], rows: IntArray, combine: str
) -> Floats:
    """For each of `rows`, the sum (or max) over the columns it holds of value × weight."""
    if not weights or not len(rows):
        return np.zeros(len(rows), dtype=np.float64)
    if len(rows) * FULL_SCAN_SHARE < len(segment):
        sub = segment.matrices[matrix][rows]
        vector = np.zeros(sub.shape[1], dtype=np.float64)
        for column, weight in weights.items():
            if 0 <= column < len(vector):
                vector[column] = weight
        product = sub.multiply(vector).tocsr()
        if combine == "sum":
            return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
        best: Floats = product.max(axis=1).toarray().ravel().astype(np.float64)
        return best
    full = np.zeros(len(segment), dtype=np.float64)
    for column, weight in weights.items():
        held, values = segment.by_column[matrix].column(column)
        weighted = values.astype(np.float64) * weight  # float32 × float would stay float32
        if combine == "sum":
            full[held] += weighted
        else:
            full[held] = np.maximum(full[held], weighted)
    return full[rows]


def skill_scores(segment: Segment, credits: Mapping[int, float], rows: IntArray) -> Floats:
    covered = _by_columns(segment, "requirements", credits, rows, "sum")
    total = np.asarray(segment.columns["req_total"][rows], dtype=np.float64)
    scores: Floats = np.divide(covered, total, out=np.zeros_like(covered), where=total > 0)
    return scores


def affinities(segment: Segment, affinity: Mapping[str, float], rows: IntArray) -> Floats:
    """The affinity of each of `rows`: the best of its sectors' (matching.affinity_of)."""
    weights = {
        i: affinity[code]
        for i, code in enumerate(segment.sector_vocab)
        if affinity.get(code, 0.0) > 0
    }
    return _by_columns(segment, "sectors", weights, rows, "max")


@dataclass(frozen=True)
class Ranked:
    """A page of rows: their keys, scores and ingredients; `total` counts every selected row."""

    total: int
    keys: IntArray
    scores: Floats
    skills: Floats
    distances: Floats | None
    affinities: Floats

    @classmethod
    def empty(cls, with_distances: bool) -> "Ranked":
        none = np.zeros(0, dtype=np.float64)
        return cls(
            0, np.zeros(0, dtype=np.int64), none, none, none if with_distances else None, none
        )

    def take(self, order: IntArray, total: int) -> "Ranked":
        distances = None if self.distances is None else self.distances[order]
        return Ranked(
            total,
            self.keys[order],
            self.scores[order],
            self.skills[order],
            distances,
            self.affinities[order],
        )


def _view(segment: Segment, q: OpportunityQuery, place_km: Floats | None) -> View:
    """The rows worth looking at: geography first (a measure's municipalities or radius),
    else the rows of the asked kinds (one slice: keys start with the kind)."""
    c = q.constraints
    if not q.near_miss and matching.AREA not in c.waived:
        if c.allowed_municipalities:
            rows = segment.by_municipality.rows_for(c.allowed_municipalities)
            return View(segment, rows, place_km)
        if c.radius_km is not None:
            if place_km is None:
                return View(segment, np.zeros(0, dtype=np.int64), place_km)
            near = np.flatnonzero(place_km <= c.radius_km)
            return View(segment, segment.by_place.rows_for(near), place_km)
    codes = sorted(KIND_CODES[kind] for kind in q.kinds)
    low = int(np.searchsorted(segment.keys, codes[0] * KEY_SPAN))
    high = int(np.searchsorted(segment.keys, (codes[-1] + 1) * KEY_SPAN))
    exact = codes == list(range(codes[0], codes[-1] + 1))
    return View(segment, slice(low, high), place_km, kinds_exact=exact)


def _top(scores: Floats, keys: IntArray, wanted: int) -> IntArray:
    """Positions of the best `wanted` scores (ties at the edge all kept), best first, equal
    scores by key."""
    if 0 < wanted < len(scores):
        threshold = -np.partition(-scores, wanted - 1)[wanted - 1]
        best = np.flatnonzero(scores >= threshold)  # every tie at the edge: stable pages
    else:
        best = np.arange(len(scores))
    order: IntArray = best[np.lexsort((keys[best], -scores[best]))]
    return order


def _interesting(segment: Segment, q: OpportunityQuery) -> Mask | None:
    """Rows whose skill or affinity can be above 0 (they ask a concept the person holds or
    are in a sector the person is drawn to); None when no row can."""
    found: list[Array] = []
    for concept, value in q.credits.items():
        if value > 0:
            found.append(segment.by_column["requirements"].column(concept)[0])
    for index, code in enumerate(segment.sector_vocab):
        if q.affinity.get(code, 0.0) > 0:
            found.append(segment.by_column["sectors"].column(index)[0])
    if not found:
        return None
    flags = np.zeros(len(segment), dtype=bool)
    for rows in found:
        flags[rows] = True
    return flags


def _nearest(segment: Segment, rows: IntArray, place_km: Floats | None, wanted: int) -> IntArray:
    """Of `rows` that score on distance alone, the best `wanted` and every row tied with the
    last of them: the nearest places first (equal scores: lower keys, and rows are in key
    order)."""
    if len(rows) <= wanted:
        return rows
    if place_km is None:
        return rows[:wanted]
    places = segment.place[rows]
    counts = np.bincount(places, minlength=len(place_km))
    order = np.argsort(place_km, kind="stable")
    last = int(np.searchsorted(np.cumsum(counts[order]), wanted))
    near: IntArray = rows[place_km[places] <= place_km[order[last]]]
    return near


def _scored(
    segment: Segment, q: OpportunityQuery, rows: IntArray, place_km: Floats | None, wanted: int
) -> Ranked:
    """The best `wanted` of the selected `rows` (ties at the edge kept), scored. Rows with
    no skill and no affinity differ by distance only: of those, only the nearest are
    scored."""
    if not wanted or not len(rows):
        return Ranked.empty(place_km is not None).take(np.zeros(0, dtype=np.int64), len(rows))
    interesting = _interesting(segment, q)
    if interesting is None:
        candidates, plain = np.zeros(0, dtype=np.int64), rows
    else:
        flags = interesting[rows]
        candidates, plain = rows[flags], rows[~flags]
    total = len(rows)
    skill = skill_scores(segment, q.credits, candidates)
    affinity = affinities(segment, q.affinity, candidates)
    picked = _nearest(segment, plain, place_km, wanted)
    rows = np.concatenate([candidates, picked])
    nothing = np.zeros(len(picked), dtype=np.float64)
    skill, affinity = np.concatenate([skill, nothing]), np.concatenate([affinity, nothing])
    score = matching.SKILL_WEIGHT * skill + matching.AFFINITY_WEIGHT * affinity
    km = None
    if place_km is not None:
        km = place_km[segment.place[rows]]
        score += matching.DISTANCE_WEIGHT * np.exp(-km / matching.DISTANCE_SCALE_KM)
    keys = np.asarray(segment.keys[rows])
    ranked = Ranked(total, keys, score, skill, km, affinity)
    return ranked.take(_top(score, keys, wanted), total)


def rank_segment(
    segment: Segment, q: OpportunityQuery, dead: IntArray, restrict: IntArray | None
) -> Ranked:
    """The best offset + limit rows of one segment (ties at the edge kept) and the total;
    `dead` rows do not count, `restrict` (keys) keeps only those rows."""
    if not len(segment):
        return Ranked.empty(q.origin is not None)
    place_km = place_distances(segment, q.origin) if q.origin is not None else None
    view = _view(segment, q, place_km)
    mask = selected(view, q)
    if len(dead):
        mask &= ~view.member(dead)
    if restrict is not None:
        mask &= view.member(segment.rows_of(restrict))
    return _scored(segment, q, view.absolute(mask), place_km, q.offset + q.limit)


def rank(features: Features, q: OpportunityQuery, restrict: IntArray | None = None) -> Ranked:
    """The page of selected opportunities, best score first (ties: lower key first), over
    the base (less the rows the delta shadows) and the delta."""
    parts = [rank_segment(features.base, q, features.dead, restrict)]
    if len(features.delta):
        parts.append(rank_segment(features.delta, q, np.zeros(0, dtype=np.int64), restrict))
    if len(parts) == 1:
        merged = parts[0]
    else:
        distances = (
            None
            if q.origin is None
            else np.concatenate([p.distances for p in parts if p.distances is not None])
        )
        merged = Ranked(
            sum(p.total for p in parts),
            np.concatenate([p.keys for p in parts]),
            np.concatenate([p.scores for p in parts]),
            np.concatenate([p.skills for p in parts]),
            distances,
            np.concatenate([p.affinities for p in parts]),
        )
        order = np.lexsort((merged.keys, -merged.scores))
        merged = merged.take(order, merged.total)
    page = np.arange(len(merged.keys))[q.offset : q.offset + q.limit]
    return merged.take(page, merged.total)
