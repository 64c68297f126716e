"""Request bodies checked against Elastic's own OpenAPI specification (serverless flavour).

The document is not part of the repository: PONTE_ES_SPEC names it, or it is found as
shared/elasticsearch/elasticsearch-serverless-openapi.json beside the repository (or beside
one of its parent folders). Without it the checks are skipped with a reason.

OpenAPI 3.0 is not plain JSON Schema; the document is turned into JSON Schema 2020-12:

* `nullable: true` becomes a "null" alternative.
* `oneOf` becomes `anyOf`: the specification's unions come from TypeScript and overlap
  (a Duration "-1" is both a string and the literal "-1"), so "exactly one" would refuse
  valid bodies. A union with a `discriminator` (field types, analyzers, token filters)
  checks only the branch its `type` names.
* Objects are closed: a key the specification does not name is an error
  (`additionalProperties: false`, or `unevaluatedProperties: false` where the object is
  composed), except on schemas other schemas extend through `allOf` (the extension is
  closed instead) and on maps.
* A "container" that allows one variant beside shared keys (a function_score function:
  one of exp/gauss/field_value_factor/…, plus filter and weight) says so with
  min/maxProperties 1 on the variants, which counts the shared keys too; that becomes
  "exactly one of the variant keys".

Index settings that serverless manages itself (number_of_shards, number_of_replicas) are
not in its IndexSettings: they are checked here against their documented type and removed
before the rest of the body is validated.
"""

import copy
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_FILE = "elasticsearch-serverless-openapi.json"
BASE_URI = "urn:elasticsearch-spec"
REF_PREFIX = "#/components/schemas/"
MISSING_REASON = (
    "Specifica OpenAPI di Elasticsearch non trovata: imposta PONTE_ES_SPEC o metti "
    f"shared/elasticsearch/{SPEC_FILE} accanto al repository"
)
# Settings a full cluster takes and serverless manages itself (absent from its schema).
SERVERLESS_MANAGED = {
    "number_of_shards": {"type": "integer", "minimum": 1},
    "number_of_replicas": {"type": "integer", "minimum": 0},
}
# Client endpoint id → where the specification describes its request body.
ENDPOINTS = {
    "indices.create": ("/{index}", "put"),
    "indices.put_settings": ("/{index}/_settings", "put"),
    "indices.put_mapping": ("/{index}/_mapping", "put"),
    "indices.update_aliases": ("/_aliases", "post"),
    "search": ("/{index}/_search", "post"),
    "count": ("/{index}/_count", "post"),
    "delete_by_query": ("/{index}/_delete_by_query", "post"),
}
# Queries whose source takes one key named after a field, which the OpenAPI form lost:
# that key must hold this schema.
FIELD_KEYED = {"_types.query_dsl.GeoDistanceQuery": REF_PREFIX + "_types.GeoLocation"}
BULK = "bulk"
BULK_ACTION = REF_PREFIX + "_global.bulk.OperationContainer"
WITH_SOURCE = ("index", "create")
QUERY = REF_PREFIX + "_types.query_dsl.QueryContainer"
# Where a query holds other queries (QueryContainer, or a list of them, in the spec).
CHILD_QUERIES = {
    "bool": ("must", "filter", "should", "must_not"),
    "nested": ("query",),
    "function_score": ("query",),
    "constant_score": ("filter",),
    "dis_max": ("queries",),
}
PLACEHOLDER = {"match_all": {}}
QUERY_BODIES = ("search", "count", "delete_by_query")


def spec_path() -> Path | None:
    named = os.environ.get("PONTE_ES_SPEC")
    if named:
        return Path(named) if Path(named).is_file() else None
    repo = Path(__file__).resolve().parents[2]
    for folder in repo.parents:
        candidate = folder / "shared" / "elasticsearch" / SPEC_FILE
        if candidate.is_file():
            return candidate
    return None


# ------------------------------------------------------------------ OpenAPI 3.0 → JSON Schema


