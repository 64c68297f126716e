"""The rebuild lock survives a killed `search_rebuild`: the builder is recorded with a
heartbeat, a dead one is found, its build discarded (and its journal stopped), and the
command says so in Italian."""

import os
import socket
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from search import indexing
from search.backends import RebuildInProgress, RebuildLost, get_backend
from search.backends._builds import BuildOwner
from search.backends.elastic import OWNER_META, ElasticsearchBackend
from search.backends.embedded import BUILDING, CURRENT, EmbeddedBackend
from search.documents import CANDIDATES, OPPORTUNITIES
from search.types import OFFER
from tests.search import builders as b
from tests.search.fake_elastic import FakeElasticsearch
from tests.workers import ROOT, wait_for

pytestmark = pytest.mark.django_db

START_SECONDS = 60
NO_SUCH_PID = 2**22 + 1  # above Linux's largest pid_max: never a running process
# A rebuild started in another process, which then waits to be killed.
REBUILDER = """
import signal
import django
django.setup()
from search.backends import get_backend
running = get_backend().rebuild()
while True:
    signal.pause()
"""


def builder_pid(backend) -> int | None:
    """The process id the rebuild lock names, None when no rebuild holds it."""
    if isinstance(backend, EmbeddedBackend):
        state = backend._build_state()
        return state[1].pid if state else None
    indices = backend._building_indices()
    return backend._build_owner(indices).pid if indices else None


