"""Opportunity features of the embedded backend: numpy columns per opportunity, sparse
skill, sector and teaching matrices, and the indexes that let a query read only the rows
it can select (rows by municipality, rows by place, opportunities by concept and sector).

Features live in segments. The *base* segment is written whole by a rebuild or a merge, one
.npy file per array, and memory-mapped by every process: opening it reads nothing, and the
pages are shared by all the processes of a host. The *delta* segment holds what was written
since (rows added or replaced, keys deleted), in one small file that names the base it
applies to: a write rewrites the delta only, and readers reload it when its stamp changes.
Past MERGE_ROWS rows, a merge folds the delta into a new base (search.backends.embedded
runs it in the background). Rows are sorted by key; search.backends._select ranks them.
"""

import datetime
import json
import os
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from search import matching
from search.types import KIND_CODES, MEASURE_TYPES, OpportunityDoc

EPOCH = datetime.date(1970, 1, 1)
NO_DATE = np.iinfo(np.int32).min
MEASURE_BITS = {code: 1 << index for index, code in enumerate(MEASURE_TYPES)}
PLACEMENT_BITS = sum(MEASURE_BITS[code] for code in matching.PLACEMENT_MEASURES)
COLUMNS = {
    "keys": np.int64,
    "kind": np.int8,
    "municipality": np.int64,
    "lat": np.float64,
    "lon": np.float64,
    "start": np.int32,
    "end": np.int32,
    "hours": np.int32,
    "seats": np.int32,
    "measures": np.int32,
    "institute": np.int64,
    "req_total": np.float32,
    "shift_start": np.int32,
    "shift_end": np.int32,
}
"""One value per row: latitude and longitude in radians; -1 (NO_DATE for dates) unknown."""
MATRICES = ("requirements", "sectors", "teaches")
"""Sparse rows: requirement weights by concept, sectors (by vocabulary position), concepts
taught."""
MERGE_ROWS = 2000
"""Rows (written or deleted) in the delta past which it is merged into a new base."""
DELTA, BASE_PREFIX, LEGACY = "delta.npz", "base-", "opportunities.npz"
Array = npt.NDArray[Any]
IntArray = npt.NDArray[np.int64]


