"""The person's language: recorded by the counsellor, opening the trainee's pages in it
(Arabic right to left), switched per session with the language menu; staff pages Italian."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Person
from tests.competenze.web_helpers import login
from tests.factories import (
    ConceptFactory,
    EmployerUserFactory,
    FrameworkFactory,
    PersonFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("competenze:trainee-home")
SET_LANGUAGE = reverse("set_language")
ARABIC_WORDS = "كلماتي: كنت أطبخ للعمّال"


@pytest.fixture
def trainee():
    return TraineeUserFactory()


@pytest.fixture
def person(trainee):
    person = PersonFactory(user=trainee)
    concept = ConceptFactory(
        framework=FrameworkFactory(is_default=True), pref_label="Preparare i primi piatti"
    )
    SkillEntryFactory(person=person, concept=concept, stage="validata", evidence_text=ARABIC_WORDS)
    return person


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


def set_person_language(person: Person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


# --- the trainee's pages in the recorded language ---------------------------------------------


def test_trainee_home_in_arabic_is_right_to_left_with_arabic_text(person, trainee):
    set_person_language(person, "ar")
    response = login(trainee).get(HOME)
    html = response.content.decode()
    assert html_tag(html) == '<html lang="ar" dir="rtl">'
    assert response["Content-Language"] == "ar"
    assert "<h1>مهاراتي</h1>" in html  # «Le mie competenze»
    assert "كلماتك:" in html  # «Le tue parole:»
    assert "Le mie competenze" not in html
    # the person's words keep their own direction; the Italian label is marked Italian
    assert f'<bdi class="answer-words" dir="auto">{ARABIC_WORDS}</bdi>' in html
    assert '<bdi lang="it">Preparare i primi piatti</bdi>' in html
    assert "تمّ التحقّق منها" in html  # the stage «Validata»


def test_trainee_home_in_albanian(person, trainee):
    set_person_language(person, "sq")
    html = login(trainee).get(HOME).content.decode()
    assert html_tag(html) == '<html lang="sq" dir="ltr">'
    assert "<h1>Aftësitë e mia</h1>" in html
    assert "Qui trovi quello che sai fare" not in html
    assert "Këtu gjen atë që di të bësh, me fjalët e tua." in html


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ro", "Competențele mele"),
        ("en", "My skills"),
        ("fr", "Mes compétences"),
        ("es", "Mis competencias"),
    ],
)
def test_trainee_home_in_each_latin_script_language(person, trainee, language, title):
    set_person_language(person, language)
    html = login(trainee).get(HOME).content.decode()
    assert html_tag(html) == f'<html lang="{language}" dir="ltr">'
    assert f"<h1>{title}</h1>" in html


def test_trainee_without_a_language_reads_italian_whatever_the_browser_asks(person, trainee):
    html = login(trainee).get(HOME, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert html_tag(html) == '<html lang="it" dir="ltr">'
    assert "<h1>Le mie competenze</h1>" in html


def test_language_menu_names_each_language_in_itself(person, trainee):
    set_person_language(person, "ar")
    html = login(trainee).get(HOME).content.decode()
    menu = html.split('class="language-menu')[1].split("</form>")[0]
    for code, name in [
        ("it", "italiano"),
        ("ar", "العربيّة"),
        ("sq", "shqip"),
        ("ro", "Română"),
        ("en", "English"),
        ("fr", "français"),
        ("es", "español"),
    ]:
        direction = "rtl" if code == "ar" else "ltr"
        assert f'value="{code}" lang="{code}" dir="{direction}"' in menu, code
        assert f">{name}</button>" in menu, code
    assert 'value="ar" lang="ar" dir="rtl" aria-current="true"' in menu


def test_switching_language_lasts_for_the_session_over_the_recorded_one(person, trainee):
    set_person_language(person, "ar")
    client = login(trainee)
    response = client.post(SET_LANGUAGE, {"language": "fr", "next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME
    html = client.get(HOME).content.decode()
    assert html_tag(html) == '<html lang="fr" dir="ltr">'
    assert "<h1>Mes compétences</h1>" in html
    # the record is unchanged: another browser session opens in Arabic again
    person.refresh_from_db()
    assert person.language == "ar"
    assert 'lang="ar" dir="rtl"' in html_tag(login(trainee).get(HOME).content.decode())


def test_switching_to_an_unknown_language_changes_nothing(person, trainee):
    set_person_language(person, "sq")
    client = login(trainee)
    client.post(SET_LANGUAGE, {"language": "xx", "next": HOME})
    assert "<h1>Aftësitë e mia</h1>" in client.get(HOME).content.decode()


def test_login_page_follows_the_browser_and_has_the_menu(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert html_tag(html) == '<html lang="ar" dir="rtl">'
    assert "الدخول إلى Ponte" in html and 'class="language-menu' in html


# --- staff pages stay Italian -------------------------------------------------------------------


def test_counsellor_pages_stay_italian_whatever_the_browser_or_the_menu_says(person):
    set_person_language(person, "ar")
    client = login(person.counsellor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    url = reverse("competenze:person-detail", args=[person.pseudonym])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar,fr;q=0.8")
    html = response.content.decode()
    assert html_tag(html) == '<html lang="it" dir="ltr">'
    assert response["Content-Language"] == "it"
    assert "Scheda della persona" in html and "Esci" in html
    assert 'class="language-menu' not in html


def test_employer_pages_and_the_api_stay_italian(person):
    employer = EmployerUserFactory()
    client = login(employer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("lavoro:employer-home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert html_tag(html) == '<html lang="it" dir="ltr">'
    api = login(person.counsellor).get("/api/v1/people/", HTTP_ACCEPT_LANGUAGE="fr")
    assert api["Content-Language"] == "it"


# --- the counsellor records the language --------------------------------------------------------


def test_counsellor_records_the_persons_language_from_the_person_page(person):
    client = login(person.counsellor)
    page = reverse("competenze:person-detail", args=[person.pseudonym])
    html = client.get(page).content.decode()
    assert 'action="/operatore/persone/' in html and "Lingua della persona" in html
    assert '<option value="ar">Arabo</option>' in html
    url = reverse("competenze:person-language", args=[person.pseudonym])
    response = client.post(url, {"language": "ar"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "ar"
    assert AccessLog.objects.filter(
        subject=person.pseudonym, action=AccessLog.Action.UPDATE, data_category="lingua"
    ).exists()
    assert '<option value="ar" selected>Arabo</option>' in client.get(page).content.decode()
    client.post(url, {"language": "it"})
    person.refresh_from_db()
    assert person.language == ""


def test_an_unknown_language_is_refused_in_italian(person):
    client = login(person.counsellor)
    url = reverse("competenze:person-language", args=[person.pseudonym])
    response = client.post(url, {"language": "tlh"})
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    person.refresh_from_db()
    assert person.language == ""


def test_only_the_persons_counsellors_record_the_language(person):
    url = reverse("competenze:person-language", args=[person.pseudonym])
    assert login(TraineeUserFactory()).post(url, {"language": "ar"}).status_code == 403
    person.refresh_from_db()
    assert person.language == ""
