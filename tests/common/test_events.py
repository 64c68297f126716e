"""Named domain events (common.events): on-commit events become outbox rows, one per
receiver; immediate events run their receivers at once; payloads are checked."""

import pytest
from django.db import transaction

from common import events
from common.events import (
    ANSWER_SAVED,
    EVENTS,
    OPPORTUNITY_CHANGED,
    OPPORTUNITY_DELETED,
    PERSON_CHANGED,
    PERSON_DELETED,
    PERSON_UNSHARED,
    Event,
    event_topic,
    receiver,
    receivers_of,
    send_now,
    send_on_commit,
)
from common.models import OutboxMessage
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, dict]] = []
LATER = Event("test.later", ("thing_id",))
AT_ONCE = Event("test.at_once", ("thing_id",), immediate=True)


@receiver(LATER, queue="search")
def later_first(**payload):
    CALLS.append(("first", payload))


@receiver(LATER)
def later_second(**payload):
    CALLS.append(("second", payload))


@receiver(AT_ONCE)
def at_once(**payload):
    CALLS.append(("at_once", payload))


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def test_an_event_sent_on_commit_writes_one_outbox_row_per_receiver(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        send_on_commit(LATER, thing_id=7)
        rows = OutboxMessage.objects.order_by("topic")
        assert [(row.topic, row.payload) for row in rows] == [
            (event_topic(LATER, later_first), {"thing_id": 7}),
            (event_topic(LATER, later_second), {"thing_id": 7}),
        ]
        assert CALLS == []  # nothing runs before the commit
    for callback in callbacks:
        callback()
    assert sorted(CALLS) == [("first", {"thing_id": 7}), ("second", {"thing_id": 7})]


def test_an_event_sent_in_a_transaction_that_rolls_back_leaves_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_on_commit(LATER, thing_id=7)
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists()


def test_an_immediate_event_runs_its_receivers_at_once_and_writes_no_row():
    with transaction.atomic():
        send_now(AT_ONCE, thing_id=3)
        assert CALLS == [("at_once", {"thing_id": 3})]
    assert not OutboxMessage.objects.exists()


def test_an_immediate_receiver_is_looked_up_when_it_runs(monkeypatch):
    replaced = []
    monkeypatch.setattr(f"{__name__}.at_once", lambda **payload: replaced.append(payload))
    send_now(AT_ONCE, thing_id=3)
    assert (replaced, CALLS) == ([{"thing_id": 3}], [])


@pytest.mark.parametrize(
    "payload", [{}, {"thing_id": 1, "name": "Mario"}, {"person_id": 1}], ids=str
)
def test_a_payload_with_other_keys_is_refused(payload):
    with pytest.raises(TypeError):
        send_on_commit(LATER, **payload)
    with pytest.raises(TypeError):
        send_now(AT_ONCE, **payload)
    assert not OutboxMessage.objects.exists() and CALLS == []


def test_each_event_has_its_own_way_of_sending():
    with pytest.raises(ValueError):
        send_on_commit(AT_ONCE, thing_id=1)
    with pytest.raises(ValueError):
        send_now(LATER, thing_id=1)


def test_registering_a_receiver_twice_keeps_one():
    receiver(LATER, queue="search")(later_first)
    assert receivers_of(LATER) == [f"{__name__}.later_first", f"{__name__}.later_second"]


def test_search_and_ml_receive_the_domain_events():
    assert receivers_of(PERSON_CHANGED) == ["search.receivers.person_changed"]
    assert receivers_of(PERSON_UNSHARED) == ["search.receivers.person_unshared"]
    assert receivers_of(PERSON_DELETED) == ["search.receivers.person_deleted"]
    assert receivers_of(OPPORTUNITY_CHANGED) == ["search.receivers.opportunity_changed"]
    assert receivers_of(OPPORTUNITY_DELETED) == ["search.receivers.opportunity_deleted"]
    assert receivers_of(ANSWER_SAVED) == ["ml.receivers.answer_saved"]
    assert {event.name for event in EVENTS} == {
        name for name in events._receivers if not name.startswith("test.")
    }


def test_a_person_change_is_a_row_for_the_search_worker(django_capture_on_commit_callbacks):
    person = PersonFactory()
    OutboxMessage.objects.all().delete()
    with django_capture_on_commit_callbacks():
        send_on_commit(PERSON_CHANGED, person_id=person.pk)
    row = OutboxMessage.objects.get()
    assert row.topic == "person.changed>search.receivers.person_changed"
    assert row.payload == {"person_id": person.pk}
