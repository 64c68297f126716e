"""Factories the lavoro tests need beyond tests/factories/{common,competenze,lavoro}.py."""

import factory

from common.models import User
from competenze.models import PersonLanguage
from lavoro.models import OfferSkill, Site
from tests.factories.common import MunicipalityFactory, UserFactory
from tests.factories.competenze import ConceptFactory, PersonFactory
from tests.factories.lavoro import EmployerFactory, JobOfferFactory

__all__ = [
    "AdminUserFactory",
    "OfferSkillFactory",
    "PersonLanguageFactory",
    "SiteFactory",
]


class AdminUserFactory(UserFactory):
    role = User.Role.ADMIN
    organisation = None


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Sede {n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class OfferSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferSkill

    offer = factory.SubFactory(JobOfferFactory)
    concept = factory.SubFactory(ConceptFactory)
    essential = True


class PersonLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonLanguage

    person = factory.SubFactory(PersonFactory)
    language = "it"
    level = PersonLanguage.Level.NATIVE
