"""Every response carries the Content-Security-Policy (scripts and styles from our static
files only) and `Cache-Control: no-store`: identity, judicial data, evidence and printable
profiles never stay in a browser or proxy cache. No template holds what the policy would
block (inline script, event handler, style attribute or element)."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from competenze.models import Evidence
from tests.factories import JudicialMeasureFactory, PersonIdentityFactory

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        directive, *sources = part.split()
        policy[directive] = sources
    return policy


@pytest.fixture
def person(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    identity = PersonIdentityFactory()
    JudicialMeasureFactory(person=identity.person)
    return identity.person


@pytest.fixture
def page(person) -> Client:
    client = Client()
    client.force_login(person.counsellor)
    return client


@pytest.fixture
def api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.counsellor)
    return client


def _evidence_response(page, person):
    page.post(
        reverse("competenze:evidence-upload", args=[person.pseudonym]),
        {
            "kind": "attestato",
            "description": "Foto del lavoro",
            "file": SimpleUploadedFile("lavoro.png", PNG),
        },
    )
    evidence = Evidence.objects.get(person=person)
    return page.get(reverse("competenze:evidence-file", args=[evidence.pk]))


SENSITIVE = {
    "identity page": lambda page, api, p: page.post(
        reverse("competenze:person-identity", args=[p.pseudonym])
    ),
    "judicial page": lambda page, api, p: page.post(
        reverse("competenze:person-measures", args=[p.pseudonym])
    ),
    "document preview": lambda page, api, p: page.get(
        reverse("competenze:documents", args=[p.pseudonym])
    ),
    "document PDF": lambda page, api, p: page.post(
        reverse("competenze:documents", args=[p.pseudonym]), {"action": "pdf"}
    ),
    "evidence file": lambda page, api, p: _evidence_response(page, p),
    "identity API": lambda page, api, p: api.get(
        reverse("api:competenze:person-identity", kwargs={"pseudonym": p.pseudonym})
    ),
    "judicial API": lambda page, api, p: api.get(
        reverse("api:competenze:person-measures", kwargs={"pseudonym": p.pseudonym})
    ),
    "person file": lambda page, api, p: page.get(
        reverse("competenze:person-detail", args=[p.pseudonym])
    ),
}


@pytest.mark.parametrize("name", SENSITIVE)
def test_personal_and_judicial_responses_are_never_cached(name, person, page, api):
    response = SENSITIVE[name](page, api, person)
    assert response.status_code == 200, name
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/api/docs/"])
def test_anonymous_pages_carry_the_headers_too(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_api_docs_load_nothing_from_outside_and_nothing_inline(db):
    html = Client().get("/api/docs/").content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)


def test_no_template_holds_what_the_policy_blocks():
    found = []
    templates = sorted(ROOT.glob("*/templates/**/*.html"))
    assert templates, "no template found"
    for path in templates:
        text = path.read_text()
        found += [
            f"{path.relative_to(ROOT)}: {kind}"
            for kind, pattern in INLINE.items()
            if pattern.search(text)
        ]
    assert not found, "\n".join(found)
