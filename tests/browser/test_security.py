"""In a real Chromium: the Content-Security-Policy blocks injected inline code (and the
check that every journey runs without violations really sees them); the API docs work
with it; the interview screen sends the answer's version, so a concurrent edit is shown,
not overwritten; the login page locks after repeated failures."""

import re
import time

import pytest
from playwright.sync_api import expect

from competenze.models import InterviewAnswer
from competenze.services import interviews as interview_services
from tests.factories import CounsellorFactory
from tests.factories.interviews import InterviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injectedRan = true";
  document.body.appendChild(script);
  const box = document.createElement("div");
  box.setAttribute("onclick", "window.injectedRan = true");
  box.setAttribute("style", "color: red");
  document.body.appendChild(box);
  box.click();
  return window.injectedRan === true;
}"""


def _wait_for(condition, seconds: float = 10.0) -> bool:
    """Poll `condition` (each check is a round trip to the browser, which lets its reports
    through) until it holds or the deadline passes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
    return condition()


def test_injected_inline_script_handler_and_style_are_blocked_and_reported(page, csp_violations):
    page.goto("/accounts/login/")
    assert page.evaluate(INJECT) is False  # neither the script nor the handler ran

    def reported() -> bool:
        page.evaluate("() => 0")
        kinds = " ".join(csp_violations)
        return "script-src" in kinds and "style-src" in kinds

    assert _wait_for(reported), csp_violations
    csp_violations.clear()  # seen, on purpose: the journey itself is clean


def test_the_api_docs_render_from_local_files(page):
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ponte API")


def test_a_concurrent_edit_of_an_answer_is_shown_not_overwritten(page, login):
    interview = InterviewFactory()
    colleague = CounsellorFactory(organisation=interview.person.organisation)
    interview_services.interview_answer(
        interview=interview,
        question_id="lavoro.descrizione",
        text="Prima versione",
        answered_by=interview.counsellor,
        expected_version=0,
    )
    login(interview.counsellor, f"/operatore/colloqui/{interview.pk}/?domanda=lavoro.descrizione")
    form = page.locator("#answer-form")
    expect(form.locator("input[name=version]")).to_have_value("1")
    interview_services.interview_answer(
        interview=interview,
        question_id="lavoro.descrizione",
        text="Versione del collega",
        answered_by=colleague,
        expected_version=1,
    )
    form.locator("textarea").fill("La mia correzione")
    form.get_by_role("button", name="Salva e continua").click()
    errors = page.locator(".fetch-errors")
    expect(errors).to_contain_text("Nel frattempo")
    expect(errors).to_contain_text("Risposta salvata ora: «Versione del collega»")
    answer = InterviewAnswer.objects.get(interview=interview, question_id="lavoro.descrizione")
    assert (answer.text, answer.version) == ("Versione del collega", 2)
    expect(form.locator("input[name=version]")).to_have_value("2")
    form.get_by_role("button", name="Salva e continua").click()  # now deliberately
    expect(page.locator("#live-suggestions")).to_contain_text("La mia correzione")
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("La mia correzione", 3)


def test_the_login_page_locks_after_repeated_failures(page, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = CounsellorFactory()
    for attempt in range(3):
        page.goto("/accounts/login/")
        page.get_by_label("Nome utente").fill(user.username)
        page.get_by_label("Password").fill(f"sbagliata-{attempt}")
        page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1, name="Accesso sospeso")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(user.username)
    page.get_by_label("Password").fill("password-di-prova")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("alert")).to_contain_text("Troppi tentativi")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
