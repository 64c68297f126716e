"""The data migration that voids identity consents recorded without a valid recipient:
run on rows written with the schema before it, then the schema goes back to the latest."""

import pytest
from django.utils import timezone

from tests.migration_helpers import around_migration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def before_and_after():
    with around_migration("competenze", "consent_identity_needs_recipient") as pair:
        yield pair


def _world(apps):
    Organisation = apps.get_model("common", "Organisation")
    User = apps.get_model("common", "User")
    Person = apps.get_model("competenze", "Person")
    Consent = apps.get_model("competenze", "Consent")
    service = Organisation.objects.create(name="Servizio", kind="servizio")
    employer = Organisation.objects.create(name="Trattoria", kind="datore")
    trainer = Organisation.objects.create(name="Scuola", kind="ente_formazione")
    counsellor = User.objects.create(username="op", role="operatore", organisation=service)
    person = Person.objects.create(pseudonym="P-TEST-0001", organisation=service)

    def consent(purpose, recipient=None, revoked=False):
        now = timezone.now()
        return Consent.objects.create(
            person=person,
            purpose=purpose,
            recipient=recipient,
            recorded_by=counsellor,
            given_at=now,
            revoked_at=now if revoked else None,
        ).pk

    return {
        "general": consent("identita_datori"),
        "trainer": consent("identita_datori", trainer),
        "employer": consent("identita_datori", employer),
        "revoked": consent("identita_datori", revoked=True),
        "profile": consent("profilo_datori"),
    }


def test_identity_consents_without_valid_recipient_are_voided_and_flagged(before_and_after):
    old_apps, apply = before_and_after
    ids = _world(old_apps)
    apps = apply()
    Consent = apps.get_model("competenze", "Consent")
    rows = {key: Consent.objects.get(pk=pk) for key, pk in ids.items()}
    for key in ("general", "trainer"):
        assert rows[key].revoked_at is not None and rows[key].needs_renewal
    for key in ("employer", "profile"):
        assert rows[key].revoked_at is None and not rows[key].needs_renewal
    assert not rows["revoked"].needs_renewal  # already revoked: nothing to redo
    AccessLog = apps.get_model("common", "AccessLog")
    voided = AccessLog.objects.filter(
        subject="P-TEST-0001", action="update", data_category="consensi"
    )
    assert voided.count() == 2
