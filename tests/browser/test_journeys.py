"""End-to-end journeys in a real Chromium against the live server: counsellor interview to
opportunities, employer candidate search and contact request, trainee courses, role
isolation, and an accessibility smoke check written in plain DOM JavaScript."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from competenze.models import Consent, SkillEntry
from lavoro.models import ContactRequest, CourseSkill
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    CounsellorFactory,
    CourseFactory,
    EmployerFactory,
    EmployerUserFactory,
    FrameworkFactory,
    JobOfferFactory,
    MunicipalityFactory,
    PersonFactory,
    PersonIdentityFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory
from tests.factories.interviews import load_shipped_templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Saving an answer analyses it (tasks run in-process here): with the recogniser built
# beforehand that takes milliseconds, but a machine busy with other work can stretch any
# request to many seconds. Expectations on suggestions wait this long for them.
SUGGESTIONS_DEADLINE_MS = 120_000
KITCHEN = "Ho lavorato tre anni in cucina, pelavo le patate e preparavo i primi per la mensa"
LAST_NAME = "Esposito-Fittizio"

# Every visible form control labelled, every image with alt, one <h1>, a <main>.
A11Y_SCRIPT = """() => {
  const problems = [];
  const visible = (el) => {
    const style = window.getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden"
      && el.getClientRects().length > 0;
  };
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type) || !visible(el)) continue;
    const labelled = (el.labels && el.labels.length > 0)
      || (el.getAttribute("aria-label") || "").trim() !== ""
      || (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
        .some((id) => id && document.getElementById(id));
    if (!labelled) problems.push("campo senza etichetta: " + describe(el));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("immagine senza alt: " + describe(img));
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push("la pagina ha " + h1 + " <h1> invece di uno");
  if (!document.querySelector("main")) problems.push("manca <main>");
  return problems;
}"""


def assert_accessible(page, where: str) -> None:
    problems = page.evaluate(A11Y_SCRIPT)
    assert not problems, f"{where} ({page.url}):\n" + "\n".join(problems)


@pytest.fixture
def search_index(settings, tmp_path):
    """An embedded search index of the test's own; call the value to (re)build it."""
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "search"
    settings.PONTE_SEARCH_RANKER_PATH = tmp_path / "no-ranker.json"

    def rebuild() -> None:
        from search.indexing import rebuild as search_rebuild

        search_rebuild()

    return rebuild


@pytest.fixture
def shipped_framework(settings, tmp_path):
    """The shipped framework, the recogniser running without a trained model, built before
    the page asks for it (building takes seconds once per process: a page waiting on it
    tests the build, not the screen)."""
    from ml.services import get_recognizer

    settings.PONTE_ML_ARTIFACT_DIR = tmp_path / "models"
    call_command("load_framework", verbosity=0)
    get_recognizer()


def test_counsellor_interview_suggestions_accept_then_opportunities(
    page, login, search_index, shipped_framework
):
    load_shipped_templates()
    milano = MunicipalityFactory(name="Milano")
    person = PersonFactory(domicile=milano)
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name=LAST_NAME)
    counsellor = person.counsellor

    login(counsellor, "/operatore/")
    expect(page.get_by_role("heading", level=1, name="Le persone seguite")).to_be_visible()
    page.get_by_role("link", name=person.pseudonym, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.pseudonym)
    page.get_by_role("button", name="Inizia un colloquio guidato").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Colloquio guidato")

    # Walk to the first free-text question the recogniser reads: answer the choices,
    # skip the rest.
    form = page.locator("#answer-form")
    textbox = form.locator("textarea")
    for _ in range(6):
        question = page.locator("#question-text").inner_text()
        if form.get_attribute("data-extract") == "1" and textbox.count() == 1:
            break
        radios = form.get_by_role("radio")
        if radios.count():
            choice = form.get_by_label("Licenza media")
            (choice if choice.count() else radios.first).check()
            form.get_by_role("button", name="Salva e continua").click()
        else:
            form.get_by_role("button", name="Salta per ora").click()
        expect(page.locator("#question-text")).not_to_have_text(question)
    else:
        pytest.fail("nessuna domanda di testo con riconoscimento nelle prime domande")

    textbox.fill(KITCHEN)
    form.get_by_role("button", name="Salva e continua").click()

    # the answer is analysed while it is saved (tasks run in-process here): wait for the
    # suggestions as long as a busy machine may need, not Playwright's default 5 s
    slot = page.locator("#live-suggestions")
    expect(slot.get_by_role("heading", name="Competenze suggerite")).to_be_visible(
        timeout=SUGGESTIONS_DEADLINE_MS
    )
    suggestions = slot.get_by_test_id("suggestion")
    expect(suggestions.first).to_be_visible(timeout=SUGGESTIONS_DEADLINE_MS)
    expect(slot.get_by_test_id("answer-text").locator("mark").first).to_be_visible()
    expect(suggestions.first.locator(".context mark").first).not_to_be_empty()

    first = suggestions.first
    label = first.locator(".suggestion-label").inner_text().split("·")[0].strip()
    first.get_by_role("button", name=re.compile(r"^Accetta")).click()
    expect(
        page.locator("#live-suggestions").get_by_text(re.compile(r"Accettata, livello"))
    ).to_be_visible()

    entry = SkillEntry.objects.get(person=person)
    assert entry.concept.pref_label == label
    offer = JobOfferFactory(title="Aiuto cuoco in mensa", municipality=milano)
    OfferSkillFactory(offer=offer, concept=entry.concept, essential=True)
    search_index()

    page.goto(f"/operatore/persone/{person.pseudonym}/")
    page.get_by_role("link", name="Opportunità adatte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opportunità per")
    result = page.get_by_test_id("opportunity").filter(has_text="Aiuto cuoco in mensa")
    expect(result).to_be_visible()
    expect(result.locator("dl.explain")).to_contain_text("Competenze che ha")
    expect(result.locator("dl.explain")).to_contain_text(label)


