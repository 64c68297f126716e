"""The counsellor's opportunities page never stops at «Nessuna opportunità adatta»: what one
constraint keeps out is listed with the reason and by how much, the what-if page shows
what relaxing it would open (nothing changes on the person), and when nothing is suitable
the courses that lead closer come first."""

import re

import pytest
from django.urls import reverse

from competenze.models import JudicialMeasure
from lavoro.models import CourseSkill
from tests.competenze.web_helpers import login, search_index_setup
from tests.factories import (
    ConceptFactory,
    CourseFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    PersonFactory,
    PlacementFactory,
    ProgrammeManagerFactory,
    SkillEntryFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    framework = FrameworkFactory(is_default=True)
    names = ["Preparare i primi piatti", "Igiene HACCP", "Gestire il magazzino"]
    return [ConceptFactory(framework=framework, pref_label=name) for name in names]


@pytest.fixture
def person(skills):
    home = MunicipalityFactory(name="Milano", latitude=45.4642, longitude=9.19)
    person = PersonFactory(domicile=home, weekly_hours_available=30)
    SkillEntryFactory(person=person, concept=skills[0], stage="validata")
    return person


@pytest.fixture
def search_index(settings, tmp_path):
    return search_index_setup(settings, tmp_path)


def opportunities(person):
    return reverse("competenze:opportunities", args=[person.pseudonym])


def what_if(person):
    return reverse("competenze:what-if", args=[person.pseudonym])


def far_offer(skills):
    bergamo = MunicipalityFactory(name="Bergamo", latitude=45.6983, longitude=9.6773)
    offer = JobOfferFactory(title="Cuoco a Bergamo", municipality=bergamo, weekly_hours=30)
    OfferSkillFactory(offer=offer, concept=skills[0], essential=True)
    return offer


def test_an_offer_out_of_the_area_is_listed_with_the_distance_and_opens_in_the_what_if(
    person, skills, search_index
):
    far_offer(skills)
    measure = JudicialMeasureFactory(
        person=person, measure_type="affidamento", end_date=None, allowed_radius_km=25
    )
    search_index()
    client = login(person.counsellor)
    html = client.get(opportunities(person)).content.decode()
    assert "Nessuna opportunità adatta in questo momento." in html
    assert "1 esclusa da un solo vincolo" in html
    assert re.search(
        r"Cuoco a Bergamo</strong>.*fuori dall&#x27;area consentita: 46 km, "
        r"limite 25 km",
        html,
    )
    assert what_if(person) in html

    page = client.get(what_if(person)).content.decode()
    assert "Territorio consentito" in page and "entro 25 km dal domicilio" in page
    assert "?vincolo=area#risultati" in page  # 1 opportunity would open
    closer = client.get(what_if(person), {"vincolo": "area", "km": 40}).content.decode()
    assert "Cuoco a Bergamo" not in closer.split('id="risultati"')[1]
    wider = client.get(what_if(person), {"vincolo": "area", "km": 50}).content.decode()
    assert 'data-testid="what-if-opens"><strong>Cuoco a Bergamo' in wider
    assert JudicialMeasure.objects.get(pk=measure.pk).allowed_radius_km == 25


def test_the_what_if_page_refuses_a_relaxation_out_of_range(person, skills, search_index):
    JudicialMeasureFactory(
        person=person, measure_type="affidamento", end_date=None, allowed_radius_km=25
    )
    search_index()
    page = login(person.counsellor).get(what_if(person), {"vincolo": "area", "km": 900})
    assert page.status_code == 200
    assert 'id="risultati"' not in page.content.decode()
    assert "minore o uguale a 300" in page.content.decode()


def test_the_what_if_page_is_only_for_counsellors(person, search_index):
    manager = ProgrammeManagerFactory(organisation=person.organisation)
    assert login(manager).get(what_if(person)).status_code == 403


def test_when_no_offer_is_suitable_the_courses_that_lead_closer_come_first(
    person, skills, search_index
):
    storekeeper = JobOfferFactory(
        title="Magazziniere", weekly_hours=30, municipality=person.domicile
    )
    OfferSkillFactory(offer=storekeeper, concept=skills[2], essential=True)
    course = CourseFactory(title="Corso di logistica", municipality=person.domicile)
    CourseSkill.objects.create(course=course, concept=skills[2])
    search_index()
    html = login(person.counsellor).get(opportunities(person)).content.decode()
    offers = html.split('id="offerte"')[1].split('id="corsi"')[0]
    assert "Nessuna opportunità adatta in questo momento." in offers
    assert re.search(
        r"Per avvicinarti:.*Corso di logistica.*insegna Gestire il magazzino", offers, re.S
    )
    assert "Compatibili, ma ancora lontane dal profilo" in offers
    assert "Magazziniere" in offers


def test_a_suitable_offer_is_listed_first_and_not_as_far_from_the_profile(
    person, skills, search_index
):
    offer = JobOfferFactory(title="Aiuto cuoco", weekly_hours=30, municipality=person.domicile)
    OfferSkillFactory(offer=offer, concept=skills[0], essential=True)
    search_index()
    html = login(person.counsellor).get(opportunities(person)).content.decode()
    offers = html.split('id="offerte"')[1].split('id="corsi"')[0]
    assert "Aiuto cuoco" in offers
    assert "Nessuna opportunità adatta" not in offers
    assert "ancora lontane dal profilo" not in offers


def test_a_person_with_nothing_at_all_gets_near_misses_in_every_kind(skills, search_index):
    """The demo's dead end: MAP placements for a person on affidamento, an offer beyond the
    hours, a course that started before they are available: each one constraint away."""
    home = MunicipalityFactory(name="Monza", latitude=45.5845, longitude=9.2744)
    person = PersonFactory(domicile=home, available_from=None)
    JudicialMeasureFactory(
        person=person, measure_type="affidamento", end_date=None, max_weekly_hours=20
    )
    PlacementFactory(title="Verde pubblico", municipality=home, eligible_measures=["map"])
    JobOfferFactory(title="Turno pieno", municipality=home, weekly_hours=40)
    search_index()
    html = login(person.counsellor).get(opportunities(person)).content.decode()
    assert "chiede 40 ore a settimana, limite 20" in html
    assert "posto per Messa alla prova (MAP): la misura in corso non è ammessa" in html
