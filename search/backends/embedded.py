"""The embedded backend: tantivy + numpy/scipy in files under PONTE_SEARCH_EMBEDDED_DIR.

Layout: every complete index set is a "generation" directory (two tantivy indexes and the
opportunity features); the file CURRENT names the live one, like an Elasticsearch alias.
A rebuild fills a new generation, then swaps CURRENT; writes that arrive meanwhile go to the
live generation and are noted in the new one's journal, which the rebuild replays before
the swap. BUILDING records the builder (host, pid, heartbeat): a rebuild whose builder died
is discarded by the next rebuild or write, which stops its journal. Writers (web, workers,
rebuild) take an exclusive file lock; readers take none and notice a commit by the files'
stamps, so a write is visible to every process at once.
"""

import fcntl
import json
import logging
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
import tantivy

import search.backends._tantivy as tv
from search.admits import STALE_LIMIT, within
from search.backends._builds import (
    HEARTBEAT_EVERY,
    STALE_AFTER,
    BuildOwner,
    DeadBuild,
    Heartbeat,
)
from search.backends._features import MERGE_ROWS, Segment, concat, day
from search.backends._generations import Generation, Journal, write_atomic
from search.backends._select import rank
from search.backends.base import (
    CatchUp,
    Rebuild,
    RebuildCounts,
    RebuildInProgress,
    RebuildLost,
    SearchBackend,
    result_window_check,
)
from search.types import (
    CandidateDoc,
    CandidateHit,
    CandidateHits,
    CandidateQuery,
    OpportunityDoc,
    OpportunityHit,
    OpportunityHits,
    OpportunityQuery,
    opportunity_key,
)

