import datetime

import pytest
from django.core.exceptions import ValidationError

from common.exceptions import AccessDenied, ApplicationError
from common.models import Organisation
from lavoro.models import Course, Employer, JobOffer, OfferSkill, Placement
from lavoro.services import (
    convention_create,
    course_create,
    course_publish,
    employer_register,
    offer_close,
    offer_create,
    offer_publish,
    offer_skills_set,
    offer_update,
    placement_create,
    placement_publish,
    placement_update,
    site_create,
)
from lavoro.services import employers as employer_services
from lavoro.services import offers as offer_services
from lavoro.services import placements as placement_services
from tests.factories import (
    ConceptFactory,
    ConventionFactory,
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    MunicipalityFactory,
    PlacementFactory,
    TrainingProviderFactory,
    UserFactory,
    valid_partita_iva,
)
from tests.factories.extra_lavoro import SiteFactory

pytestmark = pytest.mark.django_db


def register(user, **overrides):
    arguments = {"name": "Trattoria Da Gino", "partita_iva": valid_partita_iva(901)}
    return employer_register(user=user, **{**arguments, **overrides})


# employers


def test_employer_register_links_the_company_to_the_user_organisation(employer_user):
    employer = register(employer_user, ateco_code=" 56.10 ", smuraglia_interest=True)
    employer_user.organisation.refresh_from_db()
    assert employer.organisation == employer_user.organisation
    assert employer_user.organisation.name == "Trattoria Da Gino"
    assert employer_user.organisation.kind == Organisation.Kind.EMPLOYER
    assert (employer.ateco_code, employer.smuraglia_interest) == ("56.10", True)


