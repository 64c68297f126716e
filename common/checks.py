"""System checks about how Ponte is deployed (docs/deployment.md).

The embedded search index lives in a folder of one host (PONTE_SEARCH_EMBEDDED_DIR): a
second web host would search its own copy, which nobody updates (index writes happen on the
host, or the worker, that made the change). Several hosts need Elasticsearch. These checks
only read settings; manage.py commands and the gunicorn master (config/gunicorn.py) run them,
and an error stops either.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.translation import gettext as _

EMBEDDED = "embedded"


def _embedded_hint() -> str:
    return _(
        "Con più host web imposta ELASTICSEARCH_URL (un cluster condiviso); con un solo host "
        "imposta PONTE_SEARCH_SINGLE_HOST=true."
    )


@register(Tags.compatibility)
def search_single_host_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The embedded index with several hosts: refused when they are declared
    (PONTE_SEARCH_SINGLE_HOST=false) and in production unless one host is declared; a warning
    elsewhere when the database is a shared server (not SQLite) and nothing is declared."""
    if settings.PONTE_SEARCH_BACKEND != EMBEDDED:
        return []
    single_host = settings.PONTE_SEARCH_SINGLE_HOST
    if single_host is True:
        return []
    if single_host is False:
        return [
            Error(
                _(
                    "L'indice di ricerca integrato è di un solo host, ma "
                    "PONTE_SEARCH_SINGLE_HOST=false dichiara più host web."
                ),
                hint=_embedded_hint(),
                id="search.E001",
            )
        ]
    if settings.PONTE_PRODUCTION:
        return [
            Error(
                _(
                    "In produzione l'indice di ricerca integrato richiede "
                    "PONTE_SEARCH_SINGLE_HOST=true: è una cartella di questo host, che gli altri "
                    "host non vedono."
                ),
                hint=_embedded_hint(),
                id="search.E002",
            )
        ]
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [
            Warning(
                _(
                    "Database condiviso e indice di ricerca integrato: l'indice è di questo host "
                    "soltanto, un secondo host web non lo vedrebbe."
                ),
                hint=_embedded_hint(),
                id="search.W001",
            )
        ]
    return []
