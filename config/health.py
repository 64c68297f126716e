"""Liveness and readiness, for load balancers and process supervisors (docs/deployment.md).

`/health/live` answers as long as the process serves requests and touches nothing else.
`/health/ready` checks the database, the broker (when tasks go through one) and the search
backend, all at once, each in a thread of its own with a deadline of PONTE_HEALTH_TIMEOUT
seconds: a dependency that hangs is reported as "timeout" instead of holding the probe.

Both are open without login and carry nothing personal or secret: the status of each
component, how long it took, and on failure only the class of the error (messages can carry
host names or credentials). They read no personal data, so they write no audit row.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, DOWN, TIMEOUT, DISABLED = "ok", "down", "timeout", "disabled"
HEALTHY = {OK, DISABLED}


class ComponentDown(Exception):
    """A component answered, but not as a working one (e.g. a red Elasticsearch cluster)."""


@dataclass(frozen=True)
class Check:
    """A component to probe: `probe(timeout)` returns if it works and raises otherwise."""

    name: str
    probe: Callable[[float], None]
    enabled: bool = True


def database_probe(timeout: float) -> None:
    """One `SELECT 1` on a connection of this thread, closed afterwards (probes run in
    threads of their own: an open connection would be left behind)."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def broker_configured() -> bool:
    """Tasks go through a broker (eager mode runs them in the web process)."""
    url = settings.CELERY_BROKER_URL or ""
    return not settings.CELERY_TASK_ALWAYS_EAGER and not url.startswith("memory://")


def broker_probe(timeout: float) -> None:
    """A fresh connection to the broker, no retry, closed afterwards."""
    from kombu import Connection

    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options
    ) as connection:
        connection.ensure_connection(max_retries=0, timeout=timeout)


def search_probe(timeout: float) -> None:
    """Elasticsearch: the cluster answers and is not red. Embedded: the live index of this
    host opens (an empty one is created on first use, as any query would)."""
    from search.backends import ELASTICSEARCH, get_backend

    backend = get_backend()
    if backend.name == ELASTICSEARCH:
        client = backend.client.options(request_timeout=timeout, max_retries=0)  # type: ignore[attr-defined]
        if client.cluster.health()["status"] == "red":
            raise ComponentDown("red")
    else:
        backend.counts()


def readiness_checks() -> list[Check]:
    return [
        Check("database", database_probe),
        Check("broker", broker_probe, enabled=broker_configured()),
        Check("search", search_probe),
    ]


def _probe(check: Check, timeout: float, results: dict[str, dict[str, object]]) -> None:
    started = time.perf_counter()
    try:
        check.probe(timeout)
    except Exception as error:
        results[check.name] = {"status": DOWN, "error": type(error).__name__}
        logger.warning("Prontezza: %s non disponibile (%s)", check.name, type(error).__name__)
    else:
        milliseconds = round((time.perf_counter() - started) * 1000, 1)
        results[check.name] = {"status": OK, "ms": milliseconds}


def run_checks(checks: list[Check], *, timeout: float) -> dict[str, dict[str, object]]:
    """Probe every enabled check at once; a probe still running at the deadline is reported
    as "timeout" and left to finish on its own (daemon thread)."""
    results: dict[str, dict[str, object]] = {}
    threads = []
    for check in checks:
        if not check.enabled:
            continue
        thread = threading.Thread(
            target=_probe,
            args=(check, timeout, results),
            name=f"health-{check.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {
        check.name: (results.get(check.name) or {"status": TIMEOUT})
        if check.enabled
        else {"status": DISABLED}
        for check in checks
    }


@login_not_required
@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


@login_not_required
@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    components = run_checks(readiness_checks(), timeout=settings.PONTE_HEALTH_TIMEOUT)
    healthy = all(result["status"] in HEALTHY for result in components.values())
    return JsonResponse(
        {"status": OK if healthy else DOWN, "components": components},
        status=200 if healthy else 503,
    )
