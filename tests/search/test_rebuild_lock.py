"""The rebuild lock survives a killed `search_rebuild`: the builder is recorded with a
heartbeat, a dead one is found, its build discarded (and its journal stopped), and the
command says so in Italian."""

import os
import socket
import subprocess
import sys
import time
import uuid
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from elasticsearch import Elasticsearch

from search import indexing
from search.backends import RebuildInProgress, RebuildLost, get_backend
from search.backends._builds import BuildOwner
from search.backends.elastic import OWNER_META, ElasticsearchBackend
from search.backends.embedded import BUILDING, CURRENT, EmbeddedBackend
from search.documents import CANDIDATES, OPPORTUNITIES
from search.types import OFFER
from tests.search import builders as b
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
        wait_for(
            lambda: process.poll() is not None or builder_pid(backend) == process.pid,
            seconds=START_SECONDS,
            what="rebuild started",
        )
        assert process.poll() is None, "the rebuilding process ended by itself"
    finally:
        process.kill()
        process.wait(timeout=30)
    return process.pid


def test_a_killed_rebuild_is_discarded_and_the_command_says_so(backend_name, killed_rebuild, world):
    b.offer(world, title="Dopo il crollo")
    output = StringIO()
    call_command("search_rebuild", verbosity=0, stdout=output)
    text = output.getvalue()
    assert "Trovata una ricostruzione interrotta" in text
    assert f"processo {killed_rebuild} su {socket.gethostname()}" in text
    assert "ricostruito: 0 profili, 1 opportunità" in text
    assert builder_pid(get_backend()) is None


def test_writes_after_the_builder_died_stop_going_to_its_journal(killed_rebuild, world, settings):
    """Embedded backend (the default here): the journal lives in the dead generation."""
    backend = get_backend()
    (dead,) = [
        p
        for p in settings.PONTE_SEARCH_EMBEDDED_DIR.glob("gen-*")
        if p.name != (settings.PONTE_SEARCH_EMBEDDED_DIR / CURRENT).read_text()
    ]
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
    wait_for(
        lambda: backend._build_state()[1].heartbeat > first, seconds=10, what="heartbeat written"
    )
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


# ------------------------------------------------------------------ Elasticsearch, real node


@pytest.fixture
def es_prefix():
    """A real Elasticsearch client and a prefix of this test's own; its indices are deleted
    after the test."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL non impostato: nessun cluster Elasticsearch")
    client = Elasticsearch(url)
    prefix = f"ponte-lock-{uuid.uuid4().hex[:10]}"
    yield client, prefix
    found = client.indices.get(index=f"{prefix}-*", allow_no_indices=True).body
    if found:
        client.indices.delete(index=",".join(sorted(found)), ignore_unavailable=True)


def elastic(es_prefix, stale_after: float | None = None) -> ElasticsearchBackend:
    client, prefix = es_prefix
    options = {} if stale_after is None else {"stale_after": stale_after}
    return ElasticsearchBackend("", prefix, client=client, **options)


def targets(backend: ElasticsearchBackend, kind: str) -> list[str]:
    return [name for name, _analysis in backend._targets(kind)]


def building_indices(es_prefix, owner: BuildOwner | None) -> list[str]:
    """Indices a rebuild left behind its building aliases, with `owner` in their _meta."""
    client, prefix = es_prefix
    backend = elastic(es_prefix)
    backend.ensure()
    names = []
    for kind in (CANDIDATES, OPPORTUNITIES):
        name = f"{prefix}-{kind}-vecchio"
        client.indices.create(index=name, aliases={backend.building_alias(kind): {}})
        if owner is not None:
            client.indices.put_mapping(index=name, meta={OWNER_META: owner.as_dict()})
        names.append(name)
    return names


@pytest.mark.search
def test_elasticsearch_discards_a_dead_build_and_stops_writing_to_it(es_prefix):
    client, prefix = es_prefix
    dead_owner = BuildOwner(socket.gethostname(), NO_SUCH_PID, time.time())
    left = building_indices(es_prefix, dead_owner)
    backend = elastic(es_prefix)
    assert targets(backend, CANDIDATES) == [f"{prefix}-{CANDIDATES}"]
    assert not client.indices.exists(index=",".join(left), allow_no_indices=False)
    assert backend.recover_dead_rebuild() is None


@pytest.mark.search
def test_elasticsearch_recovers_a_silent_build_and_a_new_rebuild_records_its_owner(es_prefix):
    client, _prefix = es_prefix
    silent = BuildOwner("altro-server", 1234, time.time() - 600)
    building_indices(es_prefix, silent)
    dead = elastic(es_prefix).recover_dead_rebuild()
    assert dead is not None and "processo 1234 su altro-server" in dead.message()
    running = elastic(es_prefix).rebuild()
    try:
        mapping = client.indices.get_mapping(index=running.name).body[running.name]
        assert mapping["mappings"]["_meta"][OWNER_META]["pid"] == os.getpid()
    finally:
        running._heartbeat.stop()
        running.abort()


@pytest.mark.search
def test_elasticsearch_owner_record_keeps_the_text_analysis_of_the_index(es_prefix):
    client, _prefix = es_prefix
    backend = elastic(es_prefix)
    running = backend.rebuild()
    try:
        running._beat()
        assert backend._analysis_of(running.name) == running.analysis[CANDIDATES]
    finally:
        running._heartbeat.stop()
        running.abort()


@pytest.mark.search
def test_elasticsearch_refuses_a_second_rebuild_while_the_builder_lives(es_prefix):
    _client, prefix = es_prefix
    building_indices(es_prefix, BuildOwner.current())
    with pytest.raises(RebuildInProgress, match=f"processo {os.getpid()} su"):
        elastic(es_prefix).rebuild()
    assert targets(elastic(es_prefix), CANDIDATES) == [
        f"{prefix}-{CANDIDATES}",
        f"{prefix}-{CANDIDATES}-building",
    ]


@pytest.mark.search
def test_elasticsearch_build_without_an_owner_is_dead_once_stale(es_prefix):
    building_indices(es_prefix, owner=None)
    with pytest.raises(RebuildInProgress, match="proprietario sconosciuto"):
        elastic(es_prefix).rebuild()
    # the same indices, judged by a process that allows no silence at all
    assert elastic(es_prefix, stale_after=0).recover_dead_rebuild() is not None


@pytest.mark.search
def test_elasticsearch_rebuild_discarded_meanwhile_publishes_nothing(es_prefix):
    running = elastic(es_prefix).rebuild()
    mine = list(running.indices.values())
    dead = elastic(es_prefix)._discard(mine, running.owner)  # as another process would
    assert running.name in dead.name
    with pytest.raises(RebuildLost):
        running.publish(indexing.catch_up)
    assert not running._heartbeat._thread.is_alive()
