"""manage.py matching_coverage and the selector behind it, on every backend."""

import io

import pytest
from django.core.management import call_command

from common.models import AccessLog
from competenze.models import Person
from search.coverage import matching_coverage
from tests.search import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(world):
    """world.person (Milano, no measure): both offers match. `near` (Monza, within 10 km):
    both offers are one constraint (area) away. `far` (Brescia only, 4 hours a week): each
    offer breaks two constraints, so nothing at all."""
    b.offer(world, title="Milano", weekly_hours=20)
    b.offer(world, title="Bergamo", town="Bergamo", weekly_hours=20)
    near = b.PersonFactory(domicile=world.towns["Monza"])
    b.measure(near, "affidamento", allowed_radius_km=10)
    far = b.PersonFactory(domicile=world.towns["Brescia"])
    b.measure(far, "affidamento", allowed=[world.towns["Brescia"]], max_weekly_hours=4)
    b.index_everything()
    return near, far


def test_coverage_counts_matches_near_misses_and_nothing(backend_name, world, crowd):
    coverage = matching_coverage(people=Person.objects.all())
    assert (coverage.people, coverage.matched, coverage.near_only, coverage.nothing) == (3, 1, 1, 1)
    offers = coverage.kinds["offer"]
    assert (offers.matched, offers.near_only, offers.nothing) == (1, 1, 1)
    assert offers.blocks_most == "area"
    assert offers.blocked_people["area"] == 1  # the person near Monza: both offers
    assert offers.blocked_pairs["area"] == 2
    assert coverage.kinds["placement"].nothing == 3
    assert AccessLog.objects.filter(subject="*", data_category="giudiziari").count() == 1


def test_command_ends_with_the_summary_line(world, crowd):
    out = io.StringIO()
    call_command("matching_coverage", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == (
        "coverage: 3 people, 1 with at least one match, 1 with near misses only, 1 with nothing"
    )
    assert lines[0].startswith("offerte di lavoro: 3 persone; 1 con abbinamenti")
    assert "il vincolo che blocca di più: area (1 persone, 2 opportunità)" in lines[0]


def test_command_can_count_one_caseload(world, crowd):
    near, _far = crowd
    out = io.StringIO()
    call_command("matching_coverage", counsellor=near.counsellor.username, stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("coverage: 1 people, 0 with at least")
