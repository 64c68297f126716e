"""In a real Chromium under the Italian locale: the programme dashboard's chart draws (no
«7,5» in an SVG attribute, which Chromium refuses with a console error) and the small cells
read «< 5»."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competenze.models import SkillEntry
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProgrammeManagerFactory,
    SkillEntryFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chart_draws_under_the_italian_locale_without_console_errors(page, login):
    organisation = OrganisationFactory()
    manager = ProgrammeManagerFactory(organisation=organisation)
    for _index in range(7):
        person = PersonFactory(organisation=organisation)
        SkillEntryFactory(
            person=person, stage=SkillEntry.Stage.VALIDATED, stage_changed_at=timezone.now()
        )
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(manager, "/cruscotto/")

    expect(page.get_by_role("heading", name="Cruscotto del programma")).to_be_visible()
    bars = page.locator("figure.chart svg rect")
    expect(bars.first).to_be_attached()
    boxes = [bars.nth(index).bounding_box() for index in range(bars.count())]
    assert any(box and box["width"] > 0 and box["height"] > 0 for box in boxes)
    # Chromium says «Error: <rect> attribute x: Expected length, "7,5"» for a comma decimal
    assert [text for text in errors if "attribute" in text or "<" in text] == []
    expect(page.get_by_test_id("stat-people")).to_have_text("7")
