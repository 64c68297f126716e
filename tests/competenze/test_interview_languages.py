"""The interview in the person's language: the translation files of the shipped templates,
the counsellor's screen side by side (Italian, and the person's language beside it), and
the language stored with each answer."""

import json

import pytest
from django.urls import reverse

from competenze.models import InterviewAnswer
from competenze.services import interviews as services
from competenze.services.interview_templates import (
    INTERVIEW_TEMPLATE_DIR,
    definition_parse,
    template_translation,
    translation_path,
)
from competenze.services.interviews import answer_language
from tests.competenze.web_helpers import FETCH, login
from tests.factories import PersonFactory
from tests.factories.interviews import InterviewFactory, load_shipped_templates

PERSON_LANGUAGES = ("ar", "sq", "ro", "en", "fr", "es")
TEMPLATE_FILES = sorted(INTERVIEW_TEMPLATE_DIR.glob("*.json"))
ARABIC_ANSWER = "اشتغلت في المطبخ ثلاث سنوات، كنت أحضّر الطعام لمئتي شخص"
TEXT_QUESTION = "istruzione.titolo.indirizzo"


# --- the translation files ----------------------------------------------------------------------


@pytest.mark.parametrize("language", PERSON_LANGUAGES)
@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.stem)
def test_every_question_choice_and_section_of_each_template_is_translated(path, language):
    definition = definition_parse(json.loads(path.read_text(encoding="utf-8")))
    translation = template_translation(
        code=definition.code, version=definition.version, language=language
    )
    assert translation is not None, translation_path(definition.code, definition.version, language)
    assert translation.title
    for section in definition.sections:
        assert translation.section_title(section.id), section.id
    for question in definition.all_questions():
        assert translation.question_text(question.id), question.id
        for option in question.options:
            assert translation.option_label(question.id, option.value), (question.id, option)
        assert len(translation.scale_labels(question.id)) == len(question.labels), question.id


def test_a_language_without_a_file_has_no_translation():
    assert template_translation(code="colloquio-base", version=2, language="it") is None
    assert template_translation(code="colloquio-base", version=99, language="ar") is None
    assert template_translation(code="../colloquio-base", version=2, language="ar/..") is None


# --- the language of an answer ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "declared", "person", "expected"),
    [
        (ARABIC_ANSWER, "ar", "ar", "ar"),
        (ARABIC_ANSWER, "it", "ar", "ar"),  # the script shows it, whatever was picked
        ("Ho lavorato in cucina", "it", "ar", "it"),
        ("Ho lavorato in cucina con Mohamed (محمد)", "it", "ar", "it"),  # mostly Italian
        ("khdemt f cuisina", "ar", "ar", "ar"),  # Arabic in Latin letters: as declared
        ("Am lucrat în bucătărie", "ro", "ro", "ro"),
        ("Am lucrat în bucătărie", "", "ro", ""),  # not declared: the recogniser detects
        ("Am lucrat în bucătărie", "fr", "ro", ""),  # neither Italian nor the person's
        ("", "ar", "ar", ""),
    ],
)
def test_answer_language(text, declared, person, expected):
    assert answer_language(text=text, declared=declared, person_language=person) == expected


# --- the counsellor's screen --------------------------------------------------------------------


@pytest.fixture
def arabic_interview(db):
    load_shipped_templates()
    person = PersonFactory(language="ar")
    interview, _created = services.interview_start(person=person, started_by=person.counsellor)
    return interview


def arabic_texts(interview):
    path = translation_path(interview.template.code, interview.template.version, "ar")
    return json.loads(path.read_text(encoding="utf-8"))


def screen(interview, question_id=""):
    url = reverse("competenze:interview", args=[interview.pk])
    return f"{url}?domanda={question_id}" if question_id else url


def post_answer(client, interview, question_id, extra=None, **data):
    url = reverse("competenze:interview-answer", args=[interview.pk])
    return client.post(url, {"question_id": question_id, "version": 0, **data}, **(extra or {}))


def test_screen_shows_question_and_choices_in_italian_with_arabic_beside(arabic_interview):
    texts = arabic_texts(arabic_interview)["questions"]["istruzione.titolo"]
    response = login(arabic_interview.counsellor).get(screen(arabic_interview))
    html = response.content.decode()
    assert 'lang="it" dir="ltr"' in html  # the page is the counsellor's: Italian
    assert "Qual è il titolo di studio più alto che ha conseguito?" in html
    assert (
        f'<span class="translation" data-testid="question-beside" lang="ar" dir="rtl">'
        f"{texts['text']}</span>"
    ) in html
    assert "In arabo:" in html
    assert (
        f'Licenza media <span class="translation" lang="ar" dir="rtl">'
        f"{texts['options']['licenza_media']}</span>"
    ) in html
    assert 'dir="rtl">الدراسة</span>' in html  # the section title
    # the counsellor says which language the person answered in: Arabic unless changed
    assert "La persona ha risposto in" in html
    assert 'name="language" value="ar"' in html and 'name="language" value="it"' in html
    assert html.count("checked") == 1 and 'value="ar" id="id_language_1" checked' in html
    # the counsellor's hint stays Italian
    assert "Se il titolo è stato preso all" in html


def test_text_question_has_an_answer_box_that_follows_the_writing_direction(arabic_interview):
    html = login(arabic_interview.counsellor).get(screen(arabic_interview, TEXT_QUESTION))
    html = html.content.decode()
    assert arabic_texts(arabic_interview)["questions"][TEXT_QUESTION]["text"] in html
    assert '<textarea name="text" cols="40" rows="7" dir="auto"' in html


