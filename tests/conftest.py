import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from config.celery import app as celery_app
from tests.factories import (
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
)

ROOT = Path(__file__).resolve().parent.parent
WORKER_READY_SECONDS = 60


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: API throttling counts requests there."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run in-process, except in tests marked `worker`, which need a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    # settings come from Django with the CELERY_ namespace: keys carry the prefix
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=eager or previous)
    yield
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=previous)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "postgres", safe="")
    password = db.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory):
    """A real Celery worker on the configured broker, using the test database."""
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL non impostato: nessun worker reale")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("Il worker reale richiede PostgreSQL (DATABASE_URL)")
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "PONTE_ML_ARTIFACT_DIR": str(settings.PONTE_ML_ARTIFACT_DIR),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "-Q",
        "default,search,ml",
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"test-{os.getpid()}@%h",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(process, log)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_ready(process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Il worker è terminato:\n{log.read_text()}")
        if celery_app.control.ping(timeout=0.5):
            return
        time.sleep(0.5)
    raise RuntimeError(f"Il worker non risponde:\n{log.read_text()}")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def counsellor(db):
    return CounsellorFactory()


@pytest.fixture
def programme_manager(db):
    return ProgrammeManagerFactory()


@pytest.fixture
def employer_user(db):
    return EmployerUserFactory()


@pytest.fixture
def host_body_user(db):
    return HostBodyUserFactory()


@pytest.fixture
def trainee_user(db):
    return TraineeUserFactory()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client
