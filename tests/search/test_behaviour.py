"""One behavioural suite for every backend: the embedded one always, Elasticsearch when
ELASTICSEARCH_URL names a cluster (those cases carry the `search` marker).

Everything goes through the real path: factories → search.indexing → backend → queries.
"""

import pytest

from competenze.models import Consent
from competenze.services.people import skill_entry_add
from search import indexing, matching
from search.backends import get_backend
from search.candidate_queries import CandidateFilters, candidates_search, offer_candidates_match
from search.parallel import InProcess
from search.queries import person_gap_analysis, person_opportunities_match
from search.types import COURSE, OFFER, PLACEMENT
from tests.factories import EmployerFactory, EmployerUserFactory
from tests.factories.extra_lavoro import AdminUserFactory
from tests.search import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return AdminUserFactory()


def matches(user, world, kinds=(OFFER, COURSE, PLACEMENT), **extra):
    page = person_opportunities_match(
        user=user, pseudonym=world.person.pseudonym, kinds=kinds, limit=50, **extra
    )
    return [(item.kind, item.title) for item in page.results]


# ------------------------------------------------------------------ hard constraints


def test_allowed_municipalities_exclude_the_rest(backend_name, world, admin):
    b.offer(world, title="A Milano")
    b.offer(world, title="A Monza", town="Monza")
    b.measure(world.person, "affidamento", allowed=[world.towns["Milano"]])
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "A Milano")]


def test_radius_excludes_what_is_farther(backend_name, world, admin):
    b.offer(world, title="Monza, 15 km", town="Monza")
    b.offer(world, title="Bergamo, 47 km", town="Bergamo")
    b.measure(world.person, "affidamento", allowed_radius_km=20)
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Monza, 15 km")]


def test_weekly_hours_above_the_measure_limit_exclude(backend_name, world, admin):
    b.offer(world, title="Part-time", weekly_hours=15)
    b.offer(world, title="Tempo pieno", weekly_hours=40)
    b.measure(world.person, "affidamento", max_weekly_hours=20)
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Part-time")]


def test_dates_exclude_what_starts_before_availability_or_is_over(backend_name, world, admin):
    world.person.available_from = b.TODAY + 10 * b.DAY
    world.person.save()
    b.offer(world, title="Parte domani", start_date=b.TODAY + b.DAY)
    b.offer(world, title="Parte tra un mese", start_date=b.TODAY + 30 * b.DAY)
    b.course(world, title="Corso finito", start_date=b.TODAY - 90 * b.DAY, end_date=b.TODAY - b.DAY)
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Parte tra un mese")]


def test_placement_starting_after_the_measure_ends_is_excluded(backend_name, world, admin):
    b.placement(world, title="Entro la misura", start_date=b.TODAY + 10 * b.DAY)
    b.placement(world, title="Dopo la misura", start_date=b.TODAY + 400 * b.DAY)
    b.measure(world.person, "map", end_date=b.TODAY + 100 * b.DAY)
    b.index_everything()
    assert matches(admin, world, kinds=(PLACEMENT,)) == [(PLACEMENT, "Entro la misura")]


def test_map_and_lpu_placements_admit_only_their_measures(backend_name, world, admin):
    b.placement(world, title="Solo MAP", eligible_measures=["map"])
    b.placement(world, title="Solo LPU", eligible_measures=["lpu"])
    b.measure(world.person, "lpu")
    b.index_everything()
    assert matches(admin, world, kinds=(PLACEMENT,)) == [(PLACEMENT, "Solo LPU")]


def test_placements_need_a_map_lpu_or_lsu_measure(backend_name, world, admin):
    b.placement(world, eligible_measures=["map", "lpu", "lsu"])
    b.offer(world, title="Offerta")
    b.measure(world.person, "affidamento")
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Offerta")]


def test_offer_compatible_measures_exclude_other_measures(backend_name, world, admin):
    b.offer(world, title="Per art. 21", compatible_measures=["art21"])
    b.offer(world, title="Per tutti", compatible_measures=[])
    b.measure(world.person, "affidamento")
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Per tutti")]


def test_avoided_sector_excludes_its_opportunities(backend_name, world, admin):
    b.offer(world, title="Cassiere", skills=[(world.cashier, True)])
    b.offer(world, title="Cuoco", skills=[(world.cooking, True)])
    b.measure(world.person, "affidamento", avoid_sectors=["COM"])
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Cuoco")]


