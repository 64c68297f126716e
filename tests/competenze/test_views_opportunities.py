"""Opportunities for a person with explanations and gap analysis; «Proponi» with consent."""

import re

import pytest
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Consent
from lavoro.models import CourseSkill, Proposal
from tests.competenze.web_helpers import login, search_index_setup
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    CounsellorFactory,
    CourseFactory,
    EmployerUserFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    PersonFactory,
    PersonIdentityFactory,
    PlacementFactory,
    SkillEntryFactory,
    TraineeUserFactory,
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
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name="Esposito")
    SkillEntryFactory(person=person, concept=skills[0])
    return person


@pytest.fixture
def counsellor(person):
    return person.counsellor


@pytest.fixture
def offer(skills):
    offer = JobOfferFactory(
        title="Aiuto cuoco in mensa",
        weekly_hours=25,
        municipality=MunicipalityFactory(name="Sesto", latitude=45.53, longitude=9.23),
    )
    OfferSkillFactory(offer=offer, concept=skills[0], essential=True)
    OfferSkillFactory(offer=offer, concept=skills[1], essential=True)
    return offer


@pytest.fixture
def course(skills):
    course = CourseFactory(title="Corso HACCP per la ristorazione")
    CourseSkill.objects.create(course=course, concept=skills[1])
    return course


@pytest.fixture
def search_index(settings, tmp_path):
    return search_index_setup(settings, tmp_path)


def page(person):
    return reverse("competenze:opportunities", args=[person.pseudonym])


def propose_url(person):
    return reverse("competenze:propose", args=[person.pseudonym])


def test_page_explains_fit_missing_skills_distance_and_gap(
    person, counsellor, offer, course, search_index
):
    search_index()
    response = login(counsellor).get(page(person))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aiuto cuoco in mensa" in html
    assert "Competenze che ha" in html and "Preparare i primi piatti" in html
    assert "Essenziali che mancano" in html and "Igiene HACCP" in html
    assert re.search(r"a \d+,\d km dal domicilio", html)  # Italian decimal comma
    assert "Analisi delle lacune" in html
    assert "Per l'offerta «Aiuto cuoco in mensa»" in html
    assert "Corsi che colmano le lacune" in html
    assert "Corso HACCP per la ristorazione" in html and "Colma le lacune" in html
    assert "Gennaro" not in html  # no identity on this page
    # the match read the judicial data (to filter): audited
    assert AccessLog.objects.filter(data_category="giudiziari", actor=counsellor).exists()


def test_the_page_reads_the_measure_once(person, counsellor, offer, course, search_index):
    """Matches, near misses and the gap analysis share one person context: one judicial
    read, one audit row for it."""
    search_index()
    assert login(counsellor).get(page(person)).status_code == 200
    reads = AccessLog.objects.filter(data_category="giudiziari", actor=counsellor)
    assert reads.count() == 1


def test_gap_analysis_for_a_chosen_offer(person, counsellor, offer, skills, search_index):
    other = JobOfferFactory(title="Magazziniere")
    OfferSkillFactory(offer=other, concept=skills[2], essential=True)
    search_index()
    html = login(counsellor).get(page(person), {"lacune": other.pk}).content.decode()
    assert "Per l'offerta «Magazziniere»" in html
    assert "Gestire il magazzino" in html


def test_constraints_of_the_measure_exclude_and_explain(
    person, counsellor, offer, skills, search_index
):
    near = MunicipalityFactory(name="Vicino", latitude=45.47, longitude=9.2)
    JudicialMeasureFactory(
        person=person, measure_type="affidamento", end_date=None, max_weekly_hours=20
    ).allowed_municipalities.add(near)
    allowed = JobOfferFactory(title="Magazziniere vicino", municipality=near, weekly_hours=18)
    OfferSkillFactory(offer=allowed, concept=skills[2])
    search_index()
    html = login(counsellor).get(page(person)).content.decode()
    assert "Magazziniere vicino" in html
    assert "Aiuto cuoco in mensa" not in html  # outside the allowed municipalities
    assert "Nel territorio consentito dalla misura" in html
    assert "Entro le ore settimanali consentite dalla misura" in html
    assert "Affidamento in prova ai servizi sociali" in html


def test_placements_need_an_admitted_measure(person, counsellor, search_index):
    PlacementFactory(title="Cura del verde", eligible_measures=["map"])
    search_index()
    html = login(counsellor).get(page(person)).content.decode()
    assert 'data-testid="opportunity"' not in html  # no current measure: not admitted,
    assert "posto per Messa alla prova (MAP): la misura in corso non è ammessa" in html  # near
    JudicialMeasureFactory(person=person, measure_type="map", end_date=None)
    html = login(counsellor).get(page(person)).content.decode()
    assert "Cura del verde" in html and "Misura in corso ammessa" in html
    assert 'data-testid="near-miss"' not in html


@pytest.mark.parametrize("factory", [EmployerUserFactory, TraineeUserFactory])
def test_page_refuses_other_roles(person, factory):
    assert login(factory()).get(page(person)).status_code == 403


def test_page_with_an_empty_index_says_nothing_fits(person, counsellor, search_index):
    html = login(counsellor).get(page(person)).content.decode()
    assert "Nessuna opportunità adatta in questo momento." in html


