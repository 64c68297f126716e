"""Gunicorn settings for Ponte: `gunicorn -c config/gunicorn.py` (`make serve`, and every web
host of docs/deployment.md). Everything below can be set from the environment:

    PONTE_WEB_BIND        address to listen on (default 127.0.0.1:8000; behind a load
                          balancer e.g. 0.0.0.0:8000)
    PONTE_WEB_WORKERS     worker processes (default 2 x CPUs + 1, at most 8)
    PONTE_WEB_THREADS     threads per worker (default 1: sync workers; more: gthread)
    PONTE_WEB_TIMEOUT     seconds a worker may stay silent before it is replaced (default 30)
    PONTE_WEB_KEEPALIVE   seconds an idle keep-alive connection is kept (default 5)
    PONTE_WEB_MAX_REQUESTS  requests after which a worker is replaced (default 0: never)
    FORWARDED_ALLOW_IPS   addresses of the proxies whose X-Forwarded-* headers are trusted

The application is loaded once in the master, which runs Django's system checks (a serious
one stops the start), builds the recogniser (config/warmup.py) and then forks the workers:
they share it, copy-on-write, and none pays for it on its first request.

The access log has no query string, no client address, no referrer and no user agent (they
can identify people or carry search terms), and goes, like the error log, through the filter
that masks anything shaped like a codice fiscale, an e-mail address or a phone number.
"""

import gc
import os

from gunicorn.glogging import Logger

from common.logging import PersonalDataFilter
from config.env import env

WORKERS_CAP = 8  # each worker thread holds a database connection: hosts x 8 x threads


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(cpus: int) -> int:
    return min(2 * cpus + 1, WORKERS_CAP)


def setting(name: str, default: int) -> int:
    """An integer from the environment; unset or empty (as in .env.example) is the default."""
    value = env.str(name, default="").strip()
    return int(value) if value else default


class MaskedLogger(Logger):
    """Gunicorn's logger, its access and error records masked like every other log."""

    def setup(self, cfg):  # type: ignore[no-untyped-def]
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, PersonalDataFilter) for f in log.filters):
                log.addFilter(PersonalDataFilter())


wsgi_app = "config.wsgi:application"
bind = [env.str("PONTE_WEB_BIND", default="") or "127.0.0.1:8000"]
workers = setting("PONTE_WEB_WORKERS", default_workers(available_cpus()))
threads = setting("PONTE_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = setting("PONTE_WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = setting("PONTE_WEB_KEEPALIVE", 5)
max_requests = setting("PONTE_WEB_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
preload_app = True
# proxies whose X-Forwarded-* headers are trusted (read here too, so that .env counts)
forwarded_allow_ips = env.str("FORWARDED_ALLOW_IPS", default="") or "127.0.0.1,::1"
proc_name = "ponte"
# heartbeat files on a memory file system: a busy disk must not make a worker look dead
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# no control socket: one fixed path per user would be shared by every server of that user
control_socket_disable = True

logger_class = MaskedLogger
accesslog = "-"
errorlog = "-"
# time, worker pid, method, path without query string, protocol, status, bytes, duration
access_log_format = '%(t)s %(p)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def on_starting(server):  # type: ignore[no-untyped-def]
    """In the master, the application loaded (preload_app), before any worker exists."""
    if not server.cfg.preload_app:
        return
    system_checks_or_stop(server)
    from django.db import connections

    from config.warmup import recognizer_warm

    recognizer_warm()
    # workers must not share the master's database connections (opened by the warm-up)
    connections.close_all()
    # objects made so far live as long as the process: keep the garbage collector from
    # touching (and so copying) their memory pages in every worker
    gc.freeze()


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Without preload_app each worker loads the application, and builds the recogniser."""
    if not worker.cfg.preload_app:
        from config.warmup import recognizer_warm

        recognizer_warm()


def system_checks_or_stop(server):  # type: ignore[no-untyped-def]
    """Django's system checks, as runserver runs them: warnings are logged, errors stop the
    start (RuntimeError: gunicorn prints it and exits with status 1)."""
    from django.core.checks import run_checks

    messages = run_checks()
    for message in messages:
        server.log.warning("%s", message)
    serious = [message for message in messages if message.is_serious()]
    if serious:
        raise RuntimeError(
            f"{len(serious)} errori nei controlli di sistema di Django: avvio annullato."
        )
