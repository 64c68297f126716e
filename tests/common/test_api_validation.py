"""The API validates as much as the forms and answers in Italian, constraints included."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone

from common.api import exception_handler
from common.constraints import integrity_violation
from competenze.models import JudicialMeasure, PersonIdentity, SkillEntry
from tests.conftest import client_for
from tests.factories import (
    FrameworkFactory,
    PersonFactory,
    PersonIdentityFactory,
    SkillEntryFactory,
    valid_codice_fiscale,
)

pytestmark = pytest.mark.django_db
PROJECT_APPS = ("common", "competenze", "lavoro", "search", "ml")
TODAY = timezone.localdate()


def measures_url(person) -> str:
    return f"/api/v1/people/{person.pseudonym}/measures/"


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["message"].startswith("Alcuni dati non sono validi")
    return body["extra"]["fields"]


@pytest.fixture
def person(counsellor):
    return PersonFactory(organisation=counsellor.organisation, counsellor=counsellor)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"end_date": "2026-01-01"}, "end_date", "La data di fine non può essere precedente"),
        ({"daily_start": "18:00", "daily_end": "08:00"}, "daily_end", "successivo a quello"),
        ({"allowed_radius_km": 501}, "allowed_radius_km", "minore o uguale a 500"),
        ({"max_weekly_hours": 61}, "max_weekly_hours", "minore o uguale a 60"),
        ({"avoid_sectors": ["x" * 101]}, "avoid_sectors", "più di 100 caratteri"),
        ({"avoid_sectors": ["RIS"] * 51}, "avoid_sectors", "Indica al massimo 50 elementi."),
    ],
)
def test_measure_api_checks_what_the_form_checks(counsellor, person, body, field, message):
    payload = {"measure_type": "map", "start_date": "2026-03-01", **body}
    response = client_for(counsellor).post(measures_url(person), payload)
    assert message in str(field_errors(response)[field])
    assert not JudicialMeasure.objects.exists()


def test_measure_api_names_no_raw_constraint(counsellor, person):
    response = client_for(counsellor).post(
        measures_url(person),
        {"measure_type": "map", "start_date": "2026-03-01", "end_date": "2025-01-01"},
    )
    assert "measure_dates_ordered" not in response.content.decode()


@pytest.mark.parametrize(
    "birth_date",
    [TODAY.replace(year=TODAY.year - 5), datetime.date(1850, 1, 1), TODAY + datetime.timedelta(1)],
)
def test_people_api_refuses_an_implausible_birth_date(counsellor, birth_date):
    response = client_for(counsellor).post(
        "/api/v1/people/",
        {"first_name": "Luca", "last_name": "Bianchi", "birth_date": birth_date.isoformat()},
    )
    assert "Data di nascita non plausibile" in str(field_errors(response)["birth_date"])


def test_people_api_accepts_a_plausible_birth_date(counsellor):
    response = client_for(counsellor).post(
        "/api/v1/people/",
        {
            "first_name": "Luca",
            "last_name": "Bianchi",
            "birth_date": "1985-07-10",
            "codice_fiscale": valid_codice_fiscale(3),
        },
    )
    assert response.status_code == 201, response.json()


def test_person_form_refuses_an_implausible_birth_date(counsellor):
    from tests.lavoro.web_helpers import login

    html = (
        login(counsellor)
        .post(
            "/operatore/persone/nuova/",
            {"first_name": "Luca", "last_name": "Bianchi", "birth_date": "1850-01-01"},
        )
        .content.decode()
    )
    assert "Data di nascita non plausibile" in html


def test_a_recipient_that_does_not_exist_is_refused_in_italian(counsellor, person):
    response = client_for(counsellor).post(
        f"/api/v1/people/{person.pseudonym}/consents/",
        {"purpose": "candidatura", "recipient_id": 999999},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "instance with" not in text and "is not a valid choice" not in text
    assert "Il destinatario indicato non esiste." in text


def test_a_municipality_that_does_not_exist_is_refused_in_italian(counsellor):
    response = client_for(counsellor).post(
        "/api/v1/people/", {"first_name": "Luca", "last_name": "Bi", "domicile": "999999"}
    )
    assert "999999" in str(field_errors(response)["domicile"])
    assert "does not exist" not in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "english"),
    [
        ({"first_name": True, "last_name": "Bianchi"}, "Not a valid string"),
        ({"first_name": "Luca", "last_name": "B", "email": "x"}, "valid email"),
        ({"first_name": "Luca", "last_name": "B", "weekly_hours_available": "x"}, "integer"),
    ],
)
def test_field_errors_are_italian(counsellor, payload, english):
    response = client_for(counsellor).post("/api/v1/people/", payload)
    field_errors(response)
    assert english not in response.content.decode()


def test_experience_dates_are_ordered_in_the_api(counsellor, person):
    response = client_for(counsellor).post(
        f"/api/v1/people/{person.pseudonym}/experiences/",
        {
            "kind": "formale",
            "category": "lavoro",
            "title": "Cuoco",
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
        },
    )
    assert "precedente" in str(field_errors(response)["end_date"])


def test_every_constraint_of_the_project_has_an_italian_message():
    default = "Constraint “%(name)s” is violated."
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            assert message != default and constraint.name not in message, constraint.name


def test_full_clean_reports_a_constraint_in_italian():
    person = PersonFactory()
    measure = JudicialMeasure(
        person=person,
        measure_type="map",
        start_date=TODAY,
        end_date=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert error.value.messages == [
        "La data di fine della misura non può precedere la data di inizio."
    ]


def _integrity_error(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    return error.value


def test_a_check_constraint_refused_by_the_database_gets_its_italian_message():
    person = PersonFactory()
    error = _integrity_error(
        lambda: JudicialMeasure.objects.create(
            person=person,
            measure_type="map",
            start_date=TODAY,
            end_date=TODAY - datetime.timedelta(days=1),
        )
    )
    violation = integrity_violation(error)
    assert violation.message == "La data di fine della misura non può precedere la data di inizio."
    assert not violation.duplicate


def test_a_unique_constraint_refused_by_the_database_is_a_duplicate():
    entry = SkillEntryFactory()
    error = _integrity_error(
        lambda: SkillEntry.objects.create(
            person=entry.person,
            concept=entry.concept,
            recorded_by=entry.recorded_by,
            source=entry.source,
        )
    )
    violation = integrity_violation(error)
    assert violation.message == "Questa competenza è già nel profilo."
    assert violation.duplicate


def test_a_unique_field_refused_by_the_database_never_echoes_the_value():
    code = valid_codice_fiscale(5)
    PersonIdentityFactory(codice_fiscale=code)
    other = PersonFactory()
    error = _integrity_error(
        lambda: PersonIdentity.objects.create(
            person=other, first_name="A", last_name="B", codice_fiscale=code
        )
    )
    violation = integrity_violation(error)
    assert violation.duplicate
    assert code not in violation.message
    assert "Esiste già" in violation.message


def test_the_api_answers_a_database_duplicate_with_an_italian_409():
    entry = SkillEntryFactory()
    error = _integrity_error(
        lambda: SkillEntry.objects.create(
            person=entry.person,
            concept=entry.concept,
            recorded_by=entry.recorded_by,
            source=entry.source,
        )
    )
    response = exception_handler(error, {})
    assert response.status_code == 409
    assert response.data == {
        "message": "Questa competenza è già nel profilo.",
        "code": "conflict",
        "extra": {},
    }


def test_unique_constraints_all_name_their_fields_for_sqlite():
    """SQLite reports a UNIQUE failure by columns only: every unique constraint must list its
    fields (not only expressions) for the message to be found."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert constraint.fields, constraint.name


def test_a_concept_code_unknown_to_the_framework_is_an_italian_field_error(counsellor, person):
    FrameworkFactory(is_default=True)
    response = client_for(counsellor).post(
        f"/api/v1/people/{person.pseudonym}/skills/", {"code": "NON-ESISTE"}
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Risorsa non trovata."


def test_employer_registration_checks_the_ateco_code_as_the_form_does(employer_user):
    response = client_for(employer_user).post(
        "/api/v1/employers/",
        {"name": "Trattoria", "partita_iva": "01234567897", "ateco_code": "cucina"},
    )
    assert "Codice ATECO non valido" in str(field_errors(response)["ateco_code"])
