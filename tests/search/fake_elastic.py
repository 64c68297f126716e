"""An in-memory stand-in for the few index and alias calls of the Elasticsearch backend's
rebuild lock (no documents, no queries): enough to test how a dead builder is found and
discarded without a cluster. The real cluster runs the same tests when ELASTICSEARCH_URL
is set (tests/search/test_rebuild_lock.py)."""

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Response:
    body: Any


@dataclass
class FakeIndex:
    aliases: set[str]
    meta: dict[str, Any] = field(default_factory=dict)
    created_ms: int = field(default_factory=lambda: int(time.time() * 1000))


class FakeIndices:
    def __init__(self) -> None:
        self.indices: dict[str, FakeIndex] = {}

    def _resolve(self, names: str) -> list[str]:
        found = []
        for name in names.split(","):
            if name in self.indices:
                found.append(name)
            else:
                found.extend(i for i, index in self.indices.items() if name in index.aliases)
        return sorted(set(found))

    def create(self, *, index: str, body: dict[str, Any], **_kwargs: Any) -> Response:
        self.indices[index] = FakeIndex(aliases=set(body.get("aliases", {})))
        return Response({"acknowledged": True})

    def exists_alias(self, *, name: str, index: str | None = None) -> bool:
        return any(
            name in found.aliases
            for key, found in self.indices.items()
            if index is None or key == index
        )

    def get_alias(self, *, name: str) -> Response:
        return Response({
            key: {"aliases": {name: {}}} for key, found in self.indices.items()
            if name in found.aliases
        })  # fmt: skip

    def put_mapping(self, *, index: str, meta: dict[str, Any]) -> Response:
        for key in self._resolve(index):
            self.indices[key].meta = meta
        return Response({"acknowledged": True})

    def get_mapping(self, *, index: str) -> Response:
        return Response({
            key: {"mappings": {"_meta": self.indices[key].meta} if self.indices[key].meta else {}}
            for key in self._resolve(index)
        })  # fmt: skip

    def get_settings(self, *, index: str, name: str) -> Response:
        assert name == "index.creation_date"
        return Response({
            key: {"settings": {"index": {"creation_date": str(self.indices[key].created_ms)}}}
            for key in self._resolve(index)
        })  # fmt: skip

    def delete(self, *, index: str, ignore_unavailable: bool = False) -> Response:
        for key in self._resolve(index):
            del self.indices[key]
        return Response({"acknowledged": True})


class FakeElasticsearch:
    def __init__(self) -> None:
        self.indices = FakeIndices()
