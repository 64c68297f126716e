"""The Celery app for tests that kill workers (`celery -A tests.worker_hold worker`): Ponte's
app plus a hook that holds the first delivery of every task until the test kills the
process running it. A task delivered again after the kill runs normally.

Enabled by PONTE_TEST_HOLD_DIR: the hook writes `<task id>.pid` there (the pid of the
process running the task) and waits for a signal that never comes but SIGKILL.
"""

import os
import signal
from pathlib import Path
from typing import Any

from celery.signals import task_prerun

from config.celery import app

__all__ = ["app"]


@task_prerun.connect
def hold_first_delivery(task_id: str | None = None, **kwargs: Any) -> None:
    hold_dir = os.environ.get("PONTE_TEST_HOLD_DIR")
    if not hold_dir or task_id is None:
        return
    marker = Path(hold_dir) / f"{task_id}.pid"
    if marker.exists():
        return
    partial = marker.with_suffix(".tmp")
    partial.write_text(str(os.getpid()))
    partial.replace(marker)
    while True:
        signal.pause()
