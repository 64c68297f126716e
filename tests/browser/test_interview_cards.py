"""The review of an interview's suggested competences in a real Chromium: a sector accepted
at once and undone, one card decided alone, the rest rejected, the count walked to zero,
then the interview closes."""

import pytest
from playwright.sync_api import expect

from competenze.models import SkillEntry
from tests.browser.test_journeys import assert_accessible
from tests.competenze.test_views_interview_cards import _card
from tests.factories import FrameworkFactory, SectorFactory
from tests.factories.interviews import InterviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_walks_the_suggested_competences_to_zero(page, login):
    framework = FrameworkFactory(is_default=True)
    logistics = SectorFactory(framework=framework, code="LOG", label="Logistica")
    kitchen = SectorFactory(framework=framework, code="RIS", label="Ristorazione")
    interview = InterviewFactory()
    _card(interview, logistics, "Guidare il muletto", "guidavo il muletto", 0.95)
    _card(interview, logistics, "Caricare i camion", "caricavo i camion", 0.9)
    _card(interview, logistics, "Preparare gli ordini", "facevo il picking", 0.5)
    _card(interview, kitchen, "Cucinare i primi", "cucinavo i primi", 0.7)
    login(interview.counsellor, f"/operatore/colloqui/{interview.pk}/competenze/")
    left = page.get_by_test_id("cards-left")
    expect(left).to_have_text("Restano 4 competenze da decidere.")
    assert_accessible(page, "competenze suggerite")

    logistics_group = page.get_by_test_id("card-group").filter(has_text="Logistica")
    logistics_group.get_by_role("button", name="Accetta le evidenti del settore (2)").click()
    expect(left).to_have_text("Restano 2 competenze da decidere.")
    expect(page.get_by_text("2 competenze evidenti accettate")).to_be_visible()
    page.get_by_role("button", name="Annulla la decisione in blocco").click()
    expect(left).to_have_text("Restano 4 competenze da decidere.")
    assert not SkillEntry.objects.filter(person=interview.person).exists()

    page.get_by_role("button", name="Accetta le evidenti (2)").click()
    expect(left).to_have_text("Restano 2 competenze da decidere.")
    page.get_by_role("button", name="Accetta «Cucinare i primi»").click()
    expect(left).to_have_text("Resta 1 competenza da decidere.")
    page.get_by_role("button", name="Concludi il colloquio").click()
    expect(page.get_by_text("Il colloquio non è concluso: resta 1 competenza")).to_be_visible()
    page.get_by_role("button", name="Rifiuta la rimanente (1)").click()
    expect(left).to_have_text(
        "Nessuna competenza da decidere: hai deciso tutte le competenze suggerite."
    )
    expect(page.get_by_test_id("interview-card")).to_have_count(0)
    assert SkillEntry.objects.filter(person=interview.person).count() == 3

    page.get_by_role("button", name="Concludi il colloquio").click()
    expect(page.get_by_text("Colloquio concluso.")).to_be_visible()
    interview.refresh_from_db()
    assert not interview.is_open
