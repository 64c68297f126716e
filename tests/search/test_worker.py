"""With a real Celery worker (CELERY_BROKER_URL + PostgreSQL): a change committed here is
indexed by the worker's task and becomes searchable in this process."""

import time
from pathlib import Path

import pytest
from django.db import transaction

from search import indexing
from search.backends import get_backend
from search.candidate_queries import CandidateFilters, candidates_search
from search.types import OFFER
from tests.factories import EmployerFactory, EmployerUserFactory
from tests.search import builders as b
from tests.search.conftest import WORKER_INDEX_DIR

WAIT_SECONDS = 30

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(found) -> float:
    started = time.monotonic()
    while time.monotonic() - started < WAIT_SECONDS:
        if found():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not indexed after {WAIT_SECONDS} s")


@pytest.fixture
def worker_index(settings, celery_worker_process):
    """Read the index the worker writes (its environment names WORKER_INDEX_DIR)."""
    settings.PONTE_SEARCH_EMBEDDED_DIR = Path(WORKER_INDEX_DIR)
    yield get_backend()
    get_backend().clear()


def test_worker_indexes_a_changed_profile_after_the_commit(worker_index, world):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)  # registered
    with transaction.atomic():
        b.skill(world.person, world.cooking)
        b.share(world.person)
        indexing.person_changed(world.person.pk)
        assert worker_index.candidate_get(world.person.pk) is None  # nothing before the commit
    wait_for(lambda: worker_index.candidate_get(world.person.pk) is not None)
    found = candidates_search(user=employer, filters=CandidateFilters(text="cuocere"))
    assert [r.pseudonym for r in found.results] == [world.person.pseudonym]


def test_worker_indexes_a_changed_offer_after_the_commit(worker_index, world):
    with transaction.atomic():
        target = b.offer(world, title="Offerta dal worker")
        indexing.opportunity_changed(OFFER, target.pk)
    wait_for(lambda: worker_index.opportunity_get(OFFER, target.pk) is not None)
    assert worker_index.opportunity_get(OFFER, target.pk).title == "Offerta dal worker"
