"""The message catalogues in locale/: each .po compiles, its committed .mo says the same, and
every message of the person's pages is translated in every language of settings.LANGUAGES.

A .po edited without `make messages` would ship its old .mo: the pages would show the old
words, or Italian, with nothing failing but this test."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
PERSON_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
ENTRY = re.compile(
    r'^msgid (".*")\n(?:msgid_plural (".*")\n)?((?:msgstr(?:\[\d\])? ".*"\n)+)', re.MULTILINE
)
# What the person reads: their pages, the layout and menu around them, login and errors,
# their documents (the page and the PDF of their own copy).
PERSON_TEMPLATES = [
    "portal/templates/base.html",
    "portal/templates/portal/_language_menu.html",
    "portal/templates/competenze/trainee/_nav.html",
    "portal/templates/competenze/trainee/home.html",
    "portal/templates/competenze/trainee/courses.html",
    "portal/templates/competenze/idvcc/credentials.html",
    "portal/templates/competenze/idvcc/documents.html",
    "competenze/templates/competenze/idvcc/pdf/base.html",
    "competenze/templates/competenze/idvcc/pdf/_record.html",
    "competenze/templates/competenze/idvcc/pdf/transparency.html",
    "competenze/templates/competenze/idvcc/pdf/validation.html",
    "portal/templates/registration/login.html",
    "portal/templates/registration/locked_out.html",
    "portal/templates/403.html",
    "portal/templates/404.html",
    "portal/templates/413.html",
]
# on those pages but always read in Italian: by the counsellor, or in the employer's version
ITALIAN_ONLY = {
    "Credenziali digitali di %(p)s",
    "« Torna al profilo",
    "Versione per il datore di lavoro: le parole della persona sono state riviste con lei "
    "prima della stampa.",
    "Versione per il datore di lavoro.",
}
TRANS_TAG = re.compile(r"""{% trans ["'](.+?)["'] %}""")
BLOCKTRANS = re.compile(r"{% blocktrans(?: with ([^%]*))? %}(.*?){% endblocktrans %}", re.DOTALL)


def po_entries(path: Path) -> dict[str, list[str]]:
    """msgid → msgstr(s), the header left out; the file's lines are Python-like strings."""
    text = path.read_text(encoding="utf-8")
    found = {}
    for match in ENTRY.finditer(text):
        msgid = _literal(match.group(1))
        if msgid:
            found[msgid] = [_literal(line.split(" ", 1)[1]) for line in match.group(3).splitlines()]
    return found


def _literal(quoted: str) -> str:
    body = quoted[1:-1]
    return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), body)


def template_messages(path: str) -> set[str]:
    """The msgids of a template's {% trans %} and plain {% blocktrans %} tags."""
    text = (ROOT / path).read_text(encoding="utf-8")
    messages = set(TRANS_TAG.findall(text))
    for match in BLOCKTRANS.finditer(text):
        if "count " in (match.group(1) or ""):
            continue
        messages.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", match.group(2)))
    return messages


def test_there_is_a_catalogue_for_every_language():
    assert {path.parts[-3] for path in CATALOGUES} == {code for code, _ in settings.LANGUAGES}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_each_catalogue_compiles(po, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) non installato: scripts/system-packages lo installa"
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_committed_mo_says_what_the_po_says(po):
    """The .mo shipped beside each .po holds exactly its messages (run `make messages`)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} manca: esegui «make messages»"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {
        key: value
        for key, value in compiled._catalog.items()  # type: ignore[attr-defined]
        if key != ""
    }
    expected = {
        msgid: strings[0]
        for msgid, strings in po_entries(po).items()
        if len(strings) == 1 and strings[0]  # plural entries are checked by msgfmt
    }
    singular = {key: value for key, value in catalog.items() if isinstance(key, str)}
    assert singular == expected


@pytest.mark.parametrize("language", PERSON_LANGUAGES)
def test_every_message_of_the_persons_pages_is_translated(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    missing = [
        (path, msgid)
        for path in PERSON_TEMPLATES
        for msgid in sorted(template_messages(path) - ITALIAN_ONLY)
        if not (entries.get(msgid) or [""])[0]
    ]
    assert not missing, f"{language}: manca la traduzione di {missing}"


@pytest.mark.parametrize("language", PERSON_LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for msgid, strings in po_entries(LOCALE / language / "LC_MESSAGES" / "django.po").items():
        wanted = sorted(re.findall(r"%\(\w+\)\w", msgid))
        for text in strings:
            assert sorted(re.findall(r"%\(\w+\)\w", text)) == wanted, (language, msgid)
