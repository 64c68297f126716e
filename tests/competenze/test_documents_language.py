"""The person's copy of their documents in their own language (Arabic right to left), whoever
prints it; the version for an employer stays Italian."""

import pytest
from django.urls import reverse

from competenze.documents.content import EMPLOYER, PERSON, TRANSPARENCY, VALIDATION
from tests.competenze.idvcc_helpers import world
from tests.competenze.test_documents import _pdf_text
from tests.competenze.web_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world(quote="Lavoravo nella cucina di un ristorante, preparavo i primi.")
    w.validate(method="osservazione")
    return w


def pdf(w, *, kind=TRANSPARENCY, audience=PERSON, user=None):
    url = reverse("competenze:documents", args=[w.person.pseudonym])
    data = {"kind": kind, "audience": audience, "action": "pdf"}
    response = login(user or w.counsellor).post(url, data)
    assert response["Content-Type"] == "application/pdf"
    return _pdf_text(response.content)


def set_language(w, language):
    w.person.language = language
    w.person.save(update_fields=["language"])


def test_the_persons_copy_is_printed_in_their_language_by_the_counsellor(w):
    set_language(w, "fr")
    text = pdf(w)
    assert "Document de transparence des compétences" in text
    assert "Comment lire les étapes" in text and "Validée" in text
    assert "Votre copie : le document est à vous" in text
    assert "Come leggere le fasi" not in text
    # the person's own words and the skill's label are printed as recorded
    assert "Lavoravo nella cucina di un ristorante" in text
    assert "Preparare i primi piatti" in text


def test_the_validation_document_names_the_method_in_the_persons_language(w):
    set_language(w, "es")
    text = pdf(w, kind=VALIDATION)
    assert "Observación en el trabajo" in text and "Validada el" in text


def test_the_employers_version_stays_italian(w):
    set_language(w, "fr")
    text = pdf(w, audience=EMPLOYER)
    assert "Documento di trasparenza delle competenze" in text
    assert "Come leggere le fasi" in text and "Comment lire" not in text


def test_the_arabic_copy_is_right_to_left(w, monkeypatch):
    """The HTML sent to the PDF printer (reading Arabic back from a PDF depends on fonts)."""
    set_language(w, "ar")
    printed = []
    monkeypatch.setattr(
        "competenze.services.documents.html_to_pdf",
        lambda html: printed.append(html) or b"%PDF-1.7\n",
    )
    url = reverse("competenze:documents", args=[w.person.pseudonym])
    login(w.counsellor).post(url, {"kind": TRANSPARENCY, "audience": PERSON, "action": "pdf"})
    (html,) = printed
    assert '<html lang="ar" dir="rtl">' in html
    assert "كيف تقرأ المراحل" in html
    assert '<p class="quote" dir="auto">«Lavoravo nella cucina di un ristorante' in html
    assert "<bdi>Preparare i primi piatti</bdi>" in html


def test_the_preview_page_of_a_counsellor_stays_italian_around_the_persons_copy(w):
    set_language(w, "fr")
    url = reverse("competenze:documents", args=[w.person.pseudonym])
    html = login(w.counsellor).get(url, {"kind": TRANSPARENCY, "audience": PERSON})
    html = html.content.decode()
    assert '<html lang="it" dir="ltr">' in html and "Scarica il PDF" in html
