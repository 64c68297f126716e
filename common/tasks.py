"""Celery tasks of the common app. The outbox's tasks live with the outbox (common.outbox):
imported here so that the worker's autodiscovery registers them."""

from common.outbox import outbox_deliver_task, outbox_sweep_task

__all__ = ["outbox_deliver_task", "outbox_sweep_task"]
