"""HTTP load for the web benchmark: `clients` connections, each sending its next request as
soon as the previous answer arrives, for `duration` seconds, over a list of targets (path
and the Cookie of a logged-in user) taken in turn.

`wrk` (Debian package `wrk`) generates the load when it is installed: written in C, it
leaves the CPUs to the server. Otherwise a generator in Python (threads and http.client)
does; it needs a share of the CPUs itself, so its figures are lower bounds.
An error is an HTTP status of 400 or more, a socket error or a timeout.
"""

import http.client
import json
import math
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REQUEST_TIMEOUT_S = 60
WRK_THREADS = 2


@dataclass(frozen=True)
class Target:
    path: str
    cookie: str = ""


@dataclass(frozen=True)
class LoadResult:
    clients: int
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    tool: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load_run(
    *, base_url: str, targets: Sequence[Target], clients: int, duration: float, tool: str = "auto"
) -> LoadResult:
    """Load `base_url` with `clients` concurrent clients for `duration` seconds."""
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        return wrk_run(base_url=base_url, targets=targets, clients=clients, duration=duration)
    return python_run(base_url=base_url, targets=targets, clients=clients, duration=duration)


# ------------------------------------------------------------------------------------ wrk

WRK_SCRIPT = """
local targets = {%(targets)s}
local next_target = 0

function request()
  next_target = next_target %% #targets + 1
  local target = targets[next_target]
  return wrk.format("GET", target[1], {["Cookie"] = target[2]})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'PONTE-RESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _lua_string(text: str) -> str:
    """A Lua string literal: JSON's escapes of quotes, backslashes and control characters are
    Lua's too; paths and cookies are ASCII (URLs are percent-encoded)."""
    if not text.isascii():
        raise ValueError(f"non-ASCII target: {text!r}")
    return json.dumps(text)


def wrk_script(targets: Sequence[Target]) -> str:
    rows = ", ".join(f"{{{_lua_string(t.path)}, {_lua_string(t.cookie)}}}" for t in targets)
    return WRK_SCRIPT % {"targets": rows}


def wrk_run(
    *, base_url: str, targets: Sequence[Target], clients: int, duration: float
) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="ponte-wrk-") as folder:
        script = Path(folder) / "mix.lua"
        script.write_text(wrk_script(targets), encoding="utf-8")
        command = [
            "wrk",
            f"-t{min(WRK_THREADS, clients)}",
            f"-c{clients}",
            f"-d{max(1, round(duration))}s",
            f"--timeout={REQUEST_TIMEOUT_S}s",
            f"--script={script}",
            base_url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("PONTE-RESULT "))
    raw = json.loads(line.removeprefix("PONTE-RESULT "))
    return LoadResult(
        clients=clients,
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=raw["errors"],
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        tool="wrk",
    )


# --------------------------------------------------------------------------------- Python


class _Tally:
    def __init__(self, max_requests: int | None) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = 0
        self.max_requests = max_requests
        self.sent = 0

    def claim(self) -> bool:
        """Whether one more request may be sent (the cap, for tests, counts requests)."""
        with self.lock:
            if self.max_requests is not None and self.sent >= self.max_requests:
                return False
            self.sent += 1
            return True

    def record(self, seconds: float, failed: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.errors += failed


def _client(
    base_url: str, targets: Sequence[Target], offset: int, deadline: float, tally: _Tally
) -> None:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT_S
    )
    index = offset
    while time.monotonic() < deadline and tally.claim():
        target = targets[index % len(targets)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", target.path, headers={"Cookie": target.cookie})
            response = connection.getresponse()
            response.read()
            failed = response.status >= 400
        except (OSError, http.client.HTTPException):
            connection.close()  # reopened by the next request
            failed = True
        tally.record(time.perf_counter() - started, failed)
    connection.close()


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def python_run(
    *,
    base_url: str,
    targets: Sequence[Target],
    clients: int,
    duration: float,
    max_requests: int | None = None,
) -> LoadResult:
    """`max_requests` stops the run after that many requests (before the deadline)."""
    tally = _Tally(max_requests)
    started = time.monotonic()
    deadline = started + duration
    threads = [
        threading.Thread(target=_client, args=(base_url, targets, n, deadline, tally))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    latencies = tally.latencies
    return LoadResult(
        clients=clients,
        requests=len(latencies),
        seconds=seconds,
        errors=tally.errors,
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        tool="python",
    )
