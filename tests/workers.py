"""Real Celery workers started and killed by tests (marked `worker`)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
READY_SECONDS = 60
POLL = 0.05


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    log: Path


def wait_for(condition: Callable[[], object], *, seconds: float, what: str) -> None:
    """Return once `condition()` is true; AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {seconds} s")
        time.sleep(POLL)


def worker_env(*, hold_dir: Path | None = None) -> dict[str, str]:
    """The environment of a worker on the test database; `hold_dir` enables the hold hook
    of tests.worker_hold (every task's first delivery waits to be killed)."""
    from tests.conftest import _database_url

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "PONTE_ML_ARTIFACT_DIR": str(settings.PONTE_ML_ARTIFACT_DIR),
    }
    env.pop("PONTE_TEST_HOLD_DIR", None)
    if hold_dir is not None:
        env["PONTE_TEST_HOLD_DIR"] = str(hold_dir)
    return env


@contextmanager
def running_worker(
    *, queue: str, pool: str, env: dict[str, str], log_dir: Path, app: str = "tests.worker_hold"
) -> Iterator[Worker]:
    """A worker of `app` consuming only `queue`; killed (the whole process group) at the end."""
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    log = log_dir / f"{name.split('@')[0]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        app,
        "worker",
        f"--pool={pool}",
        "--concurrency=1",
        "-Q",
        queue,
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        name,
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process, name.replace("%h", os.uname().nodename), log)
    try:
        _wait_ready(worker)
        yield worker
    finally:
        kill_group(process)


def _wait_ready(worker: Worker) -> None:
    def ready() -> bool:
        if worker.process.poll() is not None:
            raise RuntimeError(f"Il worker è terminato:\n{worker.log.read_text()}")
        return bool(celery_app.control.ping(destination=[worker.name], timeout=0.5))

    wait_for(ready, seconds=READY_SECONDS, what=f"worker {worker.name} ready")


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the worker and every process it forked (held tasks never end by themselves)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def queue_forget(queue: str) -> None:
    """Remove what a test left at the (Redis) broker for `queue`: waiting messages, and the
    unacknowledged ones of the workers it killed, which the broker would otherwise put
    back on the queue after the visibility timeout, with nobody left to consume them."""
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        client = channel.client
        client.delete(queue)
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == queue:
                client.zrem("unacked_index", tag)
                client.hdel("unacked", tag)