def test_an_arabic_answer_is_stored_with_its_language_and_shown_right_to_left(arabic_interview):
    client = login(arabic_interview.counsellor)
    response = post_answer(
        client, arabic_interview, TEXT_QUESTION, text=ARABIC_ANSWER, language="ar", extra=FETCH
    )
    assert response.status_code == 200, response.content
    answer = InterviewAnswer.objects.get(interview=arabic_interview, question_id=TEXT_QUESTION)
    assert answer.text == ARABIC_ANSWER and answer.language == "ar"
    panel = response.json()["panel_html"]
    assert (
        '<blockquote class="answer-text" dir="auto" lang="ar" data-testid="answer-text">' in panel
    )
    assert ARABIC_ANSWER in panel


def test_an_italian_answer_of_an_arabic_speaker_is_stored_as_italian(arabic_interview):
    client = login(arabic_interview.counsellor)
    post_answer(client, arabic_interview, TEXT_QUESTION, text="Alberghiero, cucina", language="it")
    answer = InterviewAnswer.objects.get(interview=arabic_interview, question_id=TEXT_QUESTION)
    assert answer.language == "it"
    # shown again, the answer keeps the language it was saved with
    html = client.get(screen(arabic_interview, TEXT_QUESTION)).content.decode()
    assert 'value="it" id="id_language_0" checked' in html


def test_arabic_letters_make_an_arabic_answer_even_when_italian_was_picked(arabic_interview):
    client = login(arabic_interview.counsellor)
    post_answer(client, arabic_interview, TEXT_QUESTION, text=ARABIC_ANSWER, language="it")
    answer = InterviewAnswer.objects.get(interview=arabic_interview, question_id=TEXT_QUESTION)
    assert answer.language == "ar"


def test_a_language_that_is_neither_italian_nor_the_persons_is_refused(arabic_interview):
    client = login(arabic_interview.counsellor)
    response = post_answer(client, arabic_interview, TEXT_QUESTION, text="Cucina", language="fr")
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert not InterviewAnswer.objects.filter(interview=arabic_interview).exists()


@pytest.mark.django_db
def test_a_person_without_a_language_gets_the_italian_screen_and_italian_answers():
    load_shipped_templates()
    person = PersonFactory()
    interview, _created = services.interview_start(person=person, started_by=person.counsellor)
    client = login(person.counsellor)
    html = client.get(screen(interview)).content.decode()
    assert "question-beside" not in html and "La persona ha risposto in" not in html
    assert 'class="translation"' not in html
    post_answer(client, interview, TEXT_QUESTION, text="Alberghiero")
    assert InterviewAnswer.objects.get(interview=interview).language == "it"


@pytest.mark.django_db
def test_a_template_nobody_translated_shows_the_italian_alone():
    interview = InterviewFactory(person=PersonFactory(language="sq"))
    template = interview.template
    assert template_translation(code=template.code, version=template.version, language="sq") is None
    html = login(interview.counsellor).get(screen(interview)).content.decode()
    assert "Che lavori ha fatto?" in html
    assert "question-beside" not in html and "La persona ha risposto in" not in html


# --- follow-ups asked on the person's words -----------------------------------------------------

WORK_QUESTION = "lavoro.prima.descrizione"
KITCHEN_FOLLOWUP = "lavoro.prima.cucina.preparazioni"


def answer_work(interview, text, language):
    return services.interview_answer(
        interview=interview,
        question_id=WORK_QUESTION,
        text=text,
        answered_by=interview.counsellor,
        language=language,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "اشتغلت في المطبخ ديال مطعم ثلاث سنين"),
        ("ro", "Am fost bucătar la un restaurant din Iași"),
        ("it", "Ho fatto il cuoco in un ristorante"),  # Italian still works for everyone
    ],
)
def test_an_answer_in_the_persons_language_asks_the_follow_up(language, text):
    load_shipped_templates()
    person = PersonFactory(language="" if language == "it" else language)
    interview, _created = services.interview_start(person=person, started_by=person.counsellor)
    before = services.interview_progress(interview=interview).total
    answer_work(interview, text, language)
    after = services.interview_progress(interview=interview)
    assert after.total > before
    assert services.interview_next_question(interview=interview).question.id == KITCHEN_FOLLOWUP


@pytest.mark.django_db
def test_keywords_of_another_language_do_not_ask_the_follow_up():
    """An Italian-speaking person's answer is read with the Italian keywords only."""
    load_shipped_templates()
    person = PersonFactory()
    interview, _created = services.interview_start(person=person, started_by=person.counsellor)
    before = services.interview_progress(interview=interview).total
    answer_work(interview, "Am fost bucătar la un restaurant din Iași", "it")
    assert services.interview_progress(interview=interview).total == before


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_takes_and_returns_the_language_of_an_answer(monkeypatch):
    from tests.conftest import client_for

    monkeypatch.setattr("ml.services.answer_extract", lambda *, answer_id: None)
    interview = InterviewFactory(person=PersonFactory(language="ro"))
    client = client_for(interview.counsellor)
    url = reverse("api:competenze:interview-answers", kwargs={"interview_id": interview.pk})
    body = {"question_id": "lavoro.descrizione", "text": "Am lucrat la bucătărie", "language": "ro"}
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "ro"
    assert InterviewAnswer.objects.get(interview=interview).language == "ro"
    again = {**body, "text": "اشتغلت في المطبخ", "language": "", "version": 1}
    assert client.post(url, again, format="json").json()["language"] == "ar"
