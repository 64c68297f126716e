import factory

from common.models import Municipality, Organisation, Province, User

__all__ = [
    "AssessorFactory",
    "CertifierFactory",
    "CounsellorFactory",
    "EmployerUserFactory",
    "HostBodyUserFactory",
    "MunicipalityFactory",
    "OrganisationFactory",
    "ProgrammeManagerFactory",
    "ProvinceFactory",
    "TraineeUserFactory",
    "UserFactory",
]


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "MI"
    name = "Milano"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("istat_code",)

    istat_code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"Comune {n}")
    province = factory.SubFactory(ProvinceFactory)
    latitude = 45.4642
    longitude = 9.19


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cooperativa Esempio {n}")
    kind = Organisation.Kind.SERVICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utente{n}")
    role = User.Role.COUNSELLOR
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("password-di-prova")


class CounsellorFactory(UserFactory):
    role = User.Role.COUNSELLOR


class ProgrammeManagerFactory(UserFactory):
    role = User.Role.PROGRAMME_MANAGER


class EmployerUserFactory(UserFactory):
    role = User.Role.EMPLOYER
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.EMPLOYER)


class HostBodyUserFactory(UserFactory):
    role = User.Role.HOST_BODY
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.HOST_BODY)


class TraineeUserFactory(UserFactory):
    role = User.Role.TRAINEE
    organisation = None


class AssessorFactory(UserFactory):
    """A valutatore of an accredited body (an organisation of its own by default)."""

    role = User.Role.ASSESSOR
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.TRAINING_PROVIDER)


class CertifierFactory(UserFactory):
    """A user of a certifying body (ente titolato)."""

    role = User.Role.CERTIFIER
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.TRAINING_PROVIDER)
