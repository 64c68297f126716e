"""Bounded page numbers for every paginated list, pages and API alike.

A page number comes from the query string (`?pagina=` on pages, `?page=` in the API). It
is checked before any work is done with it: a number that names no page is a 404 with an
Italian message, never a huge offset handed to the database or to a search engine. Lists
paged by a search backend also stop at the backend's result window (see
search.backends.base.MAX_RESULT_WINDOW): what lies beyond it is never reachable.
"""

import math
from collections.abc import Sequence
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.exceptions import PageNotFound

SHOWN_CHARACTERS = 20  # of a refused page number echoed back in the message


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def page_missing(raw: object, last: int) -> PageNotFound:
    """The 404 for a page number that names no page of a list of `last` pages."""
    message = _("La pagina «%(number)s» non esiste: le pagine vanno da 1 a %(last)d.")
    return PageNotFound(message % {"number": _shown(raw), "last": last})


def page_get(items: Sequence[Any] | QuerySet[Any], raw: str | None, *, per_page: int) -> Page[Any]:
    """The page of `items` that `raw` names (the first when absent or empty).

    Raises PageNotFound when `raw` is not a whole number from 1 to the last page. An empty
    list still has its first page.
    """
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(raw or 1)
    except InvalidPage:
        raise page_missing(raw, paginator.num_pages) from None


def last_page(*, total: int, per_page: int, window: int) -> int:
    """The last page of `total` results shown `per_page` at a time, the first `window` only."""
    return max(1, math.ceil(min(total, window) / per_page))


def window_page_number(raw: str | None, *, per_page: int, window: int) -> int:
    """A page number for a list paged by a search backend (the first when absent).

    Raises PageNotFound for anything that is not a whole number ≥ 1, and for a page that
    starts past `window` results, before the backend is asked anything.
    """
    maximum = last_page(total=window, per_page=per_page, window=window)
    text = (raw or "1").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(maximum)) + 1:
        raise page_missing(raw, maximum)
    number = int(text)
    if not 1 <= number <= maximum:
        raise page_missing(raw, maximum)
    return number


def window_page_check(number: int, *, total: int, per_page: int, window: int) -> None:
    """Raises PageNotFound when page `number` lies past the last page of `total` results."""
    last = last_page(total=total, per_page=per_page, window=window)
    if number > last:
        raise page_missing(number, last)
