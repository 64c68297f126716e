"""locale/it: the project's own Italian for messages Django and DRF leave in English."""

import ast
import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "it" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'^msgid (".*")\n(?:msgid_plural (".*")\n)?((?:msgstr(?:\[\d\])? ".*"\n)+)', re.MULTILINE
)


def entries() -> list[tuple[str, str | None, list[str]]]:
    found = []
    for match in ENTRY.finditer(PO.read_text(encoding="utf-8")):
        singular = ast.literal_eval(match.group(1))
        plural = ast.literal_eval(match.group(2)) if match.group(2) else None
        strings = [ast.literal_eval(line.split(" ", 1)[1]) for line in match.group(3).splitlines()]
        if singular:
            found.append((singular, plural, strings))
    return found


def test_the_compiled_catalogue_matches_the_po_file():
    """Fails when django.po was edited without `manage.py compilemessages`."""
    assert len(entries()) >= 15
    with translation.override("it"):
        for singular, plural, strings in entries():
            if plural is None:
                assert translation.gettext(singular) == strings[0], singular
            else:
                assert translation.ngettext(singular, plural, 1) == strings[0], singular
                assert translation.ngettext(singular, plural, 5) == strings[1], singular


def test_every_translation_keeps_the_placeholders_of_its_message():
    for singular, plural, strings in entries():
        wanted = set(re.findall(r"%\(\w+\)\w|\{[^}]+\}", singular))
        for text in strings:
            got = set(re.findall(r"%\(\w+\)\w|\{[^}]+\}", text))
            assert got == wanted or (plural and got == set(re.findall(r"\{[^}]+\}", plural))), (
                singular
            )
