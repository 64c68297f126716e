"""Who sees what: each role against the people of their own and other organisations."""

import pytest
from django.http import Http404

from common.exceptions import AccessDenied
from common.models import AccessLog
from competenze.selectors.people import (
    person_get_visible,
    person_identity_get,
    person_list_visible,
    person_measures_list,
)
from tests.factories import (
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JudicialMeasureFactory,
    PersonIdentityFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ours = PersonIdentityFactory().person
    theirs = PersonIdentityFactory().person
    JudicialMeasureFactory(person=ours)
    return ours, theirs


def test_counsellor_lists_only_own_organisation(people):
    ours, theirs = people
    colleague = CounsellorFactory(organisation=ours.organisation)
    assert list(person_list_visible(user=colleague)) == [ours]


def test_counsellor_of_another_organisation_gets_404_and_is_audited(people):
    ours, _ = people
    stranger = CounsellorFactory()
    with pytest.raises(Http404):
        person_get_visible(user=stranger, pseudonym=ours.pseudonym)
    denied = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert denied.subject == ours.pseudonym
    assert denied.actor == stranger


def test_unknown_and_forbidden_person_answer_alike(people):
    stranger = CounsellorFactory()
    with pytest.raises(Http404) as unknown:
        person_get_visible(user=stranger, pseudonym="P-0000-0000")
    with pytest.raises(Http404) as forbidden:
        person_get_visible(user=stranger, pseudonym=people[0].pseudonym)
    assert str(unknown.value) == str(forbidden.value)


@pytest.mark.parametrize("factory", [EmployerUserFactory, HostBodyUserFactory])
def test_employers_and_host_bodies_never_get_person_records(people, factory):
    user = factory()
    assert not person_list_visible(user=user).exists()
    with pytest.raises(Http404):
        person_get_visible(user=user, pseudonym=people[0].pseudonym)


def test_trainee_sees_only_themself(people):
    ours, theirs = people
    trainee = TraineeUserFactory()
    ours.user = trainee
    ours.save()
    assert list(person_list_visible(user=trainee)) == [ours]
    with pytest.raises(Http404):
        person_get_visible(user=trainee, pseudonym=theirs.pseudonym)


def test_trainee_sees_own_identity_but_not_judicial_data(people):
    ours, _ = people
    trainee = TraineeUserFactory()
    ours.user = trainee
    ours.save()
    assert person_identity_get(user=trainee, person=ours).person == ours
    with pytest.raises(AccessDenied):
        person_measures_list(user=trainee, person=ours)


def test_programme_manager_sees_profiles_but_not_identity_or_judicial(people):
    ours, _ = people
    manager = ProgrammeManagerFactory(organisation=ours.organisation)
    assert person_get_visible(user=manager, pseudonym=ours.pseudonym) == ours
    with pytest.raises(AccessDenied):
        person_identity_get(user=manager, person=ours)
    with pytest.raises(AccessDenied):
        person_measures_list(user=manager, person=ours)


def test_counsellor_reads_identity_and_judicial_data_with_an_audit_row_each(people):
    ours, _ = people
    counsellor = ours.counsellor
    assert person_identity_get(user=counsellor, person=ours).first_name == "Mario"
    assert person_measures_list(user=counsellor, person=ours).count() == 1
    categories = set(
        AccessLog.objects.filter(actor=counsellor, action="view").values_list(
            "data_category", flat=True
        )
    )
    assert categories == {"identita", "giudiziari"}


def test_audit_rows_hold_pseudonyms_not_names(people):
    ours, _ = people
    person_identity_get(user=ours.counsellor, person=ours)
    row = AccessLog.objects.get()
    assert row.subject == ours.pseudonym
    assert ours.identity.last_name not in str(row.__dict__)


def test_admin_sees_everyone(people):
    admin = UserFactory(role="amministratore", organisation=None)
    assert person_list_visible(user=admin).count() == 2
