"""Every body the Elasticsearch backend sends, built by its own builders, against Elastic's
OpenAPI specification (tests/search/es_spec.py says how it is read): index creation with
mappings and analysis for both analysis modes, search bodies with aggregations, bulk action
lines, the alias swap and the settings a rebuilt index gets back. When the suite runs on a
real node, the bodies actually sent are checked too (tests/search/conftest.py).
"""

import json
import random

import pytest
from elasticsearch.helpers import expand_action

from search.backends import elastic_queries as eq
from search.backends.elastic_features import TextAnalysis
from search.documents import CANDIDATES, OPPORTUNITIES, index_body
from search.types import OPPORTUNITY_KINDS, OpportunityQuery
from tests.search import es_spec
from tests.search.test_features import PLACES, random_constraints, random_doc
from tests.search.test_reference import random_candidate, random_candidate_query

pytestmark = pytest.mark.skipif(es_spec.spec_path() is None, reason=es_spec.MISSING_REASON)
ANALYSES = list(TextAnalysis)


def bulk_lines(actions):
    """The NDJSON lines elasticsearch.helpers.bulk sends for `actions`."""
    lines = []
    for action in actions:
        head, source = expand_action(action)
        lines.append(json.dumps(head))
        if source is not None:
            lines.append(json.dumps(source, default=str))
    return lines


@pytest.mark.parametrize("analysis", ANALYSES)
@pytest.mark.parametrize("kind", [CANDIDATES, OPPORTUNITIES])
def test_index_creation_follows_the_spec(kind, analysis):
    for body in (
        index_body(kind, analysis=analysis, alias=f"ponte-{kind}"),
        index_body(kind, analysis=analysis, alias=f"ponte-{kind}-building", refresh_interval="-1"),
    ):
        assert es_spec.violations("indices.create", body) == []


def test_settings_serverless_manages_are_checked_apart():
    body = index_body(CANDIDATES, analysis=TextAnalysis.ITALIAN)
    assert {"number_of_shards", "number_of_replicas"} <= set(body["settings"])
    unchecked = es_spec.schema_errors("#/requests/indices.create", body, "raw")
    assert unchecked and "number_of_" in unchecked[0]  # the serverless schema lacks them
    wrong = {**body, "settings": {**body["settings"], "number_of_shards": "uno"}}
    assert es_spec.violations("indices.create", wrong) == [
        "indices.create: settings.number_of_shards='uno' is not {'type': 'integer', 'minimum': 1}"
    ]


@pytest.mark.parametrize("analysis", ANALYSES)
def test_opportunity_searches_follow_the_spec(analysis):
    rng = random.Random(7)
    for _case in range(12):
        query = OpportunityQuery(
            kinds=tuple(rng.sample(OPPORTUNITY_KINDS, rng.randint(1, 3))),
            credits={c: rng.choice([1.0, 0.8, 0.5, 0.0]) for c in rng.sample(range(1, 30), 5)},
            origin=rng.choice([None, PLACES[2]]),
            constraints=random_constraints(rng),
            text=rng.choice(["", "cuoco mensa", "?!"]),
            teaches_any=rng.choice([(), (3, 4)]),
            offset=rng.choice([0, 20]),
            limit=rng.choice([10, 20]),
        )
        body = eq.request_body(eq.opportunity_search(query, analysis=analysis))
        assert es_spec.violations("search", body) == [], body


@pytest.mark.parametrize("analysis", ANALYSES)
def test_candidate_searches_with_aggregations_follow_the_spec(analysis):
    rng = random.Random(8)
    for _case in range(12):
        query = random_candidate_query(rng)
        body = eq.request_body(eq.candidate_search(query, analysis=analysis))
        assert "aggregations" in body
        assert es_spec.violations("search", body) == [], body


@pytest.mark.parametrize("analysis", ANALYSES)
def test_bulk_actions_follow_the_spec(analysis):
    rng = random.Random(9)
    opportunities = [random_doc(rng, pk) for pk in range(1, 6)]
    people = [random_candidate(rng, pk) for pk in range(1, 6)]
    for op_type in ("index", "create"):
        lines = bulk_lines(eq.opportunity_actions("o", opportunities, op_type, analysis=analysis))
        lines += bulk_lines(eq.candidate_actions("c", people, op_type, analysis=analysis))
        assert es_spec.violations("bulk", lines) == []
    assert es_spec.violations("bulk", bulk_lines(eq.delete_actions("c", ["1", "2"]))) == []


def test_alias_swap_and_live_settings_follow_the_spec():
    old = ["ponte-candidates-0", "ponte-candidates-1"]
    swap = eq.alias_swap("ponte-candidates", "ponte-candidates-2", old, "ponte-candidates-b")
    assert es_spec.violations("indices.update_aliases", swap) == []
    assert es_spec.violations("indices.put_settings", eq.live_settings()) == []


@pytest.mark.parametrize(
    ("endpoint", "body", "complaint"),
    [
        ("search", {"query": {"boll": {"filter": []}}}, "'boll' was unexpected"),
        ("search", {"aggs": {"a": {"terms": {"field": "x"}}}}, "'aggs' was unexpected"),
        ("search", {"size": "venti"}, "'venti' is not of type 'number'"),
        ("search", {"_source": ["payload"]}, "not valid under any of the given schemas"),
        ("search", {"query": {"nested": {"path": "skills", "qury": {"match_all": {}}}}},
         "'qury'"),
        ("search", {"query": {"bool": {"filter": [{"bool": {"should": [
            {"function_score": {"query": {"dis_max": {"queries": [
                {"constant_score": {"filter": {"term": {"f": {"valu": 1}}}}}]}}}}]}}]}}},
         "'valu' was unexpected"),
        ("search", {"query": {"function_score": {"functions": [
            {"filter": {"trem": {}}, "field_value_factor": {"field": "x"}}]}}},
         "'trem' was unexpected"),
        ("indices.create", {"mappings": {"properties": {"a": {"type": "text", "analyser": "x"}}}},
         "'analyser' was unexpected"),
        ("indices.create", {"settings": {"analysis": {"filter": {"f": {
            "type": "stop", "stopword": "_italian_"}}}}}, "not valid under any"),
        ("indices.update_aliases", {"actions": [{"swap": {"index": "a", "alias": "b"}}]},
         "'swap' was unexpected"),
        ("bulk", ['{"upsert": {"_index": "a", "_id": "1"}}'], "'upsert' was unexpected"),
        ("bulk", ['{"index": {"_index": "a", "_id": "1"}}'], "a document object must follow"),
    ],
)  # fmt: skip
def test_the_check_refuses_what_the_spec_does_not_allow(endpoint, body, complaint):
    problems = es_spec.violations(endpoint, body)
    assert problems
    assert complaint in problems[0]


def test_bodies_a_client_sends_are_recorded_and_checked(monkeypatch):
    from elasticsearch import Elasticsearch
    from elasticsearch import exceptions as es_exceptions

    sent = es_spec.SentBodies().install(monkeypatch)
    nowhere = Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2)
    with pytest.raises(es_exceptions.ConnectionError):  # nothing listens: only the recording
        nowhere.search(index="x", body={"aggs": {"a": {"terms": {"field": "f"}}}})
    assert [endpoint for endpoint, _body in sent.sent] == ["search"]
    assert "'aggs' was unexpected" in sent.violations()[0]


def test_the_widest_radius_search_follows_the_spec():
    body = eq.request_body(eq.widest_radius_search())
    assert body["aggregations"] == {"widest": {"max": {"field": "constraints.radius"}}}
    assert es_spec.violations("search", body) == []
