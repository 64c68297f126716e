"""The transactional outbox: work that must follow a commit, whatever fails meanwhile.

A service calls `outbox_put(topic=..., payload=...)` inside its transaction, so the row
commits or rolls back with the change. After the commit the row is handed to a worker
(`outbox_deliver_task`, on the topic's queue) with one quick attempt to reach
the broker; in eager mode (no broker: `make run`) it is delivered in-process at once. If
the broker is down the request still succeeds and the row waits; the sweeper
(`outbox_sweep`, every minute from Celery beat) sends again what is due: rows never sent,
rows whose worker died, rows whose handler failed (after a growing pause). So an outage
delays work, it never loses it.

Receivers register one handler per topic when their app is ready:
`outbox_register(PEOPLE_INDEX, handler="search.indexing.people_index", queue="search")`;
the handler is called with the payload as keyword arguments. Handlers must be idempotent
(read the current state, do what it asks): a row can be delivered more than once. Domain
apps do not call this module directly: they send a named event (common.events), and an
event with several receivers becomes one row per receiver, each retried on its own.
"""

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from common.logging import mask_personal_data
from common.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_PAUSE = timedelta(hours=1)
SWEEP_BATCH = 500


class BrokerPaused(Exception):
    """The broker failed moments ago: this process does not try it again yet."""


class _Breaker:
    """After a failed publish, a process leaves the broker alone for
    PONTE_OUTBOX_BROKER_PAUSE seconds: with a hung broker only one request pays the
    timeout, the others go on at once (their rows wait for the sweeper)."""

    def __init__(self) -> None:
        self.closed_until = 0.0

    def check(self) -> None:
        if time.monotonic() < self.closed_until:
            raise BrokerPaused("broker non raggiungibile poco fa: nuovo tentativo più tardi")

    def trip(self) -> None:
        self.closed_until = time.monotonic() + settings.PONTE_OUTBOX_BROKER_PAUSE

    def reset(self) -> None:
        self.closed_until = 0.0


broker_breaker = _Breaker()


@dataclass(frozen=True)
class Route:
    handler: str  # dotted path, resolved at delivery (tests may replace the function)
    queue: str


_routes: dict[str, Route] = {}


def outbox_register(topic: str, *, handler: str, queue: str = "default") -> None:
    """Name the function (dotted path) that carries out `topic`, and the queue it runs on."""
    _routes[topic] = Route(handler=handler, queue=queue)


def outbox_put(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record work to do after the current transaction commits (nothing if it rolls back).

    The payload must be JSON with ids only. Raises KeyError for a topic nobody handles.
    """
    if topic not in _routes:
        raise KeyError(f"Outbox topic without a handler: {topic}")
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    transaction.on_commit(partial(outbox_send, message_ids=[message.pk]))
    return message


# ------------------------------------------------------------------ sending and delivering


def _eager() -> bool:
    return bool(outbox_deliver_task.app.conf.task_always_eager)


def _stuck_after() -> timedelta:
    return timedelta(seconds=settings.PONTE_OUTBOX_STUCK_AFTER)


def _describe(error: BaseException) -> str:
    return mask_personal_data(f"{type(error).__name__}: {error}")[:300]


def outbox_send(*, message_ids: Sequence[int]) -> int:
    """Hand these rows to the workers (in eager mode: carry them out now); returns how many
    were handed over. Never raises: what could not be sent waits for the sweeper."""
    if not message_ids:
        return 0
    try:
        if _eager():
            return sum(1 for pk in message_ids if outbox_deliver(message_id=pk) is not None)
        return _publish(list(message_ids))
    except Exception as error:  # a failure here must not turn a saved change into a 500
        logger.warning("Outbox: invio rimandato (%s)", type(error).__name__)
        _mark_unsent(message_ids, error)
        return 0


def _mark_unsent(message_ids: Sequence[int], error: Exception) -> None:
    """Make the rows due for the next sweep; if even that fails they become due anyway
    once their claim expires."""
    try:
        OutboxMessage.objects.filter(pk__in=message_ids, done_at__isnull=True).update(
            due_at=timezone.now(), last_error=_describe(error)
        )
    except Exception:
        logger.warning("Outbox: righe non aggiornate dopo l'invio mancato", exc_info=True)


def _publish(message_ids: list[int]) -> int:
    """One quick try to reach the broker, then one message per row on its topic's queue.

    A row is claimed first (due again only after PONTE_OUTBOX_STUCK_AFTER), so that the
    sweeper leaves it to the worker meanwhile.
    """
    app = outbox_deliver_task.app
    rows = list(OutboxMessage.objects.filter(pk__in=message_ids, done_at__isnull=True))
    if not rows:
        return 0
    broker_breaker.check()
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)  # a dead broker fails now
            for row in rows:
                route = _routes.get(row.topic)
                OutboxMessage.objects.filter(pk=row.pk).update(
                    due_at=timezone.now() + _stuck_after()
                )
                outbox_deliver_task.apply_async(
                    (row.pk,),
                    queue=route.queue if route else "default",
                    producer=producer,
                    retry=False,
                    ignore_result=True,
                )
    except Exception:
        broker_breaker.trip()
        raise
    return len(rows)


def _pause(attempts: int) -> timedelta:
    """How long a failed row waits before the sweeper tries again: longer each time."""
    return min(_stuck_after() * max(attempts, 1), MAX_PAUSE)


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Carry out one row: call its handler, mark it done. Returns the row, or None when it
    is done already, unknown, or out of attempts (a message delivered twice is harmless).

    A failing handler leaves the row pending with its error; it is retried later.
    """
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, done_at__isnull=True, attempts__lt=settings.PONTE_OUTBOX_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1, due_at=now + _stuck_after())
    if not claimed:
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _handler(message.topic)(**message.payload)
    except Exception as error:
        logger.exception(
            "Outbox: %s #%s non riuscito (tentativo %s)",
            message.topic,
            message.pk,
            message.attempts,
        )
        message.last_error = _describe(error)
        message.due_at = timezone.now() + _pause(message.attempts)
        message.save(update_fields=["last_error", "due_at"])
        return message
    message.done_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["done_at", "last_error"])
    return message


