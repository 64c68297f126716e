"""Keeping the index in step with the database: explicit, asynchronous, deletes at once.

The domain apps send events (common.events); search.receivers turns them into the work
here. A change is reindexed by a worker after the commit (an outbox row, written in the
sender's transaction), reading committed rows: a broker outage delays the reindex, never
loses it. Deletions and a revoked consent leave the index synchronously (the row may be
gone before a worker looks, and a person who withdraws consent must vanish from employers'
searches now). `rebuild` fills a new index and swaps it in (manage.py search_rebuild).
"""

from collections import defaultdict
from collections.abc import Sequence

from common.outbox import outbox_put
from common.progress import Progress, no_progress
from search import parallel, sources
from search.backends import Pending, Rebuild, SearchBackend, get_backend
from search.backends.base import RebuildCounts
from search.parallel import DocWorkers
from search.types import OPPORTUNITY_KINDS, key_split, opportunity_key

# search's own outbox topics (registered in search.apps), for the reindex that follows a
# withdrawn consent: their payloads are these functions' arguments.
PEOPLE_INDEX = "search.people_index"
OPPORTUNITIES_INDEX = "search.opportunities_index"


def people_index(person_ids: Sequence[int], backend: SearchBackend | None = None) -> int:
    """Index the people among `person_ids` who share their profile, remove the others."""
    backend = backend or get_backend()
    docs, gone = sources.candidate_docs(list(person_ids))
    backend.index_people(docs)
    backend.delete_people(gone)
    return len(docs)


def opportunities_index(
    kind: str, opportunity_ids: Sequence[int], backend: SearchBackend | None = None
) -> int:
    """Index the published ones among these opportunities, remove the others."""
    backend = backend or get_backend()
    docs, gone = sources.opportunity_docs(kind, list(opportunity_ids))
    backend.index_opportunities(docs)
    backend.delete_opportunities([opportunity_key(kind, pk) for pk in gone])
    return len(docs)


def person_changed(person_id: int) -> None:
    """Reindex a person's candidate profile after the current commit (outbox row now)."""
    outbox_put(topic=PEOPLE_INDEX, payload={"person_ids": [person_id]})


def opportunity_changed(kind: str, opportunity_id: int) -> None:
    """Reindex an offer, course or placement after the current commit (outbox row now)."""
    outbox_put(
        topic=OPPORTUNITIES_INDEX, payload={"kind": kind, "opportunity_ids": [opportunity_id]}
    )


def person_deleted(person_id: int) -> None:
    """Remove the person from the index now (call it before or after deleting the row)."""
    get_backend().delete_person(person_id)


def person_unshared(person_id: int) -> None:
    """A "profilo_datori" consent was revoked: hide the profile now, then reindex (another
    consent may still share it with some organisations)."""
    get_backend().delete_person(person_id)
    person_changed(person_id)


def opportunity_deleted(kind: str, opportunity_id: int) -> None:
    get_backend().delete_opportunity(kind, opportunity_id)


# ------------------------------------------------------------------ full rebuild


def _fill_people(rebuild: Rebuild, workers: DocWorkers, progress: Progress) -> None:
    bar = progress("Persone", sources.person_count())
    calls = ((rebuild.encoder, chunk) for chunk in sources.chunked(sources.person_ids()))
    for done, encoded in workers.map(parallel.people_part, calls):
        rebuild.add_encoded_people(encoded)
        bar.update(done)
    bar.close()


def _fill_opportunities(rebuild: Rebuild, workers: DocWorkers, progress: Progress) -> None:
    for kind in OPPORTUNITY_KINDS:
        bar = progress(kind, sources.opportunity_count(kind))
        ids = sources.opportunity_ids(kind)
        calls = ((rebuild.encoder, kind, chunk) for chunk in sources.chunked(ids))
        for done, encoded in workers.map(parallel.opportunities_part, calls):
            rebuild.add_encoded_opportunities(encoded)
            bar.update(done)
        bar.close()


def catch_up(rebuild: Rebuild, pending: Pending) -> None:
    """Re-read what changed while the rebuild ran (fresh rows win over the bulk ones)."""
    for chunk in sources.chunked(sorted(pending.people)):
        docs, gone = sources.candidate_docs(chunk)
        rebuild.add_people(docs)
        rebuild.delete_people(gone)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for key in sorted(pending.opportunities):
        kind, pk = key_split(key)
        by_kind[kind].append(pk)
    for kind, ids in by_kind.items():
        found, missing = sources.opportunity_docs(kind, ids)
        rebuild.add_opportunities(found)
        rebuild.delete_opportunities([opportunity_key(kind, pk) for pk in missing])


def rebuild(
    backend: SearchBackend | None = None, progress: Progress = no_progress
) -> RebuildCounts:
    """Reindex everything into a new index and swap it in; the old one answers meanwhile.

    Raises RebuildInProgress when another rebuild is running.
    """
    backend = backend or get_backend()
    with parallel.doc_workers() as workers:  # started before the rebuild takes its lock
        running = backend.rebuild()
        try:
            _fill_people(running, workers, progress)
            _fill_opportunities(running, workers, progress)
            running.publish(catch_up)
        except BaseException:
            running.abort()
            raise
    return running.counts
