"""A full rebuild's documents, read and encoded by worker processes.

Reading a profile from the database and turning it into what the engine indexes is Python
work, one core's worth: a rebuild hands chunks of ids to a pool of processes (spawned, each
setting Django up on this process's settings and databases: search.worker_start) and adds
what they return, in order, while they read the next chunks. The pool is used only where
another process sees what this one sees: a database on disk or a server, outside a
transaction (a test's uncommitted rows, an in-memory SQLite database stay in this process:
the work then runs here, chunk by chunk).
"""

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from search import sources, worker_start
from search.backends.base import RebuildEncoder
from search.concepts import ConceptCache

logger = logging.getLogger(__name__)

Encoded = tuple[int, Any]
"""How many ids a chunk held, and its documents as the rebuild's encoder returned them."""

_worker_concepts: ConceptCache | None = None


def _concepts(given: ConceptCache | None) -> ConceptCache:
    """The rebuild's own concepts in this process, a worker's in a worker (made on its first
    chunk: one per worker and per rebuild, so the labels are fresh)."""
    global _worker_concepts
    if given is not None:
        return given
    if _worker_concepts is None:
        _worker_concepts = ConceptCache()
    return _worker_concepts


def people_part(
    encoder: RebuildEncoder, chunk: list[int], concepts: ConceptCache | None = None
) -> Encoded:
    docs, _gone = sources.candidate_docs(chunk, _concepts(concepts))
    return len(chunk), encoder.people(docs)


def opportunities_part(
    encoder: RebuildEncoder, kind: str, chunk: list[int], concepts: ConceptCache | None = None
) -> Encoded:
    docs, _gone = sources.opportunity_docs(kind, chunk, _concepts(concepts))
    return len(chunk), encoder.opportunities(docs)


def _ready() -> None:
    """A task that only makes the pool start its processes."""


Part = Callable[..., Encoded]


class InProcess:
    """The chunks encoded here, one after the other."""

    def __init__(self) -> None:
        self.concepts = ConceptCache()

    def map(self, part: Part, calls: Iterable[tuple[Any, ...]]) -> Iterator[Encoded]:
        for args in calls:
            yield part(*args, concepts=self.concepts)


class Pool:
    """The chunks encoded by `workers` processes; results come back in order, with at most
    two chunks per worker in flight (memory stays flat whoever is slower)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),  # see search.worker_start
            initializer=worker_start.start,
            initargs=(_settings_module(), settings.DATABASES),  # sent as a copy
        )
        for started in [self._executor.submit(_ready) for _ in range(workers)]:
            started.result()  # the processes are up (Django set up) before the rebuild starts

    def map(self, part: Part, calls: Iterable[tuple[Any, ...]]) -> Iterator[Encoded]:
        running: deque[Future[Encoded]] = deque()
        for args in calls:
            running.append(self._executor.submit(part, *args))
            if len(running) >= 2 * self.workers:
                yield running.popleft().result()
        while running:
            yield running.popleft().result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _settings_module() -> str:
    """The settings module the workers load (override_settings hides it from `settings`)."""
    found = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
    if not found:
        raise OSError("nessun modulo di impostazioni per i processi di lavoro")
    return str(found)


def worker_count() -> int:
    """PONTE_SEARCH_REBUILD_WORKERS, or one per core; 0 or 1: no pool."""
    configured = getattr(settings, "PONTE_SEARCH_REBUILD_WORKERS", None)
    return int(configured) if configured is not None else (os.cpu_count() or 1)


def shared_database() -> bool:
    """Whether another process would read the rows this one reads."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    connection = connections["default"]
    return not (isinstance(connection, SQLiteWrapper) and connection.is_in_memory_db())


DocWorkers = InProcess | Pool


@contextmanager
def doc_workers() -> Iterator[DocWorkers]:
    """The pool a rebuild encodes its chunks with (or this process, see the module)."""
    count = worker_count()
    if count < 2 or not shared_database():
        yield InProcess()
        return
    try:
        pool = Pool(count)
    except (OSError, AssertionError, BrokenProcessPool):  # no processes here (a daemon)
        logger.warning("Ricostruzione dell'indice senza processi di lavoro", exc_info=True)
        yield InProcess()
        return
    try:
        yield pool
    finally:
        pool.close()
