"""Near misses (what exactly one constraint keeps out, and by how much) and what-if (what
relaxing one would open), on every backend, through the real path: factories → indexing
→ backend → search.near_misses. Reasons are worded only for who may see the measure."""

import datetime

import pytest

from common.exceptions import AccessDenied, ApplicationError
from competenze.models import JudicialMeasure
from search.near_misses import (
    NOT_COMPATIBLE,
    Relaxation,
    person_near_misses,
    person_what_if,
    what_if_context,
    what_if_overview,
)
from search.queries import person_opportunities_match
from search.types import OFFER, PLACEMENT
from tests.factories import CounsellorFactory, ProgrammeManagerFactory, TraineeUserFactory
from tests.search import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor(world):
    return CounsellorFactory(organisation=world.person.organisation)


def misses(user, world, kinds=(OFFER,)):
    page = person_near_misses(user=user, pseudonym=world.person.pseudonym, kinds=kinds, limit=50)
    return [(item.match.title, item.code, item.reason) for item in page.results]


def opened(user, world, relaxation, kinds=(OFFER,)):
    page = person_what_if(
        user=user, pseudonym=world.person.pseudonym, relaxation=relaxation, kinds=kinds, limit=50
    )
    return [item.title for item in page.results]


def test_offer_farther_than_the_radius_is_a_near_miss_with_the_distance(
    backend_name, world, counsellor
):
    b.offer(world, title="Monza", town="Monza")
    b.offer(world, title="Bergamo", town="Bergamo")
    b.offer(world, title="Brescia, troppe ore", town="Brescia", weekly_hours=40)
    b.measure(world.person, "affidamento", allowed_radius_km=25, max_weekly_hours=30)
    b.index_everything()
    assert misses(counsellor, world) == [
        ("Bergamo", "area", "fuori dall'area consentita: 46 km, limite 25 km")
    ]  # Brescia fails two constraints (area and hours): not a near miss


def test_shift_outside_the_daily_window_is_a_near_miss(backend_name, world, counsellor):
    b.offer(
        world, title="Turno del mattino", shift_start=datetime.time(6), shift_end=datetime.time(14)
    )
    b.offer(
        world, title="Turno centrale", shift_start=datetime.time(9), shift_end=datetime.time(17)
    )
    b.measure(
        world.person, "affidamento", daily_start=datetime.time(7), daily_end=datetime.time(20)
    )
    b.index_everything()
    assert misses(counsellor, world) == [
        ("Turno del mattino", "fascia", "turno 6–14 fuori dalla fascia consentita (7–20)")
    ]


def test_outside_offer_starting_before_a_detention_ends_is_a_near_miss(
    backend_name, world, counsellor
):
    end = b.TODAY + 200 * b.DAY
    b.offer(world, title="Prima della fine", start_date=b.TODAY + 30 * b.DAY)
    b.offer(world, title="Dopo la fine", start_date=end + b.DAY)
    b.offer(
        world,
        title="Lavoro in istituto",
        start_date=b.TODAY + 30 * b.DAY,
        compatible_measures=["detenzione"],
    )
    inside = b.institute(world.towns["Milano"])
    b.measure(world.person, "detenzione", institute=inside, end_date=end)
    b.index_everything()
    found = misses(counsellor, world)
    start = (b.TODAY + 30 * b.DAY).strftime("%-d/%-m/%Y")
    assert found == [
        (
            "Prima della fine",
            "fine_misura",
            f"inizia il {start}, prima della fine della misura ({end.strftime('%-d/%-m/%Y')})",
        )
    ]
    matched = person_opportunities_match(user=counsellor, pseudonym=world.person.pseudonym)
    assert sorted(item.title for item in matched.results) == ["Dopo la fine", "Lavoro in istituto"]


