"""Generations of the embedded index: one directory holding a complete index set, and the
journal a rebuild replays. See search.backends.embedded for how they are used."""

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import search.backends._tantivy as tv
from search.backends._features import Delta, Features, FeatureStore
from search.backends.base import Pending
from search.types import CandidateDoc, OpportunityDoc

JOURNAL = "journal.txt"
OPPORTUNITIES, CANDIDATES, FEATURES = "opportunities", "candidates", "features"
SMALL_HEAP = 15_000_000


def _started(call: Callable[[], object]) -> Callable[[], None]:
    """Run `call` on a thread of its own (one per call: safe across fork); the function
    returned waits for it and raises what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # handed to the waiting thread
            failed.append(error)

    thread = threading.Thread(target=run, name="ponte-commit")
    thread.start()

    def wait() -> None:
        thread.join()
        if failed:
            raise failed[0]

    return wait


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
        self.stamps = self._stamps()

    @property
    def features(self) -> Features:
        """The live features; a write elsewhere shows at once (one stat of the delta)."""
        return self.store.current()

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

    def write_opportunities(self, docs: Sequence[OpportunityDoc], deleted: Sequence[int]) -> Delta:
        """Returns the features' delta after the write: its size tells when to merge."""
        replaced = [*deleted, *(doc.key for doc in docs)]
        writer = _writer(self.opportunities, replaced, [tv.opportunity_json(doc) for doc in docs])
        # tantivy commits (and fsyncs) without the GIL: the features' delta is written
        # meanwhile, and the write is over when both are.
        committed = _started(writer.commit)
        try:
            delta = self.store.write(docs, deleted)
        finally:
            committed()  # never leave the lock with a commit running
        writer.wait_merging_threads()  # the searchers reload on the next read (refresh)
        return delta


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
