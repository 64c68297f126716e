"""The transactional outbox: rows written with the change, delivered after the commit,
kept through a broker outage or a failing handler, sent again by the sweeper."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.models import OutboxMessage
from common.outbox import outbox_deliver, outbox_put, outbox_register, outbox_send, outbox_sweep
from common.tasks import outbox_deliver_task, outbox_sweep_task
from config.celery import app as celery_app
from tests.brokers import REFUSING_BROKER, broker_at, silent_broker
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOPIC = "tests.record"


class Recorder:
    """The handler of TOPIC: records its calls, fails while `error` is set."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.error: Exception | None = None

    def __call__(self, *, value: int) -> None:
        self.calls.append(value)
        if self.error is not None:
            raise self.error


recorder = Recorder()
outbox_register(TOPIC, handler="tests.common.test_outbox.recorder", queue="default")


@pytest.fixture(autouse=True)
def handler():
    recorder.calls.clear()
    recorder.error = None
    return recorder


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_the_row_commits_with_the_change_and_rolls_back_with_it(handler):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_put(topic=TOPIC, payload={"value": 1})
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()
    assert handler.calls == []


def test_in_eager_mode_the_work_runs_right_after_the_commit(
    handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_put(topic=TOPIC, payload={"value": 7})
        assert handler.calls == []  # not before the commit
    assert handler.calls == [7]
    message.refresh_from_db()
    assert message.done_at is not None
    assert (message.attempts, message.last_error) == (1, "")


def test_a_topic_nobody_handles_is_refused_before_anything_is_written():
    with pytest.raises(KeyError):
        outbox_put(topic="tests.nobody", payload={})
    assert not OutboxMessage.objects.exists()


def test_a_failing_handler_keeps_the_row_with_its_error_and_waits_longer_each_time(handler):
    handler.error = ValueError("index unavailable")
    message = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 3})
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.done_at is None
    assert message.last_error == "ValueError: index unavailable"
    first_pause = message.due_at - timezone.now()
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.due_at - timezone.now() > first_pause
    handler.error = None
    outbox_sweep(now=message.due_at)
    message.refresh_from_db()
    assert message.done_at is not None
    assert handler.calls == [3, 3, 3]


def test_the_sweeper_sends_again_only_what_is_due(handler):
    stuck_after = settings.PONTE_OUTBOX_STUCK_AFTER
    never_sent = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 1})
    with_a_worker = OutboxMessage.objects.create(
        topic=TOPIC, payload={"value": 2}, due_at=later(stuck_after)
    )
    done = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 3}, done_at=later(-1))
    result = outbox_sweep()
    assert (result.due, result.sent, handler.calls) == (1, 1, [1])
    result = outbox_sweep(now=later(stuck_after + 1))  # the worker died: send it again
    assert (result.due, result.sent, handler.calls) == (1, 1, [1, 2])
    for message in (never_sent, with_a_worker, done):
        message.refresh_from_db()
        assert message.done_at is not None


def test_a_row_delivered_twice_runs_once(handler):
    message = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 5})
    assert outbox_deliver(message_id=message.pk) is not None
    assert outbox_deliver(message_id=message.pk) is None
    assert handler.calls == [5]


def test_the_sweeper_gives_up_after_the_last_attempt(handler, settings):
    settings.PONTE_OUTBOX_MAX_ATTEMPTS = 2
    handler.error = RuntimeError("always")
    message = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 4})
    for _attempt in range(3):
        message.refresh_from_db()
        result = outbox_sweep(now=message.due_at)
    assert handler.calls == [4, 4]
    assert (result.due, result.given_up) == (0, 1)
    assert OutboxMessage.objects.get(pk=message.pk).done_at is None


def test_done_rows_are_deleted_after_the_days_they_are_kept(settings):
    settings.PONTE_OUTBOX_KEEP_DAYS = 7
    old = OutboxMessage.objects.create(topic=TOPIC, done_at=later(-8 * 86400))
    recent = OutboxMessage.objects.create(topic=TOPIC, done_at=later(-6 * 86400))
    assert outbox_sweep().deleted == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_the_sweep_command_reports_in_italian(handler):
    OutboxMessage.objects.create(topic=TOPIC, payload={"value": 9})
    output = StringIO()
    call_command("outbox_sweep", stdout=output)
    assert "rimandati: 1" in output.getvalue()
    assert handler.calls == [9]


def test_the_admin_lists_rows_given_up_and_makes_them_due_again(client, handler, settings):
    settings.PONTE_OUTBOX_MAX_ATTEMPTS = 1
    given_up = OutboxMessage.objects.create(
        topic=TOPIC, payload={"value": 6}, attempts=1, last_error="RuntimeError: x"
    )
    admin = UserFactory(role="amministratore", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:common_outboxmessage_changelist")
    assert "RuntimeError: x" in client.get(changelist).content.decode()
    response = client.post(
        changelist, {"action": "retry", "_selected_action": [given_up.pk]}, follow=True
    )
    assert "1 lavoro sarà rimandato" in response.content.decode()
    outbox_sweep()
    assert handler.calls == [6]


# ------------------------------------------------------------------ broker outage


def test_a_refusing_broker_leaves_the_row_for_the_sweeper(handler):
    message = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 1})
    with broker_at(REFUSING_BROKER):
        assert outbox_send(message_ids=[message.pk]) == 0
    message.refresh_from_db()
    assert message.done_at is None and message.due_at <= timezone.now()
    assert message.last_error.startswith("OperationalError")
    assert handler.calls == []
    outbox_sweep()  # the broker is back (eager here): the work is done
    assert handler.calls == [1]


@pytest.mark.timeout(60)
def test_a_broker_that_never_answers_holds_one_caller_briefly_and_no_other(handler):
    """Without socket timeouts the publish would wait for ever (the test's timeout); after
    one failure the process leaves the broker alone for a while."""
    first = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 1})
    second = OutboxMessage.objects.create(topic=TOPIC, payload={"value": 2})
    with silent_broker() as broker, broker_at(broker.url):
        assert outbox_send(message_ids=[first.pk]) == 0
        assert broker.connections() >= 1
        assert outbox_send(message_ids=[second.pk]) == 0
        assert broker.connections() == 0  # not even tried
    for message in (first, second):
        message.refresh_from_db()
        assert message.done_at is None and message.last_error
    assert second.last_error.startswith("BrokerPaused")


# ------------------------------------------------------------------ configuration


def test_tasks_survive_a_lost_worker_and_the_sweeper_is_scheduled():
    conf = celery_app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert outbox_deliver_task.acks_late and outbox_deliver_task.reject_on_worker_lost
    # a long task is not delivered twice while it runs, a dead one is delivered again
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.broker_transport_options["socket_connect_timeout"] <= 5
    assert conf.broker_transport_options["socket_timeout"] <= 10
    (entry,) = [e for e in conf.beat_schedule.values() if e["task"] == outbox_sweep_task.name]
    assert entry["schedule"] == settings.PONTE_OUTBOX_SWEEP_EVERY
    assert outbox_sweep_task.name in celery_app.tasks


def test_long_tasks_are_not_redelivered_after_their_process_died():
    """A rebuild or a retrain killed for lack of memory would be killed again and again."""
    from ml.tasks import model_retrain_task
    from search.tasks import ranker_train_task, search_rebuild_task

    for task in (search_rebuild_task, ranker_train_task, model_retrain_task):
        assert task.acks_late and not task.reject_on_worker_lost
