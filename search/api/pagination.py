"""Page-number pagination over search results (the backend pages, not a queryset).

Both parameters are bounded before the backend is asked anything: `page_size` from 1 to
MAX_PAGE_SIZE, and `page` so that the page starts inside the backend's result window
(search.backends.base.MAX_RESULT_WINDOW); past the last page of the results is a 404.
"""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.paging import last_page, page_missing, window_page_check
from search.backends.base import MAX_RESULT_WINDOW

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


class SearchPage:
    """`offset`/`limit` for the backend from ?page=&page_size=, and the paginated body.

    Raises ValidationError (400) for malformed parameters and PageNotFound (404) for a page
    that starts past the result window.
    """

    def __init__(self, request: Request) -> None:
        serializer = PageSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        self.request = request
        self.number: int = serializer.validated_data["page"]
        self.size: int = serializer.validated_data["page_size"]
        if self.offset >= MAX_RESULT_WINDOW:
            maximum = last_page(
                total=MAX_RESULT_WINDOW, per_page=self.size, window=MAX_RESULT_WINDOW
            )
            raise page_missing(self.number, maximum)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return min(self.size, MAX_RESULT_WINDOW - self.offset)

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", number)

    def response(self, *, total: int, results: Any, **extra: Any) -> Response:
        """The page's body; raises PageNotFound past the last page (the first always exists)."""
        window_page_check(self.number, total=total, per_page=self.size, window=MAX_RESULT_WINDOW)
        last = last_page(total=total, per_page=self.size, window=MAX_RESULT_WINDOW)
        body = {
            "count": total,
            "next": self._link(self.number + 1) if self.number < last else None,
            "previous": self._link(self.number - 1) if self.number > 1 else None,
            "results": results,
            **extra,
        }
        return Response(body)