def test_full_course_and_full_placement_are_excluded(backend_name, world, admin):
    b.course(world, title="Corso pieno", seats=10, seats_taken=10)
    b.course(world, title="Corso con posti", seats=10, seats_taken=9)
    b.placement(world, title="Posto pieno", places=2, places_taken=2)
    b.measure(world.person, "map")
    b.index_everything()
    assert matches(admin, world, kinds=(COURSE, PLACEMENT)) == [(COURSE, "Corso con posti")]


def test_detention_admits_only_courses_inside_the_institute(backend_name, world, admin):
    inside = b.institute(world.towns["Milano"])
    b.course(world, title="In istituto", institute=inside)
    b.course(world, title="Fuori")
    b.measure(world.person, "detenzione", institute=inside)
    b.index_everything()
    assert matches(admin, world, kinds=(COURSE,)) == [(COURSE, "In istituto")]


def test_unpublished_opportunities_are_not_matched(backend_name, world, admin):
    b.offer(world, title="Bozza", status="bozza")
    b.offer(world, title="Pubblicata")
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Pubblicata")]


# ------------------------------------------------------------------ ordering and explanations


def test_certified_skill_ranks_above_identified(backend_name, world, admin):
    b.skill(world.person, world.cooking, "certificata")
    b.skill(world.person, world.serving, "individuata")
    b.offer(world, title="Sala", skills=[(world.serving, True)])
    b.offer(world, title="Cucina", skills=[(world.cooking, True)])
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Cucina"), (OFFER, "Sala")]


def test_near_ranks_above_far(backend_name, world, admin):
    b.skill(world.person, world.cooking)
    b.offer(world, title="Bergamo", town="Bergamo")
    b.offer(world, title="Monza", town="Monza")
    b.offer(world, title="Milano")
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Milano"), (OFFER, "Monza"), (OFFER, "Bergamo")]


def test_essential_match_ranks_above_optional_match(backend_name, world, admin):
    b.skill(world.person, world.cooking)
    b.offer(world, title="Essenziale", skills=[(world.cooking, True), (world.serving, False)])
    b.offer(world, title="Facoltativa", skills=[(world.cooking, False), (world.serving, True)])
    b.index_everything()
    assert matches(admin, world) == [(OFFER, "Essenziale"), (OFFER, "Facoltativa")]


def test_ability_counts_toward_the_competence_an_offer_asks(backend_name, world, admin):
    b.skill(world.person, world.prepping, "certificata")
    b.offer(world, title="Cucina", skills=[(world.cooking, True)])
    b.offer(world, title="Cassa", skills=[(world.cashier, True)])
    b.index_everything()
    page = person_opportunities_match(user=admin, pseudonym=world.person.pseudonym)
    first = page.results[0]
    assert first.title == "Cucina"
    assert [(m.code, m.via, m.credit) for m in first.explanation.skills_matched] == [
        ("RIS-C02", "da_abilita", 0.5)
    ]


def test_every_result_is_explained(backend_name, world, admin):
    b.skill(world.person, world.cooking, "validata")
    wanted = [(world.cooking, True), (world.hygiene, True), (world.serving, False)]
    b.offer(world, title="Cuoco", town="Monza", weekly_hours=20, skills=wanted)
    b.measure(world.person, "affidamento", max_weekly_hours=30, allowed_radius_km=50)
    b.index_everything()
    result = person_opportunities_match(user=admin, pseudonym=world.person.pseudonym).results[0]
    explanation = result.explanation
    assert [m.code for m in explanation.skills_matched] == ["RIS-C02"]
    assert [m.code for m in explanation.essential_missing] == ["RIS-C05"]
    assert [m.code for m in explanation.optional_missing] == ["RIS-C07"]
    assert explanation.distance_km == pytest.approx(14.9, abs=0.3)
    assert set(explanation.constraints_satisfied) == {"area", "orario"}
    assert explanation.affinity == 0.24  # one validated skill (0.8) in RIS: 0.6 × 0.8 / 2
    assert result.score == pytest.approx(
        matching.SKILL_WEIGHT * 0.8 * 2 / 5
        + matching.DISTANCE_WEIGHT * 2.718281828 ** (-14.9 / 25)
        + matching.AFFINITY_WEIGHT * 0.24,
        abs=0.01,
    )


