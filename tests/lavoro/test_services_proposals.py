import datetime
import itertools

import pytest
from django.utils import timezone

from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog
from competenze.models import Consent
from lavoro.models import Course, Placement, Proposal, ProposalEvent
from lavoro.selectors import proposal_get_visible, proposal_list_visible
from lavoro.services import placement_hours_record, proposal_create, proposal_transition
from lavoro.services import proposals as proposal_services
from lavoro.services.proposals import TRANSITIONS
from tests.factories import (
    CounsellorFactory,
    CourseFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    OrganisationFactory,
    PersonFactory,
    PlacementFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
)
from tests.lavoro.conftest import give_consent, give_measure

pytestmark = pytest.mark.django_db

S = Proposal.Status


def propose(person, user, **target):
    return proposal_create(person=person, proposed_by=user, message="Persona affidabile", **target)


def at_status(proposal, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


# creation


def test_proposal_create_records_the_consent_and_a_first_event(person, person_counsellor, offer):
    consent = give_consent(person)
    proposal = propose(person, person_counsellor, offer=offer)
    assert proposal.status == S.DRAFT
    assert proposal.consent == consent
    event = proposal.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.DRAFT, person_counsellor)
    assert AccessLog.objects.filter(
        subject=person.pseudonym, action="create", data_category="candidatura"
    ).exists()


def test_proposal_create_needs_a_proposal_consent(person, person_counsellor, offer):
    give_consent(person, purpose=Consent.Purpose.SHARE_PROFILE)
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, offer=offer)
    assert error.value.message == proposal_services.CONSENT_MISSING
    assert not Proposal.objects.exists()


def test_proposal_create_refuses_a_revoked_consent(person, person_counsellor, offer):
    consent = give_consent(person)
    consent.revoked_at = timezone.now()
    consent.save()
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, offer=offer)
    assert error.value.code == "consent_missing"


def test_proposal_create_accepts_a_consent_for_this_recipient_only(
    person, person_counsellor, offer
):
    give_consent(person, recipient=OrganisationFactory())
    with pytest.raises(ApplicationError):
        propose(person, person_counsellor, offer=offer)
    consent = give_consent(person, recipient=offer.employer.organisation)
    assert propose(person, person_counsellor, offer=offer).consent == consent


def test_proposal_create_only_by_a_counsellor_of_the_person_organisation(person, offer):
    give_consent(person)
    for outsider in (
        CounsellorFactory(),
        ProgrammeManagerFactory(organisation=person.organisation),
        EmployerUserFactory(organisation=offer.employer.organisation),
    ):
        with pytest.raises(AccessDenied):
            propose(person, outsider, offer=offer)


def test_proposal_create_refuses_a_draft_opportunity(person, person_counsellor, employer):
    give_consent(person)
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, offer=JobOfferFactory(employer=employer, status="bozza"))
    assert error.value.code == "target_not_open"


def test_proposal_create_needs_exactly_one_target(person, person_counsellor, offer, course):
    give_consent(person)
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor)
    assert error.value.code == "target_required"
    with pytest.raises(ApplicationError):
        propose(person, person_counsellor, offer=offer, course=course)


def test_proposal_create_refuses_the_same_person_twice(person, person_counsellor, offer):
    give_consent(person)
    propose(person, person_counsellor, offer=offer)
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, offer=offer)
    assert error.value.message == proposal_services.ALREADY_PROPOSED


@pytest.mark.parametrize("measure", ["map", "lpu"])
def test_placement_proposal_accepts_an_eligible_measure(
    person, person_counsellor, placement, measure
):
    give_consent(person)
    give_measure(person, measure)
    assert propose(person, person_counsellor, placement=placement).placement == placement
    assert AccessLog.objects.filter(subject=person.pseudonym, data_category="giudiziari").exists()


