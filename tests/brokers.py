"""Brokers that fail, for tests of the outbox: one that refuses connections, one that
accepts them and never answers."""

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from common.outbox import broker_breaker
from config.celery import app as celery_app

REFUSING_BROKER = "redis://127.0.0.1:1/0"  # port 1: nothing listens, connections are refused


def _forget_connections() -> None:
    celery_app.amqp._producer_pool = None
    celery_app._pool = None
    broker_breaker.reset()


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Publish to `url` (not eager) until the block ends, then restore the settings.

    Celery reads CELERY_BROKER_URL from the environment before its configuration, so
    both change."""
    conf = celery_app.conf
    previous = conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    conf.update(CELERY_TASK_ALWAYS_EAGER=False)
    _forget_connections()
    try:
        yield
    finally:
        if previous[1] is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = previous[1]
        conf.update(CELERY_TASK_ALWAYS_EAGER=previous[0])
        _forget_connections()


class SilentBroker:
    """A TCP port that accepts connections (the kernel completes the handshake) but never
    replies: a hung broker."""

    def __init__(self, listener: socket.socket) -> None:
        self.listener = listener
        self.url = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"

    def connections(self) -> int:
        """How many connections arrived since the last call."""
        count = 0
        self.listener.setblocking(False)
        while True:
            try:
                connection, _address = self.listener.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1


@contextmanager
def silent_broker() -> Iterator[SilentBroker]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield SilentBroker(listener)
