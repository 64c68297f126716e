"""Celery tasks of the recogniser: they take ids, load, and call services."""

from celery import shared_task


@shared_task(name="ml.tasks.answer_extract_task", acks_late=True)  # type: ignore[misc]
def answer_extract_task(answer_id: int) -> int:
    """Compute and store the skill suggestions of one interview answer waiting for them.

    Returns the number of suggestions stored. Saved answers ask through the outbox
    (the ANSWER_SAVED event, ml.receivers); this task serves by-hand runs.
    """
    from ml.services import answer_extract

    return answer_extract(answer_id=answer_id)


# Not redelivered if its process dies (see search.tasks): a retrain that runs out of memory
# would be killed again and again.
@shared_task(  # type: ignore[misc]
    name="ml.tasks.model_retrain_task", acks_late=True, reject_on_worker_lost=False
)
def model_retrain_task() -> dict[str, object]:
    """Retrain on shipped data + counsellors' feedback; promote only if better."""
    from ml.services import model_retrain

    result = model_retrain()
    return {
        "version": result.version,
        "promoted": result.promoted,
        "metrics": result.candidate.as_dict(),
    }
