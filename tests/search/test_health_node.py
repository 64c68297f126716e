"""/health/ready against a real Elasticsearch node (ELASTICSEARCH_URL; marked `search`)."""

import os

import pytest

pytestmark = [pytest.mark.search, pytest.mark.django_db]


def test_ready_is_ok_on_a_real_node(client, settings):
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL non impostato: nessun cluster Elasticsearch")
    settings.PONTE_SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    response = client.get("/health/ready")
    assert response.json()["components"]["search"]["status"] == "ok"
    assert response.status_code == 200
