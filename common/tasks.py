"""Celery tasks of the outbox (common.outbox): deliver one row, sweep what is due."""

from typing import Any

from celery import shared_task


@shared_task(  # type: ignore[misc]
    name="common.tasks.outbox_deliver_task",
    acks_late=True,
    reject_on_worker_lost=True,  # bounded: every delivery counts an attempt on the row
    ignore_result=True,
)
def outbox_deliver_task(message_id: int) -> bool:
    """Carry out one outbox row (queued on its topic's queue by common.outbox)."""
    from common.outbox import outbox_deliver

    delivered = outbox_deliver(message_id=message_id)
    return delivered is not None and delivered.done_at is not None


@shared_task(name="common.tasks.outbox_sweep_task", ignore_result=True)  # type: ignore[misc]
def outbox_sweep_task() -> dict[str, Any]:
    """Run by Celery beat every PONTE_OUTBOX_SWEEP_EVERY seconds (CELERY_BEAT_SCHEDULE)."""
    from common.outbox import outbox_sweep

    result = outbox_sweep()
    return {
        "sent": result.sent,
        "due": result.due,
        "given_up": result.given_up,
        "deleted": result.deleted,
    }
