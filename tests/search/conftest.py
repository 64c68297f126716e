import atexit
import os
import shutil
import tempfile
import uuid

import pytest

from search.backends import ELASTICSEARCH, EMBEDDED, get_backend
from tests.search import es_spec
from tests.search.builders import World, build_world

# A real worker (tests marked `worker`) is started later with a copy of os.environ: it must
# write where the test process reads. Per-test directories override this for everything else.
if "PONTE_SEARCH_EMBEDDED_DIR" not in os.environ:
    os.environ["PONTE_SEARCH_EMBEDDED_DIR"] = tempfile.mkdtemp(prefix="ponte-search-worker-")
    atexit.register(shutil.rmtree, os.environ["PONTE_SEARCH_EMBEDDED_DIR"], ignore_errors=True)
WORKER_INDEX_DIR = os.environ["PONTE_SEARCH_EMBEDDED_DIR"]
BACKENDS = [EMBEDDED, pytest.param(ELASTICSEARCH, marks=pytest.mark.search)]


@pytest.fixture(autouse=True)
def search_settings(settings, tmp_path):
    """Each test gets its own embedded index, ranker file and Elasticsearch prefix."""
    settings.PONTE_SEARCH_BACKEND = EMBEDDED
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "index"
    settings.PONTE_SEARCH_RANKER_PATH = tmp_path / "ranker.json"
    settings.PONTE_SEARCH_INDEX_PREFIX = f"ponte-test-{uuid.uuid4().hex[:10]}"
    return settings


@pytest.fixture(params=BACKENDS)
def backend_name(request, settings, monkeypatch):
    """Run the test on the embedded backend, and on Elasticsearch when ELASTICSEARCH_URL is set;
    there, every body sent is checked against the specification too (when it is at hand)."""
    sent = None
    if request.param == ELASTICSEARCH:
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL non impostato: nessun cluster Elasticsearch")
        settings.ELASTICSEARCH_URL = url
        if es_spec.spec_path() is not None:
            sent = es_spec.SentBodies().install(monkeypatch)
    settings.PONTE_SEARCH_BACKEND = request.param
    yield request.param
    get_backend().clear()
    if sent is not None and (problems := sent.violations()):
        pytest.fail("Corpi fuori specifica:\n" + "\n".join(problems[:10]))


@pytest.fixture
def world(db) -> World:
    return build_world()
