"""Start and stop the production web server (gunicorn with config/gunicorn.py) as a child
process: the web benchmark and the tests that check the server itself use it."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from config.env import BASE_DIR

LISTENING = re.compile(r"Listening at: http://([\d.]+):(\d+)")
START_DEADLINE_S = 300.0  # imports, system checks and the recogniser, on a busy machine
STOP_DEADLINE_S = 60.0
IDLE_DEADLINE_S = 600.0
# TCP states (Linux /proc/net/tcp) of a connection whose request may still be served:
# established, half-open, closed by the client but not yet by the server
PENDING_STATES = {"01", "03", "08"}


def pending_connections(port: int) -> int:
    """Connections to local `port` that the server has not finished with (Linux; 0 where
    /proc/net/tcp is missing)."""
    count = 0
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        try:
            rows = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] in PENDING_STATES:
                count += 1
    return count


def _process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # exited meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


class GunicornProcess:
    """`with GunicornProcess(log=path, env={...}) as server:` serves at `server.url` once
    /health/live answers; leaving the block stops it (SIGTERM, then SIGKILL)."""

    def __init__(self, *, log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self.env = {**os.environ, "PONTE_WEB_BIND": "127.0.0.1:0", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> "GunicornProcess":
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.py")]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_live()
        except BaseException:
            self.stop()
            raise

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _wait_until_live(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"gunicorn è terminato ({self.process.returncode}):\n{self.log_text()}"
                )
            if not self.url and (found := LISTENING.search(self.log_text())):
                self.url = f"http://{found.group(1)}:{found.group(2)}"
            if self.url and self._answers("/health/live"):
                return
            time.sleep(0.2)
        raise ServerFailed(f"gunicorn non risponde:\n{self.log_text()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its live workers (Linux; 0 elsewhere)."""
        if self.process is None:
            return 0.0
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0.0
        pids = [pid, *(int(child) for child in children)]
        return sum((_process_cpu_seconds(each) for each in pids), 0.0)

    def wait_until_idle(self, deadline_s: float = IDLE_DEADLINE_S) -> bool:
        """Wait until every connection made so far has been served and closed (requests a
        load generator left queued when it stopped are still served); False at the
        deadline."""
        port = int(self.url.rsplit(":", 1)[1])
        deadline = time.monotonic() + deadline_s
        while pending_connections(port):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    def _answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            self.process.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