@pytest.fixture
def killed_rebuild(search_settings):
    """A rebuild of the configured backend whose process got SIGKILL while filling the new
    index; returns its pid."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PONTE_SEARCH_BACKEND": settings.PONTE_SEARCH_BACKEND,
        "PONTE_SEARCH_EMBEDDED_DIR": str(settings.PONTE_SEARCH_EMBEDDED_DIR),
        "PONTE_SEARCH_INDEX_PREFIX": settings.PONTE_SEARCH_INDEX_PREFIX,
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
    }
    backend = get_backend()
    backend.counts()  # the live index exists before the rebuild starts
    process = subprocess.Popen([sys.executable, "-c", REBUILDER], cwd=ROOT, env=env)
    try:
        wait_for(lambda: process.poll() is not None or builder_pid(backend) == process.pid,
                 seconds=START_SECONDS, what="rebuild started")  # fmt: skip
        assert process.poll() is None, "the rebuilding process ended by itself"
    finally:
        process.kill()
        process.wait(timeout=30)
    return process.pid


def test_a_killed_rebuild_is_discarded_and_the_command_says_so(backend_name, killed_rebuild,
                                                               world):  # fmt: skip
    b.offer(world, title="Dopo il crollo")
    output = StringIO()
    call_command("search_rebuild", verbosity=0, stdout=output)
    text = output.getvalue()
    assert "Trovata una ricostruzione interrotta" in text
    assert f"processo {killed_rebuild} su {socket.gethostname()}" in text
    assert "ricostruito: 0 profili, 1 opportunità" in text
    assert builder_pid(get_backend()) is None


def test_writes_after_the_builder_died_stop_going_to_its_journal(killed_rebuild, world,
                                                                 settings):  # fmt: skip
    """Embedded backend (the default here): the journal lives in the dead generation."""
    backend = get_backend()
    (dead,) = [p for p in settings.PONTE_SEARCH_EMBEDDED_DIR.glob("gen-*")
               if p.name != (settings.PONTE_SEARCH_EMBEDDED_DIR / CURRENT).read_text()]
    indexing.opportunities_index(OFFER, [b.offer(world).pk], backend=backend)
    assert not dead.exists()  # the dead build and its journal are gone
    assert not (settings.PONTE_SEARCH_EMBEDDED_DIR / BUILDING).exists()
    assert backend.counts()["opportunities"] == 1
    assert backend.recover_dead_rebuild() is None  # nothing left to recover


def test_a_living_rebuild_keeps_the_lock_and_says_whose_it_is(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    running = backend.rebuild()
    with pytest.raises(RebuildInProgress, match=f"processo {os.getpid()} su"):
        backend.rebuild()
    assert backend.recover_dead_rebuild() is None
    running.abort()
    backend.rebuild().abort()


def test_the_heartbeat_moves_while_the_rebuild_runs(tmp_path):
    backend = EmbeddedBackend(tmp_path, heartbeat_every=0.05, stale_after=60)
    running = backend.rebuild()
    first = backend._build_state()[1].heartbeat
    wait_for(lambda: backend._build_state()[1].heartbeat > first, seconds=10,
             what="heartbeat written")  # fmt: skip
    running.abort()
    assert backend._build_state() is None


def test_a_builder_is_dead_when_its_process_is_gone_or_silent_too_long():
    now = time.time()
    here = socket.gethostname()
    assert not BuildOwner(here, os.getpid(), now).is_dead(stale_after=120, now=now)
    assert BuildOwner(here, NO_SUCH_PID, now).is_dead(stale_after=120, now=now)
    assert BuildOwner(here, os.getpid(), now - 121).is_dead(stale_after=120, now=now)
    assert not BuildOwner("altro-server", 1, now - 60).is_dead(stale_after=120, now=now)
    assert BuildOwner("altro-server", 1, now - 121).is_dead(stale_after=120, now=now)


def test_a_lock_from_before_owners_were_kept_is_dead_once_stale(tmp_path):
    backend = EmbeddedBackend(tmp_path, stale_after=120)
    backend.counts()
    (tmp_path / "gen-vecchia").mkdir()
    (tmp_path / BUILDING).write_text("gen-vecchia")
    with pytest.raises(RebuildInProgress, match="proprietario sconosciuto"):
        backend.rebuild()
    two_minutes_ago = time.time() - 121
    os.utime(tmp_path / BUILDING, (two_minutes_ago, two_minutes_ago))
    dead = backend.recover_dead_rebuild()
    assert dead is not None and dead.name == "gen-vecchia"
    assert not (tmp_path / "gen-vecchia").exists()


def test_a_rebuild_discarded_as_dead_publishes_nothing(world, tmp_path):
    backend = EmbeddedBackend(tmp_path)
    offer = b.offer(world, title="Viva")
    indexing.rebuild(backend)
    live = (tmp_path / CURRENT).read_text()
    running = backend.rebuild()
    with backend.locked():  # what another process does when it finds no sign of life
        backend._discard(*backend._build_state())
    with pytest.raises(RebuildLost):
        running.publish(indexing.catch_up)
    running.abort()
    assert (tmp_path / CURRENT).read_text() == live
    assert backend.opportunity_get(OFFER, offer.pk).title == "Viva"


# ------------------------------------------------------------------ Elasticsearch, no cluster


def elastic(client: FakeElasticsearch) -> ElasticsearchBackend:
    return ElasticsearchBackend("http://elasticsearch.invalid", "ponte-prova", client=client)


def building_indices(client: FakeElasticsearch, owner: BuildOwner | None) -> list[str]:
    """Indices a rebuild left behind its building aliases, with `owner` in their _meta."""
    backend = elastic(client)
    backend.ensure()
    names = []
    for kind in (CANDIDATES, OPPORTUNITIES):
        name = f"ponte-prova-{kind}-vecchio"
        client.indices.create(index=name, body={"aliases": {backend.building_alias(kind): {}}})
        if owner is not None:
            client.indices.put_mapping(index=name, meta={OWNER_META: owner.as_dict()})
        names.append(name)
    return names


def test_elasticsearch_discards_a_dead_build_and_stops_writing_to_it():
    client = FakeElasticsearch()
    dead_owner = BuildOwner(socket.gethostname(), NO_SUCH_PID, time.time())
    left = building_indices(client, dead_owner)
    backend = elastic(client)
    assert backend._targets(CANDIDATES) == ["ponte-prova-candidates"]
    assert not set(left) & set(client.indices.indices)
    assert backend.recover_dead_rebuild() is None


def test_elasticsearch_recovers_a_silent_build_and_a_new_rebuild_records_its_owner():
    client = FakeElasticsearch()
    silent = BuildOwner("altro-server", 1234, time.time() - 600)
    building_indices(client, silent)
    dead = elastic(client).recover_dead_rebuild()
    assert dead is not None and "processo 1234 su altro-server" in dead.message()
    running = elastic(client).rebuild()
    mapping = client.indices.get_mapping(index=running.name).body[running.name]
    assert mapping["mappings"]["_meta"][OWNER_META]["pid"] == os.getpid()
    running._heartbeat.stop()


def test_elasticsearch_refuses_a_second_rebuild_while_the_builder_lives():
    client = FakeElasticsearch()
    building_indices(client, BuildOwner.current())
    with pytest.raises(RebuildInProgress, match=f"processo {os.getpid()} su"):
        elastic(client).rebuild()
    assert elastic(client)._targets(CANDIDATES) == [
        "ponte-prova-candidates", "ponte-prova-candidates-building"
    ]


def test_elasticsearch_build_without_an_owner_is_dead_once_stale():
    client = FakeElasticsearch()
    left = building_indices(client, owner=None)
    backend = elastic(client)
    with pytest.raises(RebuildInProgress, match="proprietario sconosciuto"):
        backend.rebuild()
    for name in left:
        client.indices.indices[name].created_ms -= 121_000
    assert backend.recover_dead_rebuild() is not None


def test_elasticsearch_rebuild_discarded_meanwhile_publishes_nothing():
    client = FakeElasticsearch()
    running = elastic(client).rebuild()
    mine = ",".join(running.indices.values())
    dead = elastic(client)._discard(mine.split(","), running.owner)  # as another process would
    assert running.name in dead.name
    with pytest.raises(RebuildLost):
        running.publish(indexing.catch_up)
    assert not running._heartbeat._thread.is_alive()
