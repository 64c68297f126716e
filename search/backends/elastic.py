"""The Elasticsearch backend (production, many machines).

Each kind of document lives in a timestamped index behind an alias
(`<prefix>-candidates` → `<prefix>-candidates-20260202101500`). A rebuild creates new
indices behind a "building" alias, fills them with bulk `create` actions while incremental
writes go to both aliases (so the newer document wins), then swaps the aliases in one
update_aliases call and deletes the old indices: searches never see a half-built index.

At first use the backend reads the cluster's modules (search.backends.elastic_features)
and builds new indices for what the node can do; every index records in its mapping how
it analyses text, and reads and writes follow the index, not the node.
The building indices' `_meta` records the builder (host, pid, heartbeat): a rebuild whose
builder died is discarded (its indices deleted) by the next rebuild or write.
"""

import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.dsl import Search
from elasticsearch.helpers import bulk

import search.backends.elastic_queries as eq
from search import matching
from search.admits import within
from search.backends._builds import (
    HEARTBEAT_EVERY,
    STALE_AFTER,
    BuildOwner,
    DeadBuild,
    Heartbeat,
)
from search.backends.base import (
    CatchUp,
    Pending,
    Rebuild,
    RebuildCounts,
    RebuildInProgress,
    RebuildLost,
    SearchBackend,
    result_window_check,
)
from search.backends.elastic_features import (
    META,
    META_ANALYSIS,
    NODE_INFO_FILTER,
    NodeFeatures,
    TextAnalysis,
    index_analysis,
    node_features,
)
from search.documents import CANDIDATES, OPPORTUNITIES, holds_constraints, index_body
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
ALREADY_EXISTS = "resource_already_exists_exception"
logger = logging.getLogger(__name__)


OWNER_META = "ponte_rebuild"  # key of the builder in the building indices' mapping _meta


def first_index(alias: str) -> str:
    """The index an alias starts on (named before any timestamped one)."""
    return f"{alias}-00000000000000-000000"


def timestamped(alias: str) -> str:
    return f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6:06d}"