def test_employer_searches_pseudonymised_candidates_and_requests_contact(page, login, search_index):
    framework = FrameworkFactory(is_default=True)
    skill = ConceptFactory(framework=framework, code="RIS-X01", pref_label="Cucinare primi piatti")
    employer = EmployerFactory()
    employer_user = EmployerUserFactory(organisation=employer.organisation)
    offer = JobOfferFactory(employer=employer, title="Aiuto cuoco di sala")
    OfferSkillFactory(offer=offer, concept=skill, essential=True)
    person = PersonFactory()
    PersonIdentityFactory(person=person, first_name="Gennarino", last_name=LAST_NAME)
    SkillEntryFactory(person=person, concept=skill, stage=SkillEntry.Stage.VALIDATED)
    ConsentFactory(person=person, purpose=Consent.Purpose.SHARE_PROFILE)
    search_index()

    login(employer_user, "/azienda/candidati/")
    expect(page.get_by_role("heading", level=1, name="Cerca candidati")).to_be_visible()
    page.get_by_role("button", name="Cerca").click()
    card = page.locator("article.candidate").filter(has_text=person.pseudonym)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Cucinare primi piatti")
    assert LAST_NAME not in page.content()
    assert "Gennarino" not in page.content()

    card.get_by_role("link", name=person.pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.pseudonym)
    assert LAST_NAME not in page.content()
    contact = page.locator("section").filter(
        has=page.get_by_role("heading", name="Chiedi un contatto")
    )
    contact.get_by_role("combobox").select_option(str(offer.pk))
    contact.get_by_role("textbox").fill("Buongiorno, vorremmo conoscere la persona.")
    contact.get_by_role("button", name="Invia la richiesta all'operatore").click()
    expect(page.get_by_text("Richiesta inviata all'operatore che segue la persona")).to_be_visible()
    assert ContactRequest.objects.filter(offer=offer, person=person).exists()


def test_trainee_sees_skills_and_recommended_courses_with_reason(page, login, search_index):
    framework = FrameworkFactory(is_default=True)
    primi, haccp = (
        ConceptFactory(framework=framework, pref_label=name)
        for name in ("Preparare i primi piatti", "Igiene HACCP")
    )
    trainee = TraineeUserFactory()
    person = PersonFactory(user=trainee)
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name=LAST_NAME)
    SkillEntryFactory(person=person, concept=primi, stage="validata")
    offer = JobOfferFactory(title="Aiuto cuoco")
    OfferSkillFactory(offer=offer, concept=primi, essential=True)
    OfferSkillFactory(offer=offer, concept=haccp, essential=True)
    course = CourseFactory(title="Corso HACCP per la ristorazione")
    CourseSkill.objects.create(course=course, concept=haccp)
    search_index()

    login(trainee, "/io/")
    expect(page.get_by_role("heading", level=1, name="Le mie competenze")).to_be_visible()
    expect(page.get_by_text("Preparare i primi piatti").first).to_be_visible()
    page.goto("/io/corsi/")
    expect(page.get_by_role("heading", level=1, name="Corsi consigliati")).to_be_visible()
    card = page.get_by_test_id("course").filter(has_text="Corso HACCP per la ristorazione")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Perché te lo consigliamo")
    expect(card).to_contain_text("ti insegna Igiene HACCP")
    expect(card.get_by_role("button", name=re.compile("Mi interessa"))).to_be_visible()


@pytest.mark.parametrize(
    "factory, url",
    [
        (TraineeUserFactory, "/operatore/"),
        (EmployerUserFactory, "/operatore/"),
        (CounsellorFactory, "/azienda/candidati/"),
    ],
    ids=["trainee-caseload", "employer-caseload", "counsellor-candidates"],
)
def test_roles_get_the_403_page_elsewhere(page, login, factory, url):
    login(factory())
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1, name="Accesso non consentito")).to_be_visible()


def test_accessibility_smoke_login_caseload_interview(page, login):
    load_shipped_templates()
    person = PersonFactory()
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Accedi")).to_be_visible()
    assert_accessible(page, "pagina di accesso")

    login(person.counsellor, "/operatore/")
    expect(page.get_by_role("link", name=person.pseudonym, exact=True)).to_be_visible()
    assert_accessible(page, "persone seguite")

    page.get_by_role("link", name=person.pseudonym, exact=True).click()
    page.get_by_role("button", name="Inizia un colloquio guidato").click()
    expect(page.locator("#question-text")).to_be_visible()
    assert_accessible(page, "colloquio guidato")
