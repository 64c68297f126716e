"""The formula in plain Python: credits, scores, constraints, explanations, gaps."""

import datetime

import pytest

from competenze.models.people import MeasureType
from search import matching
from search.matching import HeldSkill
from search.types import MEASURE_TYPES, HardConstraints, OpportunityDoc, Requirement

TODAY = datetime.date(2026, 6, 1)
COOK, PREP, SERVE, CASH = 1, 2, 3, 4


def doc(**fields) -> OpportunityDoc:
    values = {
        "kind": "offer", "id": 1, "title": "Aiuto cuoco", "description": "", "organisation": "X",
        "status": "pubblicata", "municipality_id": 10, "municipality": "Milano",
        "province": "MI", "latitude": 45.46, "longitude": 9.19, "start_date": None,
        "end_date": None, "weekly_hours": 20, "seats_available": None, "measures": (),
        "sectors": ("RIS",), "institute_id": None, "profile_code": "", "profile_label": "",
        "requirements": (Requirement(COOK, "RIS-C02", "Cucinare", True),), "teaches": (),
    }  # fmt: skip
    values.update(fields)
    return OpportunityDoc(**values)


def credits(*held: HeldSkill, children=None):
    return matching.credits_for(held, children or {})


def test_measure_types_mirror_the_model_choices():
    assert set(MEASURE_TYPES) == set(MeasureType.values)


def test_credit_values_list_every_value_a_credit_can_take():
    assert set(matching.CREDIT_TABLE.values()) == set(matching.CREDIT_VALUES)


def test_stage_orders_credit_certified_over_validated_over_identified():
    values = [credits(HeldSkill(COOK, stage))[COOK].value for stage in matching.STAGE_WEIGHT]
    assert values == sorted(values, reverse=True) == [1.0, 0.8, 0.6]


def test_ability_counts_toward_its_parent_competence():
    found = credits(HeldSkill(PREP, "certificata", parent_id=COOK))
    assert found[COOK].value == 0.5
    assert found[COOK].via == matching.VIA_ABILITY


def test_competence_counts_toward_its_abilities():
    found = credits(HeldSkill(COOK, "validata"), children={COOK: [PREP]})
    assert found[PREP].value == 0.6
    assert found[PREP].via == matching.VIA_COMPETENCE


def test_the_best_credit_wins():
    found = credits(HeldSkill(PREP, "certificata", parent_id=COOK), HeldSkill(COOK, "individuata"))
    assert found[COOK].value == 0.6
    assert found[COOK].via == matching.VIA_OWN


def test_essential_requirements_weigh_twice_the_optional():
    covered_essential = matching.skill_score([(COOK, True), (SERVE, False)], {COOK: 1.0})
    covered_optional = matching.skill_score([(COOK, True), (SERVE, False)], {SERVE: 1.0})
    assert covered_essential == pytest.approx(2 / 3)
    assert covered_optional == pytest.approx(1 / 3)


def test_no_requirements_scores_zero():
    assert matching.skill_score([], {COOK: 1.0}) == 0.0


def test_near_scores_above_far():
    assert matching.opportunity_score(0.5, 2.0) > matching.opportunity_score(0.5, 40.0)
    assert matching.distance_factor(matching.DISTANCE_SCALE_KM) == pytest.approx(0.3679, 1e-3)


def test_haversine_milano_monza():
    assert matching.haversine_km(45.4642, 9.19, 45.5845, 9.2744) == pytest.approx(14.9, abs=0.3)


@pytest.mark.parametrize(
    ("constraints", "fields", "distance", "failed"),
    [
        ({"allowed_municipalities": frozenset({99})}, {}, 1.0, "area"),
        ({"radius_km": 10.0}, {}, 12.0, "area"),
        ({"radius_km": 10.0}, {}, None, "area"),
        ({"max_weekly_hours": 15}, {"weekly_hours": 20}, 1.0, "orario"),
        ({"measure_type": "art21"}, {"measures": ("affidamento",)}, 1.0, "misura"),
        ({"measure_type": "affidamento"}, {"kind": "placement", "measures": ("map",)}, 1.0,
         "misura"),
        ({"measure_type": "map"}, {"kind": "placement", "measures": ("lpu",)}, 1.0, "misura"),
        ({"avoid_sectors": frozenset({"RIS"})}, {}, 1.0, "settori"),
        ({"available_from": TODAY}, {"start_date": TODAY - datetime.timedelta(days=1)}, 1.0,
         "date"),
        ({"daily_start": 7 * 60, "daily_end": 20 * 60},
         {"shift_start": 6 * 60, "shift_end": 14 * 60}, 1.0, "fascia"),
        ({"daily_end": 22 * 60}, {"shift_start": 22 * 60, "shift_end": 6 * 60}, 1.0, "fascia"),
        ({"measure_type": "detenzione", "measure_end": TODAY + datetime.timedelta(days=90)},
         {"start_date": TODAY + datetime.timedelta(days=30)}, 1.0, "fine_misura"),
        ({"measure_end": TODAY}, {"kind": "placement", "measures": ("map",),
                                  "start_date": TODAY + datetime.timedelta(days=1)}, 1.0,
         "fine_misura"),
        ({"institute_id": 7}, {"kind": "course", "institute_id": 8}, 1.0, "istituto"),
        ({}, {"kind": "course", "seats_available": 0}, 1.0, "posti"),
    ],
)  # fmt: skip
def test_constraints_fail_exactly_the_rule_broken(constraints, fields, distance, failed):
    c = HardConstraints(today=TODAY, **{"measure_type": "map", **constraints})
    checks = matching.constraints_check(c, doc(**fields), distance)
    assert [check.code for check in checks if not check.satisfied] == [failed]
    assert not matching.admissible(c, doc(**fields), distance)


