import pytest
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Person, PersonIdentity, SkillEntry
from tests.conftest import client_for
from tests.factories import (
    ConceptFactory,
    CounsellorFactory,
    EmployerUserFactory,
    FrameworkFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    PersonIdentityFactory,
    valid_codice_fiscale,
)

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"api:competenze:{name}", kwargs=kwargs)


def test_anonymous_requests_get_an_italian_json_error(api_client):
    response = api_client.get(url("people"))
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "code", "extra"}
    assert "autenticazione" in response.json()["message"].lower()


def test_counsellor_creates_a_person_without_identity_in_the_response(counsellor):
    milano = MunicipalityFactory(istat_code="015146", name="Milano")
    response = client_for(counsellor).post(
        url("people"),
        {
            "first_name": "Luca",
            "last_name": "Bianchi",
            "codice_fiscale": valid_codice_fiscale(7),
            "domicile": milano.istat_code,
            "weekly_hours_available": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["domicile"] == "Milano"
    assert "Bianchi" not in str(body)
    person = Person.objects.get(pseudonym=body["pseudonym"])
    assert person.organisation == counsellor.organisation
    assert PersonIdentity.objects.get(person=person).last_name == "Bianchi"
    assert AccessLog.objects.filter(action="create", data_category="identita").count() == 1


def test_invalid_codice_fiscale_gets_field_errors_in_italian(counsellor):
    response = client_for(counsellor).post(
        url("people"),
        {
            "first_name": "Luca",
            "last_name": "Bianchi",
            "codice_fiscale": "RSSMRA85T10A562T",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("Alcuni dati non sono validi")
    assert "carattere di controllo" in str(body["extra"]["fields"]["codice_fiscale"])
    assert not Person.objects.exists()


def test_employer_cannot_create_people(employer_user):
    response = client_for(employer_user).post(
        url("people"), {"first_name": "Luca", "last_name": "Bianchi"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_people_list_is_paginated_and_scoped():
    identity = PersonIdentityFactory()
    PersonIdentityFactory()  # another organisation
    response = client_for(identity.person.counsellor).get(url("people"))
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["pseudonym"] == identity.person.pseudonym


def test_identity_route_is_audited_and_closed_to_other_organisations():
    person = PersonIdentityFactory().person
    ok = client_for(person.counsellor).get(url("person-identity", pseudonym=person.pseudonym))
    assert ok.status_code == 200
    assert ok.json()["first_name"] == "Mario"
    other = client_for(CounsellorFactory()).get(url("person-identity", pseudonym=person.pseudonym))
    assert other.status_code == 404
    assert AccessLog.objects.filter(data_category="identita", action="view").count() == 1


def test_measures_route_lists_judicial_data_for_the_counsellor_only():
    measure = JudicialMeasureFactory(measure_type="map", max_weekly_hours=10)
    person = measure.person
    response = client_for(person.counsellor).get(url("person-measures", pseudonym=person.pseudonym))
    assert response.json()[0]["measure_type"] == "map"
    assert response.json()[0]["max_weekly_hours"] == 10
    employer = client_for(EmployerUserFactory())
    assert employer.get(url("person-measures", pseudonym=person.pseudonym)).status_code == 404


def test_skill_added_at_identified_and_its_stage_not_changed_by_hand():
    framework = FrameworkFactory(is_default=True)
    concept = ConceptFactory(framework=framework, code="RIS-C01", pref_label="Cucinare")
    person = PersonIdentityFactory().person
    client = client_for(person.counsellor)
    created = client.post(
        url("person-skills", pseudonym=person.pseudonym),
        {"code": concept.code, "level": 2, "evidence_text": "facevo i primi"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["stage"] == "individuata"
    entry_id = created.json()["id"]
    detail = url("person-skill-detail", pseudonym=person.pseudonym, entry_id=entry_id)
    promoted = client.patch(detail, {"stage": "certificata", "level": 3}, format="json")
    assert promoted.status_code == 400
    assert "La fase non si cambia direttamente" in promoted.json()["message"]
    entry = SkillEntry.objects.get(pk=entry_id)
    assert (entry.stage, entry.level) == ("individuata", 2)  # nothing half-written
    assert list(entry.stage_records.values_list("kind", "actor")) == [
        ("individuazione", person.counsellor.pk)
    ]
    same = client.patch(detail, {"stage": "individuata", "level": 3}, format="json")
    assert same.status_code == 200 and same.json()["level"] == 3
    duplicate = client.post(
        url("person-skills", pseudonym=person.pseudonym), {"code": concept.code}, format="json"
    )
    assert duplicate.status_code == 400


def test_consent_given_and_revoked_once():
    person = PersonIdentityFactory().person
    client = client_for(person.counsellor)
    consents = url("person-consents", pseudonym=person.pseudonym)
    given = client.post(consents, {"purpose": "profilo_datori"}, format="json").json()
    revoke = url("consent-revoke", pseudonym=person.pseudonym, consent_id=given["id"])
    assert client.post(revoke).json()["revoked_at"] is not None
    again = client.post(revoke)
    assert again.status_code == 400
    assert again.json()["message"] == "Il consenso è già stato revocato."


def test_concepts_search_by_colloquial_label():
    framework = FrameworkFactory(is_default=True)
    ConceptFactory(
        framework=framework,
        code="LOG-C01",
        pref_label="Condurre il carrello",
        alt_labels=["guidare il muletto"],
    )
    ConceptFactory(framework=framework, code="RIS-C01", pref_label="Cucinare")
    response = client_for(CounsellorFactory()).get(url("concepts"), {"q": "muletto"})
    assert [c["code"] for c in response.json()["results"]] == ["LOG-C01"]


def test_openapi_schema_is_served(counsellor):
    response = client_for(counsellor).get(reverse("schema"))
    assert response.status_code == 200
    assert b"/api/v1/people/" in response.content


@pytest.mark.django_db(transaction=True)
def test_refused_access_is_audited_even_though_the_answer_is_404():
    person = PersonIdentityFactory().person
    stranger = CounsellorFactory()
    response = client_for(stranger).get(url("person-identity", pseudonym=person.pseudonym))
    assert response.status_code == 404
    denied = AccessLog.objects.get(action="denied")
    assert (denied.actor, denied.subject) == (stranger, person.pseudonym)
