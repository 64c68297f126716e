"""A worker killed in the middle of a task (SIGKILL: out of memory, a crash, kill -9) loses
no answer: every one reaches a final state once the broker redelivers the message (a
pool child died) or the sweeper sends the outbox row again (the whole worker died).

Real workers on the configured broker and PostgreSQL, consuming a queue of their own (the
session's worker never sees these messages). The hold hook of tests.worker_hold makes
every task's first delivery wait, so the test kills a process that is surely mid-task.
"""

import datetime
import os
import signal
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from common import outbox
from common.outbox import Route, outbox_sweep
from competenze.models import InterviewAnswer
from competenze.services.interviews import interview_answer, interview_start
from ml.receivers import EXTRACTION_TOPIC
from tests.factories import PersonFactory
from tests.factories.interviews import load_shipped_templates
from tests.workers import queue_forget, running_worker, wait_for, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FINAL_SECONDS = 180
ANSWERS = {
    "lavoro.prima.descrizione": "Lavoravo nella cucina del carcere: pelavo le patate e "
    "preparavo i primi per duecento persone.",
    "formazione.corsi": "Ho fatto il corso HACCP e quello per il carrello elevatore.",
    "istruzione.interrotti": "Ho lasciato l'istituto alberghiero al secondo anno.",
}
PENDING = InterviewAnswer.ExtractionStatus.PENDING


@pytest.fixture
def queue(celery_broker, monkeypatch):
    """A queue only this test's workers consume: extraction requests are routed there."""
    name = f"ml-lost-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(
        outbox._routes, EXTRACTION_TOPIC, Route(handler="ml.receivers.answer_saved", queue=name)
    )
    yield name
    queue_forget(name)


@pytest.fixture
def celery_broker(django_db_setup):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL non impostato: nessun worker reale")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("Il worker reale richiede PostgreSQL (DATABASE_URL)")


@pytest.fixture
def interview():
    call_command("load_framework", verbosity=0)
    load_shipped_templates()
    person = PersonFactory()
    started, _created = interview_start(person=person, started_by=person.counsellor)
    return started


def answer_all(interview) -> list[int]:
    """Save the answers as the API does: each commits, then its extraction is requested."""
    return [
        interview_answer(
            interview=interview,
            question_id=question_id,
            text=text,
            answered_by=interview.counsellor,
        ).pk
        for question_id, text in ANSWERS.items()
    ]


def statuses(ids: list[int]) -> list[str]:
    return list(
        InterviewAnswer.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("extraction_status", flat=True)
    )


def all_final(ids: list[int]) -> bool:
    return PENDING not in statuses(ids)


def held_pids(hold_dir) -> dict[str, int]:
    return {marker.name: int(marker.read_text()) for marker in hold_dir.glob("*.pid")}


def assert_extracted_once(ids: list[int]) -> None:
    assert statuses(ids) == [InterviewAnswer.ExtractionStatus.READY] * len(ids)
    duplicated = (
        InterviewAnswer.objects.filter(pk__in=ids)
        .values("pk", "suggestions__concept")
        .annotate(n=Count("suggestions"))
        .filter(n__gt=1)
    )
    assert not duplicated.exists()


def test_killed_pool_children_lose_no_answer(queue, interview, tmp_path):
    """Each task's first run is killed (its pool child gets SIGKILL); the message goes back
    to the queue (acks_late + reject_on_worker_lost) and a new child finishes it."""
    hold_dir = tmp_path / "held"
    hold_dir.mkdir()
    env = worker_env(hold_dir=hold_dir)
    with running_worker(queue=queue, pool="prefork", env=env, log_dir=tmp_path) as worker:
        ids = answer_all(interview)
        killed: set[str] = set()

        def kill_held_then_check() -> bool:
            for marker, pid in held_pids(hold_dir).items():
                if marker not in killed:
                    assert pid != worker.process.pid  # a pool child, not the worker itself
                    os.kill(pid, signal.SIGKILL)
                    killed.add(marker)
            return all_final(ids)

        wait_for(kill_held_then_check, seconds=FINAL_SECONDS, what="answers final")
    assert len(killed) == len(ANSWERS)  # every extraction was killed once, mid-task
    assert_extracted_once(ids)


def test_a_killed_worker_loses_no_answer(queue, interview, tmp_path):
    """The whole worker gets SIGKILL while running a task: its message stays unacknowledged
    at the broker; a new worker takes the rest, and the sweeper (run here as beat would,
    looking PONTE_OUTBOX_STUCK_AFTER ahead) sends the lost one again."""
    hold_dir = tmp_path / "held"
    hold_dir.mkdir()
    first = running_worker(
        queue=queue, pool="solo", env=worker_env(hold_dir=hold_dir), log_dir=tmp_path
    )
    with first as worker:
        ids = answer_all(interview)
        wait_for(lambda: held_pids(hold_dir), seconds=FINAL_SECONDS, what="a task held")
        (pid,) = held_pids(hold_dir).values()
        assert pid == worker.process.pid  # solo pool: the task runs in the worker itself
        os.kill(pid, signal.SIGKILL)
        worker.process.wait(timeout=30)
    assert PENDING in statuses(ids)
    with running_worker(queue=queue, pool="solo", env=worker_env(), log_dir=tmp_path):
        stuck_after = datetime.timedelta(seconds=settings.PONTE_OUTBOX_STUCK_AFTER + 1)
        result = outbox_sweep(now=timezone.now() + stuck_after)
        assert result.sent >= 1
        wait_for(lambda: all_final(ids), seconds=FINAL_SECONDS, what="answers final")
    assert_extracted_once(ids)