def test_placement_proposal_refuses_a_measure_the_placement_does_not_accept(
    person, person_counsellor, host_body
):
    placement = PlacementFactory(host_body=host_body, eligible_measures=["lpu"])
    give_consent(person)
    give_measure(person, "map")
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, placement=placement)
    assert error.value.message == proposal_services.MEASURE_NOT_ELIGIBLE


def test_placement_proposal_refuses_a_detained_person(person, person_counsellor, placement):
    give_consent(person)
    give_measure(person, "detenzione")
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, placement=placement)
    assert error.value.code == "measure_not_eligible"


def test_placement_proposal_ignores_a_measure_that_has_ended(person, person_counsellor, placement):
    give_consent(person)
    old = give_measure(person, "map")
    old.start_date, old.end_date = datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)
    old.save()
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, placement=placement)
    assert error.value.code == "no_measure"


def test_placement_proposal_refuses_when_no_place_is_left(person, person_counsellor, placement):
    Placement.objects.filter(pk=placement.pk).update(places_taken=1)
    placement.refresh_from_db()
    give_consent(person)
    give_measure(person, "map")
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, placement=placement)
    assert error.value.message == proposal_services.PLACEMENT_FULL


def test_course_proposal_refuses_when_no_seat_is_left(person, person_counsellor):
    course = CourseFactory(seats=1, seats_taken=1)
    give_consent(person)
    with pytest.raises(ApplicationError) as error:
        propose(person, person_counsellor, course=course)
    assert error.value.message == proposal_services.COURSE_FULL


# the transition table

ALL_STATUSES = list(S.values)
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
REFUSED = [
    (a, b) for a, b in itertools.product(ALL_STATUSES, ALL_STATUSES) if (a, b) not in ALLOWED
]
SENDER_MOVES = {S.SENT, S.WITHDRAWN, S.INTERRUPTED}


def test_the_transition_table_is_the_documented_one():
    assert {
        "bozza": {"inviata", "ritirata"},
        "inviata": {"accettata", "rifiutata", "ritirata"},
        "accettata": {"avviata", "ritirata"},
        "avviata": {"conclusa", "interrotta"},
    } == TRANSITIONS


@pytest.fixture
def course_proposal(person, person_counsellor, course):
    give_consent(person)
    return propose(person, person_counsellor, course=course)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_transition_by_the_right_side_writes_an_event(
    course_proposal, person_counsellor, admin_user, from_status, to_status
):
    proposal = at_status(course_proposal, from_status)
    actor = person_counsellor if to_status in SENDER_MOVES else admin_user
    proposal = proposal_transition(proposal=proposal, to_status=to_status, actor=actor, note="ok")
    assert proposal.status == to_status
    event = proposal.events.last()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        from_status,
        to_status,
        actor,
        "ok",
    )


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_refused_transition_lists_the_allowed_targets(
    course_proposal, person_counsellor, admin_user, from_status, to_status
):
    proposal = at_status(course_proposal, from_status)
    for actor in (person_counsellor, admin_user):
        with pytest.raises(ApplicationError) as error:
            proposal_transition(proposal=proposal, to_status=to_status, actor=actor)
        assert error.value.code == "invalid_transition"
        assert error.value.extra == {"allowed": sorted(TRANSITIONS.get(from_status, []))}
        assert "Passaggio non consentito" in error.value.message
    proposal.refresh_from_db()
    assert proposal.status == from_status
    assert proposal.events.count() == 1


def test_refused_transition_message_names_the_allowed_statuses(course_proposal, person_counsellor):
    with pytest.raises(ApplicationError) as error:
        proposal_transition(proposal=course_proposal, to_status=S.STARTED, actor=person_counsellor)
    assert "«Inviata»" in error.value.message
    assert "«Ritirata»" in error.value.message
    at_status(course_proposal, S.COMPLETED)
    with pytest.raises(ApplicationError) as error:
        proposal_transition(proposal=course_proposal, to_status=S.STARTED, actor=person_counsellor)
    assert "stato finale" in error.value.message


