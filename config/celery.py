import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("ponte")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def recognizer_warm_in_ml_workers(**kwargs: object) -> None:
    """Each process of a worker reading the `ml` queue builds the recogniser as it starts
    (prefork children, or the solo pool's single process), not on its first task."""
    from config.warmup import recognizer_warm, worker_consumes_ml

    if worker_consumes_ml(app.amqp.queues.consume_from):
        recognizer_warm()
