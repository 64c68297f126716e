"""Shared helpers of the lavoro page tests (test_views_*.py)."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from common.models import Organisation
from competenze.models import Consent, Institute, SkillEntry
from competenze.models.people import MeasureType
from lavoro.models import Employer, JobOffer
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    EmployerFactory,
    EmployerUserFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentityFactory,
    ProvinceFactory,
    SkillEntryFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory, PersonLanguageFactory

FIRST_NAME, LAST_NAME = "Gennarino", "Esposito-Fittizio"
INSTITUTE_NAME = "Casa Circondariale di Prova San Vittore"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(name="search_index")
def search_index_fixture(settings, tmp_path):
    """An embedded search index of the test's own; call the fixture's value to (re)build it."""
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "search"
    settings.PONTE_SEARCH_RANKER_PATH = tmp_path / "no-ranker.json"

    def rebuild() -> None:
        from search.indexing import rebuild as search_rebuild

        search_rebuild()

    return rebuild


@pytest.fixture(name="shipped_framework")
def shipped_framework_fixture(db, settings, tmp_path):
    """The framework shipped with Ponte, the recogniser running without a trained model."""
    from django.core.management import call_command

    settings.PONTE_ML_ARTIFACT_DIR = tmp_path / "models"
    call_command("load_framework", verbosity=0)


@dataclass
class CandidateWorld:
    employer: Employer
    employer_user: object
    offer: JobOffer
    person: object  # shares the profile, has an identity and a measure
    hidden: object  # does not share the profile
    skill: object
    other_skill: object


def candidate_world() -> CandidateWorld:
    """An employer with a published offer, and two people: one sharing their profile."""
    framework = FrameworkFactory(is_default=True)
    skill = ConceptFactory(framework=framework, code="RIS-X01", pref_label="Cucinare primi piatti")
    other = ConceptFactory(framework=framework, code="LOG-X02", pref_label="Guidare il muletto")
    milano = MunicipalityFactory(province=ProvinceFactory(code="MI", name="Milano"))
    bergamo = MunicipalityFactory(province=ProvinceFactory(code="BG", name="Bergamo"))
    employer = EmployerFactory(
        organisation=OrganisationFactory(name="Trattoria Esempio", kind=Organisation.Kind.EMPLOYER)
    )
    employer_user = EmployerUserFactory(organisation=employer.organisation)
    offer = JobOfferFactory(employer=employer, title="Aiuto cuoco di sala", municipality=milano)
    OfferSkillFactory(offer=offer, concept=skill, essential=True)
    person = PersonFactory(
        domicile=milano,
        available_from=datetime.date(2026, 1, 10),
        summary="Ho lavorato anni in cucina.",
    )
    person.counsellor.email = "operatrice@example.org"
    person.counsellor.save()
    PersonIdentityFactory(person=person, first_name=FIRST_NAME, last_name=LAST_NAME)
    institute = Institute.objects.create(
        name=INSTITUTE_NAME, kind=Institute.Kind.CC, municipality=milano
    )
    JudicialMeasureFactory(
        person=person,
        measure_type=MeasureType.ART21,
        institute=institute,
        notes="Nota riservata da non mostrare",
    )
    SkillEntryFactory(person=person, concept=skill, stage=SkillEntry.Stage.VALIDATED)
    PersonLanguageFactory(person=person, language="ar", level="madrelingua")
    ConsentFactory(person=person, purpose=Consent.Purpose.SHARE_PROFILE)
    hidden = PersonFactory(domicile=bergamo)
    SkillEntryFactory(person=hidden, concept=skill)
    return CandidateWorld(employer, employer_user, offer, person, hidden, skill, other)


def assert_no_personal_data(html: str) -> None:
    """Employer and host-body pages never carry names, measure, institute or notes."""
    for forbidden in (FIRST_NAME, LAST_NAME, INSTITUTE_NAME, "Nota riservata", "art. 21 O.P."):
        assert forbidden not in html, forbidden
