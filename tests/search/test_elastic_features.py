"""The Elasticsearch backend adapts to the node's modules: pure functions from a module list
to index settings, documents and queries (no server: the module list is the input)."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from search.admits import admits_for
from search.backends import elastic_queries as eq
from search.backends.elastic_features import (
    ANALYSIS_COMMON,
    FULL_NODE,
    NOT_WITHOUT,
    NodeFeatures,
    TextAnalysis,
    client_terms,
    index_analysis,
    node_features,
)
from search.documents import CANDIDATES, OPPORTUNITIES, candidate_body, index_body
from search.types import (
    CandidateDoc,
    CandidateQuery,
    Credit,
    HardConstraints,
    IndexedSkill,
    OpportunityQuery,
    Requirement,
)
from tests.search.test_elastic_bodies import opportunity

TODAY = datetime.date(2026, 6, 1)
# What the integration-test distribution on Maven Central lists (`GET _nodes/plugins`).
TEST_MODULES = ("apm", "transport-netty4", "x-pack-core", "x-pack-security")
TEST_NODE = {"nodes": {"a1": {"modules": [{"name": name} for name in TEST_MODULES]}}}
BARE = node_features(TEST_NODE)


def node(*modules: str, plugins: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"modules": [{"name": m} for m in modules], "plugins": [{"name": p} for p in plugins]}


def test_a_feature_counts_only_if_every_node_has_it():
    info = {
        "nodes": {
            "a": node("analysis-common", "lang-painless"),
            "b": node("lang-painless", plugins=("analysis-common",)),
            "c": node("lang-painless"),
        }
    }
    assert node_features(info) == NodeFeatures(frozenset({"lang-painless"}))
    assert node_features({"nodes": {}}) == NodeFeatures(frozenset())


def test_the_test_distribution_lacks_every_optional_module():
    assert BARE.missing() == sorted(NOT_WITHOUT)
    assert BARE.text_analysis is TextAnalysis.CLIENT
    assert FULL_NODE.missing() == []
    assert FULL_NODE.text_analysis is TextAnalysis.ITALIAN


def test_with_analysis_common_the_node_runs_the_italian_chain():
    settings = index_body(CANDIDATES, analysis=FULL_NODE.text_analysis)["settings"]["analysis"]
    assert settings["analyzer"]["ponte_italian"]["filter"] == [
        "ponte_italian_elision",
        "lowercase",
        "ponte_italian_stop",
        "ponte_italian_stemmer",
        "asciifolding",
    ]
    assert settings["filter"]["ponte_italian_stemmer"]["language"] == "light_italian"


def test_without_analysis_common_the_index_uses_the_standard_analyzer():
    body = index_body(OPPORTUNITIES, analysis=BARE.text_analysis)
    assert body["settings"]["analysis"] == {"analyzer": {"ponte_italian": {"type": "standard"}}}
    assert body["mappings"]["_meta"] == {"ponte": {"text_analysis": "client"}}
    assert body["mappings"]["properties"]["text"] == {"type": "text", "analyzer": "ponte_italian"}


def test_without_analysis_common_the_backend_stems_text_as_the_embedded_engine():
    terms = client_terms("Cuoco per MENSE scolastiche, dell'Città")
    assert terms == "cuoc per mens scolast dell citt"
    doc = CandidateDoc(
        person_id=7,
        pseudonym="P-1",
        province="MI",
        summary="Cuoca in mensa",
        skills=(IndexedSkill(5, "RIS-C02", "Cuocere", "validata", 2),),
        credits=(Credit(5, 0.8, "propria", "validata"),),
        languages=(),
        weekly_hours_available=None,
        available_from=None,
        share_all=True,
        share_orgs=(),
        skill_texts=("Cuocere alimenti",),
    )
    assert candidate_body(doc, analysis=TextAnalysis.CLIENT)["text"] == "cuoc in mens cuoc aliment"
    assert candidate_body(doc, analysis=TextAnalysis.ITALIAN)["text"] == doc.search_text
    match = eq.text_match("le mense", TextAnalysis.CLIENT)
    assert match is not None
    assert match.to_dict() == {"match": {"text": {"query": "le mens", "operator": "and"}}}
    italian = eq.text_match("le mense", TextAnalysis.ITALIAN)
    assert italian is not None
    assert italian.to_dict()["match"]["text"]["query"] == "le mense"


def test_text_without_words_restricts_nothing():
    assert eq.text_match(" ?! ", TextAnalysis.CLIENT) is None
    assert eq.text_match(" ?! ", TextAnalysis.ITALIAN) is None


def test_queries_follow_what_the_index_recorded_not_the_node():
    recorded = {"ponte-c-1": {"mappings": {"_meta": {"ponte": {"text_analysis": "client"}}}}}
    assert index_analysis(recorded) is TextAnalysis.CLIENT
    older = {"ponte-c-0": {"mappings": {"properties": {}}}}
    assert index_analysis(older) is TextAnalysis.ITALIAN
    with pytest.raises(ValueError):
        index_analysis({})


# ------------------------------------------------------------------ nothing needs a missing module


def every_body(analysis: TextAnalysis) -> Iterator[dict[str, Any]]:
    """Every kind of body the backend sends, for one text analysis mode."""
    for kind in (CANDIDATES, OPPORTUNITIES):
        yield index_body(kind, analysis=analysis, alias="a")
    constraints = HardConstraints(
        today=TODAY,
        measure_type="map",
        radius_km=20.0,
        max_weekly_hours=20,
        available_from=TODAY,
        measure_end=TODAY,
        avoid_sectors=frozenset({"COM"}),
        institute_id=3,
    )
    for origin in (None, (45.46, 9.19)):
        query = OpportunityQuery(
            ("offer", "course"),
            {5: 1.0, 6: 0.5},
            origin,
            constraints,
            text="cuoco",
            teaches_any=(5,),
        )
        yield eq.request_body(eq.opportunity_search(query, analysis=analysis))
    requirements = (Requirement(5, "A", "a", True), Requirement(6, "B", "b", False))
    for scoring in ((), requirements):
        query = CandidateQuery(
            today=TODAY,
            viewer_organisation=4,
            text="cuoco",
            skills=(5,),
            province="MI",
            language="fr",
            available_by=TODAY,
            min_hours=10,
            requirements=scoring,
            role_province="MI" if scoring else "",
            compatible=admits_for(
                opportunity(
                    kind="placement", measures=("map",), shift_start=22 * 60, shift_end=6 * 60
                ),
                {3: (45.46, 9.19), 4: (45.07, 7.69)},
                TODAY,
            ),
        )
        yield eq.request_body(eq.candidate_search(query, analysis=analysis))
    for action in eq.opportunity_actions("o", [opportunity()], analysis=analysis):
        yield action["_source"]


def names_in(body: Any) -> Iterator[str]:
    """Every key, and every string value, anywhere in a body."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield str(key)
            yield from names_in(value)
    elif isinstance(body, list):
        for item in body:
            yield from names_in(item)
    elif isinstance(body, str):
        yield body


def used_from_missing_modules(features: NodeFeatures) -> dict[str, set[str]]:
    used = {name for body in every_body(features.text_analysis) for name in names_in(body)}
    return {module: used & NOT_WITHOUT[module] for module in features.missing()}


def test_a_bare_node_gets_nothing_that_needs_a_module_it_lacks():
    assert used_from_missing_modules(BARE) == {module: set() for module in NOT_WITHOUT}


def test_the_guard_would_catch_the_italian_chain_on_a_bare_node():
    used = {name for body in every_body(TextAnalysis.ITALIAN) for name in names_in(body)}
    assert used & NOT_WITHOUT[ANALYSIS_COMMON] == {"elision", "asciifolding", "stemmer"}