def test_unknown_hours_and_dates_do_not_exclude():
    c = HardConstraints(
        today=TODAY,
        max_weekly_hours=10,
        available_from=TODAY,
        daily_start=8 * 60,
        daily_end=18 * 60,
    )
    assert matching.admissible(c, doc(weekly_hours=None, start_date=None), None)


def test_shift_inside_the_window_is_admitted():
    c = HardConstraints(today=TODAY, daily_start=7 * 60, daily_end=20 * 60)
    assert matching.admissible(c, doc(shift_start=8 * 60, shift_end=14 * 60), None)
    assert matching.admissible(c, doc(shift_start=7 * 60, shift_end=20 * 60), None)


def test_detention_admits_offers_for_detainees_or_starting_after_the_measure():
    end = TODAY + datetime.timedelta(days=90)
    c = HardConstraints(today=TODAY, measure_type="detenzione", measure_end=end)
    later = doc(start_date=end + datetime.timedelta(days=1))
    inside = doc(start_date=TODAY, measures=("detenzione",))
    assert matching.admissible(c, later, None)
    assert matching.admissible(c, inside, None)
    assert not matching.admissible(c, doc(start_date=end), None)


def test_course_that_has_ended_is_closed_not_a_near_miss():
    over = doc(kind="course", end_date=TODAY - datetime.timedelta(days=1))
    c = HardConstraints(today=TODAY)
    assert matching.constraints_check(c, over, 1.0) == ()
    assert not matching.is_open(over, c)
    assert not matching.admissible(c, over, 1.0)
    assert matching.near_miss(c, over, 1.0) is None


def test_a_course_inside_a_prison_is_only_for_its_detainees():
    inside = doc(kind="course", institute_id=7)
    outside = HardConstraints(today=TODAY, measure_type="affidamento")
    assert not matching.admissible(outside, inside, 1.0)
    assert matching.near_miss(outside, inside, 1.0) is None  # not an opportunity for them
    detained = HardConstraints(today=TODAY, measure_type="detenzione", institute_id=7)
    assert matching.admissible(detained, inside, 1.0)
    elsewhere = HardConstraints(today=TODAY, measure_type="detenzione", institute_id=8)
    assert matching.near_miss(elsewhere, inside, 1.0) == "istituto"


def test_near_miss_is_the_one_constraint_that_excludes():
    c = HardConstraints(today=TODAY, radius_km=25.0, max_weekly_hours=20)
    assert matching.near_miss(c, doc(weekly_hours=20), 38.0) == "area"
    assert matching.near_miss(c, doc(weekly_hours=30), 38.0) is None  # two fail
    assert matching.near_miss(c, doc(weekly_hours=20), 10.0) is None  # admitted
    assert matching.near_miss(c, doc(weekly_hours=20, status="bozza"), 38.0) is None


def test_miss_says_by_how_much():
    c = HardConstraints(
        today=TODAY,
        radius_km=25.0,
        max_weekly_hours=20,
        daily_start=7 * 60,
        daily_end=20 * 60,
        measure_end=TODAY,
    )
    area = matching.miss_for("area", c, doc(), 38.2)
    assert (area.distance_km, area.limit_km) == (38.2, 25.0)
    hours = matching.miss_for("orario", c, doc(weekly_hours=36), 1.0)
    assert (hours.hours, hours.limit_hours) == (36, 20)
    shift = matching.miss_for("fascia", c, doc(shift_start=360, shift_end=840), 1.0)
    assert (shift.shift, shift.window) == ((360, 840), (420, 1200))
    start = TODAY + datetime.timedelta(days=3)
    end = matching.miss_for("fine_misura", c, doc(kind="placement", start_date=start), 1.0)
    assert (end.start, end.limit_date) == (start, TODAY)


