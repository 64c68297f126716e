"""Deleting people and opportunities in the admin removes them from the index at once (the
admin sends the immediate delete events; search.receivers carries them out)."""

import pytest
from django.urls import reverse

from competenze.models import Person
from tests.factories import JobOfferFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(role="amministratore", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_person_deleted_in_admin_leaves_the_index(admin_client, monkeypatch):
    removed = []
    monkeypatch.setattr("search.indexing.person_deleted", removed.append)
    person = PersonFactory()
    url = reverse("admin:competenze_person_delete", args=[person.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert removed == [person.pk]


def test_offers_deleted_in_bulk_leave_the_index(admin_client, monkeypatch):
    removed = []
    monkeypatch.setattr(
        "search.indexing.opportunity_deleted", lambda kind, pk: removed.append((kind, pk))
    )
    offers = JobOfferFactory.create_batch(2)
    response = admin_client.post(
        reverse("admin:lavoro_joboffer_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in offers], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(removed) == sorted(("offer", o.pk) for o in offers)
