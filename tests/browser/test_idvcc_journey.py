"""IDVCC in a real Chromium: the counsellor asks for validation, the assessor validates on
the evidence, the person's credential is verified on the public page; the pages pass the
accessibility smoke check."""

import pytest
from playwright.sync_api import expect

from competenze.models import SkillEntry
from competenze.services.credentials import person_credentials_issue
from tests.browser.checks import assert_accessible
from tests.competenze.idvcc_helpers import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    settings.PONTE_CREDENTIALS_KEY_DIR = tmp_path / "keys"


def test_counsellor_asks_assessor_validates_anyone_verifies(page, login, browser, live_server):
    w = world()
    login(w.counsellor, f"/operatore/persone/{w.person.pseudonym}/competenze/")
    entry = page.locator(f"#voce-{w.entry.pk}")
    expect(entry.get_by_text("non ancora verificata da altri")).to_be_visible()
    entry.get_by_label("Chiedi la validazione a").select_option(label=w.assessor.organisation.name)
    entry.get_by_role("button", name="Chiedi la validazione").click()
    expect(page.get_by_text("Richiesta inviata")).to_be_visible()
    assert_accessible(page, "profilo con richiesta")

    assessor_context = browser.new_context(base_url=live_server.url, locale="it-IT")
    assessor = assessor_context.new_page()
    assessor.goto("/accounts/login/?next=/")
    assessor.get_by_label("Nome utente").fill(w.assessor.username)
    assessor.get_by_label("Password").fill("password-di-prova")
    assessor.get_by_role("button", name="Accedi").click()
    expect(assessor.get_by_role("heading", level=1, name="Validazioni da fare")).to_be_visible()
    assessor.get_by_role("link", name="Esamina e valida").click()
    assert_accessible(assessor, "pagina di valutazione")
    assessor.get_by_label("Metodo").select_option(label="Osservazione sul lavoro")
    assessor.get_by_label("Risposta al colloquio").check()
    assessor.get_by_role("button", name="Registra la validazione").click()
    expect(assessor.get_by_text("la sola risposta al colloquio non basta")).to_be_visible()
    assessor.get_by_label("Dichiarazione del datore", exact=False).first.check()
    assessor.get_by_role("button", name="Registra la validazione").click()
    expect(assessor.get_by_text("validazione registrata, esito positivo")).to_be_visible()
    assessor_context.close()
    assert SkillEntry.objects.get(pk=w.entry.pk).stage == "validata"

    (credential,) = person_credentials_issue(person=w.person, user=w.counsellor)
    page.goto("/verifica/")
    page.get_by_label("Incolla qui la credenziale").fill(credential.token)
    page.get_by_role("button", name="Verifica").click()
    expect(page.get_by_role("heading", name="Valida")).to_be_visible()
    expect(page.get_by_text("Preparare i primi piatti")).to_be_visible()
    assert_accessible(page, "verifica")
