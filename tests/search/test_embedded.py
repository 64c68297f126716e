"""The embedded store: generations behind CURRENT, journal during rebuilds, many readers."""

import time

import pytest

from search import indexing
from search.backends import RebuildInProgress
from search.backends.embedded import BUILDING, CURRENT, EmbeddedBackend
from search.indexing import catch_up
from search.parallel import InProcess
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
    indexing._fill_opportunities(running, InProcess(), indexing.no_progress)
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


def _delta_of(backend):
    return backend.generation().store.read_delta()


def test_the_delta_is_merged_into_a_new_base_once_it_grows(world, tmp_path):
    backend, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    backend.merge_rows, backend.merge_in_background = 3, False
    indexing.rebuild(backend)
    first_base = _delta_of(backend).base
    for number in range(4):
        docs, _gone = opportunity_docs(OFFER, [b.offer(world, title=f"Offerta {number}").pk])
        backend.index_opportunities(docs)
        assert titles(reader) == sorted(f"Offerta {n}" for n in range(number + 1))
    delta = _delta_of(backend)
    assert delta.base != first_base  # the third write merged the delta into a new base
    assert len(delta) == 1  # the fourth write is in the new delta
    features = tmp_path / (tmp_path / CURRENT).read_text() / "features"
    kept = {path.name for path in features.glob("base-*")}
    assert kept == {delta.base, first_base}  # and the previous one, for readers still on it


def test_a_merge_runs_in_the_background_and_readers_follow(world, tmp_path):
    backend, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    backend.merge_rows = 2
    indexing.rebuild(backend)
    first_base = _delta_of(backend).base
    for number in range(2):
        docs, _gone = opportunity_docs(OFFER, [b.offer(world, title=f"Offerta {number}").pk])
        backend.index_opportunities(docs)
    deadline = time.monotonic() + 60
    while _delta_of(backend).base == first_base:
        assert time.monotonic() < deadline, "the background merge never finished"
        time.sleep(0.05)
    assert len(_delta_of(backend)) == 0
    assert titles(reader) == ["Offerta 0", "Offerta 1"]


def test_an_index_an_older_version_wrote_is_replaced_not_a_failure(world, tmp_path, caplog):
    """Upgrading over a live index of another schema: reads and writes go on (on an empty
    index), and the log asks for the rebuild."""
    import tantivy

    old = tmp_path / "gen-old"
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=True, indexed=True, fast=True)
    (old / "candidates").mkdir(parents=True)
    tantivy.Index(builder.build(), path=str(old / "candidates"))
    (tmp_path / CURRENT).write_text("gen-old")
    backend = EmbeddedBackend(tmp_path)
    b.skill(world.person, world.cooking)
    b.share(world.person)
    with caplog.at_level("WARNING"):
        indexing.people_index([world.person.pk], backend)
    assert "search_rebuild" in caplog.text
    assert (tmp_path / CURRENT).read_text().strip() != "gen-old"
    assert backend.candidate_get(world.person.pk).person_id == world.person.pk


def test_a_commit_on_its_own_thread_is_waited_for_and_its_error_raised():
    from search.backends._generations import _started

    done = []
    wait = _started(lambda: done.append(1))
    wait()
    assert done == [1]

    def fail():
        raise OSError("disco pieno")

    with pytest.raises(OSError, match="disco pieno"):
        _started(fail)()
