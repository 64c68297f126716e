"""The embedded search index belongs to one host: production refuses it unless one host is
declared, any settings refuse it when several are, a shared database without a declaration
gets a warning."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from common.checks import search_single_host_check

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


@pytest.fixture
def embedded(settings):
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_SINGLE_HOST = None
    settings.PONTE_PRODUCTION = False
    return settings


def with_engine(settings, engine: str) -> None:
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": engine}}


def ids() -> list[str]:
    return [message.id for message in search_single_host_check()]


def test_production_refuses_the_embedded_index_without_a_single_host_declared(embedded):
    embedded.PONTE_PRODUCTION = True
    assert ids() == ["search.E002"]


def test_production_accepts_the_embedded_index_on_a_declared_single_host(embedded):
    embedded.PONTE_PRODUCTION = True
    embedded.PONTE_SEARCH_SINGLE_HOST = True
    with_engine(embedded, POSTGRES)
    assert ids() == []


def test_several_hosts_declared_refuse_the_embedded_index_anywhere(embedded):
    embedded.PONTE_SEARCH_SINGLE_HOST = False
    assert ids() == ["search.E001"]


def test_a_shared_database_without_a_declaration_gets_a_warning(embedded):
    with_engine(embedded, POSTGRES)
    assert ids() == ["search.W001"]


def test_the_embedded_defaults_of_make_run_pass(embedded):
    with_engine(embedded, SQLITE)
    assert ids() == []


def test_elasticsearch_passes_whatever_the_hosts(embedded):
    embedded.PONTE_SEARCH_BACKEND = "elasticsearch"
    embedded.PONTE_PRODUCTION = True
    embedded.PONTE_SEARCH_SINGLE_HOST = False
    assert ids() == []


def test_manage_py_check_stops_on_the_refusal(embedded):
    embedded.PONTE_PRODUCTION = True
    with pytest.raises(SystemCheckError, match="search.E002"):
        call_command("check", verbosity=0)
