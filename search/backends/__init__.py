"""The configured search backend: settings.PONTE_SEARCH_BACKEND ("embedded" or
"elasticsearch"), one instance per configuration and process."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.backends._builds import DeadBuild
from search.backends.base import Pending, Rebuild, RebuildInProgress, RebuildLost, SearchBackend

EMBEDDED, ELASTICSEARCH = "embedded", "elasticsearch"
_backends: dict[tuple[str, str, str], SearchBackend] = {}

__all__ = [
    "ELASTICSEARCH",
    "EMBEDDED",
    "DeadBuild",
    "Pending",
    "Rebuild",
    "RebuildInProgress",
    "RebuildLost",
    "SearchBackend",
    "backend_for",
    "get_backend",
]


def backend_for(name: str) -> SearchBackend:
    """The backend called `name`, configured from settings (tests ask for each in turn)."""
    if name == EMBEDDED:
        location = str(settings.PONTE_SEARCH_EMBEDDED_DIR)
    elif name == ELASTICSEARCH:
        location = settings.ELASTICSEARCH_URL
        if not location:
            raise ImproperlyConfigured("PONTE_SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
    else:
        raise ImproperlyConfigured(f"Unknown PONTE_SEARCH_BACKEND: {name!r}")
    key = (name, location, settings.PONTE_SEARCH_INDEX_PREFIX)
    if key not in _backends:
        _backends[key] = _create(name, location)
    return _backends[key]


def _create(name: str, location: str) -> SearchBackend:
    liveness = {
        "heartbeat_every": settings.PONTE_SEARCH_REBUILD_HEARTBEAT,
        "stale_after": settings.PONTE_SEARCH_REBUILD_STALE_AFTER,
    }
    if name == EMBEDDED:
        from search.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(Path(location), **liveness)
    from search.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(location, settings.PONTE_SEARCH_INDEX_PREFIX, **liveness)


def get_backend() -> SearchBackend:
    return backend_for(settings.PONTE_SEARCH_BACKEND)