def test_propose_without_consent_asks_for_the_checkbox(person, counsellor, offer, search_index):
    search_index()
    response = login(counsellor).post(
        propose_url(person),
        {"kind": "offerta", "target": offer.pk, "send_now": "on", "message": "Molto motivato"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "serve il suo consenso alla candidatura" in html
    assert "Molto motivato" in html  # what was typed is kept
    assert not Proposal.objects.exists() and not Consent.objects.exists()


def test_propose_with_the_checkbox_records_consent_then_sends(
    person, counsellor, offer, search_index
):
    search_index()
    response = login(counsellor).post(
        propose_url(person),
        {"kind": "offerta", "target": offer.pk, "consent_given": "on", "send_now": "on"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#offerta-{offer.pk}")
    consent = Consent.objects.get(person=person)
    assert consent.purpose == "candidatura"
    assert consent.recipient_id == offer.employer.organisation_id
    proposal = Proposal.objects.get(person=person, offer=offer)
    assert proposal.consent == consent and proposal.status == "inviata"
    html = login(counsellor).get(page(person)).content.decode()
    assert "Già proposta: Inviata" in html
    assert "Consenso alla candidatura per" not in html or "già registrato" in html


def test_consent_already_given_is_recognised_on_the_page(person, counsellor, offer, search_index):
    ConsentFactory(person=person, purpose="candidatura", recipient=offer.employer.organisation)
    search_index()
    html = login(counsellor).get(page(person)).content.decode()
    assert "già registrato" in html


def test_propose_with_an_existing_general_consent_keeps_it_a_draft(person, counsellor, course):
    ConsentFactory(person=person, purpose="candidatura", recipient=None)
    login(counsellor).post(propose_url(person), {"kind": "corso", "target": course.pk})
    proposal = Proposal.objects.get(person=person, course=course)
    assert proposal.status == "bozza"
    assert Consent.objects.filter(person=person).count() == 1


def test_propose_twice_shows_the_service_error(person, counsellor, offer, search_index):
    search_index()
    client = login(counsellor)
    data = {"kind": "offerta", "target": offer.pk, "consent_given": "on"}
    client.post(propose_url(person), data)
    html = client.post(propose_url(person), data).content.decode()
    assert "già stata proposta" in html
    assert Proposal.objects.count() == 1


def test_propose_an_unknown_opportunity_is_404(person, counsellor):
    response = login(counsellor).post(propose_url(person), {"kind": "offerta", "target": 999})
    assert response.status_code == 404


def test_in_detention_only_courses_inside_the_institute(person, counsellor, course, search_index):
    from competenze.models import Institute

    institute = Institute.objects.create(
        name="Casa Circondariale di Prova", kind="cc", municipality=MunicipalityFactory()
    )
    CourseFactory(
        title="Corso di cucina in istituto",
        institute=institute,
        municipality=institute.municipality,
    )
    JudicialMeasureFactory(
        person=person, measure_type="detenzione", institute=institute, end_date=None
    )
    search_index()
    html = login(counsellor).get(page(person)).content.decode()
    assert "Corso di cucina in istituto" in html
    assert "Corso HACCP per la ristorazione" not in html
    assert "Si svolge nell&#x27;istituto in cui si trova la persona" in html


def test_a_draft_proposal_is_edited_sent_or_withdrawn_from_the_page(
    person, counsellor, offer, course, search_index
):
    ConsentFactory(person=person, purpose="candidatura", recipient=None)
    search_index()
    client = login(counsellor)
    client.post(propose_url(person), {"kind": "offerta", "target": offer.pk})
    client.post(propose_url(person), {"kind": "corso", "target": course.pk})
    to_offer = Proposal.objects.get(offer=offer)
    to_course = Proposal.objects.get(course=course)
    assert (to_offer.status, to_course.status) == ("bozza", "bozza")
    html = client.get(page(person)).content.decode()
    action = reverse("competenze:proposal-draft", args=[to_offer.pk])
    assert f'action="{action}"' in html and "Invia la proposta" in html and "Ritira" in html

    client.post(action, {"action": "save", "message": "Puntuale e motivato."})
    to_offer.refresh_from_db()
    assert (to_offer.status, to_offer.message) == ("bozza", "Puntuale e motivato.")
    sent = client.post(action, {"action": "send", "message": "Puntuale, motivato."}, follow=True)
    to_offer.refresh_from_db()
    assert (to_offer.status, to_offer.message) == ("inviata", "Puntuale, motivato.")
    assert "Proposta inviata" in sent.content.decode()
    late = client.post(action, {"action": "save", "message": "altro"}, follow=True)
    assert "solo mentre la proposta è in preparazione" in late.content.decode()
    withdraw = reverse("competenze:proposal-draft", args=[to_course.pk])
    client.post(withdraw, {"action": "withdraw"})
    to_course.refresh_from_db()
    assert to_course.status == "ritirata"
    html = client.get(page(person)).content.decode()
    assert f'action="{action}"' not in html and f'action="{withdraw}"' not in html
    stranger = login(CounsellorFactory())
    assert stranger.post(action, {"action": "withdraw"}).status_code == 404