@pytest.fixture
def sent_offer_proposal(person, person_counsellor, offer):
    give_consent(person)
    proposal = propose(person, person_counsellor, offer=offer)
    return proposal_transition(proposal=proposal, to_status=S.SENT, actor=person_counsellor)


def test_counsellor_cannot_accept_and_employer_cannot_withdraw(
    sent_offer_proposal, person_counsellor, employer_member
):
    with pytest.raises(AccessDenied):
        proposal_transition(
            proposal=sent_offer_proposal, to_status=S.ACCEPTED, actor=person_counsellor
        )
    with pytest.raises(AccessDenied):
        proposal_transition(
            proposal=sent_offer_proposal, to_status=S.WITHDRAWN, actor=employer_member
        )
    proposal = proposal_transition(
        proposal=sent_offer_proposal, to_status=S.ACCEPTED, actor=employer_member
    )
    assert proposal.status == S.ACCEPTED


def test_host_body_user_cannot_transition_an_offer_proposal(sent_offer_proposal, host_member):
    with pytest.raises(AccessDenied):
        proposal_transition(proposal=sent_offer_proposal, to_status=S.ACCEPTED, actor=host_member)


@pytest.mark.parametrize(
    "make_outsider",
    [
        EmployerUserFactory,
        CounsellorFactory,
        TraineeUserFactory,
        lambda: HostBodyUserFactory(),
    ],
)
def test_outsiders_cannot_transition(sent_offer_proposal, make_outsider):
    with pytest.raises(AccessDenied):
        proposal_transition(
            proposal=sent_offer_proposal, to_status=S.REJECTED, actor=make_outsider()
        )


def test_admin_does_not_decide_for_an_employer(sent_offer_proposal, admin_user):
    with pytest.raises(AccessDenied):
        proposal_transition(proposal=sent_offer_proposal, to_status=S.ACCEPTED, actor=admin_user)


def test_sending_refuses_a_consent_revoked_after_the_draft(person, person_counsellor, offer):
    consent = give_consent(person)
    proposal = propose(person, person_counsellor, offer=offer)
    Consent.objects.filter(pk=consent.pk).update(revoked_at=timezone.now())
    with pytest.raises(ApplicationError) as error:
        proposal_transition(proposal=proposal, to_status=S.SENT, actor=person_counsellor)
    assert error.value.message == proposal_services.CONSENT_REVOKED


# places and seats


@pytest.fixture
def accepted_placement_proposals(placement, host_member):
    """Two people accepted for a placement with a single place."""
    proposals = []
    for _index in range(2):
        person = PersonFactory()
        give_consent(person)
        give_measure(person, "lpu")
        proposal = propose(person, person.counsellor, placement=placement)
        proposal_transition(proposal=proposal, to_status=S.SENT, actor=person.counsellor)
        proposals.append(
            proposal_transition(proposal=proposal, to_status=S.ACCEPTED, actor=host_member)
        )
    return proposals


def test_starting_a_placement_takes_a_place_and_refuses_when_full(
    accepted_placement_proposals, placement, host_member
):
    first, second = accepted_placement_proposals
    proposal_transition(proposal=first, to_status=S.STARTED, actor=host_member)
    placement.refresh_from_db()
    assert placement.places_taken == 1
    with pytest.raises(ApplicationError) as error:
        proposal_transition(proposal=second, to_status=S.STARTED, actor=host_member)
    assert error.value.message == proposal_services.PLACEMENT_FULL
    second.refresh_from_db()
    assert second.status == S.ACCEPTED


def test_ending_a_placement_frees_its_place(accepted_placement_proposals, placement, host_member):
    first, second = accepted_placement_proposals
    proposal_transition(proposal=first, to_status=S.STARTED, actor=host_member)
    proposal_transition(proposal=first, to_status=S.COMPLETED, actor=host_member)
    placement.refresh_from_db()
    assert placement.places_taken == 0
    proposal_transition(proposal=second, to_status=S.STARTED, actor=host_member)
    placement.refresh_from_db()
    assert placement.places_taken == 1


