"""Trainee pages (/io/): my skills in plain words, recommended courses and why, «Mi interessa»."""

import re

import pytest
from django.urls import reverse

from lavoro.models import CourseInterest, CourseSkill, Proposal
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


def test_interest_is_recorded_once_answered_by_the_counsellor_and_shown_to_the_person(
    trainee, person, course, mailoutbox
):
    url = reverse("competenze:trainee-interest", args=[course.pk])
    client = login(trainee)
    client.post(url)
    again = client.post(url, follow=True).content.decode()

    assert "sa già che il corso «Corso HACCP» ti interessa" in again
    assert CourseInterest.objects.filter(person=person, course=course).count() == 1
    assert len(mailoutbox) == 1  # one e-mail, however many clicks
    assert "In attesa della risposta dell&#x27;operatore" in again
    assert f'action="{url}"' not in again  # no second button
    link = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    assert "/admin/" not in link
    counsellor = login(person.counsellor)
    page = counsellor.get(link)
    assert page.status_code == 200 and "Corso HACCP" in page.content.decode()
    assert "Corso HACCP" in counsellor.get(reverse("competenze:caseload")).content.decode()
    refused = counsellor.post(link, {"action": "decline", "answer": ""}, follow=True)
    assert "perché non ora" in refused.content.decode()
    counsellor.post(link, {"action": "decline", "answer": "Inizia dopo la fine della misura."})

    interest = CourseInterest.objects.get()
    assert interest.status == CourseInterest.Status.DECLINED
    html = client.get(COURSES).content.decode()
    assert "L&#x27;operatore ha risposto: non ora" in html
    assert "Inizia dopo la fine della misura." in html
    assert "Corso HACCP" not in counsellor.get(reverse("competenze:caseload")).content.decode()
    assert login(CounsellorFactory()).get(link).status_code == 404  # another organisation


def test_a_proposed_interest_leads_the_counsellor_to_the_persons_opportunities(
    trainee, person, course, mailoutbox
):
    login(trainee).post(reverse("competenze:trainee-interest", args=[course.pk]))
    interest = CourseInterest.objects.get()
    response = login(person.counsellor).post(
        reverse("competenze:interest-answer", args=[interest.pk]), {"action": "propose"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("competenze:opportunities", args=[person.pseudonym])
    interest.refresh_from_db()
    assert interest.status == CourseInterest.Status.PROPOSED