CURRENT, BUILDING, LOCK, MERGING = "CURRENT", "BUILDING", "LOCK", "MERGING"
REBUILD_HEAP = 400_000_000
LOGGED_PER_ROW = 4096
"""A merge also comes when the recent log passes this many bytes per row of merge_rows
(the same offers published again and again grow the log, not the delta)."""
_locks: dict[Path, tuple[threading.RLock, threading.local]] = {}
logger = logging.getLogger(__name__)


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(
        self,
        root: Path,
        *,
        heartbeat_every: float = HEARTBEAT_EVERY,
        stale_after: float = STALE_AFTER,
    ) -> None:
        self.root = Path(root)
        self.heartbeat_every = heartbeat_every
        self.stale_after = stale_after
        self._live: Generation | None = None
        self.merge_rows = MERGE_ROWS
        self.merge_in_background = True

    # ---------------------------------------------------------------- files and locks

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive across processes (flock) and re-entrant within this process."""
        self.root.mkdir(parents=True, exist_ok=True)
        local, depth = _locks.setdefault(self.root, (threading.RLock(), threading.local()))
        with local:
            if getattr(depth, "value", 0):
                depth.value += 1
                try:
                    yield
                finally:
                    depth.value -= 1
                return
            with (self.root / LOCK).open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                depth.value = 1
                try:
                    yield
                finally:
                    depth.value = 0
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _pointer(self, name: str) -> str:
        path = self.root / name
        return path.read_text().strip() if path.exists() else ""

    def generation(self) -> Generation:
        """The live generation, refreshed if another process committed since."""
        name = self._pointer(CURRENT)
        if not name:
            with self.locked():
                name = self._pointer(CURRENT) or self._initialise()
        if self._live is None or self._live.path.name != name:
            self._live = self._open(name)
        else:
            self._live.refresh()
        return self._live

    def _open(self, name: str) -> Generation:
        """The generation `name`; one an older version of Ponte wrote (its schema differs)
        is left behind for a new, empty one: searches find nothing until a rebuild, which
        the log asks for, instead of every read and write failing."""
        try:
            return Generation(self.root / name)
        except ValueError as error:
            if "schema does not match" not in str(error):
                raise
        with self.locked():
            if self._pointer(CURRENT) == name:
                logger.warning(
                    "Indice di ricerca di una versione precedente (%s): sostituito "
                    "da uno vuoto; ricostruirlo con manage.py search_rebuild",
                    name,
                )
                name = self._initialise()
            else:
                name = self._pointer(CURRENT)  # another process replaced it just now
        return Generation(self.root / name)

    def _initialise(self) -> str:
        name = new_generation_name()
        Generation(self.root / name)
        write_atomic(self.root / CURRENT, name)
        return name

    # ---------------------------------------------------------------- the rebuild lock

    def _build_state(self) -> tuple[str, BuildOwner] | None:
        """What BUILDING says: the generation being filled and its builder."""
        path = self.root / BUILDING
        try:
            text = path.read_text().strip()
        except FileNotFoundError:
            return None
        if not text:
            return None
        try:
            data = json.loads(text)
            return str(data["name"]), BuildOwner.from_dict(data)
        except (ValueError, KeyError, TypeError):  # a bare name, from before owners were kept
            return text, BuildOwner.unknown(since=path.stat().st_mtime)

    def _write_build_state(self, name: str, owner: BuildOwner) -> None:
        write_atomic(self.root / BUILDING, json.dumps({"name": name, **owner.as_dict()}))

    def _running_build(self) -> tuple[str, BuildOwner] | None:
        """The rebuild in progress, if its builder lives; a dead one is discarded. Call it
        holding the lock."""
        state = self._build_state()
        if state is None or not (self.root / state[0]).exists():
            return None
        if state[1].is_dead(stale_after=self.stale_after):
            self._discard(*state)
            return None
        return state

    def _discard(self, name: str, owner: BuildOwner) -> DeadBuild:
        (self.root / BUILDING).unlink(missing_ok=True)
        shutil.rmtree(self.root / name, ignore_errors=True)
        dead = DeadBuild(name=name, owner=owner)
        logger.warning("Indice di ricerca: %s", dead.message())
        return dead

    def recover_dead_rebuild(self) -> DeadBuild | None:
        with self.locked():
            state = self._build_state()
            if state is None or not state[1].is_dead(stale_after=self.stale_after):
                return None
            return self._discard(*state)

    def _building(self) -> Journal | None:
        running = self._running_build()
        return Journal(self.root / running[0]) if running else None

    # ---------------------------------------------------------------- writes

    def index_people(self, docs: Sequence[CandidateDoc]) -> None:
        self._write_people(docs, [])

    def delete_people(self, person_ids: Sequence[int]) -> None:
        self._write_people([], person_ids)

    def _write_people(self, docs: Sequence[CandidateDoc], deleted: Sequence[int]) -> None:
        if not docs and not deleted:
            return
        with self.locked():
            self.generation().write_people(docs, deleted)
            building = self._building()
            if building is not None:
                building.append("P", [*deleted, *(doc.person_id for doc in docs)])

    def index_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        self._write_opportunities(docs, [])

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        self._write_opportunities([], keys)

    def _write_opportunities(self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]) -> None:
        if not docs and not deleted:
            return
        with self.locked():
            delta, logged = self.generation().write_opportunities(docs, deleted)
            building = self._building()
            if building is not None:
                building.append("O", [*deleted, *(doc.key for doc in docs)])
        if len(delta) >= self.merge_rows or logged >= self.merge_rows * LOGGED_PER_ROW:
            if self.merge_in_background:
                merge = threading.Thread(target=self.merge_features, name="ponte-merge")
                merge.daemon = True
                merge.start()
            else:
                self.merge_features()

    def merge_features(self) -> bool:
        """Fold the opportunities' delta into a new features base and into tantivy, so
        writes stay small: the base is built without the lock (its inputs are files nobody
        changes), then tantivy written and the base swapped in under it, keeping what was
        written meanwhile. One merge at a time per host; returns whether this call merged."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / MERGING).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            try:
                return self._merge(self.generation())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _merge(self, live: Generation) -> bool:
        store = live.store
        delta = store.read_delta()
        if not len(delta):
            return False
        name = store.merged_base(delta)
        with self.locked():
            if self._pointer(CURRENT) != live.path.name:  # a rebuild replaced the generation
                shutil.rmtree(store.directory / name, ignore_errors=True)
                return False
            live.fold(delta)
            live.swap(name, delta)
        return True

    # ---------------------------------------------------------------- reads

    def match_opportunities_for_person(self, query: OpportunityQuery) -> OpportunityHits:
        result_window_check(query.offset, query.limit)
        view = self.generation().opportunities_view()
        restrict = view.text_keys(query.text) if query.text else None
        ranked = rank(view.features, query, restrict)
        keys = [int(key) for key in ranked.keys]
        docs = view.payloads(keys)
        hits = tuple(
            OpportunityHit(
                doc=docs[key],
                score=float(ranked.scores[i]),
                skill_score=float(ranked.skills[i]),
                distance_km=None if ranked.distances is None else float(ranked.distances[i]),
                affinity=float(ranked.affinities[i]),
            )
            for i, key in enumerate(keys)
            if key in docs
        )
        return OpportunityHits(total=ranked.total, hits=hits)

    def opportunity_get(self, kind: str, opportunity_id: int) -> OpportunityDoc | None:
        key = opportunity_key(kind, opportunity_id)
        return self.generation().opportunities_view().payloads([key]).get(key)

    def search_candidates(self, query: CandidateQuery) -> CandidateHits:
        result_window_check(query.offset, query.limit)
        live = self.generation()
        index, schema = live.candidates, live.candidates.schema
        searcher = index.searcher()
        tantivy_query = tv.candidate_query(index, schema, query)
        # tantivy wants a limit of at least 1: a count (limit 0) fetches one hit and drops it
        result = searcher.search(tantivy_query, max(1, query.limit), offset=query.offset)
        hits = tuple(
            CandidateHit(CandidateDoc.from_payload(tv.payload_of(searcher.doc(address))), score)
            for score, address in result.hits[: query.limit]
        )
        aggregations = searcher.aggregate(tantivy_query, tv.facet_aggregations(query))
        facets = tv.facets_from(aggregations)
        compatible: int | None = None
        stale: tuple[int, ...] = ()
        if query.compatible is not None:
            selected = tv.candidate_query(index, schema, query, scored=False)
            radii = tv.radii_of(aggregations)
            compatible, stale = self._compatible(searcher, schema, selected, query, radii)
        return CandidateHits(
            total=int(result.count),  # type: ignore[attr-defined]
            hits=hits,
            facets=facets,
            compatible=compatible,
            stale=stale,
        )

    def _compatible(
        self, searcher: Any, schema: Any, found: Any, query: CandidateQuery, radii: Sequence[int]
    ) -> tuple[int, tuple[int, ...]]:
        """Among the people found (`found`: unscored), how many the role admits (one count
        on the indexed constraints that still hold), and the profiles whose constraints no
        longer do; `radii`: the whole radii among them."""
        Occur, Query = tantivy.Occur, tantivy.Query
        stale_ones = tv.stale_query(schema, day(query.today))
        outdated = Query.boolean_query([(Occur.Must, found), (Occur.Must, stale_ones)])
        hits = searcher.search(outdated, STALE_LIMIT, count=False, order_by_field="key").hits
        stale = tuple(tv.keys_of(hits))
        admitted = query.compatible
        if admitted is None or admitted.nobody:
            return 0, stale
        admitted = within(admitted, radii[-1] if radii else None)
        clauses = [
            (Occur.Must, found),
            (Occur.MustNot, stale_ones),
            *tv.admits_clauses(schema, admitted, radii),
        ]
        return int(searcher.search(Query.boolean_query(clauses), 1).count), stale

    def candidate_get(self, person_id: int) -> CandidateDoc | None:
        live = self.generation()
        searcher = live.candidates.searcher()
        query = tantivy.Query.term_query(live.candidates.schema, "key", person_id)
        hits = searcher.search(query, 1).hits
        if not hits:
            return None
        return CandidateDoc.from_payload(tv.payload_of(searcher.doc(hits[0][1])))

    def counts(self) -> dict[str, int]:
        live = self.generation()
        return {
            "people": live.candidates.searcher().num_docs,
            "opportunities": len(live.opportunities_view().features),
        }

    # ---------------------------------------------------------------- rebuild

    def rebuild(self) -> Rebuild:
        return EmbeddedRebuild(self)

    def clear(self) -> None:
        with self.locked():
            for path in self.root.iterdir():
                if path.name == LOCK:
                    continue
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            self._live = None

    def prune(self, keep: set[str]) -> None:
        for path in self.root.glob("gen-*"):
            if path.is_dir() and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def new_generation_name() -> str:
    return f"gen-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**9:09d}"