def test_placement_for_another_measure_and_avoided_sector(backend_name, world, counsellor):
    b.placement(world, title="Solo LPU", eligible_measures=["lpu"])
    b.placement(world, title="MAP", eligible_measures=["map"])
    b.offer(world, title="Cassiere", skills=[(world.cashier, True)])
    b.measure(world.person, "map", avoid_sectors=["COM"])
    b.index_everything()
    found = misses(counsellor, world, kinds=(OFFER, PLACEMENT))
    assert sorted(found) == [
        ("Cassiere", "settori", "settore da evitare: Commercio"),
        (
            "Solo LPU",
            "misura",
            "posto per Lavoro di pubblica utilità (LPU): la misura in corso non è ammessa",
        ),
    ]


def test_reason_is_hidden_from_the_trainee_and_the_programme_manager(backend_name, world):
    b.offer(world, title="Bergamo", town="Bergamo")
    b.measure(world.person, "affidamento", allowed_radius_km=25)
    trainee = TraineeUserFactory()
    world.person.user = trainee
    world.person.save()
    b.index_everything()
    assert misses(trainee, world) == [("Bergamo", "", str(NOT_COMPATIBLE))]
    manager = ProgrammeManagerFactory(organisation=world.person.organisation)
    assert misses(manager, world) == []  # the measure is not read for them: Bergamo is a match


def test_availability_near_miss_for_the_programme_manager_reads_not_compatible(backend_name, world):
    world.person.available_from = b.TODAY + 60 * b.DAY
    world.person.save()
    b.offer(world, title="Parte presto", start_date=b.TODAY + 10 * b.DAY)
    b.index_everything()
    manager = ProgrammeManagerFactory(organisation=world.person.organisation)
    assert misses(manager, world) == [("Parte presto", "", str(NOT_COMPATIBLE))]


def test_what_if_a_wider_radius_opens_the_farther_offer_and_changes_nothing(
    backend_name, world, counsellor
):
    b.offer(world, title="Monza", town="Monza")
    b.offer(world, title="Bergamo", town="Bergamo")
    b.offer(world, title="Brescia", town="Brescia")
    measure = b.measure(world.person, "affidamento", allowed_radius_km=25)
    b.index_everything()
    assert opened(counsellor, world, Relaxation("area", radius_km=50)) == ["Bergamo"]
    assert opened(counsellor, world, Relaxation("area")) == ["Bergamo", "Brescia"]
    assert JudicialMeasure.objects.get(pk=measure.pk).allowed_radius_km == 25


def test_what_if_more_hours_or_no_avoided_sector(backend_name, world, counsellor):
    b.offer(world, title="36 ore", weekly_hours=36)
    b.offer(world, title="Cassa", skills=[(world.cashier, True)], weekly_hours=10)
    b.measure(world.person, "affidamento", max_weekly_hours=20, avoid_sectors=["COM"])
    b.index_everything()
    assert opened(counsellor, world, Relaxation("orario", max_weekly_hours=30)) == []
    assert opened(counsellor, world, Relaxation("orario", max_weekly_hours=36)) == ["36 ore"]
    assert opened(counsellor, world, Relaxation("settori")) == ["Cassa"]
    context = what_if_context(counsellor, world.person.pseudonym, None)
    assert what_if_overview(context) == {"orario": 1, "misura": 0, "settori": 1, "fine_misura": 0}


def test_what_if_is_for_who_may_see_the_measure(world):
    b.measure(world.person, "affidamento", allowed_radius_km=25)
    manager = ProgrammeManagerFactory(organisation=world.person.organisation)
    with pytest.raises(AccessDenied):
        person_what_if(
            user=manager, pseudonym=world.person.pseudonym, relaxation=Relaxation("area")
        )


@pytest.mark.parametrize(
    "relaxation",
    [
        Relaxation("posti"),
        Relaxation("qualcosa"),
        Relaxation("area", radius_km=0),
        Relaxation("orario", max_weekly_hours=80),
    ],
)
def test_what_if_refuses_what_cannot_be_relaxed(world, counsellor, relaxation):
    with pytest.raises(ApplicationError):
        person_what_if(user=counsellor, pseudonym=world.person.pseudonym, relaxation=relaxation)
