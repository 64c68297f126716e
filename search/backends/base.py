"""The one interface every search backend implements (embedded and Elasticsearch).

Backends never read the database: they receive documents built by `search.sources` and
queries built by `search.queries`, and return plain hits. Writes are visible to the next
query on return (the embedded backend commits, Elasticsearch refreshes).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from search.backends._builds import DeadBuild
from search.types import (
    CandidateDoc,
    CandidateHits,
    CandidateQuery,
    OpportunityDoc,
    OpportunityHits,
    OpportunityQuery,
    opportunity_key,
)

MAX_RESULT_WINDOW = 10_000
"""Results a query may reach (offset + limit), as Elasticsearch's index.max_result_window.

Engines allocate for offset + limit hits up front: an unbounded offset from a request
would exhaust the memory of the process. Callers page within it (common.paging)."""


class ResultWindowExceeded(ValueError):
    """A query asked for results past MAX_RESULT_WINDOW, or for a negative page. A limit of
    0 is a count: the total, no hits."""

    def __init__(self, offset: int, limit: int) -> None:
        super().__init__(
            f"offset {offset} + limit {limit} outside the result window "
            f"(0 ≤ offset, 0 ≤ limit, offset + limit ≤ {MAX_RESULT_WINDOW})"
        )
        self.offset = offset
        self.limit = limit


def result_window_check(offset: int, limit: int) -> None:
    """Every backend calls this before it runs a paged query (a limit of 0 is a count)."""
    if offset < 0 or limit < 0 or offset + limit > MAX_RESULT_WINDOW:
        raise ResultWindowExceeded(offset, limit)


@dataclass(frozen=True)
class Pending:
    """What changed while a rebuild was running: the ids to read again before publishing."""

    people: frozenset[int] = frozenset()
    opportunities: frozenset[int] = frozenset()  # opportunity keys (search.types.opportunity_key)


@dataclass
class RebuildCounts:
    people: int = 0
    opportunities: int = 0
    extra: dict[str, int] = field(default_factory=dict)


CatchUp = Callable[["Rebuild", Pending], None]


class RebuildEncoder(Protocol):
    """Turns documents into what a rebuild adds (add_encoded_*), in a worker process
    (search.parallel): values only, sent to the worker with each chunk."""

    def people(self, docs: Sequence[CandidateDoc]) -> Any: ...

    def opportunities(self, docs: Sequence[OpportunityDoc]) -> Any: ...


class Rebuild(Protocol):
    """A new index being filled while the live one keeps answering (zero downtime).

    `publish` swaps it in atomically (the alias, or the embedded CURRENT pointer) after
    `catch_up` has re-read what changed meanwhile; `abort` throws it away. `add_people(docs)`
    is `add_encoded_people(encoder.people(docs))`, and so for opportunities.
    """

    name: str
    counts: RebuildCounts

    @property
    def encoder(self) -> RebuildEncoder: ...

    def add_people(self, docs: Sequence[CandidateDoc]) -> None: ...

    def add_opportunities(self, docs: Sequence[OpportunityDoc]) -> None: ...

    def add_encoded_people(self, encoded: Any) -> None: ...

    def add_encoded_opportunities(self, encoded: Any) -> None: ...

    def delete_people(self, person_ids: Sequence[int]) -> None: ...

    def delete_opportunities(self, keys: Sequence[int]) -> None: ...

    def publish(self, catch_up: CatchUp) -> None: ...

    def abort(self) -> None: ...


class SearchBackend(ABC):
    """Index, delete, match and search; `rebuild` fills a new index beside the live one."""

    name: str

    @abstractmethod
    def index_people(self, docs: Sequence[CandidateDoc]) -> None:
        """Add or replace candidate documents."""

    @abstractmethod
    def index_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        """Add or replace opportunity documents."""

    @abstractmethod
    def delete_people(self, person_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def delete_opportunities(self, keys: Sequence[int]) -> None: ...

    def delete_person(self, person_id: int) -> None:
        self.delete_people([person_id])

    def delete_opportunity(self, kind: str, opportunity_id: int) -> None:
        self.delete_opportunities([opportunity_key(kind, opportunity_id)])

    @abstractmethod
    def match_opportunities_for_person(self, query: OpportunityQuery) -> OpportunityHits:
        """Admissible opportunities (hard constraints are filters), best score first; with
        limit 0, only the total.

        Raises ResultWindowExceeded when the page lies outside MAX_RESULT_WINDOW."""

    @abstractmethod
    def search_candidates(self, query: CandidateQuery) -> CandidateHits:
        """Candidates the viewer may see, with facets, by match score or text relevance.

        Raises ResultWindowExceeded when the page lies outside MAX_RESULT_WINDOW."""

    @abstractmethod
    def candidate_get(self, person_id: int) -> CandidateDoc | None: ...

    @abstractmethod
    def opportunity_get(self, kind: str, opportunity_id: int) -> OpportunityDoc | None: ...

    @abstractmethod
    def rebuild(self) -> Rebuild:
        """Start filling a new index; raises RebuildInProgress if one is already running.

        A rebuild whose builder died (killed, crashed: see search.backends._builds) does not
        count: it is discarded first.
        """

    @abstractmethod
    def recover_dead_rebuild(self) -> DeadBuild | None:
        """Discard the rebuild in progress if its builder is dead (its lock and the writes
        noted for it go); returns what was discarded, None when nothing was."""

    @abstractmethod
    def clear(self) -> None:
        """Drop every index of this backend (tests, `search_rebuild --clear`)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Documents in the live indexes: {"people": n, "opportunities": m}."""


class RebuildInProgress(Exception):
    """Another full rebuild is filling a new index right now (the message says whose)."""


class RebuildLost(Exception):
    """This rebuild was discarded by another process, which found no sign of life from it
    for too long; nothing was published."""