def test_relaxing_one_constraint_opens_what_it_alone_excluded():
    c = HardConstraints(today=TODAY, radius_km=25.0, avoid_sectors=frozenset({"RIS"}))
    far = doc(sectors=("COM",))
    assert not matching.admissible(c, far, 38.0)
    assert matching.admissible(matching.relax(c, "area", radius_km=40.0), far, 38.0)
    assert not matching.admissible(matching.relax(c, "area", radius_km=30.0), far, 38.0)
    assert matching.admissible(matching.relax(c, "area"), far, 38.0)
    assert matching.admissible(matching.relax(c, "settori"), doc(), 10.0)
    assert matching.relax(c, "settori").avoid_sectors == c.avoid_sectors  # only waived
    with pytest.raises(ValueError):
        matching.relax(c, "posti")


def test_allowed_municipalities_relaxed_to_a_radius_around_the_domicile():
    c = HardConstraints(today=TODAY, allowed_municipalities=frozenset({99}))
    relaxed = matching.relax(c, "area", radius_km=20.0)
    assert matching.admissible(relaxed, doc(), 12.0)
    assert not matching.admissible(relaxed, doc(), 22.0)


def test_affinity_is_the_best_of_the_opportunity_sectors():
    assert matching.affinity_of(("RIS", "COM"), {"COM": 0.5, "RIS": 1.0}) == 1.0
    assert matching.affinity_of(("PUL",), {"COM": 0.5}) == 0.0
    assert matching.affinity_of((), {"COM": 0.5}) == 0.0
    assert matching.opportunity_score(0.0, None, 1.0) > matching.opportunity_score(0.0, None)


@pytest.mark.parametrize(
    ("kind", "has_requirements", "skill", "affinity", "expected"),
    [
        ("offer", True, 0.1, 1.0, False),  # an offer asks skills: interest alone is not enough
        ("offer", True, 0.2, 0.0, True),
        ("offer", False, 0.0, 0.0, True),  # asks nothing: the hard constraints decide
        ("course", True, 0.0, 0.5, True),  # teaches in a sector of the person's
        ("course", True, 0.0, 0.18, True),  # one identified skill there is enough
        ("course", True, 0.1, 0.0, False),
        ("placement", False, 0.0, 0.0, True),
    ],
)  # fmt: skip
def test_suitable_needs_a_share_of_what_is_asked(kind, has_requirements, skill, affinity, expected):
    assert matching.suitable(kind, has_requirements, skill, affinity) is expected


def test_offer_without_listed_measures_admits_every_measure():
    c = HardConstraints(today=TODAY, measure_type="detenzione")
    assert matching.admissible(c, doc(measures=()), None)


def test_explanation_lists_matched_missing_distance_and_constraints():
    requirements = (
        Requirement(COOK, "RIS-C02", "Cucinare", True),
        Requirement(SERVE, "RIS-C07", "Servire", True),
        Requirement(CASH, "COM-C03", "Cassa", False),
    )
    held = credits(HeldSkill(COOK, "validata"))
    c = HardConstraints(today=TODAY, max_weekly_hours=30)
    checks = matching.constraints_check(c, doc(requirements=requirements), 3.21)
    found = matching.explain(requirements, held, distance_km=3.21, checks=checks)
    assert [(m.code, m.credit, m.stage) for m in found.skills_matched] == [
        ("RIS-C02", 0.8, "validata")
    ]
    assert [m.code for m in found.essential_missing] == ["RIS-C07"]
    assert [m.code for m in found.optional_missing] == ["COM-C03"]
    assert found.distance_km == 3.2
    assert found.skill_score == pytest.approx(0.8 * 2 / 5)
    assert found.constraints_satisfied == ("orario",)


def test_explanation_hides_judicial_checks_when_asked():
    c = HardConstraints(today=TODAY, max_weekly_hours=30)
    checks = matching.constraints_check(c, doc(kind="course", seats_available=3), 1.0)
    found = matching.explain((), {}, checks=checks, show_judicial=False)
    assert found.constraints_satisfied == ("posti",)


def test_gap_splits_covered_partial_and_missing():
    requirements = (
        Requirement(COOK, "RIS-C02", "Cucinare", True),
        Requirement(SERVE, "RIS-C07", "Servire", True),
        Requirement(CASH, "COM-C03", "Cassa", False),
    )
    held = credits(HeldSkill(PREP, "certificata", parent_id=COOK), HeldSkill(CASH, "individuata"))
    gap = matching.gap_for(requirements, held)
    assert [m.code for m in gap.covered] == ["COM-C03"]
    assert [m.code for m in gap.partial] == ["RIS-C02"]
    assert [m.code for m in gap.missing] == ["RIS-C07"]
    assert gap.to_close == (SERVE, COOK)


def test_courses_closing_prefers_the_course_that_closes_most():
    small = doc(kind="course", id=1, teaches=(SERVE,))
    big = doc(kind="course", id=2, teaches=(SERVE, COOK))
    other = doc(kind="course", id=3, teaches=(CASH,))
    plan, left = matching.courses_closing([SERVE, COOK, PREP], [small, big, other])
    assert [(item.doc.id, item.closes) for item in plan] == [(2, (SERVE, COOK))]
    assert left == (PREP,)
