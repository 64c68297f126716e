"""In a real Chromium: a counsellor whose person has nothing within the allowed area reads
which offer one constraint keeps out and by how much, then opens the what-if page and sees
what a wider radius would open, without changing anything on the person."""

import re

import pytest
from playwright.sync_api import expect

from competenze.models import JudicialMeasure
from tests.factories import (
    ConceptFactory,
    FrameworkFactory,
    JobOfferFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    PersonFactory,
    SkillEntryFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def search_index(settings, tmp_path):
    settings.PONTE_SEARCH_BACKEND = "embedded"
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "search"
    settings.PONTE_SEARCH_RANKER_PATH = tmp_path / "no-ranker.json"

    def rebuild() -> None:
        from search.indexing import rebuild as search_rebuild

        search_rebuild()

    return rebuild


def test_near_miss_reason_then_what_if_opens_the_offer(page, login, search_index):
    cooking = ConceptFactory(
        framework=FrameworkFactory(is_default=True), pref_label="Preparare i primi piatti"
    )
    milano = MunicipalityFactory(name="Milano", latitude=45.4642, longitude=9.19)
    bergamo = MunicipalityFactory(name="Bergamo", latitude=45.6983, longitude=9.6773)
    person = PersonFactory(domicile=milano)
    SkillEntryFactory(person=person, concept=cooking, stage="validata")
    measure = JudicialMeasureFactory(
        person=person, measure_type="affidamento", end_date=None, allowed_radius_km=25
    )
    offer = JobOfferFactory(title="Cuoco a Bergamo", municipality=bergamo, weekly_hours=30)
    OfferSkillFactory(offer=offer, concept=cooking, essential=True)
    search_index()

    login(person.counsellor, f"/operatore/persone/{person.pseudonym}/opportunita/")
    offers = page.locator("#offerte")
    expect(offers).to_contain_text("Nessuna opportunità adatta in questo momento.")
    miss = offers.get_by_test_id("near-miss")
    expect(miss).to_contain_text("Cuoco a Bergamo")
    expect(miss).to_contain_text("fuori dall'area consentita: 46 km, limite 25 km")

    offers.get_by_role("link", name="Che cosa si aprirebbe allentando un vincolo?").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Se si allentasse un vincolo")
    row = page.get_by_test_id("what-if-row").filter(has_text="Territorio consentito")
    expect(row).to_contain_text("entro 25 km dal domicilio")
    page.get_by_label("Nuovo raggio dal domicilio").fill("50")
    page.get_by_role("button", name="Mostra che cosa si aprirebbe").click()
    opened = page.get_by_test_id("what-if-opens")
    expect(opened).to_have_count(1)
    expect(opened).to_contain_text(re.compile(r"Cuoco a Bergamo.*a 46,\d km dal domicilio"))
    assert JudicialMeasure.objects.get(pk=measure.pk).allowed_radius_km == 25
