"""A voided identity consent is finished from the pages: the caseload lists it, the person
page redoes it for one employer, and the notice goes away."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.models import Organisation
from competenze.models import Consent
from tests.factories import ConsentFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_renews_a_voided_identity_consent_from_the_caseload(page, login):
    person = PersonFactory()
    now = timezone.now()
    voided = ConsentFactory(
        person=person,
        purpose=Consent.Purpose.DISCLOSE_IDENTITY,
        given_at=now,
        revoked_at=now,
        needs_renewal=True,
    )
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Trattoria Da Gino")
    OrganisationFactory(kind=Organisation.Kind.TRAINING_PROVIDER, name="Scuola Edile")

    login(person.counsellor, "/operatore/")
    notice = page.get_by_role("region", name="Consensi da rinnovare")
    expect(notice).to_be_visible()
    notice.get_by_role("link", name=person.pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.pseudonym)

    renewal = page.get_by_role("region", name="Consensi da rinnovare")
    expect(renewal).to_be_visible()
    choices = renewal.get_by_label("Datore di lavoro o ente ospitante")
    expect(choices.locator("option", has_text="Scuola Edile")).to_have_count(0)
    choices.select_option(label="Trattoria Da Gino")
    renewal.get_by_role("button", name="Registra di nuovo per questo destinatario").click()

    expect(page.get_by_role("status")).to_contain_text("Trattoria Da Gino")
    expect(page.get_by_role("region", name="Consensi da rinnovare")).to_have_count(0)
    renewed = Consent.objects.get(
        purpose=Consent.Purpose.DISCLOSE_IDENTITY, revoked_at__isnull=True
    )
    assert renewed.recipient_id == employer.pk
    voided.refresh_from_db()
    assert not voided.needs_renewal
    page.goto("/operatore/")
    expect(page.get_by_role("region", name="Consensi da rinnovare")).to_have_count(0)
