"""Two requests registering the same codice fiscale: the loser gets 409 in Italian, never a
500, and nothing of its attempt is left behind (API and page)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from common.exceptions import ConflictError
from common.models import AccessLog
from competenze.models import Person, PersonIdentity
from competenze.services import people as people_services
from tests.conftest import client_for
from tests.factories import CounsellorFactory, PersonIdentityFactory, valid_codice_fiscale

CF_TAKEN = "Esiste già una persona con questo codice fiscale."
API_PEOPLE = reverse("api:competenze:people")
PAGE_NEW = reverse("competenze:person-new")


def _race_lost_once(monkeypatch):
    """The check before the insert misses a row once, as when a concurrent request has not
    committed yet; the unique index then refuses the insert."""
    calls = []
    original = people_services._codice_fiscale_taken

    def taken(code: str) -> bool:
        calls.append(code)
        return False if len(calls) == 1 else original(code)

    monkeypatch.setattr(people_services, "_codice_fiscale_taken", taken)


@pytest.mark.django_db
def test_service_turns_a_lost_race_into_a_conflict_and_writes_nothing(monkeypatch, counsellor):
    existing = PersonIdentityFactory(codice_fiscale=valid_codice_fiscale(3))
    _race_lost_once(monkeypatch)
    with pytest.raises(ConflictError) as error:
        people_services.person_create(
            created_by=counsellor,
            first_name="Luca",
            last_name="Bianchi",
            codice_fiscale=existing.codice_fiscale,
        )
    assert error.value.message == CF_TAKEN
    assert error.value.__cause__ is None  # the database message (with the code) is not chained
    assert Person.objects.count() == 1
    assert not AccessLog.objects.filter(actor=counsellor).exists()


@pytest.mark.django_db
def test_api_answers_409_in_italian_for_a_taken_codice_fiscale(monkeypatch, counsellor):
    existing = PersonIdentityFactory(codice_fiscale=valid_codice_fiscale(4))
    body = {
        "first_name": "Luca",
        "last_name": "Bianchi",
        "codice_fiscale": existing.codice_fiscale.lower(),
    }
    client = client_for(counsellor)
    plain = client.post(API_PEOPLE, body, format="json")
    assert plain.status_code == 409
    assert plain.json() == {"message": CF_TAKEN, "code": "duplicate", "extra": {}}
    _race_lost_once(monkeypatch)
    raced = client.post(API_PEOPLE, body, format="json")
    assert raced.status_code == 409 and raced.json()["message"] == CF_TAKEN
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_page_answers_409_with_the_message_on_the_field(monkeypatch, counsellor):
    existing = PersonIdentityFactory(codice_fiscale=valid_codice_fiscale(5))
    client = Client()
    client.force_login(counsellor)
    _race_lost_once(monkeypatch)
    response = client.post(
        PAGE_NEW,
        {"first_name": "Luca", "last_name": "Bianchi", "codice_fiscale": existing.codice_fiscale},
    )
    assert response.status_code == 409
    assert CF_TAKEN in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="serve PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creations_on_postgresql_give_one_201_and_one_409(monkeypatch):
    """Both requests pass the check before either inserts (a barrier holds them there); the
    unique index lets one through and makes the other wait, then fail: 409, not 500."""
    counsellors = [CounsellorFactory(), CounsellorFactory()]
    code = valid_codice_fiscale(11)
    barrier = threading.Barrier(2, timeout=20)
    original = people_services._codice_fiscale_taken
    first_checks = threading.local()

    def taken(value: str) -> bool:
        result = original(value)
        if not getattr(first_checks, "done", False):
            first_checks.done = True
            barrier.wait()
        return result

    monkeypatch.setattr(people_services, "_codice_fiscale_taken", taken)
    results: list[tuple[int, dict]] = []

    def create(user) -> None:
        client = APIClient()
        client.raise_request_exception = False
        client.force_authenticate(user=user)
        try:
            response = client.post(
                API_PEOPLE,
                {"first_name": "Luca", "last_name": "Bianchi", "codice_fiscale": code},
                format="json",
            )
            is_json = response["Content-Type"].startswith("application/json")
            results.append((response.status_code, response.json() if is_json else {}))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in counsellors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _body in results) == [201, 409], results
    conflict = next(body for status, body in results if status == 409)
    assert conflict["message"] == CF_TAKEN
    assert PersonIdentity.objects.filter(codice_fiscale=code).count() == 1
    assert Person.objects.count() == 1
