"""The Elasticsearch backend (production, many machines).

Each kind of document lives in a timestamped index behind an alias
(`<prefix>-candidates` → `<prefix>-candidates-20260202101500`). A rebuild creates new
indices behind a "building" alias, fills them with bulk `create` actions while incremental
writes go to both aliases (so the newer document wins), then swaps the aliases in one
update_aliases call and deletes the old indices: searches never see a half-built index.
"""

import time
from collections.abc import Sequence
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk

from search import matching
from search.backends import elastic_queries as eq
from search.backends.base import (
    CatchUp,
    Pending,
    Rebuild,
    RebuildCounts,
    RebuildInProgress,
    SearchBackend,
    result_window_check,
)
from search.documents import CANDIDATES, OPPORTUNITIES, index_definition
from search.types import (
    CandidateDoc,
    CandidateHit,
    CandidateHits,
    CandidateQuery,
    FacetBucket,
    OpportunityDoc,
    OpportunityHit,
    OpportunityHits,
    OpportunityQuery,
    opportunity_key,
)

KINDS = (CANDIDATES, OPPORTUNITIES)
CONFLICT = 409


def timestamped(alias: str) -> str:
    return f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6:06d}"


def _errors(result: tuple[int, Any]) -> list[Any]:
    _ok, errors = result
    return [e for e in errors or [] if next(iter(e.values())).get("status") not in (CONFLICT, 404)]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str, client: Elasticsearch | None = None) -> None:
        self.client = client or Elasticsearch(url)
        self.prefix = prefix
        self._ensured = False

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def building_alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}-building"

    def ensure(self) -> None:
        """Create the live indices behind their aliases on first use."""
        if self._ensured:
            return
        for kind in KINDS:
            alias = self.alias(kind)
            if not self.client.indices.exists_alias(name=alias):
                index_definition(timestamped(alias), kind, alias).create(using=self.client)
        self._ensured = True

    def _targets(self, kind: str) -> list[str]:
        self.ensure()
        targets = [self.alias(kind)]
        if self.client.indices.exists_alias(name=self.building_alias(kind)):
            targets.append(self.building_alias(kind))
        return targets

    def _send(self, actions: list[dict[str, Any]]) -> None:
        if actions:
            errors = _errors(bulk(self.client, actions, refresh=True, raise_on_error=False))
            if errors:
                raise RuntimeError(f"Elasticsearch bulk errors: {errors[:3]}")

    # ---------------------------------------------------------------- writes

    def index_people(self, docs: Sequence[CandidateDoc]) -> None:
        for target in self._targets(CANDIDATES):
            self._send(eq.candidate_actions(target, docs))

    def index_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        for target in self._targets(OPPORTUNITIES):
            self._send(eq.opportunity_actions(target, docs))

    def delete_people(self, person_ids: Sequence[int]) -> None:
        for target in self._targets(CANDIDATES):
            self._send(eq.delete_actions(target, [str(pk) for pk in person_ids]))

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        for target in self._targets(OPPORTUNITIES):
            self._send(eq.delete_actions(target, [eq.opportunity_id(key) for key in keys]))

    # ---------------------------------------------------------------- reads

    def match_opportunities_for_person(self, query: OpportunityQuery) -> OpportunityHits:
        result_window_check(query.offset, query.limit)
        self.ensure()
        search = eq.opportunity_search(self.alias(OPPORTUNITIES), query).using(self.client)
        response = search.execute()
        hits = []
        for hit in response.hits:
            doc = OpportunityDoc.from_payload(hit.payload.to_dict())
            distance = None
            if query.origin is not None:
                distance = matching.haversine_km(*query.origin, doc.latitude, doc.longitude)
            requirements = [(r.concept_id, r.essential) for r in doc.requirements]
            skill = matching.skill_score(requirements, query.credits)
            hits.append(OpportunityHit(doc, float(hit.meta.score), skill, distance))
        total = int(response.hits.total.value)  # type: ignore[attr-defined]
        return OpportunityHits(total=total, hits=tuple(hits))

    def search_candidates(self, query: CandidateQuery) -> CandidateHits:
        result_window_check(query.offset, query.limit)
        self.ensure()
        search = eq.candidate_search(self.alias(CANDIDATES), query).using(self.client)
        response = search.execute()
        hits = tuple(
            CandidateHit(CandidateDoc.from_payload(hit.payload.to_dict()), float(hit.meta.score))
            for hit in response.hits
        )
        aggs = response.aggregations.to_dict()
        return CandidateHits(
            total=int(response.hits.total.value),  # type: ignore[attr-defined]
            hits=hits,
            facets=facets_from(aggs),
            compatible=int(aggs["compatible"]["doc_count"]) if "compatible" in aggs else None,
        )

    def candidate_get(self, person_id: int) -> CandidateDoc | None:
        payload = self._payload(CANDIDATES, str(person_id))
        return None if payload is None else CandidateDoc.from_payload(payload)

    def opportunity_get(self, kind: str, opportunity_id: int) -> OpportunityDoc | None:
        payload = self._payload(
            OPPORTUNITIES, eq.opportunity_id(opportunity_key(kind, opportunity_id))
        )
        return None if payload is None else OpportunityDoc.from_payload(payload)

    def _payload(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        self.ensure()
        try:
            found = self.client.get(index=self.alias(kind), id=doc_id, source_includes=["payload"])
        except NotFoundError:
            return None
        payload: dict[str, Any] = found["_source"]["payload"]
        return payload

    def counts(self) -> dict[str, int]:
        self.ensure()
        count = self.client.count
        return {
            "people": int(count(index=self.alias(CANDIDATES))["count"]),
            "opportunities": int(count(index=self.alias(OPPORTUNITIES))["count"]),
        }

    # ---------------------------------------------------------------- rebuild

    def rebuild(self) -> Rebuild:
        return ElasticRebuild(self)

    def clear(self) -> None:
        """Delete this prefix's indices by name (clusters refuse wildcard deletes)."""
        pattern = ",".join(f"{self.alias(kind)}-*" for kind in KINDS)
        found = self.client.indices.get(index=pattern, allow_no_indices=True).body
        if found:
            self.client.indices.delete(index=",".join(sorted(found)))
        self._ensured = False


def facets_from(aggs: dict[str, Any]) -> dict[str, tuple[FacetBucket, ...]]:
    def terms(buckets: list[dict[str, Any]]) -> tuple[FacetBucket, ...]:
        return tuple(FacetBucket(str(b["key"]), int(b["doc_count"])) for b in buckets)

    return {
        "skills": terms(aggs["skills"]["codes"]["buckets"]),
        "province": terms(aggs["province"]["buckets"]),
        "languages": terms(aggs["languages"]["buckets"]),
        "availability": terms(aggs["availability"]["buckets"]),
        "hours": terms(aggs["hours"]["buckets"]),
    }


class ElasticRebuild:
    def __init__(self, backend: ElasticsearchBackend) -> None:
        self.backend = backend
        self.counts = RebuildCounts()
        client = backend.client
        backend.ensure()
        for kind in KINDS:
            if client.indices.exists_alias(name=backend.building_alias(kind)):
                raise RebuildInProgress(backend.building_alias(kind))
        self.indices = {kind: timestamped(backend.alias(kind)) for kind in KINDS}
        self.name = self.indices[CANDIDATES]
        for kind, index in self.indices.items():
            definition = index_definition(index, kind, backend.building_alias(kind))
            definition.settings(refresh_interval="-1")
            definition.create(using=client)

    def _send(self, actions: list[dict[str, Any]]) -> None:
        if actions:
            errors = _errors(bulk(self.backend.client, actions, raise_on_error=False))
            if errors:
                raise RuntimeError(f"Elasticsearch bulk errors: {errors[:3]}")

    def add_people(self, docs: Sequence[CandidateDoc]) -> None:
        self._send(eq.candidate_actions(self.indices[CANDIDATES], docs, op_type="create"))
        self.counts.people += len(docs)

    def add_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        index = self.indices[OPPORTUNITIES]
        self._send(eq.opportunity_actions(index, docs, op_type="create"))
        self.counts.opportunities += len(docs)

    def delete_people(self, person_ids: Sequence[int]) -> None:
        ids = [str(pk) for pk in person_ids]
        self._send(eq.delete_actions(self.indices[CANDIDATES], ids))

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        ids = [eq.opportunity_id(key) for key in keys]
        self._send(eq.delete_actions(self.indices[OPPORTUNITIES], ids))

    def publish(self, catch_up: CatchUp) -> None:
        catch_up(self, Pending())  # incremental writes already went to the building alias
        client, backend = self.backend.client, self.backend
        for kind, index in self.indices.items():
            client.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
            client.indices.refresh(index=index)
            alias = backend.alias(kind)
            old = sorted(client.indices.get_alias(name=alias).body)
            body = eq.alias_swap(alias, index, old, backend.building_alias(kind))
            client.indices.update_aliases(actions=body["actions"])
            for previous in old:
                client.indices.delete(index=previous, ignore_unavailable=True)

    def abort(self) -> None:
        for index in self.indices.values():
            self.backend.client.indices.delete(index=index, ignore_unavailable=True)
