"""Template helpers shared by every app's pages."""

from typing import Any

from django import template

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
