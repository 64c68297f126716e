"""Trainee pages (/io/): my skills in plain words, recommended courses and why, «Mi interessa»."""

import pytest
from django.urls import reverse

from lavoro.models import CourseSkill, Proposal
from tests.competenze.web_helpers import login, search_index_setup
from tests.factories import (
    ConceptFactory,
    CounsellorFactory,
    CourseFactory,
    EmployerUserFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    PersonFactory,
    PersonIdentityFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory

pytestmark = pytest.mark.django_db

HOME = reverse("competenze:trainee-home")
COURSES = reverse("competenze:trainee-courses")


@pytest.fixture
def skills():
    framework = FrameworkFactory(is_default=True)
    return [
        ConceptFactory(framework=framework, pref_label=name)
        for name in ("Preparare i primi piatti", "Igiene HACCP")
    ]


@pytest.fixture
def trainee():
    return TraineeUserFactory()


@pytest.fixture
def person(trainee, skills):
    person = PersonFactory(user=trainee)
    person.counsellor.email = "operatore@example.org"
    person.counsellor.save()
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name="Esposito")
    SkillEntryFactory(
        person=person, concept=skills[0], stage="validata", evidence_text="«preparavo i primi»"
    )
    return person


@pytest.fixture
def course(skills, person, settings, tmp_path):
    """An offer the trainee half fits, a course teaching the other half; search indexed."""
    offer = JobOfferFactory(title="Aiuto cuoco")
    OfferSkillFactory(offer=offer, concept=skills[0], essential=True)
    OfferSkillFactory(offer=offer, concept=skills[1], essential=True)
    course = CourseFactory(title="Corso HACCP")
    CourseSkill.objects.create(course=course, concept=skills[1])
    search_index_setup(settings, tmp_path)()
    return course


def test_home_shows_own_skills_in_large_type_with_stage_explained(trainee, person):
    JudicialMeasureFactory(person=person, notes="Nota riservata")
    response = login(trainee).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<body class="large">' in html
    assert "Le mie competenze" in html and "Preparare i primi piatti" in html
    assert "Un valutatore ha controllato le prove" in html
    assert "preparavo i primi" in html
    assert "Nota riservata" not in html


def test_home_without_a_linked_profile(trainee):
    html = login(trainee).get(HOME).content.decode()
    assert "Il tuo profilo non è ancora collegato" in html


@pytest.mark.parametrize("factory", [CounsellorFactory, EmployerUserFactory])
def test_trainee_pages_refuse_other_roles(factory):
    user = factory()
    assert login(user).get(HOME).status_code == 403
    assert login(user).get(COURSES).status_code == 403


def test_anonymous_goes_to_login(client):
    assert client.get(HOME).status_code == 302


def test_recommended_courses_say_why(trainee, person, course):
    JudicialMeasureFactory(person=person, notes="Nota riservata", end_date=None)
    html = login(trainee).get(COURSES).content.decode()
    assert '<body class="large">' in html
    assert "Corso HACCP" in html
    assert "Perché te lo consigliamo" in html
    assert (
        'ti insegna <span class="chips-list"><span class="chip chip-simple chip-wrap">'
        '<span class="chip-label">Igiene HACCP</span></span></span>, che servono per lavori '
        "adatti a te"
    ) in html
    assert "Mi interessa" in html
    assert "Nota riservata" not in html and "misura" not in html.lower()


def test_no_courses_without_an_index(trainee, person, settings, tmp_path):
    search_index_setup(settings, tmp_path)
    html = login(trainee).get(COURSES).content.decode()
    assert "non ci sono corsi aperti adatti a te" in html


def test_interest_emails_the_counsellor_without_personal_data(trainee, person, course, mailoutbox):
    response = login(trainee).post(
        reverse("competenze:trainee-interest", args=[course.pk]), follow=True
    )
    assert "Abbiamo avvisato il tuo operatore" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["operatore@example.org"]
    assert f"{person.pseudonym} è interessato/a al corso «Corso HACCP»" in mail.body
    assert "Gennaro" not in mail.body and "Esposito" not in mail.body
    assert person.identity.codice_fiscale not in mail.body
    assert not Proposal.objects.exists()


def test_interest_without_counsellor_email_says_so(trainee, person, course, mailoutbox):
    person.counsellor.email = ""
    person.counsellor.save()
    response = login(trainee).post(
        reverse("competenze:trainee-interest", args=[course.pk]), follow=True
    )
    assert "Non riusciamo ad avvisare il tuo operatore" in response.content.decode()
    assert mailoutbox == []


def test_interest_is_a_post(trainee, person, course):
    url = reverse("competenze:trainee-interest", args=[course.pk])
    assert login(trainee).get(url).status_code == 405
