"""The main page of every role in a real Chromium: axe-core at zero serious or critical
violations, no request to another host, a screenshot at desktop and phone width
(test-artifacts/pages/); the interview walked with the keyboard only; and the checkers
themselves shown to catch what they are there for."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from competenze.models import Consent, SkillSuggestion
from lavoro.models import CourseSkill
from tests.browser.checks import PAGES_DIR, assert_accessible, check_page, save_page_views
from tests.browser.conftest import CHROMIUM_ITALIAN, PASSWORD
from tests.browser.test_journeys import search_index  # noqa: F401 (fixture)
from tests.competenze.idvcc_helpers import world
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    CourseFactory,
    EmployerFactory,
    EmployerUserFactory,
    JobOfferFactory,
    PersonFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
)
from tests.factories.common import HostBodyUserFactory
from tests.factories.extra_lavoro import OfferSkillFactory
from tests.factories.interviews import (
    InterviewAnswerFactory,
    InterviewFactory,
    SkillSuggestionFactory,
    load_shipped_templates,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_SKILL = (
    "Applicare le procedure di autocontrollo igienico-sanitario nella preparazione e "
    "nella somministrazione degli alimenti"
)


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    settings.PONTE_CREDENTIALS_KEY_DIR = tmp_path / "keys"


def visit(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    check_page(page, name, screenshot=name)


def test_public_pages(page):
    visit(page, "/accounts/login/", "accesso")
    visit(page, "/accessibilita/", "dichiarazione-accessibilita")
    visit(page, "/verifica/", "verifica-credenziale")
    assert (PAGES_DIR / "accesso-desktop.png").stat().st_size > 0
    assert (PAGES_DIR / "accesso-telefono.png").stat().st_size > 0


def test_counsellor_pages(page, login, search_index):  # noqa: F811
    w = world()
    person = w.person
    interview = InterviewFactory(person=person, counsellor=w.counsellor)
    answer = InterviewAnswerFactory(interview=interview, answered_by=w.counsellor)
    for status in (
        SkillSuggestion.Status.PROPOSED,
        SkillSuggestion.Status.ACCEPTED,
        SkillSuggestion.Status.REJECTED,
    ):
        decided = None if status == SkillSuggestion.Status.PROPOSED else timezone.now()
        SkillSuggestionFactory(
            answer=answer,
            concept=ConceptFactory(framework=w.entry.concept.framework),
            status=status,
            decided_at=decided,
        )
    offer = JobOfferFactory(title="Aiuto cuoco in mensa")
    OfferSkillFactory(offer=offer, concept=w.entry.concept, essential=True)
    search_index()
    base = f"/operatore/persone/{person.pseudonym}/"

    login(w.counsellor, "/operatore/")
    check_page(page, "persone seguite", screenshot="operatore-persone")
    visit(page, base, "operatore-scheda-persona")
    visit(page, base + "competenze/", "operatore-competenze")
    visit(page, base + "opportunita/", "operatore-opportunita")
    visit(page, f"/operatore/colloqui/{interview.pk}/", "operatore-colloquio")
    visit(page, f"/operatore/colloqui/{interview.pk}/riepilogo/", "operatore-riepilogo-colloquio")
    visit(page, "/operatore/persone/nuova/", "operatore-nuova-persona")
    visit(page, "/opportunita/", "operatore-opportunita-elenco")


def test_employer_host_trainee_manager_assessor_pages(
    page,
    login,
    browser,
    live_server,
    search_index,  # noqa: F811
):
    w = world()
    employer = EmployerFactory()
    employer_user = EmployerUserFactory(organisation=employer.organisation)
    offer = JobOfferFactory(employer=employer, title="Aiuto cuoco di sala")
    OfferSkillFactory(offer=offer, concept=w.entry.concept, essential=True)
    ConsentFactory(person=w.person, purpose=Consent.Purpose.SHARE_PROFILE)
    trainee = TraineeUserFactory()
    PersonFactory(user=trainee)
    course = CourseFactory(title="Corso HACCP per la ristorazione")
    CourseSkill.objects.create(course=course, concept=w.entry.concept)
    # a long skill name: its chip must wrap inside a 360-pixel phone
    long_skill = ConceptFactory(framework=w.entry.concept.framework, pref_label=LONG_SKILL)
    CourseSkill.objects.create(course=course, concept=long_skill)
    OfferSkillFactory(offer=offer, concept=long_skill, essential=True)
    search_index()

    login(employer_user, "/azienda/")
    check_page(page, "offerte del datore", screenshot="datore-offerte")
    page.goto("/azienda/candidati/")
    page.get_by_role("button", name="Cerca").click()
    check_page(page, "cerca candidati", screenshot="datore-cerca-candidati")
    page.get_by_role("link", name=w.person.pseudonym).first.click()
    check_page(page, "candidato", screenshot="datore-candidato")

    for user, home, name in (
        (HostBodyUserFactory(), "/ente/", "ente-posti"),
        (trainee, "/io/", "beneficiario-competenze"),
        (ProgrammeManagerFactory(), "/cruscotto/", "responsabile-cruscotto"),
        (w.assessor, "/valutazione/", "valutatore-da-fare"),
    ):
        context = browser.new_context(base_url=live_server.url, locale="it-IT")
        other = context.new_page()
        other.goto(f"/accounts/login/?next={home}")
        other.get_by_label("Nome utente").fill(user.username)
        other.get_by_label("Password").fill("password-di-prova")
        other.get_by_role("button", name="Accedi").click()
        expect(other).not_to_have_url(re.compile(r"/accounts/login/"))
        check_page(other, name, screenshot=name)
        if home == "/io/":
            # trainee pages are in large type, paragraphs included
            size = other.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
            )
            assert size >= 20, f"testo a {size}px sulle pagine del beneficiario"
            other.goto("/io/corsi/")
            check_page(other, "corsi consigliati", screenshot="beneficiario-corsi")
            expect(other.locator(".chip-label", has_text=LONG_SKILL)).to_be_visible()
            assert_chips_hold_their_labels(other, width=360)
        context.close()


CHIPS_OVERFLOWING = """() => [...document.querySelectorAll(".chip")].filter((chip) => {
  const box = chip.getBoundingClientRect();
  const text = document.createRange();
  text.selectNodeContents(chip.querySelector(".chip-label"));
  const label = text.getBoundingClientRect();
  return label.top < box.top - 1 || label.bottom > box.bottom + 1 || label.right > box.right + 1;
}).map((chip) => chip.textContent.trim())"""


def assert_chips_hold_their_labels(page, *, width: int) -> None:
    """The text of every chip inside the chip at `width`: the kit's chips have a fixed
    height, which a long name wrapped onto two lines spills out of."""
    viewport = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    spilled = page.evaluate(CHIPS_OVERFLOWING)
    page.set_viewport_size(viewport)
    assert spilled == [], f"etichette che escono dal chip a {width} px: {spilled}"


def test_interview_by_keyboard_only(page):
    """Typing, Tab and Enter only: the login, from the caseload to the person, the interview
    started and a question skipped to the next one."""
    load_shipped_templates()
    person = PersonFactory()
    page.goto("/accounts/login/?next=/operatore/")
    page.keyboard.type(person.counsellor.username)  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Le persone seguite")).to_be_visible()
    tab_to(page, "a", person.pseudonym)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.pseudonym)
    tab_to(page, "button", "Inizia un colloquio guidato")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Colloquio guidato")
    # the shipped template: eleven sections in the stepper
    check_page(page, "colloquio guidato", screenshot="operatore-colloquio-undici-sezioni")

    first = page.locator("#question-text").inner_text()
    tab_to(page, "button", "Salta per ora")
    page.keyboard.press("Enter")
    expect(page.locator("#question-text")).not_to_have_text(first)

    # the skip link comes first and lands on the main content
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Vai al contenuto"


def tab_to(page, tag: str, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element is a `tag` whose text starts with `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.tagName.toLowerCase(),"
            " document.activeElement.textContent.trim()]"
        )
        if focused[0] == tag and focused[1].startswith(text):
            return
    pytest.fail(f"«{text}» non raggiungibile con il tasto Tab in {limit} passi")


def test_axe_names_the_rule_and_the_element_of_a_serious_violation(page):
    page.goto("/accounts/login/")
    assert_accessible(page, "pagina di accesso")
    page.evaluate(
        """() => {
          const p = document.createElement("p");
          p.id = "pallido";
          p.textContent = "Testo troppo chiaro per leggerlo";
          p.style.color = "#d0d0d0";
          document.querySelector("main").append(p);
        }"""
    )
    with pytest.raises(AssertionError, match=r"(?s)color-contrast.*#pallido"):
        assert_accessible(page, "pagina con testo chiaro")


def test_a_request_to_another_host_is_caught(page, foreign_requests):
    page.goto("/accounts/login/")
    assert foreign_requests == []
    other = page.context.new_page()
    with pytest.raises(PlaywrightError):
        other.goto("http://cdn.ponte-esterno.invalid/bootstrap.css")
    assert any("cdn.ponte-esterno.invalid" in line for line in foreign_requests)
    foreign_requests.clear()  # caught: the fixture would fail the test on it


def test_a_page_wider_than_a_phone_is_caught(page):
    page.goto("/accounts/login/")
    save_page_views(page, "prova-larghezza")
    page.evaluate(
        """() => {
          const wide = document.createElement("p");
          wide.id = "troppo-largo";
          wide.textContent = "riga larga";
          wide.style.width = "600px";
          document.querySelector("main").append(wide);
        }"""
    )
    with pytest.raises(AssertionError, match=r"(?s)360 px scorre di lato.*troppo-largo"):
        save_page_views(page, "prova-larghezza")
    for path in PAGES_DIR.glob("prova-larghezza-*.png"):
        path.unlink()


def test_date_fields_are_day_first_and_send_iso_dates(page, login):
    """Chromium shows a date field in its own language: Italian, day first. Typed as an
    Italian writes it, the field's value (what the form sends) is the ISO date the widget
    renders back after an error."""
    assert CHROMIUM_ITALIAN.exists(), "Chromium senza l'italiano: apt-get install chromium-l10n"
    person = PersonFactory()
    login(person.counsellor, f"/operatore/persone/{person.pseudonym}/")
    page.get_by_text("Aggiungi un'esperienza").click()
    start = page.locator("#id_esperienza-start_date")
    start.click()
    page.keyboard.type("10012026")  # 10 gennaio 2026, as an Italian types it
    assert start.input_value() == "2026-01-10"
    end = page.locator("#id_esperienza-end_date")
    end.click()
    page.keyboard.type("01122025")  # before the start: the form is shown again
    page.get_by_label("Titolo").fill("Aiuto cuoco")
    page.get_by_role("button", name="Aggiungi l'esperienza").click()
    expect(page.locator("#id_esperienza-end_date_error")).to_contain_text(
        "La data di fine non può essere precedente"
    )
    assert page.locator("#id_esperienza-start_date").get_attribute("value") == "2026-01-10"
    assert page.locator("#id_esperienza-end_date").input_value() == "2025-12-01"
