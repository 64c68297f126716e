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
        ({}, {"kind": "course", "end_date": TODAY - datetime.timedelta(days=1)}, 1.0, "date"),
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
    c = HardConstraints(today=TODAY, max_weekly_hours=10, available_from=TODAY)
    assert matching.admissible(c, doc(weekly_hours=None, start_date=None), None)


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