def test_employer_register_refuses_a_wrong_check_digit(employer_user):
    good = valid_partita_iva(902)
    wrong = good[:10] + str((int(good[10]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        register(employer_user, partita_iva=wrong)
    assert "cifra di controllo" in str(error.value.message_dict["partita_iva"])
    assert not Employer.objects.exists()


@pytest.mark.parametrize("value", ["1234567890", "ABCDEFGHIJK", "", "123456789012"])
def test_employer_register_refuses_a_malformed_partita_iva(employer_user, value):
    with pytest.raises(ValidationError) as error:
        register(employer_user, partita_iva=value)
    assert "11 cifre" in str(error.value.message_dict["partita_iva"])


def test_employer_register_refuses_a_partita_iva_already_taken(employer_user):
    EmployerFactory(partita_iva=valid_partita_iva(903))
    with pytest.raises(ApplicationError) as error:
        register(employer_user, partita_iva=valid_partita_iva(903))
    assert error.value.message == employer_services.PARTITA_IVA_TAKEN
    assert error.value.code == "duplicate"


def test_employer_register_refuses_a_second_company_for_the_same_organisation(employer_user):
    register(employer_user)
    with pytest.raises(ApplicationError) as error:
        register(employer_user, partita_iva=valid_partita_iva(904))
    assert error.value.message == employer_services.EMPLOYER_ALREADY_REGISTERED


def test_employer_register_refuses_other_roles(counsellor):
    with pytest.raises(AccessDenied):
        register(counsellor)


def test_site_create_only_by_the_employer_own_users(employer, employer_member):
    municipality = MunicipalityFactory()
    site = site_create(
        employer=employer, created_by=employer_member, name="Cucina", municipality=municipality
    )
    assert site.employer == employer
    with pytest.raises(AccessDenied):
        site_create(
            employer=employer,
            created_by=EmployerUserFactory(),
            name="Altra",
            municipality=municipality,
        )


# offers


def draft(employer, user, **overrides):
    arguments = {
        "title": "Aiuto cuoco",
        "municipality": MunicipalityFactory(),
        "contract": JobOffer.Contract.FIXED_TERM,
    }
    return offer_create(employer=employer, created_by=user, **{**arguments, **overrides})


def test_offer_with_half_a_shift_is_refused_in_italian(employer, employer_member, skill):
    with pytest.raises(ValidationError) as refused:
        draft(employer, employer_member, skills=[(skill, True)], shift_start=datetime.time(6))
    assert "Indica l'orario per intero" in str(refused.value)
    assert not JobOffer.objects.exists()
    offer = draft(
        employer,
        employer_member,
        skills=[(skill, True)],
        shift_start=datetime.time(6),
        shift_end=datetime.time(14),
    )
    assert (offer.shift_start, offer.shift_end) == (datetime.time(6), datetime.time(14))


def test_offer_create_makes_a_draft_with_its_skills(employer, employer_member, skill):
    offer = draft(employer, employer_member, skills=[(skill, False)], weekly_hours=20)
    assert offer.status == JobOffer.Status.DRAFT
    assert offer.published_at is None
    assert list(offer.offer_skills.values_list("concept__code", "essential")) == [
        ("SAR.C01", False)
    ]


def test_offer_create_refuses_another_employer_user(employer):
    with pytest.raises(AccessDenied):
        draft(employer, EmployerUserFactory())


def test_offer_create_refuses_unknown_fields_and_measures(employer, employer_member):
    with pytest.raises(ApplicationError):
        draft(employer, employer_member, status=JobOffer.Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        draft(employer, employer_member, compatible_measures=["art21", "vacanza"])
    assert "vacanza" in str(error.value.message_dict["compatible_measures"])


def test_offer_create_refuses_a_site_of_another_employer(employer, employer_member):
    with pytest.raises(ValidationError) as error:
        draft(employer, employer_member, site=SiteFactory())
    assert "site" in error.value.message_dict


def test_offer_publish_needs_at_least_one_skill(employer, employer_member):
    offer = draft(employer, employer_member)
    with pytest.raises(ApplicationError) as error:
        offer_publish(offer=offer, published_by=employer_member)
    assert error.value.code == "incomplete"
    assert error.value.extra == {"missing": ["skills"]}
    assert "almeno una competenza" in error.value.message
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.DRAFT


def test_offer_publish_needs_a_title(employer, employer_member, skill):
    offer = draft(employer, employer_member, skills=[(skill, True)])
    JobOffer.objects.filter(pk=offer.pk).update(title="  ")
    offer.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        offer_publish(offer=offer, published_by=employer_member)
    assert error.value.extra == {"missing": ["title"]}


def test_offer_publish_sets_status_and_published_at(employer, employer_member, skill):
    offer = draft(employer, employer_member, skills=[(skill, True)])
    offer = offer_publish(offer=offer, published_by=employer_member)
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.PUBLISHED
    assert offer.published_at is not None


def test_offer_publish_refuses_an_offer_not_in_draft(offer, employer_member):
    with pytest.raises(ApplicationError) as error:
        offer_publish(offer=offer, published_by=employer_member)
    assert error.value.message == offer_services.OFFER_NOT_DRAFT


def test_offer_publish_fails_when_employer_inactive(employer, employer_member, skill):
    offer = draft(employer, employer_member, skills=[(skill, True)])
    Organisation.objects.filter(pk=employer.organisation_id).update(is_active=False)
    offer.employer.organisation.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        offer_publish(offer=offer, published_by=employer_member)
    assert error.value.code == "employer_inactive"


def test_offer_publish_refuses_another_employer(offer):
    JobOffer.objects.filter(pk=offer.pk).update(status=JobOffer.Status.DRAFT)
    offer.refresh_from_db()
    with pytest.raises(AccessDenied):
        offer_publish(offer=offer, published_by=EmployerUserFactory())


def test_offer_update_changes_fields_and_refuses_other_employers(offer, employer_member):
    offer_update(offer=offer, updated_by=employer_member, title="Cuoco", positions=2)
    offer.refresh_from_db()
    assert (offer.title, offer.positions) == ("Cuoco", 2)
    with pytest.raises(AccessDenied):
        offer_update(offer=offer, updated_by=EmployerUserFactory(), title="Rubata")


def test_offer_update_refuses_removing_every_skill_of_a_published_offer(offer, employer_member):
    with pytest.raises(ApplicationError) as error:
        offer_update(offer=offer, updated_by=employer_member, skills=[])
    assert error.value.code == "skills_required"
    assert offer.offer_skills.count() == 1


def test_offer_skills_set_replaces_the_list(offer, framework):
    first, second = ConceptFactory(framework=framework), ConceptFactory(framework=framework)
    offer_skills_set(offer=offer, skills=[(first, True), (second, False), (first, False)])
    pairs = set(OfferSkill.objects.filter(offer=offer).values_list("concept_id", "essential"))
    assert pairs == {(first.pk, False), (second.pk, False)}


def test_offer_close_then_no_more_changes(offer, employer_member):
    offer_close(offer=offer, closed_by=employer_member)
    assert offer.status == JobOffer.Status.CLOSED
    with pytest.raises(ApplicationError):
        offer_close(offer=offer, closed_by=employer_member)
    with pytest.raises(ApplicationError) as error:
        offer_update(offer=offer, updated_by=employer_member, title="Riaperta")
    assert error.value.message == offer_services.OFFER_CLOSED


def test_admin_may_close_any_offer(offer, admin_user):
    offer_close(offer=offer, closed_by=admin_user)
    assert offer.status == JobOffer.Status.CLOSED


# courses


def new_course(provider, user, **overrides):
    arguments = {
        "title": "Sartoria di base",
        "municipality": MunicipalityFactory(),
        "seats": 10,
        "total_hours": 60,
        "certificate": Course.Certificate.COMPETENCES,
    }
    return course_create(provider=provider, created_by=user, **{**arguments, **overrides})


def test_admin_creates_and_publishes_a_course(admin_user, skill):
    course = new_course(TrainingProviderFactory(), admin_user, skills=[skill, skill])
    assert course.status == Course.Status.DRAFT
    assert list(course.skills.values_list("code", flat=True)) == ["SAR.C01"]
    course_publish(course=course, published_by=admin_user)
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_provider_organisation_users_manage_their_courses_only():
    provider = TrainingProviderFactory()
    member = UserFactory(role="responsabile", organisation=provider.organisation)
    course = new_course(provider, member)
    with pytest.raises(AccessDenied):
        new_course(TrainingProviderFactory(), member)
    with pytest.raises(AccessDenied):
        course_publish(course=course, published_by=CounsellorFactory())


def test_course_publish_refuses_an_ended_course(admin_user):
    course = new_course(
        TrainingProviderFactory(),
        admin_user,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 2, 1),
    )
    with pytest.raises(ApplicationError) as error:
        course_publish(course=course, published_by=admin_user)
    assert error.value.code == "ended"


# conventions and placements


def new_placement(host_body, user, convention=None, **overrides):
    arguments = {
        "title": "Cura del verde",
        "municipality": MunicipalityFactory(),
        "activity": Placement.Activity.ENVIRONMENT,
        "places": 2,
        "eligible_measures": ["map", "lpu"],
    }
    convention = convention or ConventionFactory(host_body=host_body, total_places=5)
    return placement_create(
        host_body=host_body, convention=convention, created_by=user, **{**arguments, **overrides}
    )


def test_convention_create_only_for_the_host_body_own_users(host_body, host_member):
    arguments = {
        "court": "Tribunale di Bergamo",
        "reference": "2026/15",
        "valid_from": datetime.date(2026, 1, 1),
        "total_places": 4,
    }
    convention = convention_create(host_body=host_body, created_by=host_member, **arguments)
    assert convention.host_body == host_body
    with pytest.raises(AccessDenied):
        convention_create(host_body=host_body, created_by=HostBodyUserFactory(), **arguments)


def test_placement_create_makes_a_draft(host_body, host_member, skill):
    placement = new_placement(host_body, host_member, skills=[skill])
    assert placement.status == Placement.Status.DRAFT
    assert list(placement.skills.all()) == [skill]


@pytest.mark.parametrize("measures", [["map", "affidamento"], ["detenzione"], []])
def test_placement_create_accepts_only_map_lpu_lsu(host_body, host_member, measures):
    with pytest.raises(ValidationError) as error:
        new_placement(host_body, host_member, eligible_measures=measures)
    assert "eligible_measures" in error.value.message_dict


def test_placement_create_refuses_more_places_than_the_convention(host_body, host_member):
    convention = ConventionFactory(host_body=host_body, total_places=3)
    with pytest.raises(ValidationError) as error:
        new_placement(host_body, host_member, convention=convention, places=4)
    assert "superano" in str(error.value.message_dict["places"])
    assert new_placement(host_body, host_member, convention=convention, places=3).places == 3


def test_placement_create_refuses_a_convention_of_another_host_body(host_body, host_member):
    with pytest.raises(ValidationError) as error:
        new_placement(host_body, host_member, convention=ConventionFactory())
    assert "convention" in error.value.message_dict


def test_placement_create_refuses_an_expired_convention(host_body, host_member):
    convention = ConventionFactory(host_body=host_body, valid_to=datetime.date(2025, 1, 1))
    with pytest.raises(ApplicationError) as error:
        new_placement(host_body, host_member, convention=convention)
    assert error.value.code == "convention_expired"


def test_placement_create_refuses_another_host_body_user(host_body):
    with pytest.raises(AccessDenied) as error:
        new_placement(host_body, HostBodyUserFactory())
    assert error.value.message == placement_services.HOST_BODY_MANAGE_DENIED


def test_placement_publish_and_update_rules(host_body, host_member):
    placement = new_placement(host_body, host_member)
    placement_publish(placement=placement, published_by=host_member)
    assert placement.status == Placement.Status.PUBLISHED
    with pytest.raises(ApplicationError):
        placement_publish(placement=placement, published_by=host_member)
    Placement.objects.filter(pk=placement.pk).update(places_taken=2)
    placement.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        placement_update(placement=placement, updated_by=host_member, places=1)
    assert "occupati" in str(error.value.message_dict["places"])


def test_placement_update_refuses_an_employer(host_body):
    placement = PlacementFactory(host_body=host_body)
    with pytest.raises(AccessDenied):
        placement_update(placement=placement, updated_by=EmployerUserFactory(), places=1)


def test_host_body_user_cannot_manage_another_host_body_placement(host_member):
    other = PlacementFactory(host_body=HostBodyFactory())
    with pytest.raises(AccessDenied):
        placement_publish(placement=other, published_by=host_member)