def _errors(result: tuple[int, Any]) -> list[Any]:
    _ok, errors = result
    return [e for e in errors or [] if next(iter(e.values())).get("status") not in (CONFLICT, 404)]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        prefix: str,
        client: Elasticsearch | None = None,
        features: NodeFeatures | None = None,
        *,
        heartbeat_every: float = HEARTBEAT_EVERY,
        stale_after: float = STALE_AFTER,
    ) -> None:
        self.client = client or Elasticsearch(url)
        self.prefix = prefix
        self.heartbeat_every = heartbeat_every
        self.stale_after = stale_after
        self._features = features
        self._analysis: dict[str, TextAnalysis] = {}  # of the live index, per kind

    @property
    def features(self) -> NodeFeatures:
        """The cluster's modules, read once (`GET _nodes/plugins`)."""
        if self._features is None:
            info = self.client.nodes.info(metric="plugins", filter_path=NODE_INFO_FILTER)
            self._features = node_features(info.body)
            if self._features.missing():
                logger.info(
                    "Elasticsearch without modules %s: the backend adapts (docs/search.md)",
                    ", ".join(self._features.missing()),
                )
        return self._features

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def building_alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}-building"

    def create_index(self, index: str, kind: str, alias: str, **settings: str) -> TextAnalysis:
        """Create `index` behind `alias`, analysing text as this cluster can."""
        analysis = self.features.text_analysis
        body = index_body(kind, analysis=analysis, alias=alias, **settings)
        self.client.indices.create(index=index, **body)
        return analysis

    def _analysis_of(self, target: str) -> TextAnalysis | None:
        """How the index behind `target` analyses text; None when there is no such index."""
        found = self.client.options(ignore_status=404).indices.get_mapping(index=target).body
        if "error" in found or not found:
            return None
        return index_analysis(found)

    def ensure(self) -> None:
        """Create the live indices behind their aliases on first use.

        The first index of an alias has a fixed name, so processes starting together on an
        empty cluster create one index, not one each behind the same alias."""
        for kind in KINDS:
            if kind in self._analysis:
                continue
            alias = self.alias(kind)
            analysis = self._analysis_of(alias)
            if analysis is None:
                try:
                    analysis = self.create_index(first_index(alias), kind, alias)
                except BadRequestError as error:
                    if error.error != ALREADY_EXISTS:
                        raise
                    analysis = self._analysis_of(alias)  # another process made it just now
            if analysis is None:
                raise RuntimeError(f"Elasticsearch: no index behind {alias}")
            self._analysis[kind] = analysis

    def analysis(self, kind: str) -> TextAnalysis:
        self.ensure()
        return self._analysis[kind]

    def _targets(self, kind: str) -> list[tuple[str, TextAnalysis]]:
        """Where a write goes: the live index and, while a living rebuild fills it, the new
        one."""
        targets = [(self.alias(kind), self.analysis(kind))]
        building = self._analysis_of(self.building_alias(kind))
        if building is not None and self._running_build() is not None:
            targets.append((self.building_alias(kind), building))
        return targets

    # ---------------------------------------------------------------- the rebuild lock

    def _building_indices(self) -> list[str]:
        found: list[str] = []
        for kind in KINDS:
            alias = self.building_alias(kind)
            if self.client.indices.exists_alias(name=alias):
                found.extend(sorted(self.client.indices.get_alias(name=alias).body))
        return found

    def _build_owner(self, indices: list[str]) -> BuildOwner:
        """The builder recorded in the indices' `_meta`, or an unknown one whose last sign
        of life is the indices' creation (indices built before owners were recorded)."""
        mappings = self.client.indices.get_mapping(index=",".join(indices)).body
        owners = [
            BuildOwner.from_dict(meta[OWNER_META])
            for found in mappings.values()
            if OWNER_META in (meta := found.get("mappings", {}).get("_meta", {}))
        ]
        if owners:
            return max(owners, key=lambda owner: owner.heartbeat)
        created = self.client.indices.get_settings(
            index=",".join(indices), name="index.creation_date"
        ).body
        newest = max(int(found["settings"]["index"]["creation_date"]) for found in created.values())
        return BuildOwner.unknown(since=newest / 1000)

    def _running_build(self) -> tuple[list[str], BuildOwner] | None:
        """The rebuild in progress, if its builder lives; a dead one is discarded."""
        indices = self._building_indices()
        if not indices:
            return None
        owner = self._build_owner(indices)
        if owner.is_dead(stale_after=self.stale_after):
            self._discard(indices, owner)
            return None
        return indices, owner

    def _discard(self, indices: list[str], owner: BuildOwner) -> DeadBuild:
        self.client.indices.delete(index=",".join(indices), ignore_unavailable=True)
        dead = DeadBuild(name=", ".join(indices), owner=owner)
        logger.warning("Indice di ricerca: %s", dead.message())
        return dead

    def recover_dead_rebuild(self) -> DeadBuild | None:
        indices = self._building_indices()
        if not indices:
            return None
        owner = self._build_owner(indices)
        if not owner.is_dead(stale_after=self.stale_after):
            return None
        return self._discard(indices, owner)

    def _send(self, actions: list[dict[str, Any]]) -> None:
        if actions:
            errors = _errors(bulk(self.client, actions, refresh=True, raise_on_error=False))
            if errors:
                raise RuntimeError(f"Elasticsearch bulk errors: {errors[:3]}")

    # ---------------------------------------------------------------- writes

    def index_people(self, docs: Sequence[CandidateDoc]) -> None:
        for target, analysis in self._targets(CANDIDATES):
            filtered = self._holds_constraints(target)
            self._send(eq.candidate_actions(target, docs, analysis=analysis, filtered=filtered))

    def _holds_constraints(self, target: str) -> bool:
        """An index built before the constraints were indexed gets none (they would be
        mapped on the fly and stored in _source) until a rebuild: meanwhile its profiles
        count as out of date, decided from the database."""
        mappings = self.client.indices.get_mapping(index=target).body
        if holds_constraints(mappings):
            return True
        logger.warning(
            "Indice %s senza i vincoli filtrabili: ricostruirlo con manage.py search_rebuild",
            target,
        )
        return False

    def index_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        for target, analysis in self._targets(OPPORTUNITIES):
            self._send(eq.opportunity_actions(target, docs, analysis=analysis))

    def delete_people(self, person_ids: Sequence[int]) -> None:
        for target, _analysis in self._targets(CANDIDATES):
            self._send(eq.delete_actions(target, [str(pk) for pk in person_ids]))

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        for target, _analysis in self._targets(OPPORTUNITIES):
            self._send(eq.delete_actions(target, [eq.opportunity_id(key) for key in keys]))

    # ---------------------------------------------------------------- reads

    def _search(self, kind: str, search: Search) -> dict[str, Any]:
        body = eq.request_body(search)
        found: dict[str, Any] = self.client.search(index=self.alias(kind), body=body).body
        return found

    def match_opportunities_for_person(self, query: OpportunityQuery) -> OpportunityHits:
        result_window_check(query.offset, query.limit)
        analysis = self.analysis(OPPORTUNITIES)
        response = self._search(OPPORTUNITIES, eq.opportunity_search(query, analysis=analysis))
        hits = []
        for hit in response["hits"]["hits"]:
            doc = OpportunityDoc.from_payload(hit["_source"]["payload"])
            distance = None
            if query.origin is not None:
                distance = matching.haversine_km(*query.origin, doc.latitude, doc.longitude)
            requirements = [(r.concept_id, r.essential) for r in doc.requirements]
            skill = matching.skill_score(requirements, query.credits)
            affinity = matching.affinity_of(doc.sectors, query.affinity)
            hits.append(OpportunityHit(doc, float(hit["_score"]), skill, distance, affinity))
        return OpportunityHits(total=int(response["hits"]["total"]["value"]), hits=tuple(hits))

    def search_candidates(self, query: CandidateQuery) -> CandidateHits:
        result_window_check(query.offset, query.limit)
        analysis = self.analysis(CANDIDATES)
        if query.compatible is not None:
            query = dataclasses.replace(
                query, compatible=within(query.compatible, self._widest_radius())
            )
        response = self._search(CANDIDATES, eq.candidate_search(query, analysis=analysis))
        hits = tuple(
            CandidateHit(CandidateDoc.from_payload(hit["_source"]["payload"]), float(hit["_score"]))
            for hit in response["hits"]["hits"]
        )
        aggs = response["aggregations"]
        stale = aggs.get("stale", {}).get("ids", {}).get("buckets", [])
        return CandidateHits(
            total=int(response["hits"]["total"]["value"]),
            hits=hits,
            facets=facets_from(aggs),
            compatible=int(aggs["compatible"]["doc_count"]) if "compatible" in aggs else None,
            stale=tuple(int(bucket["key"]) for bucket in stale),
        )

    def _widest_radius(self) -> int | None:
        found = self._search(CANDIDATES, eq.widest_radius_search())["aggregations"]["widest"]
        return None if found["value"] is None else int(found["value"])

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
        self._analysis.clear()


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


