"""Generations of the embedded index: one directory holding a complete index set, and the
journal a rebuild replays. See search.backends.embedded for how they are used."""

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import tantivy

import search.backends._tantivy as tv
from search.backends._features import Delta, Features, FeatureStore
from search.backends._recent import Recent, RecentLog
from search.backends.base import Pending
from search.types import CandidateDoc, OpportunityDoc

JOURNAL = "journal.txt"
OPPORTUNITIES, CANDIDATES, FEATURES = "opportunities", "candidates", "features"
SMALL_HEAP = 15_000_000
logger = logging.getLogger(__name__)


def _writer(index: Any, keys: Sequence[int], documents: Sequence[str]) -> Any:
    """A small writer on `index` with the documents of `keys` deleted and `documents` (tantivy
    JSON) added, not yet committed."""
    writer = index.writer(SMALL_HEAP, 1)
    for key in keys:
        writer.delete_documents("key", key)
    for document in documents:
        writer.add_json(document)
    return writer


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        found = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (found.st_mtime_ns, found.st_ino, found.st_size)


def write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


class Generation:
    """One complete index set in its own directory: two tantivy indexes and the opportunity
    features (search.backends._features: a memory-mapped base and a small delta)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.opportunities = tv.open_index(path / OPPORTUNITIES, tv.opportunity_schema())
        self.candidates = tv.open_index(path / CANDIDATES, tv.candidate_schema())
        self.store = FeatureStore(path / FEATURES)
        self.recent = RecentLog(path / FEATURES)
        self.stamps = self._stamps()

    def _stamps(self) -> tuple[tuple[int, int, int], ...]:
        return (
            _stamp(self.path / OPPORTUNITIES / "meta.json"),
            _stamp(self.path / CANDIDATES / "meta.json"),
        )

    def refresh(self) -> None:
        stamps = self._stamps()
        if stamps != self.stamps:
            self.opportunities.reload()
            self.candidates.reload()
            self.stamps = stamps

    def write_people(self, docs: Sequence[CandidateDoc], deleted: Sequence[int]) -> None:
        replaced = [*deleted, *(doc.person_id for doc in docs)]
        writer = _writer(self.candidates, replaced, [tv.candidate_json(doc) for doc in docs])
        writer.commit()
        writer.wait_merging_threads()  # the searchers reload on the next read (refresh)

    def write_opportunities(
        self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]
    ) -> tuple[Delta, int]:
        """Into the features' delta and the recent log, not tantivy (a merge folds them in
        there: `fold`). Returns the delta after the write and the log's size in bytes,
        which tell when to merge."""
        current = self.store.read_delta()
        documents = [(doc.key, tv.opportunity_json(doc)) for doc in docs]
        logged = self.recent.append(current.base, current.seq + 1, documents)
        return self.store.write(docs, deleted), logged

    def opportunities_view(self) -> "OpportunityView":
        """The opportunities as of now. The delta is read before tantivy is refreshed: a
        merge commits to tantivy before its swap, so the tantivy seen is never older than
        the delta."""
        features, delta = self.store.snapshot()
        self.refresh()
        return OpportunityView(features, delta, self.recent.documents(delta), self.opportunities)

    def fold(self, delta: Delta) -> None:
        """A merge, before its swap: tantivy gets the documents of `delta` (the one the new
        base absorbs) and loses what it deleted. Until the swap the delta still hides the
        keys it holds, so readers see each document once."""
        documents = self.recent.documents(delta)
        missing = len(delta.rows) - len(documents)
        if missing:  # written to tantivy by an earlier version: it keeps them
            logger.info("Indice di ricerca: %d righe recenti già in tantivy", missing)
        writer = _writer(
            self.opportunities,
            [*delta.deleted.tolist(), *documents],
            [recent.json for recent in documents.values()],
        )
        writer.commit()
        writer.wait_merging_threads()

    def swap(self, name: str, merged: Delta) -> None:
        """A merge, after `fold`: the delta now applies to base `name`, less `merged`."""
        current = self.store.read_delta()
        self.recent.carry(current, name, merged.seq)
        self.store.swap_base(name, merged.seq)
        self.recent.prune({name, current.base})


class OpportunityView:
    """Opportunities as one read sees them: the features and the delta they were made with;
    the delta's rows from the recent log (search.backends._recent), the others from tantivy
    less what the delta deleted."""

    def __init__(
        self, features: Features, delta: Delta, recent: dict[int, Recent], index: Any
    ) -> None:
        self.features = features
        self.recent = recent
        # what tantivy holds of these keys is out of date (a delta row without a log line
        # was written to tantivy itself, by an earlier version: tantivy has it right)
        self.shadow = np.union1d(delta.deleted, np.fromiter(recent, dtype=np.int64))
        self.index = index
        self.searcher = index.searcher()

    def text_keys(self, text: str) -> Any:
        """The sorted keys of the opportunities whose text matches, None without words."""
        query = tv.text_query(self.index, text)
        wanted = tv.query_terms(text)
        if query is None or wanted is None:
            return None
        limit = max(1, self.searcher.num_docs)
        hits = self.searcher.search(query, limit, count=False, order_by_field="key").hits
        found = np.array(tv.keys_of(hits), dtype=np.int64)
        recent = [key for key, doc in self.recent.items() if tv.holds(doc.text, wanted)]
        return np.union1d(found[~np.isin(found, self.shadow)], np.array(recent, dtype=np.int64))

    def payloads(self, keys: Sequence[int]) -> dict[int, OpportunityDoc]:
        found = {key: self.recent[key].doc for key in keys if key in self.recent}
        rest = [key for key in keys if key not in found]
        rest = np.array(rest, dtype=np.int64)[~np.isin(rest, self.shadow)].tolist()
        if not rest:
            return found
        query = tantivy.Query.term_set_query(self.index.schema, "key", rest)
        for _score, address in self.searcher.search(query, len(rest)).hits:
            doc = OpportunityDoc.from_payload(tv.payload_of(self.searcher.doc(address)))
            found[doc.key] = doc
        return found


class Journal:
    """Ids written to the live generation while a rebuild fills another one; the rebuild
    re-reads them from the database before the swap."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / JOURNAL

    def append(self, prefix: str, ids: Sequence[int]) -> None:
        with self.path.open("a") as journal:
            journal.writelines(f"{prefix} {pk}\n" for pk in ids)

    def pending(self) -> Pending:
        lines = self.path.read_text().split() if self.path.exists() else []
        pairs = list(zip(lines[::2], lines[1::2], strict=True))
        return Pending(
            people=frozenset(int(pk) for kind, pk in pairs if kind == "P"),
            opportunities=frozenset(int(pk) for kind, pk in pairs if kind == "O"),
        )

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
