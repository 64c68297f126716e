"""What the Elasticsearch node can do, read once from its module list, and how the backend
adapts: pure functions from the module names to decisions (no server needed to test them).

Decided per feature (docs/search.md has the same table):

* Italian text analysis (elision, stop words, light stemmer, ASCII folding) needs the
  `analysis-common` module. Without it the index uses the `standard` analyzer and the
  backend analyses the searchable `text` itself, with the embedded engine's Italian
  analyzer (lowercase, Snowball stemmer, ASCII folding), at index and at query time: the
  same words match on both engines ("mense" finds "mensa"). Which mode an index was built
  with is recorded in its mapping's `_meta`, so queries always follow the index.
* Scripts (`lang-painless`), the field types of `mapper-extras` (rank_feature,
  scaled_float, search_as_you_type, token_count, match_only_text) and the aggregation types
  of the `aggregations` module (adjacency_matrix, auto_date_histogram, bucket_selector,
  bucket_sort, derivative, moving_fn, time_series) are not used at all: every score and
  facet is built from server features (function_score with field_value_factor and decay
  functions, nested/terms/range/date_range/filter aggregations). NOT_WITHOUT lists them so
  a test can keep it that way on a node that has none of these modules.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

ANALYSIS_COMMON = "analysis-common"
PAINLESS = "lang-painless"
MAPPER_EXTRAS = "mapper-extras"
AGGREGATIONS = "aggregations"

# Request keys and type names that only exist with the module, for the guard test.
NOT_WITHOUT: dict[str, frozenset[str]] = {
    ANALYSIS_COMMON: frozenset({"elision", "asciifolding", "stemmer", "snowball"}),
    PAINLESS: frozenset({"script", "script_score", "scripted_metric", "bucket_script"}),
    MAPPER_EXTRAS: frozenset({"rank_feature", "rank_features", "scaled_float",
                              "search_as_you_type", "token_count", "match_only_text"}),
    AGGREGATIONS: frozenset({"adjacency_matrix", "auto_date_histogram", "bucket_selector",
                             "bucket_sort", "derivative", "moving_fn", "time_series"}),
}  # fmt: skip
NODE_INFO_FILTER = ["nodes.*.modules.name", "nodes.*.plugins.name"]
META = "ponte"  # our entry in a mapping's _meta (whose values are objects)
META_ANALYSIS = "text_analysis"


class TextAnalysis(StrEnum):
    """Who analyses the searchable text of an index."""

    ITALIAN = "italian"  # the node: analysis-common's Italian chain
    CLIENT = "client"  # the backend, with the embedded engine's analyzer; the node: standard


@dataclass(frozen=True)
class NodeFeatures:
    """The modules and plugins every node of the cluster has (a feature is usable only if
    all nodes have it)."""

    modules: frozenset[str]

    def has(self, module: str) -> bool:
        return module in self.modules

    @property
    def text_analysis(self) -> TextAnalysis:
        return TextAnalysis.ITALIAN if self.has(ANALYSIS_COMMON) else TextAnalysis.CLIENT

    def missing(self) -> list[str]:
        """The optional modules this cluster lacks (for a warning at start)."""
        return sorted(name for name in NOT_WITHOUT if not self.has(name))


FULL_NODE = NodeFeatures(frozenset(NOT_WITHOUT))


def node_features(nodes_info: Mapping[str, Any]) -> NodeFeatures:
    """The features of a cluster from `GET _nodes/plugins` (filtered by NODE_INFO_FILTER):
    the modules and plugins that every node lists."""
    common: set[str] | None = None
    for node in (nodes_info.get("nodes") or {}).values():
        names = {item["name"] for key in ("modules", "plugins") for item in node.get(key) or []}
        common = names if common is None else common & names
    return NodeFeatures(frozenset(common or ()))


def client_terms(text: str) -> str:
    """`text` analysed as the embedded engine does (the words a CLIENT index stores)."""
    from search.backends._tantivy import terms

    return terms(text)


def searchable(text: str, analysis: TextAnalysis) -> str:
    """What goes into (or is matched against) the `text` field of an index built with
    `analysis`."""
    return client_terms(text) if analysis is TextAnalysis.CLIENT else text


def index_analysis(mappings: Mapping[str, Any]) -> TextAnalysis:
    """How an index analyses text, from `GET <alias>/_mapping`: what its `_meta` records
    ("italian" when it records nothing, as in indices built before the mode existed)."""
    for index in mappings.values():
        meta = (index.get("mappings", {}).get("_meta") or {}).get(META) or {}
        return TextAnalysis(meta.get(META_ANALYSIS, TextAnalysis.ITALIAN))
    raise ValueError("no index in the mapping response")
