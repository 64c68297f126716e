"""The embedded store: generations behind CURRENT, journal during rebuilds, many readers."""

import dataclasses
import time

import pytest

import search.backends._tantivy as tv
from search import indexing
from search.backends import RebuildInProgress
from search.backends.embedded import BUILDING, CURRENT, LOGGED_PER_ROW, EmbeddedBackend
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


def _texts(backend, *texts):
    return {
        text: sorted(
            hit.doc.title
            for hit in backend.match_opportunities_for_person(
                dataclasses.replace(query(), text=text, limit=50)
            ).hits
        )
        for text in texts
    }


TEXTS = ("cuoco", "MENSA scolastica", "saldature", "pasta_fresca", "_", "città", "elettriche")


def _offer(world, **fields):
    """An offer whose text is its title and description (no skills: no skill labels)."""
    return b.offer(world, skills=[], **fields)


def _publish(world, backend, **fields):
    docs, _gone = opportunity_docs(OFFER, [_offer(world, **fields).pk])
    backend.index_opportunities(docs)
    return docs[0]


def test_a_published_offer_waits_in_the_recent_log_until_a_merge_folds_it_into_tantivy(
    world, tmp_path
):
    """Publishing writes the features' delta and one line of the recent log, no tantivy
    commit; searches, text included, find it at once, and the same after the merge."""
    backend, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    backend.merge_in_background = False
    _offer(world, title="Cuoco per mensa scolastica")
    _offer(world, title="Saldature elettriche", description="Città di Milano")
    indexing.rebuild(backend)
    in_tantivy = backend.generation().opportunities.searcher().num_docs
    tantivy_files = sorted(p.name for p in (backend.generation().path / "opportunities").iterdir())
    new = _publish(world, backend, title="Pasta_fresca in mensa", description="cuoco di città")
    moved = _publish(world, backend, title="Saldature a filo")
    assert backend.generation().opportunities.searcher().num_docs == in_tantivy
    assert sorted(p.name for p in (backend.generation().path / "opportunities").iterdir()) == (
        tantivy_files
    )
    before = _texts(reader, *TEXTS)
    assert before["cuoco"] == ["Cuoco per mensa scolastica", "Pasta_fresca in mensa"]
    assert before["pasta_fresca"] == ["Pasta_fresca in mensa"]
    assert before["saldature"] == ["Saldature a filo", "Saldature elettriche"]
    assert before["_"] == []
    assert reader.opportunity_get(OFFER, new.id).title == "Pasta_fresca in mensa"
    assert reader.counts()["opportunities"] == in_tantivy + 2
    assert backend.merge_features()
    assert backend.generation().opportunities.searcher().num_docs == in_tantivy + 2
    assert _texts(reader, *TEXTS) == before
    assert reader.opportunity_get(OFFER, moved.id).title == "Saldature a filo"


def test_replaced_and_deleted_offers_hide_what_tantivy_still_holds(world, tmp_path):
    backend, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    backend.merge_in_background = False
    kept = _offer(world, title="Cuoco per mensa scolastica")
    gone = _offer(world, title="Saldature elettriche")
    indexing.rebuild(backend)
    kept.title = "Lavapiatti"
    kept.save()
    docs, _gone = opportunity_docs(OFFER, [kept.pk])
    backend.index_opportunities(docs)
    backend.delete_opportunity(OFFER, gone.pk)
    expected = {"cuoco": [], "lavapiatti": ["Lavapiatti"], "saldature": []}
    assert _texts(reader, *expected) == expected
    assert reader.opportunity_get(OFFER, gone.pk) is None
    assert reader.counts()["opportunities"] == 1
    assert backend.merge_features()
    assert _texts(reader, *expected) == expected
    assert reader.opportunity_get(OFFER, gone.pk) is None
    assert backend.generation().opportunities.searcher().num_docs == 1


def test_a_reader_on_the_delta_before_a_merge_still_finds_its_documents(world, tmp_path):
    """The previous base's log stays, like the base, until the next merge."""
    backend, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    backend.merge_in_background = False
    indexing.rebuild(backend)
    first = _publish(world, backend, title="Cuoco per mensa scolastica")
    _features, delta = reader.generation().store.snapshot()
    assert backend.merge_features()
    fresh = EmbeddedBackend(tmp_path).generation().recent  # nothing read yet
    assert fresh.documents(delta)[first.key].doc.title == "Cuoco per mensa scolastica"
    _publish(world, backend, title="Lavapiatti")
    assert backend.merge_features()
    assert not fresh.path(delta.base).exists()
    assert _texts(reader, "cuoco", "lavapiatti") == {
        "cuoco": ["Cuoco per mensa scolastica"],
        "lavapiatti": ["Lavapiatti"],
    }


def test_a_log_line_the_delta_does_not_name_is_not_read(world, tmp_path):
    """A write that failed between its log line and its delta is not half seen."""
    backend = EmbeddedBackend(tmp_path)
    indexing.rebuild(backend)
    doc = _publish(world, backend, title="Cuoco per mensa scolastica")
    live = backend.generation()
    delta = live.store.read_delta()
    ghost = dataclasses.replace(doc, id=doc.id + 1000, title="Fantasma")
    live.recent.append(delta.base, delta.seq + 1, [(ghost.key, tv.opportunity_json(ghost))])
    assert _texts(backend, "fantasma", "cuoco") == {
        "fantasma": [],
        "cuoco": ["Cuoco per mensa scolastica"],
    }


def test_the_same_offer_published_again_and_again_merges_by_the_logs_size(world, tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.merge_rows, backend.merge_in_background = 2, False
    indexing.rebuild(backend)
    first_base = _delta_of(backend).base
    offer = _offer(world, title="Cuoco per mensa scolastica")
    docs, _gone = opportunity_docs(OFFER, [offer.pk])
    size = len(tv.opportunity_json(docs[0])) + 20
    for _ in range(2 * LOGGED_PER_ROW // size + 2):
        backend.index_opportunities(docs)
    assert _delta_of(backend).base != first_base  # one row in the delta, a long log
    assert _texts(backend, "cuoco") == {"cuoco": ["Cuoco per mensa scolastica"]}


def test_offers_an_earlier_version_wrote_to_tantivy_are_read_from_there(world, tmp_path):
    """Upgrading over a live index: the delta's rows written before the recent log have
    no line in it, and tantivy, which the earlier version wrote them to, serves them."""
    backend = EmbeddedBackend(tmp_path)
    backend.merge_in_background = False
    indexing.rebuild(backend)
    earlier, _gone = opportunity_docs(OFFER, [_offer(world, title="Cuoco di una volta").pk])
    live = backend.generation()
    with backend.locked():  # what a write of the earlier version did
        writer = live.opportunities.writer(15_000_000, 1)
        writer.add_json(tv.opportunity_json(earlier[0]))
        writer.commit()
        writer.wait_merging_threads()
        live.store.write(earlier, [])
    _publish(world, backend, title="Cuoco di adesso")
    expected = {"cuoco": ["Cuoco di adesso", "Cuoco di una volta"]}
    assert _texts(backend, "cuoco") == expected
    assert backend.opportunity_get(OFFER, earlier[0].id).title == "Cuoco di una volta"
    assert backend.merge_features()
    assert _texts(backend, "cuoco") == expected
    assert backend.generation().opportunities.searcher().num_docs == 2
