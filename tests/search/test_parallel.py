"""A rebuild's documents read by worker processes: the same index as one process builds,
and worker processes only where they see the rows this process sees."""

import pytest
from django.db import connection, transaction

from search import indexing, parallel
from search.backends import get_backend
from search.candidate_queries import CandidateFilters, candidates_search
from tests.factories.extra_lavoro import AdminUserFactory
from tests.search import builders as b


def test_no_workers_inside_a_transaction_or_on_an_in_memory_database(db, settings):
    settings.PONTE_SEARCH_REBUILD_WORKERS = 2
    assert not parallel.shared_database()  # a test's transaction: its rows are its own
    with parallel.doc_workers() as workers:
        assert isinstance(workers, parallel.InProcess)


def test_zero_or_one_worker_means_this_process(db, settings):
    for count in (0, 1):
        settings.PONTE_SEARCH_REBUILD_WORKERS = count
        with parallel.doc_workers() as workers:
            assert isinstance(workers, parallel.InProcess)


def test_where_no_process_can_start_the_rebuild_runs_here_and_says_so(
    db, settings, monkeypatch, caplog
):
    def refused(count):
        raise AssertionError("daemonic processes are not allowed to have children")

    settings.PONTE_SEARCH_REBUILD_WORKERS = 2
    monkeypatch.setattr(parallel, "shared_database", lambda: True)
    monkeypatch.setattr(parallel, "Pool", refused)
    with parallel.doc_workers() as workers:
        assert isinstance(workers, parallel.InProcess)
    assert "senza processi di lavoro" in caplog.text


def _people(world: b.World, count: int) -> None:
    concepts = [world.cooking, world.hygiene, world.serving, world.cashier, world.prepping]
    for number in range(count):
        person = b.PersonFactory(domicile=world.towns["Milano"], summary=f"Cuoco turno {number}")
        for concept in concepts[: 1 + number % len(concepts)]:
            b.skill(person, concept, stage=("individuata", "validata", "certificata")[number % 3])
        if number % 4:
            b.share(person)


def _index_seen(user, offer_ids: list[int]) -> list[object]:
    """What searches answer: counts, per offer every candidate with their score and the
    facets, and a text search (equal scores may come in any order)."""
    seen: list[object] = [get_backend().counts()]
    for pk in offer_ids:
        page = candidates_search(user=user, filters=CandidateFilters(offer_id=pk), limit=50)
        seen.append(sorted((hit.score, hit.pseudonym) for hit in page.results))
        seen.append(page.facets)
    text = candidates_search(user=user, filters=CandidateFilters(text="cuoco turno"), limit=50)
    seen.append(sorted((hit.score, hit.pseudonym) for hit in text.results))  # ties: any order
    seen.append(text.total)
    return seen


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="il database di test SQLite è in memoria: nessun altro processo lo vede",
)
@pytest.mark.django_db(transaction=True)
def test_worker_processes_build_the_index_one_process_builds(settings):
    admin = AdminUserFactory()
    world = b.build_world()
    _people(world, 40)
    offers = [b.offer(world, title=f"Cuoco {n}", weekly_hours=10 + n).pk for n in range(12)]
    b.course(world, title="HACCP")
    assert parallel.shared_database() and not transaction.get_connection().in_atomic_block

    settings.PONTE_SEARCH_REBUILD_WORKERS = 2
    with parallel.doc_workers() as workers:
        assert isinstance(workers, parallel.Pool) and workers.workers == 2
    by_workers = indexing.rebuild()
    seen_by_workers = _index_seen(admin, offers[:3])

    settings.PONTE_SEARCH_REBUILD_WORKERS = 0
    alone = indexing.rebuild()
    assert (by_workers.people, by_workers.opportunities) == (alone.people, alone.opportunities)
    assert (alone.people, alone.opportunities) == (30, 13)
    assert _index_seen(admin, offers[:3]) == seen_by_workers