@dataclasses.dataclass(frozen=True)
class ElasticEncoder:
    """Documents as the bulk actions creating them in the building indices."""

    indices: dict[str, str]
    analysis: dict[str, TextAnalysis]

    def people(self, docs: Sequence[CandidateDoc]) -> list[dict[str, Any]]:
        index, analysis = self.indices[CANDIDATES], self.analysis[CANDIDATES]
        return eq.candidate_actions(index, docs, "create", analysis=analysis)

    def opportunities(self, docs: Sequence[OpportunityDoc]) -> list[dict[str, Any]]:
        index, analysis = self.indices[OPPORTUNITIES], self.analysis[OPPORTUNITIES]
        return eq.opportunity_actions(index, docs, "create", analysis=analysis)


class ElasticRebuild:
    def __init__(self, backend: ElasticsearchBackend) -> None:
        self.backend = backend
        self.counts = RebuildCounts()
        backend.ensure()
        running = backend._running_build()
        if running is not None:
            indices, owner = running
            raise RebuildInProgress(f"{', '.join(indices)}, {owner.describe()}")
        self.indices = {kind: timestamped(backend.alias(kind)) for kind in KINDS}
        self.name = self.indices[CANDIDATES]
        self.owner = BuildOwner.current()
        self.analysis = {
            kind: backend.create_index(
                index, kind, backend.building_alias(kind), refresh_interval="-1"
            )
            for kind, index in self.indices.items()
        }
        self.encoder = ElasticEncoder(self.indices, self.analysis)
        for index in self.indices.values():
            self._record_owner(index)
        self._heartbeat = Heartbeat(self._beat, backend.heartbeat_every).start()

    def _record_owner(self, index: str) -> None:
        """Write the builder into the index's `_meta`, which a mapping update replaces as a
        whole: the text analysis recorded at creation is written again beside it."""
        kind = next(kind for kind, name in self.indices.items() if name == index)
        meta = {META: {META_ANALYSIS: str(self.analysis[kind])}, OWNER_META: self.owner.as_dict()}
        self.backend.client.indices.put_mapping(index=index, meta=meta)

    def _beat(self) -> None:
        self.owner = self.owner.beat()
        self._record_owner(self.indices[CANDIDATES])

    def _still_mine(self) -> bool:
        client, backend = self.backend.client, self.backend
        return all(
            client.indices.exists_alias(name=backend.building_alias(kind), index=index)
            for kind, index in self.indices.items()
        )

    def _send(self, actions: list[dict[str, Any]]) -> None:
        if actions:
            errors = _errors(bulk(self.backend.client, actions, raise_on_error=False))
            if errors:
                raise RuntimeError(f"Elasticsearch bulk errors: {errors[:3]}")

    def add_people(self, docs: Sequence[CandidateDoc]) -> None:
        self.add_encoded_people(self.encoder.people(docs))

    def add_opportunities(self, docs: Sequence[OpportunityDoc]) -> None:
        self.add_encoded_opportunities(self.encoder.opportunities(docs))

    def add_encoded_people(self, encoded: list[dict[str, Any]]) -> None:
        self._send(encoded)
        self.counts.people += len(encoded)

    def add_encoded_opportunities(self, encoded: list[dict[str, Any]]) -> None:
        self._send(encoded)
        self.counts.opportunities += len(encoded)

    def delete_people(self, person_ids: Sequence[int]) -> None:
        ids = [str(pk) for pk in person_ids]
        self._send(eq.delete_actions(self.indices[CANDIDATES], ids))

    def delete_opportunities(self, keys: Sequence[int]) -> None:
        ids = [eq.opportunity_id(key) for key in keys]
        self._send(eq.delete_actions(self.indices[OPPORTUNITIES], ids))

    def publish(self, catch_up: CatchUp) -> None:
        """Raises RebuildLost if another process discarded this rebuild as dead. The
        heartbeat goes on until the swap: no lock keeps others from judging us meanwhile."""
        try:
            if not self._still_mine():
                raise RebuildLost(self.name)
            catch_up(self, Pending())  # incremental writes already went to the building alias
            self._swap()
        finally:
            self._heartbeat.stop()

    def _swap(self) -> None:
        client, backend = self.backend.client, self.backend
        for kind, index in self.indices.items():
            client.indices.put_settings(index=index, settings=eq.live_settings())
            client.indices.refresh(index=index)
            alias = backend.alias(kind)
            old = sorted(client.indices.get_alias(name=alias).body)
            body = eq.alias_swap(alias, index, old, backend.building_alias(kind))
            client.indices.update_aliases(actions=body["actions"])
            backend._analysis[kind] = self.analysis[kind]
            for previous in old:
                client.indices.delete(index=previous, ignore_unavailable=True)

    def abort(self) -> None:
        self._heartbeat.stop()
        for index in self.indices.values():
            self.backend.client.indices.delete(index=index, ignore_unavailable=True)
