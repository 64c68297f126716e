"""Demo people whose Italian is weak read their mother tongue beside it, when Ponte has it."""

import pytest

from demo.people import reading_language


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({"ar": "madrelingua", "it": "A2", "fr": "B2"}, "ar"),
        ({"sq": "madrelingua", "it": "B1"}, "sq"),
        ({"ro": "madrelingua", "it": "B2"}, ""),  # reads Italian well enough
        ({"ur": "madrelingua", "it": "A2"}, ""),  # a language Ponte has no pages in
        ({"it": "madrelingua", "en": "B1"}, ""),
    ],
)
def test_reading_language(levels, expected):
    rows = [{"language": code, "level": level} for code, level in levels.items()]
    assert reading_language(rows) == expected