class EmbeddedEncoder:
    """Profiles as tantivy JSON; opportunities as tantivy JSON and their features."""

    def people(self, docs: Sequence[CandidateDoc]) -> list[str]:
        return [tv.candidate_json(doc) for doc in docs]

    def opportunities(self, docs: Sequence[OpportunityDoc]) -> tuple[list[str], Segment]:
        return [tv.opportunity_json(doc) for doc in docs], Segment.from_docs(docs)


class EmbeddedRebuild:
    """A new generation filled in bulk (large writer heaps, two threads), then swapped in."""

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend
        self.name = new_generation_name()
        self.counts = RebuildCounts()
        self.encoder = EmbeddedEncoder()
        self.owner = BuildOwner.current()
        with backend.locked():
            running = backend._running_build()
            if running is not None:
                name, owner = running
                raise RebuildInProgress(f"{name}, {owner.describe()}")
            self.generation = Generation(backend.root / self.name)
            backend._write_build_state(self.name, self.owner)
        self._people = self.generation.candidates.writer(REBUILD_HEAP, 2)
        self._opportunities = self.generation.opportunities.writer(REBUILD_HEAP, 2)
        self._features: list[Segment] = []
        self._deleted: list[int] = []
        self._catching_up = False
        self._heartbeat = Heartbeat(self._beat, backend.heartbeat_every).start()

    def add_people(self, docs: Sequence[CandidateDoc]) -> None:
        if self._catching_up:
            for doc in docs:
                self._people.delete_documents("key", doc.person_id)
        self.add_encoded_people(self.encoder.people(docs))

    def add_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        if self._catching_up:
            for doc in docs:
                self._opportunities.delete_documents("key", doc.key)
        self.add_encoded_opportunities(self.encoder.opportunities(docs))

    def add_encoded_people(self, encoded: list[str]) -> None:
        for document in encoded:
            self._people.add_json(document)
        self.counts.people += len(encoded)

    def add_encoded_opportunities(self, encoded: tuple[list[str], Segment]) -> None:
        documents, features = encoded
        for document in documents:
            self._opportunities.add_json(document)
        self._features.append(features)
        self.counts.opportunities += len(documents)

    def delete_people(self, person_ids: Sequence[int]) -> None:
        for person_id in person_ids:
            self._people.delete_documents("key", person_id)

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        for key in keys:
            self._opportunities.delete_documents("key", key)
        self._deleted.extend(keys)

    def _beat(self) -> None:
        with self.backend.locked():
            if self._still_mine():
                self.owner = self.owner.beat()
                self.backend._write_build_state(self.name, self.owner)

    def _still_mine(self) -> bool:
        state = self.backend._build_state()
        return state is not None and state[0] == self.name

    def publish(self, catch_up: CatchUp) -> None:
        """Raises RebuildLost if another process discarded this rebuild as dead."""
        backend = self.backend
        self._heartbeat.stop()  # before the lock: the beat takes it too
        with backend.locked():
            if not self._still_mine():
                raise RebuildLost(self.name)
            self._catching_up = True
            catch_up(self, Journal(self.generation.path).pending())
            for writer in (self._people, self._opportunities):
                writer.commit()
                writer.wait_merging_threads()
            features = concat(self._features or [Segment.empty()])
            self._features = []
            deleted = np.array(self._deleted, dtype=np.int64)
            self.generation.store.publish_base(features.without(deleted))
            previous = backend._pointer(CURRENT)
            write_atomic(backend.root / CURRENT, self.name)
            (backend.root / BUILDING).unlink(missing_ok=True)
            Journal(self.generation.path).remove()
            backend.prune({self.name, previous})

    def abort(self) -> None:
        self._heartbeat.stop()
        for writer in (self._people, self._opportunities):
            with suppress(ValueError):
                writer.rollback()
        with self.backend.locked():
            if self._still_mine():
                (self.backend.root / BUILDING).unlink(missing_ok=True)
            shutil.rmtree(self.generation.path, ignore_errors=True)
