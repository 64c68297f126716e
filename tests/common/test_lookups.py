"""field__in_ids (common.lookups): the same rows as __in, for keys and foreign keys."""

import pytest
from django.core.management import call_command

from common.models import Municipality, Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    call_command("load_municipalities")


def test_primary_keys_select_the_same_rows_as_in(places):
    ids = list(Municipality.objects.order_by("pk").values_list("pk", flat=True)[::7])
    found = Municipality.objects.filter(pk__in_ids=ids).values_list("pk", flat=True)
    assert sorted(found) == ids


def test_foreign_keys_select_the_same_rows_as_in(places):
    provinces = list(Province.objects.filter(code__in=["MI", "BG"]).values_list("pk", flat=True))
    quick = Municipality.objects.filter(province_id__in_ids=provinces)
    plain = Municipality.objects.filter(province_id__in=provinces)
    assert set(quick.values_list("pk", flat=True)) == set(plain.values_list("pk", flat=True))
    assert quick.count() > 100


def test_ids_given_as_text_are_read_as_integers(places):
    milano = Municipality.objects.get(istat_code="015146")
    assert list(Municipality.objects.filter(pk__in_ids=[str(milano.pk)])) == [milano]


def test_no_ids_match_nothing(places):
    assert not Municipality.objects.filter(pk__in_ids=[]).exists()
    assert Municipality.objects.exclude(pk__in_ids=[]).count() == 1502


def test_something_else_than_an_id_is_refused(places):
    with pytest.raises(ValueError):
        list(Municipality.objects.filter(pk__in_ids=["Milano"]))


def test_more_ids_than_a_statement_may_carry_parameters(places):
    ids = [*range(10**6, 10**6 + 300_000), *Municipality.objects.values_list("pk", flat=True)]
    assert Municipality.objects.filter(pk__in_ids=ids).count() == 1502
