"""The documents the person keeps, printed as PDF on the server and read back: the employer
version never carries a word that reveals detention or the measure unless the person chose
it; work done in prison is described neutrally; quotes are kept, edited or left out."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from common.exceptions import AccessDenied
from common.models import AccessLog
from competenze.documents import flagged
from competenze.documents.content import EMPLOYER, PERSON, TRANSPARENCY, VALIDATION, QuoteChoice
from competenze.services.documents import document_content_build, document_pdf
from tests.competenze.idvcc_helpers import world
from tests.competenze.web_helpers import login
from tests.factories import EmployerUserFactory, JudicialMeasureFactory, TraineeUserFactory

pytestmark = pytest.mark.django_db

KITCHEN = "Lavoravo nella cucina del carcere di Pavia, preparavo i primi per sessanta detenuti."
MEASURE = "Durante la messa alla prova ho aiutato in una comunità."


@pytest.fixture
def w():
    w = world(quote="Lavoravo nella cucina del carcere di Pavia, preparavo i primi.")
    w.person.organisation.name = "Sportello Lavoro Carcere di Pavia"
    w.person.organisation.save()
    w.validate(method="osservazione")
    w.certify(attestation_issuer="Casa Circondariale di Pavia, sezione formazione")
    JudicialMeasureFactory(person=w.person, measure_type="map", notes="Nota riservata del giudice")
    return w


def _pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _print(w, kind=TRANSPARENCY, audience=EMPLOYER, choices=None, user=None):
    user = user or w.counsellor
    content = document_content_build(
        person=w.person, user=user, kind=kind, audience=audience, choices=choices
    )
    return content, _pdf_text(document_pdf(person=w.person, user=user, content=content))


def test_employer_pdf_has_no_flagged_word_and_describes_prison_work_neutrally(w):
    content, text = _print(w)
    assert flagged.find_flagged(text) == []
    assert "Lavoravo nella cucina collettiva di Pavia, preparavo i primi." in text
    assert "Preparare i primi piatti" in text and "Certificata" in text
    assert "LOM-2026-0042" in text and "(omesso)" in text  # the issuer named a prison
    assert "l'ente che accompagna la persona" in text  # the service's name did too
    assert w.person.pseudonym not in text and "Nota riservata" not in text


def test_a_quote_still_flagged_stays_out_unless_the_person_chooses_it(w):
    w.entry.evidence_text = KITCHEN
    w.entry.save()
    content, text = _print(w)
    assert content.omitted_quotes == 1 and "sessanta" not in text
    assert flagged.find_flagged(text) == []
    chosen = {w.entry.pk: QuoteChoice(text=MEASURE, allow_flagged=True)}
    _content, text = _print(w, choices=chosen)
    assert "messa alla prova" in text and "comunità" in text


def test_quotes_are_edited_or_left_out_as_decided(w):
    edited = {w.entry.pk: QuoteChoice(text="Ho cucinato per una mensa di sessanta persone.")}
    _content, text = _print(w, choices=edited)
    assert "Ho cucinato per una mensa di sessanta persone." in text
    _content, text = _print(w, choices={w.entry.pk: QuoteChoice(include=False)})
    assert "preparavo i primi" not in text and "cucina" not in text.lower().replace(
        "cucina collettiva", ""
    )


def test_the_person_version_keeps_their_words_and_name(w):
    _content, text = _print(w, audience=PERSON)
    assert "cucina del carcere di Pavia" in text
    assert "Gennaro Esposito" in text and w.person.pseudonym in text
    assert "Nota riservata" not in text and "Messa alla prova" not in text  # no judicial data


def test_validation_document_shows_who_assessed_how_and_the_attestation(w):
    _content, text = _print(w, kind=VALIDATION, audience=PERSON)
    assert "Osservazione sul lavoro" in text and w.assessor.organisation.name in text
    assert "LOM-2026-0042" in text and "QRSP Lombardia, Operatore della ristorazione" in text
    assert "Dichiarazione del datore" in text or "dichiarazione del datore" in text


def test_documents_are_audited_and_only_for_the_person_and_their_counsellor(w):
    _print(w)
    assert AccessLog.objects.filter(
        subject=w.person.pseudonym, action="export", data_category="documento_trasparenza"
    ).exists()
    for outsider in (EmployerUserFactory(), w.assessor, TraineeUserFactory()):
        with pytest.raises(AccessDenied):
            document_content_build(
                person=w.person, user=outsider, kind=TRANSPARENCY, audience=PERSON
            )


# --- the preview page -----------------------------------------------------------------------


def _url(w):
    return reverse("competenze:documents", args=[w.person.pseudonym])


def test_preview_highlights_flagged_words_before_printing(w):
    w.entry.evidence_text = KITCHEN
    w.entry.save()
    html = (
        login(w.counsellor)
        .get(_url(w), {"kind": TRANSPARENCY, "audience": EMPLOYER})
        .content.decode()
    )
    assert '<mark class="flagged" title="persona detenuta">detenuti</mark>' in html
    assert "cucina collettiva" in html and "Non sarà stampata." in html


def test_preview_posts_the_choices_and_returns_the_pdf(w):
    include, text, allow = (f"include_{w.entry.pk}", f"quote_{w.entry.pk}", f"allow_{w.entry.pk}")
    data = {
        "kind": TRANSPARENCY,
        "audience": EMPLOYER,
        "action": "pdf",
        include: "on",
        text: "Aiuto cuoco in una mensa collettiva.",
    }
    response = login(w.counsellor).post(_url(w), data)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Aiuto cuoco in una mensa collettiva." in _pdf_text(response.content)
    data.update({text: MEASURE, "action": "preview"})
    html = login(w.counsellor).post(_url(w), data).content.decode()
    assert "Non sarà stampata." in html
    data.update({allow: "on"})
    html = login(w.counsellor).post(_url(w), data).content.decode()
    assert "Sarà stampata." in html
    assert allow not in html.split("Sarà stampata.")[1]  # sanity: one entry only


def test_preview_refused_to_employers_and_other_people(w):
    assert login(EmployerUserFactory()).get(_url(w)).status_code == 403
    assert login(TraineeUserFactory()).get(_url(w)).status_code == 404
