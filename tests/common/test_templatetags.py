import pytest

from portal.templatetags.ponte import width_class


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
