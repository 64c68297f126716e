"""What the recogniser does when the domain apps send their events (common.events)."""

from common.events import ANSWER_SAVED, event_topic, receiver
from ml import services


@receiver(ANSWER_SAVED, queue="ml")
def answer_saved(*, answer_id: int) -> None:
    """Suggest the competences of a saved answer, on an `ml` worker after the commit."""
    services.answer_extract(answer_id=answer_id)


# The outbox topic of the request "recognise the skills in this answer".
EXTRACTION_TOPIC = event_topic(ANSWER_SAVED, answer_saved)
