"""Named domain events: how a domain app says "this happened" without knowing who listens.

The domain apps (common, competenze, lavoro) never import search or ml. A service sends an
event; the apps above register receivers for it in their `AppConfig.ready()` (by importing
their `receivers.py`). Two kinds of event:

- **on commit** (`send_on_commit`): the change must be seen by a worker after the commit
  (reindex a person, recognise the skills in an answer). Each receiver becomes one row of
  the transactional outbox (common.outbox), written in the sender's transaction: nothing
  happens if it rolls back, and a dead broker or a killed worker delays the work, never
  loses it. Receivers get the payload as keyword arguments and must be idempotent.
- **immediate** (`send_now`): deletes and a withdrawn consent. The receivers run at once,
  in the sender's process and transaction: the row may be gone before a worker would look,
  and a person who withdraws consent must vanish from employers' searches now, not later.

Payloads hold ids and codes only (JSON), never personal data: they are stored in the outbox.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.module_loading import import_string

from common.outbox import outbox_put, outbox_register

Receiver = Callable[..., object]
R = TypeVar("R", bound=Receiver)


@dataclass(frozen=True)
class Event:
    """A named event and the payload keys every sender must give."""

    name: str
    fields: tuple[str, ...]
    immediate: bool = False  # receivers run at once, in the sender's transaction

    def check(self, payload: dict[str, Any]) -> None:
        if set(payload) != set(self.fields):
            raise TypeError(f"Event {self.name} takes {sorted(self.fields)}, not {sorted(payload)}")


# competenze: a person's candidate profile changed (skills, stages, consents, data)
PERSON_CHANGED = Event("person.changed", ("person_id",))
# competenze: a consent to share the profile with employers was withdrawn
PERSON_UNSHARED = Event("person.unshared", ("person_id",), immediate=True)
# competenze: a person's record is deleted (sent before or after the row goes)
PERSON_DELETED = Event("person.deleted", ("person_id",), immediate=True)
# competenze: an interview answer waits for its skill suggestions
ANSWER_SAVED = Event("answer.saved", ("answer_id",))
# lavoro: an offer, course or placement changed (kind: a code of lavoro.kinds)
OPPORTUNITY_CHANGED = Event("opportunity.changed", ("kind", "opportunity_id"))
# lavoro: an offer, course or placement is deleted
OPPORTUNITY_DELETED = Event("opportunity.deleted", ("kind", "opportunity_id"), immediate=True)

EVENTS = (
    PERSON_CHANGED,
    PERSON_UNSHARED,
    PERSON_DELETED,
    ANSWER_SAVED,
    OPPORTUNITY_CHANGED,
    OPPORTUNITY_DELETED,
)


_receivers: dict[str, dict[str, str]] = {}  # event name -> receiver's dotted path -> topic


def _path(function: Receiver) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def event_topic(event: Event, function: Receiver) -> str:
    """The outbox topic of one receiver of an event sent on commit."""
    return f"{event.name}>{_path(function)}"


def receiver(event: Event, *, queue: str = "default") -> Callable[[R], R]:
    """Register the decorated function as a receiver of `event`.

    For an event sent on commit the function runs on a worker of `queue`, through the
    outbox; for an immediate event it runs in the sender's process. Either way it is found
    by its dotted path when it runs (a test may replace it). Use it in a `receivers.py`
    imported by `AppConfig.ready()`.
    """

    def register(function: R) -> R:
        topic = "" if event.immediate else event_topic(event, function)
        if topic:
            outbox_register(topic, handler=_path(function), queue=queue)
        _receivers.setdefault(event.name, {})[_path(function)] = topic
        return function

    return register


def receivers_of(event: Event) -> list[str]:
    """The dotted paths of the functions registered for `event`."""
    return list(_receivers.get(event.name, {}))


def send_on_commit(event: Event, **payload: Any) -> None:
    """Have every receiver of `event` carry it out after the current transaction commits
    (one outbox row each, written now; nothing if the transaction rolls back)."""
    if event.immediate:
        raise ValueError(f"Event {event.name} is immediate: use send_now")
    event.check(payload)
    for topic in _receivers.get(event.name, {}).values():
        outbox_put(topic=topic, payload=payload)


def send_now(event: Event, **payload: Any) -> None:
    """Run every receiver of an immediate event now, in this process and transaction.

    A receiver's error reaches the sender: a delete that could not leave the index fails.
    """
    if not event.immediate:
        raise ValueError(f"Event {event.name} is sent on commit: use send_on_commit")
    event.check(payload)
    for path in _receivers.get(event.name, {}):
        function: Receiver = import_string(path)
        function(**payload)
