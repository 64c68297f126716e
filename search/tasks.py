"""Celery tasks of the search app (queue "search", see CELERY_TASK_ROUTES): ids in, index out."""

from typing import Any

from celery import shared_task
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import ConnectionTimeout

NETWORK_ERRORS = (EsConnectionError, ConnectionTimeout)
RETRY = {"autoretry_for": NETWORK_ERRORS, "retry_backoff": True, "max_retries": 5}


@shared_task(name="search.tasks.people_index_task", acks_late=True, bind=True, **RETRY)  # type: ignore[misc]
def people_index_task(self: Any, person_ids: list[int]) -> int:
    """Reindex these people's candidate profiles; returns how many are in the index."""
    from search.indexing import people_index

    return people_index(person_ids)


@shared_task(name="search.tasks.opportunities_index_task", acks_late=True, bind=True, **RETRY)  # type: ignore[misc]
def opportunities_index_task(self: Any, kind: str, opportunity_ids: list[int]) -> int:
    """Reindex these offers, courses or placements (kind: offer, course, placement)."""
    from search.indexing import opportunities_index

    return opportunities_index(kind, opportunity_ids)


# Long, heavy tasks are not redelivered when the process running them dies
# (CELERY_TASK_REJECT_ON_WORKER_LOST is on for the rest): a task that runs out of memory
# would be killed again and again. They are run again by hand or by their schedule.
@shared_task(  # type: ignore[misc]
    name="search.tasks.search_rebuild_task", acks_late=True, reject_on_worker_lost=False
)
def search_rebuild_task() -> dict[str, int]:
    from search.indexing import rebuild

    counts = rebuild()
    return {"people": counts.people, "opportunities": counts.opportunities}


@shared_task(  # type: ignore[misc]
    name="search.tasks.ranker_train_task", acks_late=True, reject_on_worker_lost=False
)
def ranker_train_task() -> dict[str, Any]:
    """Retrain the outcome ranker; until enough outcomes exist the formula stays in use."""
    from search.ranking_data import ranker_train

    return ranker_train().as_dict()
