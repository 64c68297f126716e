"""The production web server: gunicorn with config/gunicorn.py, started for real.

The master runs Django's system checks (a serious one stops it), builds the recogniser before
forking the workers, and the access log carries neither query strings nor anything shaped
like personal data."""

import socket
import sqlite3
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from config import gunicorn as gunicorn_settings
from config.webserver import GunicornProcess, ServerFailed
from tests.conftest import _database_url

SECRET = "s3greto-nella-query"
EMAIL = "persona.di-prova@example.org"
MASK = "[dato personale omesso]"
LOG_DEADLINE_S = 30.0


def database_url_for_a_server(tmp_path) -> str:
    """The test database, as a child process can open it: PostgreSQL's test database as is;
    SQLite's (in memory) copied to a file."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        target = tmp_path / "served.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    return _database_url()


def server_env(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "PONTE_ML_ARTIFACT_DIR": str(tmp_path / "models"),
        "PONTE_SEARCH_EMBEDDED_DIR": str(tmp_path / "index"),
        "PONTE_SEARCH_BACKEND": "embedded",
        "PONTE_SEARCH_SINGLE_HOST": "true",
        "PONTE_WEB_WORKERS": "2",
        **extra,
    }


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_log(server: GunicornProcess, text: str) -> str:
    """The server's log once it contains `text` (a worker writes its access line after the
    response has gone)."""
    deadline = time.monotonic() + LOG_DEADLINE_S
    while (log := server.log_text()).count(text) == 0:
        assert time.monotonic() < deadline, f"{text!r} non compare nel log:\n{log}"
        time.sleep(0.1)
    return log


def test_default_workers_are_two_per_cpu_plus_one_capped():
    assert gunicorn_settings.default_workers(1) == 3
    assert gunicorn_settings.default_workers(2) == 5
    assert gunicorn_settings.default_workers(64) == gunicorn_settings.WORKERS_CAP
    assert "%(q)s" not in gunicorn_settings.access_log_format
    assert "%(r)s" not in gunicorn_settings.access_log_format  # the request line has the query


def test_settings_left_empty_as_in_env_example_take_their_default(monkeypatch):
    monkeypatch.setenv("PONTE_WEB_WORKERS", "")
    assert gunicorn_settings.setting("PONTE_WEB_WORKERS", 7) == 7
    monkeypatch.setenv("PONTE_WEB_WORKERS", "3")
    assert gunicorn_settings.setting("PONTE_WEB_WORKERS", 7) == 3


@pytest.mark.django_db(transaction=True)
def test_the_server_warms_the_recogniser_before_forking_and_logs_no_personal_data(tmp_path):
    call_command("load_framework", verbosity=0)
    env = server_env(tmp_path, DATABASE_URL=database_url_for_a_server(tmp_path))
    with GunicornProcess(log=tmp_path / "gunicorn.log", env=env) as server:
        assert get(f"{server.url}/health/ready") == 200
        assert get(f"{server.url}/health/live?token={SECRET}") == 200
        assert get(f"{server.url}/{EMAIL}/") == 404
        log = wait_for_log(server, '"GET /health/live HTTP/1.1" 200')
        log = wait_for_log(server, f'"GET /{MASK}/ HTTP/1.1" 404')
        assert server.wait_until_idle()
        with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))):
            # a connection whose request has not been served yet (nothing sent)
            assert not server.wait_until_idle(deadline_s=0.3)
        assert server.wait_until_idle()
    assert log.index("Riconoscitore pronto") < log.index("Booting worker")
    assert SECRET not in log
    assert EMAIL not in log


def test_the_server_refuses_to_start_on_a_serious_system_check(tmp_path):
    env = server_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="only-for-this-test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        PONTE_SEARCH_SINGLE_HOST="",
    )
    env.pop("ELASTICSEARCH_URL", None)
    with pytest.raises(ServerFailed, match="search.E002") as failure:
        GunicornProcess(log=tmp_path / "gunicorn.log", env=env).start()
    assert "avvio annullato" in str(failure.value)
