"""The relevance set and NDCG@10 (search.relevance, manage.py matching_relevance)."""

import io
import json
import math

import pytest
from django.core.management import call_command

from search import relevance


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    grades = {"a": 3, "b": 2, "c": 1}
    assert relevance.ndcg(["a", "b", "c", "x"], grades) == pytest.approx(1.0)
    swapped = relevance.ndcg(["c", "b", "a"], grades)
    expected = (1 + 3 / math.log2(3) + 7 / 2) / (7 + 3 / math.log2(3) + 1 / 2)
    assert swapped == pytest.approx(expected)
    assert relevance.ndcg(["x", "y"], grades) == 0.0
    assert relevance.ndcg(["a"], {}) == 0.0


def test_the_set_has_sixty_people_each_with_a_judged_top_ten():
    people = json.loads((relevance.DATA_DIR / "people.json").read_text())["people"]
    grades = json.loads((relevance.DATA_DIR / "judgments.json").read_text())["grades"]
    pool = json.loads((relevance.DATA_DIR / "pool.json").read_text())["opportunities"]
    ids = {item["id"]: item["kind"] for item in pool}
    assert len(people) >= 60
    for person in people:
        judged = grades[person["id"]]
        assert judged and all(0 <= grade <= 3 for grade in judged.values()), person["id"]
        assert {ids[key] for key in judged} == {person["focus"]}, person["id"]


@pytest.mark.django_db
def test_every_judged_opportunity_is_admitted_and_the_engine_ranks_like_the_reference():
    call_command("load_framework")
    rs = relevance.load()
    for person in rs.people:
        admitted = {rs.names[doc.key] for doc, _km in relevance.admitted(person, rs.docs)}
        assert set(person.grades) <= admitted, person.id  # judged among what they may take
    out = io.StringIO()
    call_command("matching_relevance", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-2] == f"motore incorporato uguale al riferimento: {len(rs.people)}/60"
    before, after = (float(value) for value in lines[-1].split("before ")[1].split(", after "))
    assert after > before  # interests and the profile's sectors make rankings closer to judgment