def _handler(topic: str) -> Callable[..., Any]:
    route = _routes.get(topic)
    if route is None:
        raise LookupError(f"Nessun gestore per l'argomento «{topic}»")
    handler: Callable[..., Any] = import_string(route.handler)
    return handler


# ------------------------------------------------------------------ the sweeper


@dataclass(frozen=True)
class SweepResult:
    sent: int  # rows handed over again (or carried out, in eager mode)
    due: int  # rows that were due
    given_up: int  # rows out of attempts, left for a person to look at
    deleted: int  # done rows past PONTE_OUTBOX_KEEP_DAYS, removed


def outbox_sweep(*, now: datetime | None = None) -> SweepResult:
    """Send again every row that is due: never sent (broker down), sent but not done after
    PONTE_OUTBOX_STUCK_AFTER (worker killed), or failed and past its pause. Then delete done
    rows older than PONTE_OUTBOX_KEEP_DAYS. `now` lets a caller look ahead in time."""
    now = now or timezone.now()
    pending = OutboxMessage.objects.filter(done_at__isnull=True)
    due = list(
        pending.filter(due_at__lte=now, attempts__lt=settings.PONTE_OUTBOX_MAX_ATTEMPTS)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = outbox_send(message_ids=due)
    given_up = pending.filter(attempts__gte=settings.PONTE_OUTBOX_MAX_ATTEMPTS).count()
    if given_up:
        logger.error("Outbox: %s lavori senza più tentativi (vedi l'amministrazione)", given_up)
    kept_since = now - timedelta(days=settings.PONTE_OUTBOX_KEEP_DAYS)
    deleted, _by_model = OutboxMessage.objects.filter(done_at__lt=kept_since).delete()
    return SweepResult(sent=sent, due=len(due), given_up=given_up, deleted=deleted)


# ------------------------------------------------------------------ Celery tasks
# Defined here, next to what they run (common.tasks imports them for the worker's
# autodiscovery); their names are the ones the beat schedule and old messages use.


@shared_task(  # type: ignore[misc]
    name="common.tasks.outbox_deliver_task",
    acks_late=True,
    reject_on_worker_lost=True,  # bounded: every delivery counts an attempt on the row
    ignore_result=True,
)
def outbox_deliver_task(message_id: int) -> bool:
    """Carry out one outbox row (queued on its topic's queue by _publish)."""
    delivered = outbox_deliver(message_id=message_id)
    return delivered is not None and delivered.done_at is not None


@shared_task(name="common.tasks.outbox_sweep_task", ignore_result=True)  # type: ignore[misc]
def outbox_sweep_task() -> dict[str, Any]:
    """Run by Celery beat every PONTE_OUTBOX_SWEEP_EVERY seconds (CELERY_BEAT_SCHEDULE)."""
    result = outbox_sweep()
    return {
        "sent": result.sent,
        "due": result.due,
        "given_up": result.given_up,
        "deleted": result.deleted,
    }
