"""Shortlists and contact requests: who may add, what the counsellor's e-mail carries."""

import pytest
from django.core import mail
from django.http import Http404

from common.exceptions import AccessDenied, ApplicationError
from competenze.models import Consent
from lavoro.models import ContactRequest, JobOffer, ShortlistEntry
from lavoro.services.candidates import (
    NOTE_TOO_LONG,
    OFFER_CLOSED,
    contact_request_create,
    shortlist_add,
    shortlist_remove,
)
from tests.factories import (
    ConsentFactory,
    CounsellorFactory,
    EmployerUserFactory,
    JobOfferFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return JobOfferFactory(title="Addetto pulizie")


@pytest.fixture
def employer_user(offer):
    return EmployerUserFactory(organisation=offer.employer.organisation)


@pytest.fixture
def candidate():
    person = PersonFactory()
    ConsentFactory(person=person, purpose=Consent.Purpose.SHARE_PROFILE)
    return person


def test_shortlist_add_and_remove(offer, employer_user, candidate):
    entry = shortlist_add(
        offer=offer, pseudonym=candidate.pseudonym, added_by=employer_user, note="  da richiamare  "
    )
    assert entry.note == "da richiamare"
    shortlist_remove(entry=entry, removed_by=employer_user)
    assert not ShortlistEntry.objects.exists()


def test_shortlist_refuses_another_company_offer(employer_user, candidate):
    with pytest.raises(AccessDenied):
        shortlist_add(
            offer=JobOfferFactory(), pseudonym=candidate.pseudonym, added_by=employer_user
        )


def test_shortlist_refuses_people_who_did_not_share(offer, employer_user):
    with pytest.raises(Http404):
        shortlist_add(offer=offer, pseudonym=PersonFactory().pseudonym, added_by=employer_user)


def test_shortlist_refuses_a_closed_offer_and_a_long_note(offer, employer_user, candidate):
    with pytest.raises(ApplicationError) as error:
        shortlist_add(
            offer=offer, pseudonym=candidate.pseudonym, added_by=employer_user, note="x" * 501
        )
    assert error.value.message == NOTE_TOO_LONG % {"max": 500}
    offer.status = JobOffer.Status.CLOSED
    offer.save()
    with pytest.raises(ApplicationError) as error:
        shortlist_add(offer=offer, pseudonym=candidate.pseudonym, added_by=employer_user)
    assert error.value.message == OFFER_CLOSED


def test_counsellor_role_cannot_shortlist(offer, candidate):
    with pytest.raises(AccessDenied):
        shortlist_add(offer=offer, pseudonym=candidate.pseudonym, added_by=CounsellorFactory())


def test_contact_request_falls_back_to_the_organisation_counsellors(
    offer, employer_user, candidate
):
    CounsellorFactory(organisation=candidate.organisation, email="b@example.org")
    CounsellorFactory(organisation=candidate.organisation, email="a@example.org")
    request = contact_request_create(
        offer=offer,
        pseudonym=candidate.pseudonym,
        requested_by=employer_user,
        site_url="https://ponte.test/",
    )
    assert request.counsellor == candidate.counsellor  # who follows the person
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]
    assert f"https://ponte.test/operatore/richieste/{request.pk}/" in mail.outbox[0].body


def test_contact_request_is_kept_when_no_one_can_be_mailed(offer, employer_user, candidate):
    contact_request_create(offer=offer, pseudonym=candidate.pseudonym, requested_by=employer_user)
    assert ContactRequest.objects.count() == 1
    assert mail.outbox == []


def test_contact_request_survives_a_mail_failure(
    offer, employer_user, candidate, monkeypatch, caplog
):
    candidate.counsellor.email = "c@example.org"
    candidate.counsellor.save()

    def broken(**kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("lavoro.services.candidates.send_mail", broken)
    contact_request_create(offer=offer, pseudonym=candidate.pseudonym, requested_by=employer_user)
    assert ContactRequest.objects.count() == 1
    assert "invio dell'e-mail fallito" in caplog.text