def _extended_components(schemas: Mapping[str, Any]) -> set[str]:
    """Components that another schema extends: a $ref beside other members of an allOf."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            members = node.get("allOf")
            if isinstance(members, list) and len(members) > 1:
                found.update(m["$ref"].removeprefix(REF_PREFIX) for m in members if "$ref" in m)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schemas)
    return found


def _is_object(node: Mapping[str, Any]) -> bool:
    return "properties" in node and "additionalProperties" not in node


def _dispatch(node: dict[str, Any], discriminator: Mapping[str, Any]) -> dict[str, Any]:
    """A union with a discriminator checks only the branch its tag names (fast, and a
    clearer error); a body without the tag falls back to the whole union."""
    tag, mapping = discriminator["propertyName"], discriminator["mapping"]
    branches = [
        {"if": {"properties": {tag: {"const": value}}}, "then": {"$ref": ref}}
        for value, ref in mapping.items()
    ]
    union = node.pop("anyOf")
    node["if"] = {"required": [tag]}
    node["then"] = {"properties": {tag: {"enum": sorted(mapping)}}, "allOf": branches}
    node["else"] = {"anyOf": union}
    return node


def _is_bare_object(node: Mapping[str, Any]) -> bool:
    """`{"type": "object"}` alone: where the specification's source lets a query take keys
    named after fields (terms, geo_distance, decay functions), the OpenAPI form keeps only
    this. Those keys stay open (what they hold goes unchecked)."""
    return node.get("type") == "object" and not {"properties", "additionalProperties"} & set(node)


def _one_variant(node: dict[str, Any]) -> None:
    """min/maxProperties 1 on variants that sit beside shared keys: exactly one variant."""
    if node.get("minProperties") == 1 and node.get("maxProperties") == 1:
        del node["minProperties"], node["maxProperties"]
        node["oneOf"] = [{"required": [key]} for key in node["properties"]]


def _convert(node: Any, *, closed: bool) -> Any:
    if isinstance(node, list):
        return [_convert(item, closed=True) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: value for key, value in node.items() if key not in ("discriminator", "nullable")}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    members = out.get("allOf")
    extended = isinstance(members, list) and len(members) > 1
    for key, value in list(out.items()):
        if key == "allOf" and extended:
            out[key] = [_convert(m, closed=False) for m in value]
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _convert(item, closed=True) for name, item in value.items()}
        elif isinstance(value, (dict, list)) and key not in ("enum", "default", "examples"):
            out[key] = _convert(value, closed=True)
    if _is_bare_object(out):
        out["additionalProperties"] = True  # keys named after fields: any, and evaluated
    if not closed and _is_object(out):
        _one_variant(out)
    if closed and (_is_object(out) or extended):
        composed = {"allOf", "anyOf", "$ref", "if"} & set(out)
        # additionalProperties is the same check where nothing is composed, and far cheaper.
        out["unevaluatedProperties" if composed else "additionalProperties"] = False
    if "discriminator" in node and "anyOf" in out:
        out = _dispatch(out, node["discriminator"])
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def _document() -> dict[str, Any]:
    path = spec_path()
    if path is None:
        raise FileNotFoundError(MISSING_REASON)
    spec = json.loads(path.read_text())
    schemas = spec["components"]["schemas"]
    extended = _extended_components(schemas)
    converted = {
        name: _convert(schema, closed=name not in extended) for name, schema in schemas.items()
    }
    for name, value in FIELD_KEYED.items():
        converted[name]["unevaluatedProperties"] = {"$ref": value}
    bodies = {}
    for endpoint, (route, method) in ENDPOINTS.items():
        body = spec["paths"][route][method]["requestBody"]
        if "$ref" in body:
            body = spec["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
        bodies[endpoint] = _convert(body["content"]["application/json"]["schema"], closed=True)
    return {"$id": BASE_URI, "components": {"schemas": converted}, "requests": bodies}


@cache
def _validator(pointer: str) -> Draft202012Validator:
    resource = Resource.from_contents(_document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(BASE_URI, resource)
    return Draft202012Validator({"$ref": f"{BASE_URI}{pointer}"}, registry=registry)


def schema_errors(pointer: str, instance: Any, where: str) -> list[str]:
    validator = _validator(pointer)
    if validator.is_valid(instance):
        return []
    error = best_match(validator.iter_errors(instance))
    found = f"{where}: {_said(error)}"
    deepest = _deepest(error)
    return [found if deepest is error else f"{found}; innermost: {_said(deepest)}"]


def _said(error: ValidationError) -> str:
    return f"{error.message[:300]} (at /{'/'.join(str(p) for p in error.absolute_path)})"


def _deepest(error: ValidationError) -> ValidationError:
    """The innermost failure under `error`: with unions and closed objects, the outer one
    only says that a whole branch failed."""
    leaves = [error]
    while any(leaf.context for leaf in leaves):
        leaves = [child for leaf in leaves for child in (leaf.context or [leaf])]
    return max(leaves, key=lambda leaf: len(leaf.absolute_path))


# ------------------------------------------------------------------ bodies


def _managed_settings(body: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """The body without the settings serverless manages, and what is wrong with them."""
    settings = dict(body.get("settings") or {})
    problems = []
    for name, schema in SERVERLESS_MANAGED.items():
        if name in settings:
            value = settings.pop(name)
            if not Draft202012Validator(schema).is_valid(value):
                problems.append(f"{where}: settings.{name}={value!r} is not {schema}")
    if "settings" in body:
        body = {**body, "settings": settings}
    return body, problems


def _lines(body: Any) -> list[Any]:
    if isinstance(body, (str, bytes)):
        body = body.decode() if isinstance(body, bytes) else body
        return [json.loads(line) for line in body.splitlines() if line.strip()]
    return [json.loads(item) if isinstance(item, (str, bytes)) else item for item in body]


def _bulk_errors(body: Any) -> list[str]:
    """Action lines against OperationContainer; a document line must follow index/create."""
    problems, lines, i = [], _lines(body), 0
    while i < len(lines):
        action = lines[i]
        problems += schema_errors(BULK_ACTION, action, f"bulk line {i + 1}")
        if isinstance(action, dict) and next(iter(action), None) in WITH_SOURCE:
            i += 1
            if i >= len(lines) or not isinstance(lines[i], dict):
                problems.append(f"bulk line {i + 1}: a document object must follow the action")
        i += 1
    return problems


def _children(query: Any, found: list[Any]) -> Any:
    """`query` with the queries it holds replaced by PLACEHOLDER (a valid query), which are
    appended to `found`. Each node is then checked alone: the same verdict as checking the
    whole tree (every place a child sits takes any QueryContainer), in linear time where
    the closed unions of the schema make a deep tree take exponential time."""
    if not isinstance(query, dict) or len(query) != 1:
        return query
    ((kind, body),) = query.items()
    if not isinstance(body, dict):
        return query
    body = dict(body)
    for key in CHILD_QUERIES.get(kind, ()):
        value = body.get(key)
        if isinstance(value, list):
            found.extend(value)
            body[key] = [PLACEHOLDER for _item in value]
        elif value is not None:
            found.append(value)
            body[key] = PLACEHOLDER
    if kind == "function_score" and isinstance(body.get("functions"), list):
        functions = []
        for function in body["functions"]:
            if isinstance(function, dict) and "filter" in function:
                found.append(function["filter"])
                function = {**function, "filter": PLACEHOLDER}
            functions.append(function)
        body["functions"] = functions
    return {kind: body}


def _query_errors(query: Any, where: str) -> list[str]:
    problems, pending = [], [query]
    while pending:
        children: list[Any] = []
        problems += schema_errors(QUERY, _children(pending.pop(), children), f"{where} query")
        pending += children
    return problems


def violations(endpoint: str, body: Any) -> list[str]:
    """What is wrong with `body` sent to `endpoint` (a client endpoint id), per the spec."""
    if endpoint == BULK:
        return _bulk_errors(body)
    if endpoint not in ENDPOINTS:
        return [f"{endpoint}: a body for an endpoint this check does not know (add it)"]
    body = json.loads(json.dumps(body, default=str))
    problems: list[str] = []
    if endpoint == "indices.create":
        body, problems = _managed_settings(body, endpoint)
    if endpoint in QUERY_BODIES and isinstance(body, dict) and "query" in body:
        problems += _query_errors(body["query"], endpoint)
        body = {**body, "query": PLACEHOLDER}
    return problems + schema_errors(f"#/requests/{endpoint}", body, endpoint)


def all_violations(requests: Iterable[tuple[str, Any]]) -> Iterator[str]:
    for endpoint, body in requests:
        yield from violations(endpoint, copy.deepcopy(body))


class SentBodies:
    """Records every body an Elasticsearch client sends, with its endpoint id, so that a
    test run on a real node checks what was actually sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def install(self, monkeypatch: Any) -> "SentBodies":
        from elasticsearch import Elasticsearch

        original = Elasticsearch.perform_request

        def perform_request(client: Any, method: str, path: str, **kwargs: Any) -> Any:
            if kwargs.get("body") is not None:
                endpoint = kwargs.get("endpoint_id") or f"{method} {path}"
                self.sent.append((endpoint, copy.deepcopy(kwargs["body"])))
            return original(client, method, path, **kwargs)

        monkeypatch.setattr(Elasticsearch, "perform_request", perform_request)
        return self

    def violations(self) -> list[str]:
        return list(all_violations(self.sent))
