"""Tasks (queue "search"), the on-commit helpers and the management commands."""

from io import StringIO

import pytest
from django.core.management import call_command

from config.celery import app as celery_app
from search import tasks
from search.backends import get_backend
from tests.search import builders as b

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "task",
    [
        tasks.people_index_task,
        tasks.opportunities_index_task,
        tasks.search_rebuild_task,
        tasks.ranker_train_task,
    ],
)
def test_tasks_go_to_the_search_queue(task):
    route = celery_app.amqp.router.route({}, task.name)
    assert route["queue"].name == "search"


def test_index_tasks_take_ids_and_return_counts(world):
    b.share(world.person)
    target = b.offer(world)
    assert tasks.people_index_task.delay([world.person.pk]).get() == 1
    assert tasks.opportunities_index_task.delay("offer", [target.pk, 999_999]).get() == 1
    assert get_backend().counts() == {"people": 1, "opportunities": 1}


def test_search_rebuild_command_reindexes_everything_with_a_progress_bar(world):
    b.share(world.person)
    b.offer(world)
    b.course(world)
    b.placement(world)
    output, errors = StringIO(), StringIO()
    call_command("search_rebuild", stdout=output, stderr=errors)
    assert "1 profili, 3 opportunità" in output.getvalue()
    assert "Persone" in errors.getvalue() and "100%" in errors.getvalue()
    assert get_backend().counts() == {"people": 1, "opportunities": 3}


def test_search_rebuild_clear_drops_what_the_database_no_longer_has(world):
    target = b.offer(world)
    b.index_everything()
    target.delete()
    call_command("search_rebuild", "--clear", verbosity=0, stdout=StringIO())
    assert get_backend().counts()["opportunities"] == 0


def test_train_command_keeps_the_formula_without_outcomes():
    output = StringIO()
    call_command("search_train_ranker", stdout=output)
    assert "resta in uso la formula" in output.getvalue()
