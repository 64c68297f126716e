import json

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from common.exceptions import AccessDenied
from common.models import AccessLog
from competenze.models import Consent
from lavoro.selectors import candidate_profile_get
from tests.conftest import client_for
from tests.factories import (
    ConceptFactory,
    EmployerUserFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentityFactory,
    ProvinceFactory,
    SkillEntryFactory,
)
from tests.factories.extra_lavoro import PersonLanguageFactory
from tests.lavoro.conftest import give_consent

pytestmark = pytest.mark.django_db

SHARE = Consent.Purpose.SHARE_PROFILE
IDENTITY = Consent.Purpose.DISCLOSE_IDENTITY
FORBIDDEN_KEYS = {
    "codice_fiscale",
    "birth_date",
    "birth_year",
    "measures",
    "measure",
    "measure_type",
    "judicial_measure",
    "institute",
    "domicile",
    "municipality",
    "counsellor",
    "notes",
    "note",
    "organisation",
}
ALLOWED_KEYS = {
    "pseudonym",
    "province",
    "skills",
    "languages",
    "weekly_hours_available",
    "available_from",
    "summary",
    "identity",
}


@pytest.fixture
def candidate():
    """A person with a full record, judicial and identity data included."""
    brescia = MunicipalityFactory(
        istat_code="017029", name="Brescia", province=ProvinceFactory(code="BS", name="Brescia")
    )
    person = PersonFactory(domicile=brescia, summary="Cerco lavoro in cucina.")
    PersonIdentityFactory(
        person=person,
        first_name="Giulia",
        last_name="Verdi",
        phone="3331234567",
        email="giulia@example.org",
        codice_fiscale="VRDGLI90A41B157K",
    )
    JudicialMeasureFactory(person=person, measure_type="affidamento", notes="Riservato")
    SkillEntryFactory(
        person=person,
        concept=ConceptFactory(code="RIS.C01", pref_label="Preparare i primi"),
        level=3,
        stage="validata",
    )
    PersonLanguageFactory(person=person, language="ar", level="madrelingua")
    return person


def all_keys(value):
    if isinstance(value, dict):
        return set(value) | set().union(*(all_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(all_keys(v) for v in value))
    return set()


def view(user, person):
    return client_for(user).get(
        reverse("api:lavoro:candidate-detail", kwargs={"pseudonym": person.pseudonym})
    )


def test_employer_cannot_see_a_person_without_profile_consent(candidate, employer_member):
    with pytest.raises(Http404):
        candidate_profile_get(user=employer_member, pseudonym=candidate.pseudonym)
    response = view(employer_member, candidate)
    assert response.status_code == 404
    assert set(response.json()) == {"message", "code", "extra"}
    denied = AccessLog.objects.filter(subject=candidate.pseudonym, action="denied")
    assert denied.count() == 2


def test_unknown_and_hidden_candidates_get_the_same_answer(candidate, employer_member):
    hidden = view(employer_member, candidate)
    unknown = client_for(employer_member).get(
        reverse("api:lavoro:candidate-detail", kwargs={"pseudonym": "P-AAAA-BBBB"})
    )
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


def test_revoked_profile_consent_hides_the_person(candidate, employer_member):
    consent = give_consent(candidate, purpose=SHARE)
    consent.revoked_at = timezone.now()
    consent.save()
    assert view(employer_member, candidate).status_code == 404


def test_profile_consent_for_another_recipient_does_not_count(candidate, employer_member):
    give_consent(candidate, purpose=SHARE, recipient=OrganisationFactory())
    assert view(employer_member, candidate).status_code == 404


def test_candidate_view_has_no_forbidden_keys_and_no_identity_without_consent(
    candidate, employer_member
):
    give_consent(candidate, purpose=SHARE)
    response = view(employer_member, candidate)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == ALLOWED_KEYS
    assert not all_keys(body) & FORBIDDEN_KEYS
    assert body["identity"] is None
    assert body["province"] == "BS"
    assert body["skills"] == [
        {"code": "RIS.C01", "label": "Preparare i primi", "level": 3, "stage": "validata"}
    ]
    assert body["languages"] == [{"language": "ar", "level": "madrelingua"}]
    text = json.dumps(body)
    for secret in (
        "Giulia",
        "Verdi",
        "VRDGLI90A41B157K",
        "Brescia",
        "affidamento",
        "Riservato",
        candidate.counsellor.username,
        "1985",
    ):
        assert secret not in text


def test_candidate_view_includes_identity_with_consent_for_this_employer(
    candidate, employer_member
):
    give_consent(candidate, purpose=SHARE)
    give_consent(candidate, purpose=IDENTITY, recipient=employer_member.organisation)
    body = view(employer_member, candidate).json()
    assert body["identity"] == {
        "first_name": "Giulia",
        "last_name": "Verdi",
        "phone": "3331234567",
        "email": "giulia@example.org",
    }
    assert not all_keys(body) & FORBIDDEN_KEYS
    assert "VRDGLI90A41B157K" not in json.dumps(body)


def test_identity_consent_for_another_employer_is_not_enough(candidate, employer_member):
    give_consent(candidate, purpose=SHARE)
    give_consent(candidate, purpose=IDENTITY, recipient=EmployerUserFactory().organisation)
    assert view(employer_member, candidate).json()["identity"] is None


def test_identity_consent_naming_the_host_body_serves_it(candidate, host_member):
    give_consent(candidate, purpose=SHARE)
    give_consent(candidate, purpose=IDENTITY, recipient=host_member.organisation)
    profile = candidate_profile_get(user=host_member, pseudonym=candidate.pseudonym)
    assert profile.identity is not None
    assert profile.identity.last_name == "Verdi"


def test_revoked_identity_consent_hides_the_identity(candidate, employer_member):
    give_consent(candidate, purpose=SHARE)
    consent = give_consent(candidate, purpose=IDENTITY, recipient=employer_member.organisation)
    consent.revoked_at = timezone.now()
    consent.save()
    assert view(employer_member, candidate).json()["identity"] is None


def test_each_view_writes_an_access_log_row(candidate, employer_member):
    give_consent(candidate, purpose=SHARE)
    view(employer_member, candidate)
    view(employer_member, candidate)
    rows = AccessLog.objects.filter(subject=candidate.pseudonym, action="view")
    assert rows.count() == 2
    assert set(rows.values_list("data_category", flat=True)) == {"profilo_pseudonimo"}
    assert rows.first().actor == employer_member
    give_consent(candidate, purpose=IDENTITY, recipient=employer_member.organisation)
    view(employer_member, candidate)
    assert rows.filter(data_category="identita").count() == 1


def test_admin_sees_the_pseudonymised_profile_without_consent(candidate, admin_user):
    give_consent(candidate, purpose=IDENTITY, recipient=EmployerUserFactory().organisation)
    profile = candidate_profile_get(user=admin_user, pseudonym=candidate.pseudonym)
    assert profile.pseudonym == candidate.pseudonym
    assert profile.identity is None


@pytest.mark.parametrize("role_fixture", ["counsellor", "trainee_user", "programme_manager"])
def test_other_roles_cannot_use_the_candidate_view(candidate, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    give_consent(candidate, purpose=SHARE)
    with pytest.raises(AccessDenied):
        candidate_profile_get(user=user, pseudonym=candidate.pseudonym)
    response = view(user, candidate)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
