"""Who is rebuilding the index, and whether they are still alive.

A rebuild records its owner (host, process id) beside its lock (the embedded BUILDING file,
the Elasticsearch building index's `_meta`) and refreshes a heartbeat from a background
thread. Another process finds the builder dead when, on the same host, its process is gone,
or when the heartbeat is older than the stale limit (another host, a hung or reused pid);
it then discards the dead build, which also stops the writes noted for it.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 10.0
STALE_AFTER = 120.0


def process_running(pid: int) -> bool:
    """Whether a process with this id runs on this host (a zombie does not count)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


@dataclass(frozen=True)
class BuildOwner:
    host: str  # empty when the lock does not say (written before owners were recorded)
    pid: int
    heartbeat: float  # time.time() of the last sign of life

    @classmethod
    def current(cls) -> "BuildOwner":
        return cls(host=socket.gethostname(), pid=os.getpid(), heartbeat=time.time())

    @classmethod
    def unknown(cls, *, since: float) -> "BuildOwner":
        return cls(host="", pid=0, heartbeat=since)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BuildOwner":
        return cls(host=str(data["host"]), pid=int(data["pid"]), heartbeat=float(data["heartbeat"]))

    def as_dict(self) -> dict[str, Any]:
        return {"host": self.host, "pid": self.pid, "heartbeat": self.heartbeat}

    def beat(self) -> "BuildOwner":
        return replace(self, heartbeat=time.time())

    def is_dead(self, *, stale_after: float, now: float | None = None) -> bool:
        if self.host == socket.gethostname() and not process_running(self.pid):
            return True
        return (now or time.time()) - self.heartbeat > stale_after

    def describe(self, now: float | None = None) -> str:
        """In Italian, for the command's output: who, where, last sign of life."""
        seconds = max(0, round((now or time.time()) - self.heartbeat))
        if not self.host:
            return _("proprietario sconosciuto, avviata %(seconds)s s fa") % {"seconds": seconds}
        return _("processo %(pid)s su %(host)s, ultimo segnale di vita %(seconds)s s fa") % {
            "pid": self.pid,
            "host": self.host,
            "seconds": seconds,
        }


@dataclass(frozen=True)
class DeadBuild:
    """A rebuild whose builder died, discarded by another process."""

    name: str
    owner: BuildOwner

    def message(self) -> str:
        return _(
            "Trovata una ricostruzione interrotta (%(name)s, %(owner)s): il processo che la "
            "eseguiva non è più attivo. Ricostruzione scartata; le modifiche all'indice non "
            "vengono più annotate per lei."
        ) % {"name": self.name, "owner": self.owner.describe()}


class Heartbeat:
    """Calls `beat` every `every` seconds on a daemon thread, until `stop`."""

    def __init__(self, beat: Callable[[], None], every: float) -> None:
        self._beat = beat
        self._every = every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rebuild-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop beating; returns once the thread is gone (call it without holding the lock
        the beat takes)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self._beat()
            except Exception:  # a missed beat is not fatal; many missed ones are
                logger.warning(
                    "Ricostruzione dell'indice: segnale di vita non scritto", exc_info=True
                )
