"""Fixtures for the lavoro tests: the three sides of a proposal, wired together."""

import pytest

from competenze.models import Consent
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    CounsellorFactory,
    CourseFactory,
    EmployerFactory,
    EmployerUserFactory,
    FrameworkFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    PersonFactory,
    PlacementFactory,
)
from tests.factories.extra_lavoro import AdminUserFactory, OfferSkillFactory


@pytest.fixture
def framework(db):
    return FrameworkFactory(is_default=True)


@pytest.fixture
def skill(framework):
    return ConceptFactory(framework=framework, code="SAR.C01", pref_label="Cucire a macchina")


@pytest.fixture
def employer(db):
    return EmployerFactory()


@pytest.fixture
def employer_member(employer):
    """An employer-role user of `employer`'s organisation."""
    return EmployerUserFactory(organisation=employer.organisation)


@pytest.fixture
def host_body(db):
    return HostBodyFactory()


@pytest.fixture
def host_member(host_body):
    return HostBodyUserFactory(organisation=host_body.organisation)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory()


@pytest.fixture
def person(db):
    return PersonFactory()


@pytest.fixture
def person_counsellor(person):
    """A counsellor of the organisation that follows `person`."""
    return CounsellorFactory(organisation=person.organisation)


@pytest.fixture
def offer(employer, skill):
    offer = JobOfferFactory(employer=employer)
    OfferSkillFactory(offer=offer, concept=skill)
    return offer


@pytest.fixture
def course(db):
    return CourseFactory(seats=2)


@pytest.fixture
def placement(host_body):
    return PlacementFactory(host_body=host_body, places=1, eligible_measures=["map", "lpu"])


def give_consent(person, purpose=Consent.Purpose.PROPOSAL, recipient=None):
    return ConsentFactory(person=person, purpose=purpose, recipient=recipient)


def give_measure(person, measure_type):
    return JudicialMeasureFactory(person=person, measure_type=measure_type)
