"""Identity disclosure ("identita_datori") goes to one named employer or host body, never to
everyone: refused on write (API, service, database), ignored on read (one queryset rule),
and the rows recorded before the rule are voided and listed for the counsellor to redo."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.models import AccessLog, Organisation
from competenze.models import Consent
from competenze.models.people import IDENTITY_RECIPIENT_NEEDED, IDENTITY_RECIPIENT_WRONG_KIND
from competenze.services.people import CONSENT_RECIPIENT_UNKNOWN, consent_give
from lavoro.selectors import candidate_profile_get
from tests.conftest import client_for
from tests.factories import (
    ConsentFactory,
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentityFactory,
)

pytestmark = pytest.mark.django_db

IDENTITY = Consent.Purpose.DISCLOSE_IDENTITY
SHARE = Consent.Purpose.SHARE_PROFILE
ROOT = Path(__file__).resolve().parents[2]
APPS = ("common", "competenze", "config", "lavoro", "ml", "search")


@pytest.fixture
def person():
    person = PersonFactory()
    PersonIdentityFactory(person=person, first_name="Giulia", last_name="Verdi")
    ConsentFactory(person=person, purpose=SHARE)
    return person


@pytest.fixture
def counsellor(person):
    return CounsellorFactory(organisation=person.organisation)


def consents_url(person):
    return reverse("api:competenze:person-consents", kwargs={"pseudonym": person.pseudonym})


# --- writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient_kind", "message"),
    [
        (None, IDENTITY_RECIPIENT_NEEDED),
        (Organisation.Kind.TRAINING_PROVIDER, IDENTITY_RECIPIENT_WRONG_KIND),
        (Organisation.Kind.SERVICE, IDENTITY_RECIPIENT_WRONG_KIND),
    ],
)
def test_api_refuses_identity_consent_without_an_employer_or_host_body(
    person, counsellor, recipient_kind, message
):
    recipient = OrganisationFactory(kind=recipient_kind) if recipient_kind else None
    body = {"purpose": IDENTITY, "recipient_id": recipient.pk if recipient else None}
    response = client_for(counsellor).post(consents_url(person), body, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["recipient_id"] == [str(message)]
    assert not Consent.objects.filter(purpose=IDENTITY).exists()


def test_api_refuses_identity_consent_with_recipient_omitted(person, counsellor):
    response = client_for(counsellor).post(consents_url(person), {"purpose": IDENTITY})
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["recipient_id"] == [str(IDENTITY_RECIPIENT_NEEDED)]


@pytest.mark.parametrize("kind", [Organisation.Kind.EMPLOYER, Organisation.Kind.HOST_BODY])
def test_api_records_identity_consent_for_a_named_employer_or_host_body(person, counsellor, kind):
    recipient = OrganisationFactory(kind=kind)
    response = client_for(counsellor).post(
        consents_url(person), {"purpose": IDENTITY, "recipient_id": recipient.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["recipient_id"] == recipient.pk
    assert Consent.objects.get(purpose=IDENTITY).recipient == recipient


def test_api_refuses_an_unknown_recipient_in_italian(person, counsellor):
    response = client_for(counsellor).post(
        consents_url(person), {"purpose": SHARE, "recipient_id": 999_999}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["recipient"] == [str(CONSENT_RECIPIENT_UNKNOWN)]


def test_service_refuses_identity_consent_without_recipient(person, counsellor):
    with pytest.raises(ValidationError) as error:
        consent_give(person=person, purpose=IDENTITY, recorded_by=counsellor)
    assert error.value.message_dict == {"recipient": [str(IDENTITY_RECIPIENT_NEEDED)]}
    trainer = OrganisationFactory(kind=Organisation.Kind.TRAINING_PROVIDER)
    with pytest.raises(ValidationError):
        consent_give(
            person=person, purpose=IDENTITY, recorded_by=counsellor, recipient_id=trainer.pk
        )
    assert not Consent.objects.filter(purpose=IDENTITY).exists()


def test_database_refuses_an_active_identity_consent_without_recipient(person, counsellor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=person, purpose=IDENTITY, recorded_by=counsellor)


def test_page_refuses_identity_consent_for_a_training_provider(person, counsellor, client):
    trainer = OrganisationFactory(kind=Organisation.Kind.TRAINING_PROVIDER, name="Scuola Edile")
    client.force_login(counsellor)
    response = client.post(
        reverse("competenze:consent-give", args=[person.pseudonym]),
        {"purpose": IDENTITY, "recipient": trainer.pk},
    )
    assert response.status_code == 200
    assert str(IDENTITY_RECIPIENT_WRONG_KIND) in response.content.decode()
    assert not Consent.objects.filter(purpose=IDENTITY).exists()


# --- the one reading rule ---------------------------------------------------------------------


def test_identity_consent_covers_only_the_organisation_it_names(person, counsellor):
    named = EmployerUserFactory(organisation=EmployerFactory().organisation)
    other = EmployerUserFactory(organisation=EmployerFactory().organisation)
    host = HostBodyUserFactory(organisation=HostBodyFactory().organisation)
    ConsentFactory(person=person, purpose=IDENTITY, recipient=named.organisation)
    assert candidate_profile_get(user=named, pseudonym=person.pseudonym).identity is not None
    for viewer in (other, host):
        assert candidate_profile_get(user=viewer, pseudonym=person.pseudonym).identity is None


def test_identity_consent_naming_an_organisation_of_another_kind_counts_for_nobody(person):
    """Rows written before the rule (or an organisation that changed kind) do not count."""
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    ConsentFactory(person=person, purpose=IDENTITY, recipient=employer.organisation)
    Organisation.objects.filter(pk=employer.organisation_id).update(
        kind=Organisation.Kind.TRAINING_PROVIDER
    )
    assert candidate_profile_get(user=employer, pseudonym=person.pseudonym).identity is None
    covering = Consent.objects.covering(purpose=IDENTITY, organisation_id=employer.organisation_id)
    assert not covering.exists()


def test_covering_semantics_per_purpose(person):
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER)
    other = OrganisationFactory(kind=Organisation.Kind.EMPLOYER)
    ConsentFactory(person=person, purpose=Consent.Purpose.PROPOSAL, recipient=employer)
    proposal = Consent.Purpose.PROPOSAL
    assert Consent.objects.covering(purpose=proposal, organisation_id=employer.pk).exists()
    assert not Consent.objects.covering(purpose=proposal, organisation_id=other.pk).exists()
    assert not Consent.objects.covering(purpose=proposal, organisation_id=None).exists()
    # the fixture's general profile consent covers every organisation, and a viewer without one
    for organisation_id in (employer.pk, other.pk, None):
        assert Consent.objects.covering(purpose=SHARE, organisation_id=organisation_id).exists()


def test_no_reader_outside_the_queryset_spells_the_recipient_rule():
    """The rule lives in ConsentQuerySet: a `recipient__isnull` filter anywhere else in the
    application code is a second copy waiting to drift (migrations excepted)."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            name = path.relative_to(ROOT)
            if "migrations" in name.parts or name == Path("competenze/models/people.py"):
                continue
            if "recipient__isnull" in path.read_text(encoding="utf-8"):
                offenders.append(str(name))
    assert offenders == []


