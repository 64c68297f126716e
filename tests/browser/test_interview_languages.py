"""The bilingual interview screen in a real Chromium: each question in Italian with Arabic
beside it, right to left; an answer typed in Arabic runs right to left in the box, is saved
as Arabic and reads right to left in the review."""

import json

import pytest
from playwright.sync_api import expect

from competenze.models import InterviewAnswer
from competenze.services import interviews as services
from competenze.services.interview_templates import translation_path
from tests.factories import PersonFactory
from tests.factories.interviews import load_shipped_templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "aspirazioni.lavoro"  # a free-text question the recogniser does not read
ITALIAN = "Che lavoro le piacerebbe fare? Ci sono settori che la interessano in particolare?"
ARABIC_ANSWER = "أحبّ أن أشتغل طبّاخاً في مطعم، أو في مخبزة مع العائلة"


def direction(locator) -> str:
    return locator.evaluate("(el) => getComputedStyle(el).direction")


def test_bilingual_interview_screen_with_an_arabic_answer(page, login):
    load_shipped_templates()
    person = PersonFactory(language="ar")
    interview, _created = services.interview_start(person=person, started_by=person.counsellor)
    texts = json.loads(
        translation_path(interview.template.code, interview.template.version, "ar").read_text(
            encoding="utf-8"
        )
    )["questions"]

    login(person.counsellor, f"/operatore/colloqui/{interview.pk}/?domanda={QUESTION}")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")  # the counsellor's page
    expect(page.locator("#question-text")).to_have_text(ITALIAN)
    beside = page.get_by_test_id("question-beside")
    expect(beside).to_have_text(texts[QUESTION]["text"])
    expect(beside).to_have_attribute("lang", "ar")
    assert direction(beside) == "rtl"

    form = page.locator("#answer-form")
    expect(form.get_by_role("radio", name="arabo")).to_be_checked()
    box = form.get_by_label("Risposta (con le parole della persona)")
    box.fill(ARABIC_ANSWER)
    assert direction(box) == "rtl"  # dir="auto" follows what is typed
    form.get_by_role("button", name="Salva e continua").click()
    expect(page.locator("#question-text")).not_to_have_text(ITALIAN)

    answer = InterviewAnswer.objects.get(interview=interview, question_id=QUESTION)
    assert (answer.text, answer.language) == (ARABIC_ANSWER, "ar")

    page.goto(f"/operatore/colloqui/{interview.pk}/riepilogo/")
    saved = page.get_by_text(ARABIC_ANSWER)
    expect(saved).to_be_visible()
    assert direction(saved) == "rtl"
