"""Shared helpers of the competenze page tests (test_views_*.py)."""

from django.test import Client


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def search_index_setup(settings, tmp_path):
    """Point search at an embedded index of the test's own; returns a function that
    (re)builds it from the database once the test data exists."""
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "search"
    settings.PONTE_SEARCH_RANKER_PATH = tmp_path / "no-ranker.json"

    def rebuild() -> None:
        from search.indexing import rebuild as search_rebuild

        search_rebuild()

    return rebuild
