"""The accessibility statement (AgID's model): public, with every section the model asks
for, its contact from the settings, and linked from the footer of every page."""

from django.test import Client
from django.urls import reverse

URL = "/accessibilita/"


def test_url_name():
    assert reverse("common:accessibility") == URL


def test_is_public_and_has_the_sections_of_the_agid_model(client: Client, db, settings):
    settings.PONTE_ACCESSIBILITY_EMAIL = "accessibilita@ponte.example"
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Dichiarazione di accessibilità",
        "Stato di conformità",
        "Contenuti non accessibili",
        "Come verifichiamo la conformità",
        "Meccanismo di feedback e recapiti",
        "Data della dichiarazione",
    ):
        assert heading in html, heading
    assert "parzialmente conforme" in html
    assert "axe-core" in html and "soltanto la tastiera" in html
    assert 'href="mailto:accessibilita@ponte.example"' in html
    assert "30 novembre 2026" in html


def test_only_get(client: Client, db):
    assert client.post(URL).status_code == 405


def test_footer_of_every_page_links_it(client: Client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'<a href="{URL}">Dichiarazione di accessibilità</a>' in html