def day(value: datetime.date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def _or(value: int | None) -> int:
    return -1 if value is None else value


def _bits(measures: Iterable[str]) -> int:
    return sum(MEASURE_BITS.get(code, 0) for code in set(measures))


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


@dataclass(frozen=True)
class Group:
    """Rows grouped by a value: the rows holding `values[i]` are
    `rows[starts[i]:starts[i + 1]]` (ascending)."""

    values: Array
    starts: IntArray
    rows: IntArray

    @classmethod
    def of(cls, column: Array) -> "Group":
        order = np.argsort(column, kind="stable")
        values, starts = np.unique(column[order], return_index=True)
        bounds = np.append(starts, len(column)).astype(np.int64)
        return cls(values, bounds, order.astype(np.int64))

    def rows_for(self, wanted: Iterable[Any]) -> IntArray:
        """The rows holding any of the `wanted` values, ascending."""
        found = np.asarray(sorted(set(wanted)), dtype=self.values.dtype)
        if not len(found) or not len(self.values):
            return np.zeros(0, dtype=np.int64)
        position = np.searchsorted(self.values, found)
        inside = position < len(self.values)
        position, found = position[inside], found[inside]
        position = position[self.values[position] == found]
        parts = [self.rows[self.starts[p] : self.starts[p + 1]] for p in position]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def distinct_places(lat: Array, lon: Array) -> tuple[IntArray, tuple[Array, Array]]:
    """Each row's place and the places (distinct coordinates, by latitude then longitude;
    a row without coordinates is a place of its own): np.unique(axis=0) by sorting the two
    float columns instead of rows compared as records (6× faster at 1M)."""
    if not len(lat):
        return np.zeros(0, dtype=np.int64), (np.zeros(0), np.zeros(0))
    order = np.lexsort((lon, lat))
    lat, lon = lat[order], lon[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (lat[1:] != lat[:-1]) | (lon[1:] != lon[:-1])
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.cumsum(new) - 1
    return place, (np.ascontiguousarray(lat[new]), np.ascontiguousarray(lon[new]))


@dataclass(frozen=True)
class Columns:
    """Rows of a sparse matrix read by column: the rows holding column `c`, with their
    values, are `rows[indptr[c]:indptr[c + 1]]`, `data[...]`."""

    indptr: IntArray
    rows: Array
    data: Array

    @classmethod
    def of(cls, matrix: sparse.csr_matrix) -> "Columns":
        by_column = matrix.tocsc()
        by_column.sort_indices()
        return cls(by_column.indptr.astype(np.int64), by_column.indices, by_column.data)

    def column(self, index: int) -> tuple[Array, Array]:
        if index < 0 or index + 1 >= len(self.indptr):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        start, end = self.indptr[index], self.indptr[index + 1]
        return self.rows[start:end], self.data[start:end]


@dataclass
class Segment:
    """Rows sorted by key, with what _select needs to read only the rows a query can pick:
    the places (distinct coordinates) and each row's place, rows grouped by municipality
    and by place, and the matrices read by column. The indexes are built on first use (a
    rebuild's chunks never need them) or read with a stored base."""

    columns: dict[str, Array]
    matrices: dict[str, sparse.csr_matrix]
    sector_vocab: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.columns["keys"])

    @property
    def keys(self) -> IntArray:
        return self.columns["keys"]

    @cached_property
    def _places(self) -> tuple[IntArray, tuple[Array, Array]]:
        return distinct_places(self.columns["lat"], self.columns["lon"])

    @cached_property
    def place(self) -> IntArray:
        """Each row's place: an index into `places`."""
        return self._places[0]

    @cached_property
    def places(self) -> tuple[Array, Array]:
        """The distinct coordinates of the rows (latitudes, longitudes in radians)."""
        return self._places[1]

    @cached_property
    def by_municipality(self) -> Group:
        return Group.of(self.columns["municipality"])

    @cached_property
    def by_place(self) -> Group:
        return Group.of(self.place)

    @cached_property
    def by_column(self) -> dict[str, Columns]:
        return {name: Columns.of(self.matrices[name]) for name in MATRICES}

    # ------------------------------------------------------------ building

    @classmethod
    def empty(cls) -> "Segment":
        return cls.from_docs([])

    @classmethod
    def from_docs(
        cls, docs: Sequence[OpportunityDoc], sector_vocab: tuple[str, ...] = ()
    ) -> "Segment":
        vocab = list(sector_vocab)
        for code in sorted({code for doc in docs for code in doc.sectors} - set(vocab)):
            vocab.append(code)
        position = {code: index for index, code in enumerate(vocab)}
        values: dict[str, list[Any]] = {
            "keys": [d.key for d in docs],
            "kind": [KIND_CODES[d.kind] for d in docs],
            "municipality": [d.municipality_id for d in docs],
            "lat": [d.latitude for d in docs],
            "lon": [d.longitude for d in docs],
            "start": [day(d.start_date) for d in docs],
            "end": [day(d.end_date) for d in docs],
            "hours": [_or(d.weekly_hours) for d in docs],
            "seats": [_or(d.seats_available) for d in docs],
            "measures": [_bits(d.measures) for d in docs],
            "institute": [_or(d.institute_id) for d in docs],
            "req_total": [
                sum(matching.requirement_weight(r.essential) for r in d.requirements) for d in docs
            ],
            "shift_start": [_or(d.shift_start) for d in docs],
            "shift_end": [_or(d.shift_end) for d in docs],
        }
        columns = {name: np.array(values[name], dtype=dtype) for name, dtype in COLUMNS.items()}
        columns["lat"], columns["lon"] = np.radians(columns["lat"]), np.radians(columns["lon"])
        width = 1 + max((r.concept_id for d in docs for r in d.requirements), default=0)
        taught = 1 + max((c for d in docs for c in d.teaches), default=0)
        weight = {essential: matching.requirement_weight(essential) for essential in (True, False)}
        matrices = {
            "requirements": _csr(
                [[(r.concept_id, weight[r.essential]) for r in d.requirements] for d in docs], width
            ),
            "sectors": _csr([[(position[c], 1.0) for c in d.sectors] for d in docs], len(vocab)),
            "teaches": _csr([[(c, 1.0) for c in d.teaches] for d in docs], taught),
        }
        return _sorted(columns, matrices, tuple(vocab))

    def take(self, rows: Array) -> "Segment":
        columns = {name: np.asarray(values[rows]) for name, values in self.columns.items()}
        matrices = {name: matrix[rows] for name, matrix in self.matrices.items()}
        return Segment(columns, matrices, self.sector_vocab)

    def without(self, keys: Array) -> "Segment":
        """This segment less the rows holding `keys`."""
        if not len(keys) or not len(self):
            return self
        return self.take(np.flatnonzero(~np.isin(self.keys, keys)))

    def rows_of(self, keys: Array) -> IntArray:
        """The rows holding any of `keys` (the keys are sorted: a binary search each)."""
        keys = np.asarray(keys, dtype=np.int64)
        if not len(keys) or not len(self):
            return np.zeros(0, dtype=np.int64)
        position = np.searchsorted(self.keys, keys)
        position = position[position < len(self)]
        return np.unique(position[np.isin(self.keys[position], keys)]).astype(np.int64)

    # ------------------------------------------------------------ files

    def save_base(self, directory: Path) -> None:
        """Write every array as its own .npy (memory-mapped when read) and a meta.json."""
        temporary = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir(parents=True)
        for name, values in _arrays(self).items():
            np.save(temporary / f"{name}.npy", np.ascontiguousarray(values))
        meta = {
            "rows": len(self),
            "sector_vocab": list(self.sector_vocab),
            "shapes": {name: list(m.shape) for name, m in self.matrices.items()},
        }
        (temporary / "meta.json").write_text(json.dumps(meta))
        temporary.rename(directory)

    @classmethod
    def load_base(cls, directory: Path) -> "Segment":
        meta = json.loads((directory / "meta.json").read_text())

        def read(name: str) -> Array:
            mapped = np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            array: Array = mapped.view(
                np.ndarray
            )  # the same pages, without np.memmap's slow indexing
            return array

        columns = {name: read(f"col.{name}") for name in COLUMNS}
        matrices = {
            name: sparse.csr_matrix(
                (read(f"csr.{name}.data"), read(f"csr.{name}.indices"), read(f"csr.{name}.indptr")),
                shape=tuple(meta["shapes"][name]),
            )
            for name in MATRICES
        }
        segment = cls(columns, matrices, tuple(meta["sector_vocab"]))
        segment.__dict__.update(
            {
                "place": read("place"),
                "places": (read("places.lat"), read("places.lon")),
                "by_municipality": Group(
                    read("municipality.values"),
                    read("municipality.starts"),
                    read("municipality.rows"),
                ),
                "by_place": Group(
                    read("byplace.values"), read("byplace.starts"), read("byplace.rows")
                ),
                "by_column": {
                    name: Columns(
                        read(f"csc.{name}.indptr"),
                        read(f"csc.{name}.rows"),
                        read(f"csc.{name}.data"),
                    )
                    for name in MATRICES
                },
            }
        )
        return segment

    def small_arrays(self) -> dict[str, Array]:
        """The primary arrays only (a delta: its indexes are rebuilt when read)."""
        arrays = {f"col.{name}": values for name, values in self.columns.items()}
        for name, matrix in self.matrices.items():
            arrays.update(_csr_arrays(name, matrix))
        arrays["sector_vocab"] = np.array(self.sector_vocab, dtype=np.str_)
        return arrays

    @classmethod
    def from_small_arrays(cls, data: Any) -> "Segment":
        columns = {name: np.asarray(data[f"col.{name}"]) for name in COLUMNS}
        matrices = {
            name: sparse.csr_matrix(
                (data[f"csr.{name}.data"], data[f"csr.{name}.indices"], data[f"csr.{name}.indptr"]),
                shape=tuple(data[f"csr.{name}.shape"]),
            )
            for name in MATRICES
        }
        return cls(columns, matrices, tuple(str(code) for code in data["sector_vocab"]))


def _csr_arrays(name: str, matrix: sparse.csr_matrix) -> dict[str, Array]:
    return {
        f"csr.{name}.data": matrix.data,
        f"csr.{name}.indices": matrix.indices,
        f"csr.{name}.indptr": matrix.indptr,
        f"csr.{name}.shape": np.array(matrix.shape, dtype=np.int64),
    }


def _arrays(segment: Segment) -> dict[str, Array]:
    arrays = segment.small_arrays()
    del arrays["sector_vocab"]
    arrays.update(
        {
            "place": segment.place,
            "places.lat": segment.places[0],
            "places.lon": segment.places[1],
            "municipality.values": segment.by_municipality.values,
            "municipality.starts": segment.by_municipality.starts,
            "municipality.rows": segment.by_municipality.rows,
            "byplace.values": segment.by_place.values,
            "byplace.starts": segment.by_place.starts,
            "byplace.rows": segment.by_place.rows,
        }
    )
    for name, columns in segment.by_column.items():
        arrays.update(
            {
                f"csc.{name}.indptr": columns.indptr,
                f"csc.{name}.rows": columns.rows,
                f"csc.{name}.data": columns.data,
            }
        )
    return arrays


def _sorted(
    columns: dict[str, Array], matrices: dict[str, sparse.csr_matrix], vocab: tuple[str, ...]
) -> Segment:
    """Rows sorted by key; of rows sharing a key, the last one given wins."""
    keys = columns["keys"][::-1]
    _unique, first = np.unique(keys, return_index=True)
    rows = len(keys) - 1 - first
    if len(rows) == len(keys) and np.all(rows[1:] > rows[:-1]):
        return Segment(columns, matrices, vocab)
    return Segment(
        {name: values[rows] for name, values in columns.items()},
        {name: matrix[rows] for name, matrix in matrices.items()},
        vocab,
    )


def concat(parts: Sequence[Segment]) -> Segment:
    """One segment of all the rows of `parts` (a later part's row wins on equal keys)."""
    vocab: list[str] = []
    for part in parts:
        vocab += [code for code in part.sector_vocab if code not in vocab]
    columns = {
        name: np.concatenate([np.asarray(p.columns[name]) for p in parts]) for name in COLUMNS
    }
    matrices = {}
    for name in MATRICES:
        pieces = [_remap(p, vocab) if name == "sectors" else p.matrices[name] for p in parts]
        width = max(piece.shape[1] for piece in pieces)
        matrices[name] = sparse.vstack([_widen(piece, width) for piece in pieces], format="csr")
    return _sorted(columns, matrices, tuple(vocab))


def _remap(part: Segment, vocab: list[str]) -> sparse.csr_matrix:
    position = np.array([vocab.index(code) for code in part.sector_vocab], dtype=np.int32)
    matrix = part.matrices["sectors"]
    indices = position[matrix.indices] if len(position) else matrix.indices
    return sparse.csr_matrix(
        (matrix.data, indices, matrix.indptr), shape=(matrix.shape[0], len(vocab))
    )


# ------------------------------------------------------------------ base + delta


@dataclass
class Delta:
    """What was written since the base: `rows` (added or replaced, each with the sequence
    number of its write) and `deleted` keys (with theirs), the base it applies to, and the
    last sequence number given (it never goes back, merges included)."""

    base: str
    rows: Segment
    row_seq: IntArray
    deleted: IntArray
    deleted_seq: IntArray
    seq: int = 0

    @classmethod
    def empty(cls, base: str, seq: int = 0) -> "Delta":
        none = np.zeros(0, dtype=np.int64)
        return cls(base, Segment.empty(), none, none, none, seq)

    def __len__(self) -> int:
        return len(self.rows) + len(self.deleted)

    @property
    def shadow(self) -> IntArray:
        """Keys whose base rows no longer count (replaced or deleted)."""
        return np.union1d(self.rows.keys, self.deleted).astype(np.int64)

    def written(self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]) -> "Delta":
        """This delta with `docs` added or replaced and `deleted` keys removed."""
        seq = self.seq + 1
        fresh = Segment.from_docs(docs, self.rows.sector_vocab)
        gone = np.array([*deleted, *(doc.key for doc in docs)], dtype=np.int64)
        kept = np.flatnonzero(~np.isin(self.rows.keys, gone))
        rows = concat([self.rows.take(kept), fresh])
        row_seq = np.where(
            np.isin(rows.keys, fresh.keys), seq, _seq_of(self.rows.keys, self.row_seq, rows.keys)
        )
        removed = np.array(sorted(set(deleted)), dtype=np.int64)
        old = ~np.isin(self.deleted, fresh.keys) & ~np.isin(self.deleted, removed)
        deleted_keys = np.concatenate([self.deleted[old], removed])
        deleted_seq = np.concatenate([self.deleted_seq[old], np.full(len(removed), seq)])
        return Delta(
            self.base,
            rows,
            row_seq.astype(np.int64),
            deleted_keys,
            deleted_seq.astype(np.int64),
            seq,
        )

    def after(self, seq: int, base: str) -> "Delta":
        """The entries written after `seq`, applied to `base` (what a merge leaves)."""
        newer = np.flatnonzero(self.row_seq > seq)
        later = self.deleted_seq > seq
        return Delta(
            base,
            self.rows.take(newer),
            self.row_seq[newer],
            self.deleted[later],
            self.deleted_seq[later],
            self.seq,
        )

    def save(self, path: Path) -> None:
        arrays = self.rows.small_arrays()
        arrays.update(
            {
                "base": np.array(self.base),
                "row_seq": self.row_seq,
                "deleted": self.deleted,
                "deleted_seq": self.deleted_seq,
                "seq": np.array(self.seq, dtype=np.int64),
            }
        )
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        with temporary.open("wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fdatasync(handle.fileno())  # a write the caller was told of is on disk
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Delta | None":
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    str(data["base"]),
                    Segment.from_small_arrays(data),
                    data["row_seq"],
                    data["deleted"],
                    data["deleted_seq"],
                    int(data["seq"]),
                )
        except FileNotFoundError:
            return None