def test_starting_a_course_takes_a_seat_and_refuses_when_full(admin_user):
    course = CourseFactory(seats=1)
    proposals = []
    for _index in range(2):
        person = PersonFactory()
        give_consent(person)
        proposal = propose(person, person.counsellor, course=course)
        proposal_transition(proposal=proposal, to_status=S.SENT, actor=person.counsellor)
        proposals.append(
            proposal_transition(proposal=proposal, to_status=S.ACCEPTED, actor=admin_user)
        )
    proposal_transition(proposal=proposals[0], to_status=S.STARTED, actor=admin_user)
    course.refresh_from_db()
    assert course.seats_taken == 1
    with pytest.raises(ApplicationError) as error:
        proposal_transition(proposal=proposals[1], to_status=S.STARTED, actor=admin_user)
    assert error.value.message == proposal_services.COURSE_FULL
    assert Course.objects.get(pk=course.pk).seats_taken == 1


# hours


def test_host_body_records_hours_of_a_started_placement(
    accepted_placement_proposals, host_member, person_counsellor
):
    proposal = accepted_placement_proposals[0]
    with pytest.raises(ApplicationError) as error:
        placement_hours_record(proposal=proposal, hours=4, actor=host_member)
    assert error.value.code == "wrong_status"
    proposal_transition(proposal=proposal, to_status=S.STARTED, actor=host_member)
    placement_hours_record(proposal=proposal, hours=4, actor=host_member)
    proposal = placement_hours_record(proposal=proposal, hours=6, actor=host_member)
    assert proposal.hours_done == 10
    assert ProposalEvent.objects.filter(proposal=proposal, note__contains="Ore svolte").count() == 2
    with pytest.raises(AccessDenied):
        placement_hours_record(proposal=proposal, hours=1, actor=proposal.person.counsellor)


def test_hours_are_only_for_placements(sent_offer_proposal, employer_member):
    with pytest.raises(ApplicationError) as error:
        placement_hours_record(proposal=sent_offer_proposal, hours=3, actor=employer_member)
    assert error.value.code == "not_placement"


# who sees which proposal


def test_employer_sees_a_proposal_only_once_sent(person, person_counsellor, offer, employer_member):
    give_consent(person)
    proposal = propose(person, person_counsellor, offer=offer)
    assert list(proposal_list_visible(user=person_counsellor)) == [proposal]
    assert not proposal_list_visible(user=employer_member).exists()
    proposal_transition(proposal=proposal, to_status=S.SENT, actor=person_counsellor)
    assert proposal_get_visible(user=employer_member, proposal_id=proposal.pk) == proposal
    assert not proposal_list_visible(user=EmployerUserFactory()).exists()
    assert not proposal_list_visible(user=CounsellorFactory()).exists()
    assert not proposal_list_visible(user=HostBodyUserFactory()).exists()


def test_trainee_sees_only_their_own_proposals(person, person_counsellor, offer):
    trainee = TraineeUserFactory()
    give_consent(person)
    proposal = propose(person, person_counsellor, offer=offer)
    assert not proposal_list_visible(user=trainee).exists()
    person.user = trainee
    person.save()
    assert list(proposal_list_visible(user=trainee)) == [proposal]


def test_host_body_sees_proposals_to_its_placements(
    accepted_placement_proposals, host_member, admin_user
):
    assert set(proposal_list_visible(user=host_member)) == set(accepted_placement_proposals)
    assert proposal_list_visible(user=admin_user).count() == 2


def test_refused_placement_proposal_keeps_the_audit_of_the_measure_read(
    person, person_counsellor, placement
):
    give_consent(person)
    give_measure(person, "detenzione")
    with pytest.raises(ApplicationError):
        propose(person, person_counsellor, placement=placement)
    assert (
        AccessLog.objects.filter(
            subject=person.pseudonym, data_category="giudiziari", actor=person_counsellor
        ).count()
        == 1
    )
