"""Opportunity features as numpy columns and scipy sparse skill vectors, for the embedded
backend: the hard constraints become boolean masks and the formula a sparse product.

One row per opportunity, sorted by key; saved as one .npz file (no pickle) beside the
tantivy index. Mirrors search.matching rule by rule; tests compare the two.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from search import matching
from search.types import (
    COURSE,
    KIND_CODES,
    MEASURE_TYPES,
    OFFER,
    PLACEMENT,
    HardConstraints,
    OpportunityDoc,
    OpportunityQuery,
)

EPOCH = datetime.date(1970, 1, 1)
NO_DATE = np.iinfo(np.int32).min
MEASURE_BITS = {code: 1 << index for index, code in enumerate(MEASURE_TYPES)}
PLACEMENT_BITS = sum(MEASURE_BITS[code] for code in matching.PLACEMENT_MEASURES)
DENSE = (
    "keys",
    "kind",
    "municipality",
    "lat",
    "lon",
    "start",
    "end",
    "hours",
    "seats",
    "measures",
    "institute",
    "req_total",
    "shift_start",
    "shift_end",
)
ADDED_LATER = {"shift_start": -1, "shift_end": -1}
"""Columns an index written before they existed lacks: read as unknown (rebuild to fill)."""
SPARSE = ("sectors", "requirements", "teaches")
Array = npt.NDArray[Any]
Mask = npt.NDArray[np.bool_]


def day(value: datetime.date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def _csr(rows: Sequence[Sequence[tuple[int, float]]], width: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(row) for row in rows])
    indices = np.fromiter((c for row in rows for c, _v in row), dtype=np.int32, count=indptr[-1])
    data = np.fromiter((v for row in rows for _c, v in row), dtype=np.float32, count=indptr[-1])
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def _widen(matrix: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    if matrix.shape[1] >= width:
        return matrix
    return sparse.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width)
    )


@dataclass
class OpportunityFeatures:
    dense: dict[str, Array]
    sparse: dict[str, sparse.csr_matrix]
    sector_vocab: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.dense["keys"])

    @classmethod
    def empty(cls) -> "OpportunityFeatures":
        return cls.from_docs([])

    @classmethod
    def from_docs(
        cls, docs: Sequence[OpportunityDoc], sector_vocab: tuple[str, ...] = ()
    ) -> "OpportunityFeatures":
        vocab = list(sector_vocab)
        for code in sorted({code for doc in docs for code in doc.sectors} - set(vocab)):
            vocab.append(code)
        position = {code: index for index, code in enumerate(vocab)}
        dense: dict[str, Array] = {
            "keys": np.array([doc.key for doc in docs], dtype=np.int64),
            "kind": np.array([KIND_CODES[doc.kind] for doc in docs], dtype=np.int8),
            "municipality": np.array([doc.municipality_id for doc in docs], dtype=np.int64),
            "lat": np.radians(np.array([doc.latitude for doc in docs], dtype=np.float64)),
            "lon": np.radians(np.array([doc.longitude for doc in docs], dtype=np.float64)),
            "start": np.array([day(doc.start_date) for doc in docs], dtype=np.int32),
            "end": np.array([day(doc.end_date) for doc in docs], dtype=np.int32),
            "hours": np.array([_or(doc.weekly_hours) for doc in docs], dtype=np.int32),
            "seats": np.array([_or(doc.seats_available) for doc in docs], dtype=np.int32),
            "measures": np.array([_bits(doc.measures) for doc in docs], dtype=np.int32),
            "institute": np.array([_or(doc.institute_id) for doc in docs], dtype=np.int64),
            "req_total": np.array(
                [
                    sum(matching.requirement_weight(r.essential) for r in doc.requirements)
                    for doc in docs
                ],
                dtype=np.float32,
            ),
            "shift_start": np.array([_or(doc.shift_start) for doc in docs], dtype=np.int32),
            "shift_end": np.array([_or(doc.shift_end) for doc in docs], dtype=np.int32),
        }
        width = 1 + max((r.concept_id for d in docs for r in d.requirements), default=0)
        taught = 1 + max((c for d in docs for c in d.teaches), default=0)
        matrices = {
            "sectors": _csr([[(position[c], 1.0) for c in d.sectors] for d in docs], len(vocab)),
            "requirements": _csr(
                [
                    [
                        (r.concept_id, matching.requirement_weight(r.essential))
                        for r in d.requirements
                    ]
                    for d in docs
                ],
                width,
            ),
            "teaches": _csr([[(c, 1.0) for c in d.teaches] for d in docs], taught),
        }
        return cls(dense, matrices, tuple(vocab)).sorted()

    def take(self, rows: npt.NDArray[np.intp] | Mask) -> "OpportunityFeatures":
        dense = {name: values[rows] for name, values in self.dense.items()}
        matrices = {name: matrix[rows] for name, matrix in self.sparse.items()}
        return OpportunityFeatures(dense, matrices, self.sector_vocab)

    def sorted(self) -> "OpportunityFeatures":
        """Sorted by key; of rows sharing a key, the last one added wins."""
        keys = self.dense["keys"][::-1]
        _unique, first = np.unique(keys, return_index=True)
        return self.take(len(keys) - 1 - first)

    def merged(
        self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]
    ) -> "OpportunityFeatures":
        """These features with `docs` added or replaced and `deleted` keys removed."""
        fresh = OpportunityFeatures.from_docs(docs, self.sector_vocab)
        gone = np.array([*deleted, *(doc.key for doc in docs)], dtype=np.int64)
        kept = self.take(~np.isin(self.dense["keys"], gone))
        return concat([kept, fresh])

    def save(self, path: Path) -> None:
        arrays: dict[str, Array] = dict(self.dense)
        for name, matrix in self.sparse.items():
            arrays[f"{name}__data"] = matrix.data
            arrays[f"{name}__indices"] = matrix.indices
            arrays[f"{name}__indptr"] = matrix.indptr
            arrays[f"{name}__shape"] = np.array(matrix.shape, dtype=np.int64)
        arrays["sector_vocab"] = np.array(self.sector_vocab, dtype=np.str_)
        temporary = path.with_name(path.name + ".tmp.npz")
        np.savez(temporary, **arrays)  # type: ignore[arg-type]
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> "OpportunityFeatures":
        if not path.exists():
            return cls.empty()
        with np.load(path, allow_pickle=False) as data:
            dense = {name: data[name] for name in DENSE if name in data.files}
            rows = len(dense["keys"])
            for name, unknown in ADDED_LATER.items():
                dense.setdefault(name, np.full(rows, unknown, dtype=np.int32))
            matrices = {
                name: sparse.csr_matrix(
                    (data[f"{name}__data"], data[f"{name}__indices"], data[f"{name}__indptr"]),
                    shape=tuple(data[f"{name}__shape"]),
                )
                for name in SPARSE
            }
            vocab = tuple(str(code) for code in data["sector_vocab"])
        return cls(dense, matrices, vocab)


def _or(value: int | None) -> int:
    return -1 if value is None else value


def _bits(measures: Sequence[str]) -> int:
    return sum(MEASURE_BITS.get(code, 0) for code in set(measures))


def concat(parts: Sequence[OpportunityFeatures]) -> OpportunityFeatures:
    vocab: list[str] = []
    for part in parts:
        vocab += [code for code in part.sector_vocab if code not in vocab]
    dense = {name: np.concatenate([p.dense[name] for p in parts]) for name in DENSE}
    matrices = {}
    for name in SPARSE:
        pieces = [_remap(p, vocab) if name == "sectors" else p.sparse[name] for p in parts]
        width = max(piece.shape[1] for piece in pieces)
        matrices[name] = sparse.vstack([_widen(piece, width) for piece in pieces], format="csr")
    return OpportunityFeatures(dense, matrices, tuple(vocab)).sorted()


def _remap(part: OpportunityFeatures, vocab: list[str]) -> sparse.csr_matrix:
    position = np.array([vocab.index(code) for code in part.sector_vocab], dtype=np.int32)
    matrix = part.sparse["sectors"]
    indices = position[matrix.indices] if len(position) else matrix.indices
    return sparse.csr_matrix(
        (matrix.data, indices, matrix.indptr), shape=(matrix.shape[0], len(vocab))
    )


# ------------------------------------------------------------------ matching, vectorised


def distances_km(f: OpportunityFeatures, origin: tuple[float, float]) -> npt.NDArray[np.float64]:
    lat0, lon0 = np.radians(origin[0]), np.radians(origin[1])
    lat, lon = f.dense["lat"], f.dense["lon"]
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    km: npt.NDArray[np.float64] = (
        2 * matching.EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    )
    return km


def _area(
    f: OpportunityFeatures, c: HardConstraints, km: npt.NDArray[np.float64] | None
) -> Mask | None:
    if c.allowed_municipalities:
        return np.isin(f.dense["municipality"], np.fromiter(c.allowed_municipalities, np.int64))
    if c.radius_km is not None:
        return np.zeros(len(f), dtype=bool) if km is None else km <= c.radius_km
    return None


def _institute(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if c.institute_id is None:
        return None
    inside: Mask = (f.dense["kind"] != KIND_CODES[COURSE]) | (
        f.dense["institute"] == c.institute_id
    )
    return inside


def _hours(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if c.max_weekly_hours is None:
        return None
    hours = f.dense["hours"]
    within: Mask = (hours < 0) | (hours <= c.max_weekly_hours)
    return within


def _shift(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if c.daily_start is None and c.daily_end is None:
        return None
    start, end = f.dense["shift_start"], f.dense["shift_end"]
    inside = end > start
    if c.daily_start is not None:
        inside &= start >= c.daily_start
    if c.daily_end is not None:
        inside &= end <= c.daily_end
    unknown = (start < 0) | (end < 0)
    found: Mask = unknown | inside
    return found


def _measure(f: OpportunityFeatures, c: HardConstraints) -> Mask:
    kind, measures = f.dense["kind"], f.dense["measures"]
    bit = MEASURE_BITS.get(c.measure_type, 0)
    held = (measures & bit) != 0
    placements = held if bit & PLACEMENT_BITS else np.zeros(len(f), dtype=bool)
    offers = (measures == 0) | held
    return np.where(
        kind == KIND_CODES[PLACEMENT], placements, np.where(kind == KIND_CODES[OFFER], offers, True)
    )


def _sectors(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if not c.avoid_sectors:
        return None
    columns = [i for i, code in enumerate(f.sector_vocab) if code in c.avoid_sectors]
    if not columns:
        return np.ones(len(f), dtype=bool)
    hits = np.asarray(f.sparse["sectors"][:, columns].sum(axis=1)).ravel()
    clear: Mask = hits == 0
    return clear


def _dates(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if c.available_from is None:
        return None
    start = f.dense["start"]
    after: Mask = (start == NO_DATE) | (start >= day(c.available_from))
    return after


def _measure_end(f: OpportunityFeatures, c: HardConstraints) -> Mask | None:
    if c.measure_end is None:
        return None
    kind, start, end = f.dense["kind"], f.dense["start"], day(c.measure_end)
    unknown = start == NO_DATE
    ok = (kind != KIND_CODES[PLACEMENT]) | unknown | (start <= end)
    if c.measure_type == matching.DETENTION:
        admits = (f.dense["measures"] & MEASURE_BITS[matching.DETENTION]) != 0
        ok &= (kind != KIND_CODES[OFFER]) | admits | unknown | (start > end)
    mask: Mask = ok
    return mask


def _seats(f: OpportunityFeatures) -> Mask:
    seats = f.dense["seats"]
    free: Mask = (seats < 0) | (seats > 0)
    return free


def checks(
    f: OpportunityFeatures, c: HardConstraints, km: npt.NDArray[np.float64] | None
) -> dict[str, Mask]:
    """One mask per hard constraint that applies (True: satisfied, or not checkable on that
    row), as matching.constraints_check; waived constraints left out."""
    found = {
        matching.AREA: _area(f, c, km),
        matching.INSTITUTE: _institute(f, c),
        matching.HOURS: _hours(f, c),
        matching.SHIFT: _shift(f, c),
        matching.MEASURE: _measure(f, c),
        matching.SECTORS: _sectors(f, c),
        matching.DATES: _dates(f, c),
        matching.MEASURE_END: _measure_end(f, c),
        matching.SEATS: _seats(f),
    }
    return {code: mask for code, mask in found.items() if mask is not None and code not in c.waived}


def _base(f: OpportunityFeatures, q: OpportunityQuery) -> Mask:
    """Rows of the asked kinds that are open to the person (matching.is_open; only published
    ones are indexed) and, for the gap analysis, teach one of the concepts asked."""
    kind, end = f.dense["kind"], f.dense["end"]
    mask = np.isin(kind, [KIND_CODES[k] for k in q.kinds])
    mask &= (kind != KIND_CODES[COURSE]) | (end == NO_DATE) | (end >= day(q.constraints.today))
    if q.constraints.institute_id is None:  # courses inside a prison are for its detainees
        mask &= (kind != KIND_CODES[COURSE]) | (f.dense["institute"] < 0)
    if q.teaches_any:
        teaches = f.sparse["teaches"]
        columns = [c for c in q.teaches_any if c < teaches.shape[1]]
        mask &= np.asarray(teaches[:, columns].sum(axis=1)).ravel() > 0
    return mask


def _all(f: OpportunityFeatures, masks: dict[str, Mask]) -> Mask:
    found = np.ones(len(f), dtype=bool)
    for mask in masks.values():
        found &= mask
    return found


def admissible(
    f: OpportunityFeatures, q: OpportunityQuery, km: npt.NDArray[np.float64] | None
) -> Mask:
    """The rows the query selects: those every hard constraint admits (matching.admissible),
    or with `near_miss` those exactly one excludes (matching.near_miss); with `baseline`,
    less those the baseline constraints admit."""
    mask = _base(f, q)
    masks = checks(f, q.constraints, km)
    if q.near_miss:
        failures = np.zeros(len(f), dtype=np.int16)
        for satisfied in masks.values():
            failures += ~satisfied
        mask &= failures == 1
    else:
        mask &= _all(f, masks)
    if q.baseline is not None:
        mask &= ~_all(f, checks(f, q.baseline, km))
    return mask


def affinities(
    f: OpportunityFeatures, affinity: dict[str, float], rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """The affinity of each of `rows`: the best of its sectors' (matching.affinity_of)."""
    vector = np.array([affinity.get(code, 0.0) for code in f.sector_vocab], dtype=np.float64)
    if not len(rows) or not vector.any():
        return np.zeros(len(rows), dtype=np.float64)
    weighted = f.sparse["sectors"][rows].multiply(vector).tocsr()
    best: npt.NDArray[np.float64] = weighted.max(axis=1).toarray().ravel().astype(np.float64)
    return best


