"""A broker outage delays the index, it never fails the request nor loses the update."""

import pytest
from django.urls import reverse

from common.events import PERSON_CHANGED, event_topic
from common.models import OutboxMessage
from common.outbox import outbox_sweep
from competenze.models import Framework, SkillEntry
from search import receivers
from search.backends import get_backend
from tests.brokers import REFUSING_BROKER, broker_at
from tests.conftest import client_for
from tests.search import builders as b

pytestmark = pytest.mark.django_db


def test_adding_a_skill_with_the_broker_down_succeeds_and_the_index_catches_up_later(
    world, django_capture_on_commit_callbacks
):
    Framework.objects.filter(pk=world.cooking.framework_id).update(is_default=True)
    b.share(world.person)
    b.index_everything()
    assert get_backend().candidate_get(world.person.pk).skills == ()
    with broker_at(REFUSING_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.person.counsellor).post(
            reverse("api:competenze:person-skills", kwargs={"pseudonym": world.person.pseudonym}),
            {"code": world.cooking.code},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert SkillEntry.objects.filter(person=world.person, concept=world.cooking).exists()
    topic = event_topic(PERSON_CHANGED, receivers.person_changed)
    waiting = OutboxMessage.objects.get(topic=topic, done_at__isnull=True)
    assert waiting.payload == {"person_id": world.person.pk}
    assert get_backend().candidate_get(world.person.pk).skills == ()  # delayed, not lost
    outbox_sweep()  # the broker is back: the sweeper (eager here) sends the row again
    skills = get_backend().candidate_get(world.person.pk).skills
    assert [skill.code for skill in skills] == [world.cooking.code]
    waiting.refresh_from_db()
    assert waiting.done_at is not None
