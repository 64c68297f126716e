"""A small world for the search tests: four towns, a tiny framework, helpers to add
opportunities, measures and consents, and to index everything through the real path."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from common.models import Municipality, Province
from competenze.models import (
    Concept,
    Consent,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    SkillEntry,
)
from lavoro.models import Course, CourseSkill, JobOffer, Placement
from search import indexing
from search.types import COURSE, OFFER, PLACEMENT
from tests.factories import (
    ConceptFactory,
    ConceptRelationFactory,
    ConsentFactory,
    CourseFactory,
    EmployerFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    PersonFactory,
    PersonIdentityFactory,
    PlacementFactory,
    SectorFactory,
    SkillEntryFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory, PersonLanguageFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
TOWNS = {
    # name: (ISTAT code, province, latitude, longitude)
    "Milano": ("815146", "MI", 45.4642, 9.1900),
    "Monza": ("815149", "MB", 45.5845, 9.2744),
    "Bergamo": ("816024", "BG", 45.6983, 9.6773),
    "Brescia": ("817029", "BS", 45.5416, 10.2118),
}


@dataclass
class World:
    towns: dict[str, Municipality]
    cook_profile: Concept
    cooking: Concept  # competence, RIS
    prepping: Concept  # ability of `cooking`
    serving: Concept  # competence, RIS
    hygiene: Concept  # competence, RIS
    cashier: Concept  # competence, COM
    person: Person


def _towns() -> dict[str, Municipality]:
    found = {}
    for name, (code, province, lat, lon) in TOWNS.items():
        province_row, _ = Province.objects.get_or_create(code=province, defaults={"name": province})
        found[name] = Municipality.objects.create(
            istat_code=code, name=name, province=province_row, latitude=lat, longitude=lon
        )
    return found


def build_world() -> World:
    towns = _towns()
    framework = FrameworkFactory()
    ris = SectorFactory(framework=framework, code="RIS", label="Ristorazione")
    com = SectorFactory(framework=framework, code="COM", label="Commercio")

    def concept(code: str, label: str, kind: str = Concept.Kind.COMPETENCE, **extra) -> Concept:
        return ConceptFactory(framework=framework, code=code, pref_label=label, kind=kind, **extra)

    profile = concept("RIS-P01", "Aiuto cuoco", Concept.Kind.PROFILE, sector=ris)
    cooking = concept("RIS-C02", "Preparare e cuocere piatti semplici", sector=ris)
    prepping = concept(
        "RIS-A03", "Preparare primi piatti e sughi", Concept.Kind.SKILL, sector=ris, parent=cooking
    )
    serving = concept("RIS-C07", "Servire ai tavoli", sector=ris)
    hygiene = concept("RIS-C05", "Applicare il sistema HACCP in cucina", sector=ris)
    cashier = concept("COM-C03", "Gestire le operazioni di cassa", sector=com)
    ConceptRelationFactory(source=profile, target=cooking, kind="essential")
    ConceptRelationFactory(source=profile, target=hygiene, kind="essential")
    ConceptRelationFactory(source=profile, target=serving, kind="optional")
    person = PersonFactory(domicile=towns["Milano"], weekly_hours_available=30)
    return World(towns, profile, cooking, prepping, serving, hygiene, cashier, person)


def skill(person: Person, concept: Concept, stage: str = "certificata") -> SkillEntry:
    return SkillEntryFactory(person=person, concept=concept, stage=stage)


def share(person: Person, recipient=None) -> Consent:
    return ConsentFactory(person=person, purpose=Consent.Purpose.SHARE_PROFILE, recipient=recipient)


def identity(person: Person) -> PersonIdentity:
    return PersonIdentityFactory(
        person=person,
        first_name="Giuseppina",
        last_name="Brambillasca",
        birth_date=datetime.date(1979, 3, 14),
        email="giuseppina@esempio.invalid",
        phone="+39 333 1234567",
    )


def language(person: Person, code: str = "fr", level: str = "B2"):
    return PersonLanguageFactory(person=person, language=code, level=level)


def measure(person: Person, measure_type: str, *, allowed=(), **fields) -> JudicialMeasure:
    values = {"start_date": TODAY - 100 * DAY, "end_date": TODAY + 300 * DAY, **fields}
    found = JudicialMeasureFactory(person=person, measure_type=measure_type, **values)
    found.allowed_municipalities.set(allowed)
    return found


def offer(world: World, *, skills=None, town: str = "Milano", **fields) -> JobOffer:
    values = {"title": "Aiuto cuoco in mensa", "weekly_hours": 20, "profile": None, **fields}
    found = JobOfferFactory(municipality=world.towns[town], **values)
    for concept, essential in skills if skills is not None else [(world.cooking, True)]:
        OfferSkillFactory(offer=found, concept=concept, essential=essential)
    return found


def course(world: World, *, teaches=None, town: str = "Milano", **fields) -> Course:
    values = {
        "title": "Corso di cucina",
        "weekly_hours": 10,
        "start_date": TODAY + 30 * DAY,
        "end_date": TODAY + 90 * DAY,
        **fields,
    }
    found = CourseFactory(municipality=world.towns[town], **values)
    for concept in teaches if teaches is not None else [world.cooking]:
        CourseSkill.objects.create(course=found, concept=concept)
    return found


def placement(world: World, *, town: str = "Milano", **fields) -> Placement:
    values = {
        "title": "Cura del verde pubblico",
        "weekly_hours": 6,
        "min_weekly_hours": 4,
        "start_date": TODAY + 20 * DAY,
        **fields,
    }
    return PlacementFactory(municipality=world.towns[town], **values)


def institute(town: Municipality) -> Institute:
    return Institute.objects.create(
        name="Casa Circondariale di prova", kind=Institute.Kind.CC, municipality=town
    )


def aware_now() -> datetime.datetime:
    return timezone.now()


__all__ = ["EmployerFactory", "PersonFactory"]


def index_everything() -> None:
    """Index through the same functions the tasks call."""
    indexing.people_index(list(Person.objects.values_list("pk", flat=True)))
    for kind, model in ((OFFER, JobOffer), (COURSE, Course), (PLACEMENT, Placement)):
        indexing.opportunities_index(kind, list(model.objects.values_list("pk", flat=True)))
