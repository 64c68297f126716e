"""/health/live and /health/ready: open without login, nothing personal or secret, no audit
row; readiness is 503 with the failing component named when the database, the broker or the
search backend is down, and a probe that hangs is cut at the deadline."""

import importlib
import socket
import threading

import pytest
from django.db.utils import ConnectionHandler

from common.models import AccessLog
from config import health

pytestmark = pytest.mark.django_db

SECRET = "s3greto-di-prova"


@pytest.fixture(autouse=True)
def own_index(settings, tmp_path):
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "index"


@pytest.fixture
def closed_port():
    """A local port nobody listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """A local port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def test_live_answers_anonymous_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_ok_when_every_dependency_answers(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["search"]["status"] == "ok"
    # the broker is probed only when tasks go through one (CELERY_BROKER_URL)
    expected = "ok" if health.broker_configured() else "disabled"
    assert body["components"]["broker"]["status"] == expected


def test_probes_write_no_audit_row_even_for_a_logged_in_user(client, counsellor):
    client.force_login(counsellor)
    client.get("/health/live")
    client.get("/health/ready")
    assert AccessLog.objects.count() == 0


def test_probes_stay_open_when_every_page_requires_login(client, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    assert client.get("/").status_code == 302  # the middleware is on
    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 200


def test_probes_are_not_redirected_to_https(client, settings, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "only-to-read-production-settings")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    production = importlib.import_module("config.settings.production")

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    assert client.get("/").status_code == 301
    assert client.get("/health/live").status_code == 200


def test_ready_is_503_when_the_database_is_down(client, monkeypatch, tmp_path):
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "missing-folder" / "db.sqlite3"),
            }
        }
    )
    monkeypatch.setattr(health, "connections", unreachable)
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["components"]["database"] == {"status": "down", "error": "OperationalError"}
    assert body["components"]["search"]["status"] == "ok"


def test_ready_is_503_when_the_broker_is_down_and_hides_its_address(client, settings, closed_port):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://:{SECRET}@127.0.0.1:{closed_port}/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["components"]["broker"]["status"] == "down"
    assert SECRET not in response.content.decode()
    assert str(closed_port) not in response.content.decode()


def test_a_broker_that_never_answers_does_not_hold_the_probe(client, settings, silent_server):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    settings.PONTE_HEALTH_TIMEOUT = 0.5
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["components"]["broker"]["status"] in {"down", "timeout"}


def test_ready_is_503_when_elasticsearch_is_unreachable(client, settings, closed_port):
    settings.PONTE_SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://elastic:{SECRET}@127.0.0.1:{closed_port}"
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["search"]["status"] == "down"
    assert body["components"]["database"]["status"] == "ok"
    assert SECRET not in response.content.decode()


def test_ready_is_503_when_the_embedded_index_cannot_be_opened(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PONTE_SEARCH_EMBEDDED_DIR = blocker / "index"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["components"]["search"]["status"] == "down"


def test_a_probe_still_running_at_the_deadline_is_reported_as_timeout():
    release = threading.Event()
    hanging = health.Check("hanging", lambda timeout: release.wait())
    quick = health.Check("quick", lambda timeout: None)
    skipped = health.Check("skipped", lambda timeout: None, enabled=False)
    try:
        results = health.run_checks([hanging, quick, skipped], timeout=0.2)
    finally:
        release.set()
    assert results["hanging"] == {"status": "timeout"}
    assert results["quick"]["status"] == "ok"
    assert results["skipped"] == {"status": "disabled"}