def test_profile_requirements_count_when_the_offer_lists_none(backend_name, world, admin):
    b.skill(world.person, world.cooking)
    b.offer(world, title="Da profilo", skills=[], profile=world.cook_profile)
    b.index_everything()
    result = person_opportunities_match(user=admin, pseudonym=world.person.pseudonym).results[0]
    assert [m.code for m in result.explanation.skills_matched] == ["RIS-C02"]
    assert [m.code for m in result.explanation.essential_missing] == ["RIS-C05"]


def test_text_narrows_the_opportunities(backend_name, world, admin):
    b.offer(world, title="Cuoco per mensa scolastica")
    b.offer(world, title="Lavapiatti")
    b.index_everything()
    assert matches(admin, world, text="mense") == [(OFFER, "Cuoco per mensa scolastica")]


def test_gap_analysis_names_missing_skills_and_the_course_closing_them(backend_name, world, admin):
    b.skill(world.person, world.cooking)
    target = b.offer(world, skills=[(world.cooking, True), (world.hygiene, True)])
    b.course(world, title="HACCP", teaches=[world.hygiene])
    b.course(world, title="Sala", teaches=[world.serving])
    b.index_everything()
    gap = person_gap_analysis(user=admin, pseudonym=world.person.pseudonym, offer_id=target.pk)
    assert [m.code for m in gap.covered] == ["RIS-C02"]
    assert [m.code for m in gap.missing] == ["RIS-C05"]
    assert [(c.title, c.closes) for c in gap.courses] == [("HACCP", ("RIS-C05",))]
    assert gap.not_closed == ()


def test_gap_analysis_for_a_profile(backend_name, world, admin):
    b.index_everything()
    gap = person_gap_analysis(user=admin, pseudonym=world.person.pseudonym, profile_code="RIS-P01")
    assert gap.target_title == "Aiuto cuoco"
    assert [m.code for m in gap.missing] == ["RIS-C02", "RIS-C05", "RIS-C07"]
    assert set(gap.not_closed) == {"RIS-C02", "RIS-C05", "RIS-C07"}


# ------------------------------------------------------------------ candidates


def candidate(world, town="Milano", stage="certificata", concept=None, **fields):
    person = b.PersonFactory(domicile=world.towns[town], **fields)
    b.skill(person, concept or world.cooking, stage)
    b.share(person)
    return person


def test_candidates_are_only_people_who_share_their_profile(backend_name, world):
    shared = candidate(world)
    b.skill(world.person, world.cooking)  # world.person shares nothing
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    named = candidate(world)
    Consent.objects.filter(person=named).update(recipient=employer.organisation)
    other_org = candidate(world)
    Consent.objects.filter(person=other_org).update(recipient=b.PersonFactory().organisation)
    b.index_everything()
    found = candidates_search(user=employer, filters=CandidateFilters())
    assert {r.pseudonym for r in found.results} == {shared.pseudonym, named.pseudonym}


def test_candidates_for_an_offer_rank_certified_above_identified(backend_name, world):
    employer = EmployerUserFactory()
    target = b.offer(world, employer=b.EmployerFactory(organisation=employer.organisation))
    identified = candidate(world, stage="individuata")
    certified = candidate(world, stage="certificata")
    b.index_everything()
    found = offer_candidates_match(user=employer, offer_id=target.pk)
    assert [r.pseudonym for r in found.results] == [certified.pseudonym, identified.pseudonym]
    assert found.results[0].explanation.skills_matched[0].stage == "certificata"
    assert found.results[0].explanation.same_province is True


def test_candidate_filters_and_facets(backend_name, world):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    chosen = candidate(world, summary="Cuoca esperta di mense")
    b.language(chosen, "fr")
    candidate(world, town="Bergamo", summary="Cuoco di trattoria")
    candidate(world, concept=world.cashier, summary="Cassiera")
    b.index_everything()
    page = candidates_search(user=employer, filters=CandidateFilters(text="cuoco"))
    assert page.total == 2
    assert {(f.key, f.count) for f in page.facets["province"]} == {("MI", 1), ("BG", 1)}
    assert [(f.key, f.count) for f in page.facets["skills"]] == [("RIS-C02", 2)]
    filtered = CandidateFilters(text="cuoco", province="MI", skills=("RIS-C02",), language="fr")
    page = candidates_search(user=employer, filters=filtered)
    assert [r.pseudonym for r in page.results] == [chosen.pseudonym]
    assert [(f.key, f.count) for f in page.facets["languages"]] == [("fr", 1)]


