"""Celery: eager (in-process) unless CELERY_BROKER_URL names a broker.

Work that must not be lost (index updates, skill extraction) goes through the outbox
(common.outbox): a row written with the change, a task fired on commit, and a periodic
sweeper (Celery beat) that re-sends what a dead broker or a killed worker left behind.
"""

from config.env import env

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "search.tasks.*": {"queue": "search"},
    "ml.tasks.*": {"queue": "ml"},
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# A message is acknowledged when its task ends, not when it starts; if the process running
# it dies (SIGKILL, out of memory) the message goes back to the queue. Tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"

# A request never waits long for a dead broker: short connect and socket timeouts. A
# message whose worker vanished (killed with the whole worker) is delivered again after
# the visibility timeout, which must outlast the longest task (the hard time limit);
# outbox work does not wait that long: the sweeper re-sends it after PONTE_OUTBOX_STUCK_AFTER.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int(
        "CELERY_BROKER_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60
    ),
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT

# The outbox sweeper (common.tasks.outbox_sweep_task), run by `celery -A config beat`.
PONTE_OUTBOX_SWEEP_EVERY = env.int("PONTE_OUTBOX_SWEEP_EVERY", default=60)
# Seconds after which outbox work handed to a worker and still not done is sent again.
PONTE_OUTBOX_STUCK_AFTER = env.int("PONTE_OUTBOX_STUCK_AFTER", default=180)
# After a failed publish a process leaves the broker alone for this many seconds.
PONTE_OUTBOX_BROKER_PAUSE = env.int("PONTE_OUTBOX_BROKER_PAUSE", default=30)
# Attempts before the sweeper gives up on a row (it stays in the admin, with its error).
PONTE_OUTBOX_MAX_ATTEMPTS = env.int("PONTE_OUTBOX_MAX_ATTEMPTS", default=10)
# Done rows are deleted after this many days.
PONTE_OUTBOX_KEEP_DAYS = env.int("PONTE_OUTBOX_KEEP_DAYS", default=7)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "common.tasks.outbox_sweep_task",
        "schedule": float(PONTE_OUTBOX_SWEEP_EVERY),
        # a sweep queued while no worker listened is useless once the next one is due
        "options": {"expires": max(PONTE_OUTBOX_SWEEP_EVERY - 5, 5)},
    },
}
