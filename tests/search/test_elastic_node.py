"""What only a real Elasticsearch node can show about the backend itself: the index records
how it analyses text and queries follow it; processes starting together share one index.
Needs ELASTICSEARCH_URL (marked `search`)."""

import os
import uuid

import pytest

from search.backends.elastic import ElasticsearchBackend
from search.backends.elastic_features import FULL_NODE, index_analysis
from search.documents import CANDIDATES, OPPORTUNITIES
from search.types import CandidateDoc, CandidateQuery
from tests.search.test_features import TODAY

pytestmark = pytest.mark.search


@pytest.fixture
def prefix():
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL non impostato: nessun cluster Elasticsearch")
    name = f"ponte-test-{uuid.uuid4().hex[:10]}"
    yield name
    ElasticsearchBackend(url, name).clear()


def backend(prefix, **options) -> ElasticsearchBackend:
    return ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], prefix, **options)


def cook(person_id: int) -> CandidateDoc:
    return CandidateDoc(
        person_id=person_id,
        pseudonym=f"P-{person_id}",
        province="MI",
        summary="Cuoca in una mensa aziendale",
        skills=(),
        credits=(),
        languages=(),
        weekly_hours_available=None,
        available_from=None,
        share_all=True,
        share_orgs=(),
    )


def found(engine: ElasticsearchBackend, text: str) -> list[int]:
    hits = engine.search_candidates(
        CandidateQuery(today=TODAY, viewer_organisation=None, text=text)
    )
    return [hit.doc.person_id for hit in hits.hits]


def test_the_index_records_the_analysis_the_node_allows(prefix):
    engine = backend(prefix)
    engine.ensure()
    for kind in (CANDIDATES, OPPORTUNITIES):
        mapping = engine.client.indices.get_mapping(index=engine.alias(kind)).body
        assert index_analysis(mapping) is engine.features.text_analysis
    engine.index_people([cook(1)])
    assert found(engine, "mense") == [1]


def test_queries_follow_the_index_even_if_the_node_gains_analysis_common(prefix):
    backend(prefix).index_people([cook(1)])
    later = backend(prefix, features=FULL_NODE)  # as if the node had been upgraded since
    assert later.analysis(CANDIDATES) is backend(prefix).features.text_analysis
    assert found(later, "mense") == [1]


def test_processes_creating_the_first_index_together_share_one(prefix, monkeypatch):
    first, second = backend(prefix), backend(prefix)
    original, looked = second._analysis_of, []

    def looked_before_the_first_made_it(target):
        looked.append(target)
        return None if looked.count(target) == 1 else original(target)

    monkeypatch.setattr(second, "_analysis_of", looked_before_the_first_made_it)
    first.ensure()
    second.ensure()
    for kind in (CANDIDATES, OPPORTUNITIES):
        assert len(first.client.indices.get_alias(name=first.alias(kind)).body) == 1
    second.index_people([cook(2)])
    assert found(first, "mensa") == [2]