def test_availability_and_hours_filters(backend_name, world):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    now = candidate(world, available_from=b.TODAY - b.DAY, weekly_hours_available=36)
    candidate(world, available_from=b.TODAY + 60 * b.DAY, weekly_hours_available=10)
    b.index_everything()
    page = candidates_search(user=employer, filters=CandidateFilters(availability="subito"))
    assert [r.pseudonym for r in page.results] == [now.pseudonym]
    assert [(f.key, f.count) for f in page.facets["availability"]] == [
        ("subito", 1),
        ("entro_1_mese", 1),
        ("entro_3_mesi", 1),
    ]
    assert {(f.key, f.count) for f in page.facets["hours"]} == {
        ("fino_a_20", 0),
        ("da_21_a_30", 0),
        ("oltre_30", 1),
    }
    page = candidates_search(user=employer, filters=CandidateFilters(min_hours=30))
    assert [r.pseudonym for r in page.results] == [now.pseudonym]


# ------------------------------------------------------------------ freshness and deletes


def test_profile_changed_through_the_service_is_searchable_at_once_in_eager_mode(
    backend_name, world, django_capture_on_commit_callbacks
):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    b.share(world.person)
    b.index_everything()
    assert candidates_search(user=employer, filters=CandidateFilters(text="cuocere")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        skill_entry_add(
            person=world.person,
            concept=world.cooking,
            recorded_by=world.person.counsellor,
            source="operatore",
        )
    found = candidates_search(user=employer, filters=CandidateFilters(text="cuocere"))
    assert [r.pseudonym for r in found.results] == [world.person.pseudonym]


def test_changed_offer_is_matched_at_once_in_eager_mode(
    backend_name, world, admin, django_capture_on_commit_callbacks
):
    target = b.offer(world, title="Vecchio titolo")
    b.index_everything()
    with django_capture_on_commit_callbacks(execute=True):
        target.title = "Nuovo titolo"
        target.save()
        indexing.opportunity_changed(OFFER, target.pk)
    assert matches(admin, world) == [(OFFER, "Nuovo titolo")]


def test_nothing_is_queued_before_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        indexing.person_changed(world.person.pk)
    assert len(callbacks) == 1


def test_deleted_person_and_offer_leave_the_index_at_once(backend_name, world, admin):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    person = candidate(world)
    target = b.offer(world)
    b.index_everything()
    indexing.person_deleted(person.pk)
    indexing.opportunity_deleted(OFFER, target.pk)
    assert candidates_search(user=employer, filters=CandidateFilters()).total == 0
    assert matches(admin, world) == []


def test_revoked_consent_hides_the_profile_at_once(
    backend_name, world, django_capture_on_commit_callbacks
):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    person = candidate(world)
    b.index_everything()
    Consent.objects.filter(person=person).update(revoked_at=b.aware_now())
    with django_capture_on_commit_callbacks(execute=False):
        indexing.person_unshared(person.pk)  # the reindex task waits for the commit
    assert candidates_search(user=employer, filters=CandidateFilters()).total == 0


def test_closed_offer_leaves_the_index_on_reindex(backend_name, world, admin):
    target = b.offer(world)
    b.index_everything()
    target.status = "chiusa"
    target.save()
    indexing.opportunities_index(OFFER, [target.pk])
    assert matches(admin, world) == []


# ------------------------------------------------------------------ rebuild


def test_rebuild_replaces_the_index_and_keeps_changes_made_meanwhile(backend_name, world, admin):
    b.offer(world, title="Prima")
    backend = get_backend()
    running = backend.rebuild()
    try:
        late = b.offer(world, title="Durante")
        indexing.opportunities_index(OFFER, [late.pk])  # goes live now, and to the new index
        indexing._fill_people(running, InProcess(), indexing.no_progress)
        indexing._fill_opportunities(running, InProcess(), indexing.no_progress)
        assert matches(admin, world) == [(OFFER, "Durante")]  # the old index still answers
        running.publish(indexing.catch_up)
    except BaseException:
        running.abort()
        raise
    assert sorted(matches(admin, world)) == [(OFFER, "Durante"), (OFFER, "Prima")]
    assert backend.counts()["opportunities"] == 2