def skill_scores(f: OpportunityFeatures, credits: dict[int, float]) -> npt.NDArray[np.float64]:
    matrix = f.sparse["requirements"]
    vector = np.zeros(matrix.shape[1], dtype=np.float64)
    for concept_id, value in credits.items():
        if concept_id < len(vector):
            vector[concept_id] = value
    covered = matrix @ vector
    total = f.dense["req_total"].astype(np.float64)
    scores: npt.NDArray[np.float64] = np.divide(
        covered, total, out=np.zeros_like(covered), where=total > 0
    )
    return scores


@dataclass(frozen=True)
class RankedRows:
    total: int
    rows: npt.NDArray[np.intp]
    scores: npt.NDArray[np.float64]
    skills: npt.NDArray[np.float64]
    distances: npt.NDArray[np.float64] | None
    affinities: npt.NDArray[np.float64]


def rank(f: OpportunityFeatures, q: OpportunityQuery, restrict: Mask | None = None) -> RankedRows:
    """The page of admissible rows, best score first (ties: lower key first)."""
    km = distances_km(f, q.origin) if q.origin is not None and len(f) else None
    mask = admissible(f, q, km)
    if restrict is not None:
        mask &= restrict
    candidates = np.flatnonzero(mask)
    skill = skill_scores(f, dict(q.credits))[candidates]
    near = (
        np.zeros(len(candidates))
        if km is None
        else np.exp(-km[candidates] / matching.DISTANCE_SCALE_KM)
    )
    affinity = affinities(f, dict(q.affinity), candidates)
    score = (
        matching.SKILL_WEIGHT * skill
        + matching.DISTANCE_WEIGHT * near
        + matching.AFFINITY_WEIGHT * affinity
    )
    wanted = min(q.offset + q.limit, len(candidates))
    if 0 < wanted < len(candidates):
        threshold = -np.partition(-score, wanted - 1)[wanted - 1]
        best = np.flatnonzero(score >= threshold)  # every tie at the edge: stable pages
    else:
        best = np.arange(len(candidates))
    order = best[np.lexsort((f.dense["keys"][candidates[best]], -score[best]))]
    page = order[q.offset : q.offset + q.limit]
    return RankedRows(
        total=len(candidates),
        rows=candidates[page],
        scores=score[page],
        skills=skill[page],
        distances=None if km is None else km[candidates[page]],
        affinities=affinity[page],
    )
