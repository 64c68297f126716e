"""What search does when the domain apps send their events (common.events): keep the index
in step with the database. Changes are reindexed by a worker after the commit; deletes and
a withdrawn consent leave the index at once, in the sender's transaction."""

from common.events import (
    OPPORTUNITY_CHANGED,
    OPPORTUNITY_DELETED,
    PERSON_CHANGED,
    PERSON_DELETED,
    PERSON_UNSHARED,
    receiver,
)
from search import indexing


@receiver(PERSON_CHANGED, queue="search")
def person_changed(*, person_id: int) -> None:
    indexing.people_index([person_id])


@receiver(OPPORTUNITY_CHANGED, queue="search")
def opportunity_changed(*, kind: str, opportunity_id: int) -> None:
    indexing.opportunities_index(kind, [opportunity_id])


@receiver(PERSON_UNSHARED)
def person_unshared(*, person_id: int) -> None:
    indexing.person_unshared(person_id)


@receiver(PERSON_DELETED)
def person_deleted(*, person_id: int) -> None:
    indexing.person_deleted(person_id)


@receiver(OPPORTUNITY_DELETED)
def opportunity_deleted(*, kind: str, opportunity_id: int) -> None:
    indexing.opportunity_deleted(kind, opportunity_id)
