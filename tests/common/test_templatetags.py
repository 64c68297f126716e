import pytest
from django.template import Context, Template

from portal.templatetags.ponte import chips, width_class


@pytest.mark.parametrize(
    "percent, expected",
    [
        (0, "w-0"),
        (37, "w-35"),
        (38, "w-40"),
        (100, "w-100"),
        (140, "w-100"),
        (-3, "w-0"),
        (12.5, "w-10"),
        ("60", "w-60"),
        (None, "w-0"),
        ("n/d", "w-0"),
    ],
)
def test_bars_get_a_width_class_in_steps_of_five(percent, expected):
    assert width_class(percent) == expected


def test_every_width_class_exists_in_the_style_sheet():
    from pathlib import Path

    css = (
        Path(__file__).resolve().parents[2] / "portal" / "static" / "css" / "ponte.css"
    ).read_text()
    assert all(f".w-{n} {{ width: {n}%; }}" in css for n in range(0, 101, 5))


def test_chips_show_each_skill_as_a_chip_with_hidden_commas_and_escape_the_names():
    html = chips(["Cucinare <primi>", "Guidare il muletto"])
    assert html == (
        '<span class="chips-list">'
        '<span class="chip chip-simple chip-wrap"><span class="chip-label">Cucinare &lt;primi&gt;'
        '</span></span><span class="visually-hidden">, </span>'
        '<span class="chip chip-simple chip-wrap"><span class="chip-label">Guidare il muletto'
        "</span></span></span>"
    )


def test_chips_of_no_skills_are_empty_so_a_default_shows():
    template = Template('{% load ponte %}{{ skills|chips|default:"—" }}')
    assert template.render(Context({"skills": []})) == "—"