# --- voided consents, listed for renewal ------------------------------------------------------


@pytest.fixture
def voided(person, counsellor):
    """An identity consent the data migration voided: no recipient, revoked, to redo."""
    now = timezone.now()
    return ConsentFactory(
        person=person,
        purpose=IDENTITY,
        given_at=now,
        revoked_at=now,
        needs_renewal=True,
        note="dato a voce",
    )


def page(client, name, person, *args):
    return client.get(reverse(f"competenze:{name}", args=[person.pseudonym, *args]))


def test_caseload_and_person_page_list_the_consents_to_renew(voided, person, counsellor, client):
    client.force_login(counsellor)
    caseload = client.get(reverse("competenze:caseload")).content.decode()
    assert "Consensi da rinnovare" in caseload and person.pseudonym in caseload
    detail = page(client, "person-detail", person).content.decode()
    assert "Consensi da rinnovare" in detail
    assert reverse("competenze:consent-renew", args=[person.pseudonym, voided.pk]) in detail
    assert "da rinnovare" in detail


def test_other_organisations_do_not_see_the_renewal(voided, person, client):
    client.force_login(CounsellorFactory())
    assert person.pseudonym not in client.get(reverse("competenze:caseload")).content.decode()
    response = client.post(
        reverse("competenze:consent-renewal-dismiss", args=[person.pseudonym, voided.pk])
    )
    assert response.status_code == 404
    voided.refresh_from_db()
    assert voided.needs_renewal


def test_renewing_records_a_named_consent_and_closes_the_notice(voided, person, counsellor, client):
    employer = EmployerUserFactory(organisation=EmployerFactory().organisation)
    client.force_login(counsellor)
    response = client.post(
        reverse("competenze:consent-renew", args=[person.pseudonym, voided.pk]),
        {f"rinnovo-{voided.pk}-recipient": employer.organisation_id},
    )
    assert response.status_code == 302
    voided.refresh_from_db()
    assert not voided.needs_renewal
    renewed = Consent.objects.get(purpose=IDENTITY, revoked_at__isnull=True)
    assert renewed.recipient_id == employer.organisation_id
    assert renewed.recorded_by == counsellor
    assert candidate_profile_get(user=employer, pseudonym=person.pseudonym).identity is not None
    assert "Consensi da rinnovare" not in page(client, "person-detail", person).content.decode()
    assert AccessLog.objects.filter(
        actor=counsellor, subject=person.pseudonym, data_category="consensi", action="update"
    ).exists()


def test_renewal_needs_an_employer_or_host_body(voided, person, counsellor, client):
    trainer = OrganisationFactory(kind=Organisation.Kind.TRAINING_PROVIDER)
    client.force_login(counsellor)
    response = client.post(
        reverse("competenze:consent-renew", args=[person.pseudonym, voided.pk]),
        {f"rinnovo-{voided.pk}-recipient": trainer.pk},
    )
    assert response.status_code == 200
    assert "Consensi da rinnovare" in response.content.decode()
    voided.refresh_from_db()
    assert voided.needs_renewal
    assert not Consent.objects.filter(purpose=IDENTITY, revoked_at__isnull=True).exists()


def test_renewal_fails_whole_when_the_new_consent_is_refused(voided, person, counsellor):
    """Nothing half-written: the renewal stays open if the new consent cannot be saved."""
    from competenze.services.people import consent_renew

    with pytest.raises(ValidationError):
        consent_renew(consent=voided, recipient_id=None, recorded_by=counsellor)
    voided.refresh_from_db()
    assert voided.needs_renewal


def test_dismissing_closes_the_renewal_without_a_new_consent(voided, person, counsellor, client):
    client.force_login(counsellor)
    url = reverse("competenze:consent-renewal-dismiss", args=[person.pseudonym, voided.pk])
    assert client.post(url).status_code == 302
    voided.refresh_from_db()
    assert not voided.needs_renewal and voided.revoked_at is not None
    assert not Consent.objects.filter(purpose=IDENTITY, revoked_at__isnull=True).exists()
    assert client.post(url).status_code == 404  # nothing left to finish
