"""Template helpers shared by every app's pages."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH_STEP = 5


@register.filter
def width_class(percent: Any) -> str:
    """The CSS class (w-0 … w-100, in steps of 5) that draws a bar `percent` wide.

    Bars get their width from a class, not a style attribute: the Content-Security-Policy
    allows no inline style (see docs/security.md).
    """
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = 0.0
    value = min(max(value, 0.0), 100.0)
    return f"w-{int(round(value / WIDTH_STEP) * WIDTH_STEP)}"


@register.filter
def chips(labels: Iterable[Any]) -> SafeString:
    """Skill names as the kit's chips, in a span that fits in a sentence; empty when there
    are none (so `|default:` still works). Screen readers hear them as a list with commas."""
    items = [str(label) for label in labels or ()]
    if not items:
        return mark_safe("")  # noqa: S308 - an empty string
    body = format_html_join(
        mark_safe('<span class="visually-hidden">, </span>'),  # noqa: S308 - constant markup
        '<span class="chip chip-simple chip-wrap"><span class="chip-label">{}</span></span>',
        ((label,) for label in items),
    )
    return format_html('<span class="chips-list">{}</span>', body)
