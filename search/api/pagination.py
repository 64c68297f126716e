"""Page-number pagination over search results (the backend pages, not a queryset)."""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


class SearchPage:
    """`offset`/`limit` for the backend from ?page=&page_size=, and the paginated body."""

    def __init__(self, request: Request) -> None:
        serializer = PageSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        self.request = request
        self.number: int = serializer.validated_data["page"]
        self.size: int = serializer.validated_data["page_size"]

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", number)

    def response(self, *, total: int, results: Any, **extra: Any) -> Response:
        last = max(1, -(-total // self.size))
        body = {
            "count": total,
            "next": self._link(self.number + 1) if self.number < last else None,
            "previous": self._link(self.number - 1) if 1 < self.number <= last + 1 else None,
            "results": results,
            **extra,
        }
        return Response(body)
