"""Work a serving process does once when it starts, so that its first request does not.

Building the recogniser (ml.services.get_recognizer: the Italian pipeline, ~3,900 label
patterns, the similarity index) takes 1.5-4 s; without this the first answer analysed after
a start, or the first offer whose skills are suggested, waits for it. Web workers build it in
gunicorn's master before forking (config/gunicorn.py), Celery workers that consume the `ml`
queue in each worker process (config/celery.py). PONTE_ML_WARM_ON_START=false turns it off.
"""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

ML_QUEUE = "ml"


def recognizer_warm() -> bool:
    """Build the recogniser of the default framework and promoted model now; returns whether
    it is ready. Never raises: a process on a database without a framework yet (or not
    migrated) starts anyway and builds the recogniser on first use, as before."""
    if not settings.PONTE_ML_WARM_ON_START:
        return False
    from ml.services import get_recognizer

    started = time.perf_counter()
    try:
        get_recognizer()
    except Exception as error:
        logger.warning(
            "Riconoscitore non preparato all'avvio (%s): sarà costruito alla prima richiesta.",
            type(error).__name__,
        )
        return False
    logger.info("Riconoscitore pronto in %.1f s.", time.perf_counter() - started)
    return True


def worker_consumes_ml(queue_names: object) -> bool:
    """Whether a Celery worker reading these queues runs the recogniser's tasks."""
    return ML_QUEUE in set(queue_names)  # type: ignore[call-overload]
