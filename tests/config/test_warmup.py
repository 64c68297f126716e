"""Serving processes build the recogniser when they start (config/warmup.py): gunicorn's
master before forking (tests/config/test_gunicorn.py), every process of a Celery worker that
reads the `ml` queue; a process without a framework yet still starts."""

import logging
import os
import subprocess
import sys
import time

import pytest
from celery.signals import worker_process_init
from django.conf import settings
from django.core.management import call_command

from config.celery import app as celery_app
from config.warmup import recognizer_warm
from ml import services as ml_services
from tests.conftest import ROOT, _database_url

WORKER_DEADLINE_S = 300.0


@pytest.fixture
def cold(settings, tmp_path):
    """No recogniser built in this process yet; models in a folder of the test's own."""
    settings.PONTE_ML_ARTIFACT_DIR = tmp_path / "models"
    ml_services._cached_recognizer.cache_clear()
    yield
    ml_services._cached_recognizer.cache_clear()


def builds() -> int:
    return ml_services._cached_recognizer.cache_info().misses


@pytest.fixture
def framework(db):
    call_command("load_framework", verbosity=0)


def test_warm_up_builds_the_recognizer_the_first_request_then_reuses(cold, framework):
    assert recognizer_warm() is True
    assert builds() == 1
    ml_services.get_recognizer()
    assert builds() == 1


def test_warm_up_without_a_framework_lets_the_process_start(cold, db, caplog):
    with caplog.at_level(logging.WARNING, logger="config.warmup"):
        assert recognizer_warm() is False
    assert "alla prima richiesta" in caplog.text


def test_warm_up_can_be_turned_off(cold, framework, settings):
    settings.PONTE_ML_WARM_ON_START = False
    assert recognizer_warm() is False
    assert builds() == 0


@pytest.mark.parametrize(("queues", "expected_builds"), [(["default", "ml"], 1), (["default"], 0)])
def test_celery_worker_processes_of_the_ml_queue_warm_up(
    cold, framework, monkeypatch, queues, expected_builds
):
    monkeypatch.setattr(celery_app.amqp.queues, "_consume_from", dict.fromkeys(queues))
    worker_process_init.send(sender=None)
    assert builds() == expected_builds


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_ml_worker_has_the_recognizer_before_it_is_ready(cold, tmp_path):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL non impostato: nessun worker reale")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("Il worker reale richiede PostgreSQL (DATABASE_URL)")
    call_command("load_framework", verbosity=0)
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "PONTE_ML_ARTIFACT_DIR": str(tmp_path / "models"),
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
        "ml",
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"warmup-{os.getpid()}@%h",
    ]
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + WORKER_DEADLINE_S
        while " ready." not in (text := log.read_text()):
            assert worker.poll() is None, f"il worker è terminato:\n{text}"
            assert time.monotonic() < deadline, f"il worker non è pronto:\n{text}"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert "Riconoscitore pronto" in text
    assert text.index("Riconoscitore pronto") < text.index(" ready.")
