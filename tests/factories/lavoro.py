import datetime

import factory

from common.models import Organisation
from common.validators import partita_iva_check_digit
from lavoro.models import (
    Convention,
    Course,
    Employer,
    HostBody,
    JobOffer,
    Placement,
    Proposal,
    TrainingProvider,
)
from tests.factories.common import MunicipalityFactory, OrganisationFactory

__all__ = [
    "ConventionFactory",
    "CourseFactory",
    "EmployerFactory",
    "HostBodyFactory",
    "JobOfferFactory",
    "PlacementFactory",
    "ProposalFactory",
    "TrainingProviderFactory",
    "valid_partita_iva",
]


def valid_partita_iva(n: int) -> str:
    body = f"{1000000000 + n:010d}"
    return body + str(partita_iva_check_digit(body))


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.EMPLOYER)
    partita_iva = factory.Sequence(valid_partita_iva)
    ateco_code = "56.10"


class JobOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOffer

    employer = factory.SubFactory(EmployerFactory)
    title = "Aiuto cuoco"
    municipality = factory.SubFactory(MunicipalityFactory)
    contract = JobOffer.Contract.FIXED_TERM
    status = JobOffer.Status.PUBLISHED
    weekly_hours = 30


class TrainingProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProvider

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.TRAINING_PROVIDER)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    provider = factory.SubFactory(TrainingProviderFactory)
    title = "Corso HACCP"
    municipality = factory.SubFactory(MunicipalityFactory)
    status = Course.Status.PUBLISHED
    start_date = datetime.date(2027, 1, 10)
    end_date = datetime.date(2027, 3, 10)
    seats = 12
    total_hours = 40
    certificate = Course.Certificate.ATTENDANCE


class HostBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostBody

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.HOST_BODY)
    kind = HostBody.Kind.ASSOCIATION


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    host_body = factory.SubFactory(HostBodyFactory)
    court = "Tribunale di Milano"
    reference = factory.Sequence(lambda n: f"CONV-{n}")
    valid_from = datetime.date(2024, 1, 1)
    total_places = 10


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    host_body = factory.SubFactory(HostBodyFactory)
    convention = factory.SubFactory(
        ConventionFactory, host_body=factory.SelfAttribute("..host_body")
    )
    title = "Manutenzione parchi"
    municipality = factory.SubFactory(MunicipalityFactory)
    status = Placement.Status.PUBLISHED
    activity = Placement.Activity.ENVIRONMENT
    places = 3
    weekly_hours = 8
    eligible_measures = ["map", "lpu"]


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    person = factory.SubFactory("tests.factories.competenze.PersonFactory")
    offer = factory.SubFactory(JobOfferFactory)
    proposed_by = factory.SelfAttribute("person.counsellor")
