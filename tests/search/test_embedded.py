"""The embedded store: generations behind CURRENT, journal during rebuilds, many readers."""

import pytest

from search import indexing
from search.backends import RebuildInProgress
from search.backends.embedded import BUILDING, CURRENT, EmbeddedBackend
from search.indexing import catch_up
from search.sources import opportunity_docs
from search.types import OFFER, HardConstraints, OpportunityQuery
from tests.search import builders as b

pytestmark = pytest.mark.django_db


def query() -> OpportunityQuery:
    return OpportunityQuery(
        kinds=(OFFER,), credits={}, origin=None, constraints=HardConstraints(today=b.TODAY)
    )


def titles(backend) -> list[str]:
    return sorted(hit.doc.title for hit in backend.match_opportunities_for_person(query()).hits)


def test_an_empty_directory_answers_with_nothing(tmp_path):
    backend = EmbeddedBackend(tmp_path / "new")
    assert backend.counts() == {"people": 0, "opportunities": 0}
    assert backend.match_opportunities_for_person(query()).total == 0
    assert (tmp_path / "new" / CURRENT).exists()


def test_a_write_is_seen_at_once_by_another_reader(world, tmp_path):
    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    assert titles(reader) == []
    docs, _gone = opportunity_docs(OFFER, [b.offer(world, title="Nuova").pk])
    writer.index_opportunities(docs)
    assert titles(reader) == ["Nuova"]
    writer.delete_opportunity(OFFER, docs[0].id)
    assert titles(reader) == []


def test_rebuild_swaps_generations_and_keeps_only_the_previous_one(world, tmp_path):
    backend = EmbeddedBackend(tmp_path)
    b.offer(world, title="Una")
    generations = []
    for _ in range(3):
        indexing.rebuild(backend)
        generations.append((tmp_path / CURRENT).read_text())
    assert len(set(generations)) == 3
    kept = sorted(path.name for path in tmp_path.glob("gen-*"))
    assert kept == sorted(generations[1:])
    assert titles(backend) == ["Una"]


def test_only_one_rebuild_at_a_time_and_abort_cleans_up(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    running = backend.rebuild()
    with pytest.raises(RebuildInProgress):
        backend.rebuild()
    running.abort()
    assert not (tmp_path / BUILDING).exists()
    assert not (tmp_path / running.name).exists()
    backend.rebuild().abort()


def test_writes_during_a_rebuild_are_replayed_before_the_swap(world, tmp_path):
    backend = EmbeddedBackend(tmp_path)
    kept = b.offer(world, title="Resta")
    gone = b.offer(world, title="Sparisce")
    indexing.rebuild(backend)
    running = backend.rebuild()
    indexing._fill_opportunities(running, indexing.sources.ConceptCache(), indexing.no_progress)
    gone.status = "chiusa"
    gone.save()
    kept.title = "Resta, cambiata"
    kept.save()
    indexing.opportunities_index(OFFER, [gone.pk, kept.pk], backend=backend)
    assert titles(backend) == ["Resta, cambiata"]  # live index already up to date
    running.publish(catch_up)
    assert titles(backend) == ["Resta, cambiata"]
    assert backend.counts()["opportunities"] == 1


def test_a_failing_rebuild_leaves_the_live_index_alone(world, tmp_path, monkeypatch):
    backend = EmbeddedBackend(tmp_path)
    b.offer(world, title="Viva")
    indexing.rebuild(backend)
    live = (tmp_path / CURRENT).read_text()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(indexing, "_fill_opportunities", broken)
    with pytest.raises(RuntimeError):
        indexing.rebuild(backend)
    assert (tmp_path / CURRENT).read_text() == live
    assert not (tmp_path / BUILDING).exists()
    assert titles(backend) == ["Viva"]