def _seq_of(keys: IntArray, seqs: IntArray, wanted: IntArray) -> IntArray:
    """The sequence number of each of `wanted` among (keys, seqs); 0 where absent."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    position = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
    return np.where(keys[position] == wanted, seqs[position], 0)


@dataclass
class Features:
    """The live opportunity features: a base segment, a delta, and the base rows the
    delta shadows (`dead`)."""

    base: Segment
    delta: Segment
    dead: IntArray

    @classmethod
    def of(cls, base: Segment, delta: Delta) -> "Features":
        return cls(base, delta.rows, base.rows_of(delta.shadow))

    @classmethod
    def from_docs(cls, docs: Sequence[OpportunityDoc]) -> "Features":
        return cls(Segment.from_docs(docs), Segment.empty(), np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.base) - len(self.dead) + len(self.delta)


class FeatureStore:
    """The features directory of a generation: base segments and the delta naming one.

    Writers hold the backend's lock; readers take none: `current` notices a new delta by
    its stamp and reopens the base it names (memory-mapped) only when that changed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stamp: tuple[int, int, int] | None = None
        self._bases: dict[str, Segment] = {}
        self._features: tuple[Features, Delta] | None = None
        self._delta: tuple[tuple[int, int, int], Delta] | None = None

    @property
    def delta_path(self) -> Path:
        return self.directory / DELTA

    def _stamp_now(self) -> tuple[int, int, int]:
        try:
            found = self.delta_path.stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (found.st_mtime_ns, found.st_ino, found.st_size)

    def current(self) -> Features:
        return self.snapshot()[0]

    def snapshot(self) -> tuple[Features, Delta]:
        """The live features and the delta they were made with."""
        stamp = self._stamp_now()
        if self._features is None or stamp != self._stamp:
            delta = self.read_delta()
            self._features = (Features.of(self.base(delta.base), delta), delta)
            self._stamp = stamp
        return self._features

    def read_delta(self) -> Delta:
        """The delta on disk, read again only when its stamp changed (a publish reads it
        and writes it back; in the process that published last it is already here)."""
        stamp = self._stamp_now()
        if self._delta is not None and self._delta[0] == stamp:
            return self._delta[1]
        delta = Delta.load(self.delta_path)
        if delta is None:
            legacy = self.directory.parent / LEGACY
            delta = Delta.empty(LEGACY if legacy.exists() else "")
        self._delta = (stamp, delta)
        return delta

    def base(self, name: str) -> Segment:
        if name not in self._bases:
            self._bases = {name: self._open(name)}  # the previous one is dropped
        return self._bases[name]

    def _open(self, name: str) -> Segment:
        if not name:
            return Segment.empty()
        if name == LEGACY:
            return _legacy(self.directory.parent / LEGACY)
        return Segment.load_base(self.directory / name)

    # ------------------------------------------------------------ writes (under the lock)

    def write(self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]) -> Delta:
        """Record a write in the delta; returns the new delta (its size says when to merge)."""
        delta = self.read_delta().written(docs, deleted)
        self.directory.mkdir(parents=True, exist_ok=True)
        delta.save(self.delta_path)
        self._delta = (self._stamp_now(), delta)
        return delta

    def publish_base(self, segment: Segment) -> None:
        """A complete new base (a rebuild), with an empty delta."""
        name = self._new_base(segment)
        Delta.empty(name, self.read_delta().seq).save(self.delta_path)
        self.prune({name})

    def _new_base(self, segment: Segment) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{BASE_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**9:09d}"
        segment.save_base(self.directory / name)
        return name

    def merged_base(self, delta: Delta) -> str:
        """Write a new base: the delta's base with `delta` folded in (no lock needed: the
        inputs are immutable files; the caller swaps it in under the lock)."""
        base = self._open(delta.base)
        merged = concat([base.without(delta.shadow), delta.rows])
        return self._new_base(merged)

    def swap_base(self, name: str, merged_seq: int) -> None:
        """Under the lock: the delta now applies to base `name`, less what it holds."""
        current = self.read_delta()
        current.after(merged_seq, name).save(self.delta_path)
        self.prune({name, current.base})

    def prune(self, keep: set[str]) -> None:
        """Delete the other bases (a reader still on one keeps its mapped pages)."""
        for path in self.directory.glob(f"{BASE_PREFIX}*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _legacy(path: Path) -> Segment:
    """The single .npz file of indexes written before segments (read whole)."""
    with np.load(path, allow_pickle=False) as data:
        rows = len(data["keys"])
        columns = {
            name: (np.asarray(data[name]) if name in data.files else np.full(rows, -1, dtype=dtype))
            for name, dtype in COLUMNS.items()
        }
        matrices = {
            name: sparse.csr_matrix(
                (data[f"{name}__data"], data[f"{name}__indices"], data[f"{name}__indptr"]),
                shape=tuple(data[f"{name}__shape"]),
            )
            for name in MATRICES
        }
        vocab = tuple(str(code) for code in data["sector_vocab"])
    return Segment(columns, matrices, vocab)
