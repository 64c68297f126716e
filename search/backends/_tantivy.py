"""Tantivy schemas, documents and queries of the embedded backend.

Candidates live entirely in tantivy: full text (Italian stemming), filters, facets
(aggregations) and the match score, which the engine computes exactly: every credit a
profile holds is indexed as a term "<concept id>@<value>", and a requirement becomes a
disjunction-max of constant-score term queries, one per possible credit value.
Opportunities keep their text and stored payload here; their matching runs on numpy.

Text is analysed here, in Python, with the Italian chain (italian_analyzer) and indexed as
the terms it gives, split on spaces: a rebuild analyses each framework label once instead
of once per person holding it (the labels are most of a profile's text), and a query's
words go through the same chain (text_query). The terms, their frequencies and so the
scores are those of analysing the whole text at once; no positions are kept.
"""

import binascii
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import tantivy

from search import admits, matching
from search.backends._features import day
from search.types import (
    AVAILABILITY_BANDS,
    HOURS_BANDS,
    Admits,
    CandidateDoc,
    CandidateQuery,
    FacetBucket,
    OpportunityDoc,
)

TERMS = "ponte_terms"
"""The tokenizer of the text fields: the terms italian_analyzer gave, split on spaces."""
I64_OFFSET = 2**63
Occur = tantivy.Occur
Query = tantivy.Query


def italian_analyzer() -> Any:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    builder = builder.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("italian"))
    return builder.filter(tantivy.Filter.ascii_fold()).build()


_ANALYZER = italian_analyzer()


def terms(text: str) -> str:
    """`text` as the terms the Italian chain gives, separated by spaces."""
    return " ".join(_ANALYZER.analyze(text)) if text else ""


@lru_cache(maxsize=100_000)
def common_terms(text: str) -> str:
    """terms() for text that many documents share (framework labels, organisations)."""
    return terms(text)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def opportunity_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=False, indexed=True, fast=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", tokenizer_name=TERMS, index_option="freq")
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


def candidate_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=False, indexed=True, fast=True)
    builder.add_text_field("text", tokenizer_name=TERMS, index_option="freq")
    for name in ("province", "languages"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("skills", indexed=True, fast=True)
    builder.add_text_field("credits", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("share", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("available_day", indexed=True, fast=True)
    builder.add_unsigned_field("hours", indexed=True, fast=True)
    builder.add_bytes_field("payload", stored=True)
    for name in CONSTRAINT_TERMS:  # filter-only: never stored
        builder.add_integer_field(f"c_{name}", stored=False, indexed=True)
    for name in CONSTRAINT_RANGES:
        builder.add_integer_field(f"c_{name}", stored=False, indexed=True, fast=True)
    builder.add_text_field("c_avoid", stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


CONSTRAINT_TERMS = ("measure", "area", "places", "home", "window", "institute")
CONSTRAINT_RANGES = ("fresh_from", "fresh_until", "radius", "hours", "day_start", "day_end", "end")
STALE = {"fresh_from": admits.FOREVER, "fresh_until": -1}
"""The constraint fields of a profile indexed without constraints: never fresh."""


def _split_on_spaces() -> Any:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def open_index(path: Path, schema: tantivy.Schema) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path), reuse=True)
    index.register_tokenizer(TERMS, _split_on_spaces())
    return index


def _payload(data: dict[str, Any]) -> str:
    """Compact UTF-8 JSON in base64, as tantivy reads a bytes field in a JSON document."""
    return binascii.b2a_base64(orjson.dumps(data), newline=False).decode("ascii")


def opportunity_fields(doc: OpportunityDoc) -> dict[str, Any]:
    """The opportunity's tantivy document, as the dictionary its JSON is written from."""
    return {
        "key": doc.key,
        "kind": doc.kind,
        "text": opportunity_terms(doc),
        "payload": _payload(doc.to_payload()),
    }


def opportunity_terms(doc: OpportunityDoc) -> str:
    """The terms of doc.search_text, shared parts analysed once per run."""
    labels = (common_terms(requirement.label) for requirement in doc.requirements)
    shared = (common_terms(doc.organisation), common_terms(doc.profile_label), *labels)
    return _joined(terms(doc.title), terms(doc.description), *shared)


def candidate_terms(doc: CandidateDoc) -> str:
    """The terms of doc.search_text, each framework label analysed once per run."""
    return _joined(terms(doc.summary), *(common_terms(text) for text in doc.skill_texts))


@lru_cache(maxsize=100_000)
def credit_term(concept_id: int, value: float) -> str:
    """A few thousand concepts times eight values: made once each per run."""
    return f"{concept_id}@{value:.2f}"


def share_terms(doc: CandidateDoc) -> list[str]:
    return (["all"] if doc.share_all else []) + [f"org:{pk}" for pk in doc.share_orgs]


def candidate_fields(doc: CandidateDoc) -> dict[str, Any]:
    """The profile's tantivy document, as the dictionary its JSON is written from."""
    constraints = admits.indexed(doc.constraints) if doc.constraints is not None else STALE
    return {
        "key": doc.person_id,
        "text": candidate_terms(doc),
        "province": doc.province,
        "languages": [code for code, _level in doc.languages],
        "skills": [skill.concept_id for skill in doc.skills],
        "credits": [credit_term(credit.concept_id, credit.value) for credit in doc.credits],
        "share": share_terms(doc),
        "available_day": max(0, day(doc.available_from)),
        "hours": doc.weekly_hours_available or 0,
        "payload": _payload(doc.to_payload()),
        **{f"c_{name}": value for name, value in constraints.items()},
    }


def candidate_json(doc: CandidateDoc) -> str:
    """What IndexWriter.add_json takes: built faster than a tantivy.Document, and a rebuild
    builds it in worker processes (search.parallel)."""
    return orjson.dumps(candidate_fields(doc)).decode()


def opportunity_json(doc: OpportunityDoc) -> str:
    return orjson.dumps(opportunity_fields(doc)).decode()


def payload_of(document: tantivy.Document) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(bytes(document["payload"][0]))
    return data


# ------------------------------------------------------------------ queries


def words(text: str) -> list[str]:
    """User text as plain words: no query syntax reaches the parser."""
    return re.findall(r"\w+", text.lower())


def _analysed_words(text: str) -> list[list[str]]:
    return [_ANALYZER.analyze(word) for word in words(text)]


def text_query(index: tantivy.Index, text: str) -> tantivy.Query | None:
    """Every term of every word must be found (a word the chain splits, such as
    "pasta_fresca", needs both parts anywhere: no positions are indexed); None without
    words. A word with no terms (only "_") finds nobody, as tantivy's query parser has it."""
    found = _analysed_words(text)
    if not found:
        return None
    if not all(found):
        return Query.boolean_query([(Occur.MustNot, Query.all_query())])
    schema = index.schema
    return Query.boolean_query(
        [(Occur.Must, _text_term(schema, term)) for terms in found for term in terms]
    )


def query_terms(text: str) -> frozenset[str] | None:
    """What text_query finds, for documents read outside tantivy: a document matches when
    its terms include these. None without words; a word with no terms gives a term no
    document holds (the empty one)."""
    found = _analysed_words(text)
    if not found:
        return None
    return frozenset(term for terms in found for term in terms or [""])


def holds(document_terms: str, wanted: frozenset[str]) -> bool:
    """Whether a document whose text field is `document_terms` holds every wanted term."""
    return wanted <= frozenset(document_terms.split())


def _text_term(schema: tantivy.Schema, term: str) -> tantivy.Query:
    return Query.term_query(schema, "text", term, index_option="freq")


def _filter(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    return Occur.Must, Query.const_score_query(query, 0.0)


def _term(schema: tantivy.Schema, field: str, value: Any) -> tantivy.Query:
    return Query.term_query(schema, field, value)


def _share(schema: tantivy.Schema, organisation: int | None) -> tantivy.Query:
    terms = ["all"] + ([f"org:{organisation}"] if organisation is not None else [])
    return Query.boolean_query([(Occur.Should, _term(schema, "share", t)) for t in terms])


def _filters(schema: tantivy.Schema, q: CandidateQuery) -> list[tantivy.Query]:
    found = [] if q.viewer_is_admin else [_share(schema, q.viewer_organisation)]
    if q.province:
        found.append(_term(schema, "province", q.province))
    if q.language:
        found.append(_term(schema, "languages", q.language))
    found += [_term(schema, "skills", concept_id) for concept_id in q.skills]
    if q.available_by is not None:
        bound = max(0, day(q.available_by))
        found.append(
            Query.range_query(schema, "available_day", tantivy.FieldType.Unsigned, 0, bound)
        )
    if q.min_hours:
        found.append(
            Query.range_query(schema, "hours", tantivy.FieldType.Unsigned, q.min_hours, 10_000)
        )
    return found


def _match_clauses(schema: tantivy.Schema, q: CandidateQuery) -> list[tuple[Any, Any]]:
    """Should clauses summing to matching.candidate_score for the role's requirements."""
    total = sum(matching.requirement_weight(r.essential) for r in q.requirements)
    clauses = []
    for requirement in q.requirements:
        share = (
            matching.CANDIDATE_SKILL_WEIGHT
            * matching.requirement_weight(requirement.essential)
            / total
        )
        options = [
            Query.const_score_query(
                _term(schema, "credits", credit_term(requirement.concept_id, value)), share * value
            )
            for value in matching.CREDIT_VALUES
        ]
        clauses.append((Occur.Should, Query.disjunction_max_query(options)))
    if q.role_province:
        province = _term(schema, "province", q.role_province)
        clauses.append(
            (Occur.Should, Query.const_score_query(province, matching.CANDIDATE_PROVINCE_WEIGHT))
        )
    return clauses


def candidate_query(
    index: tantivy.Index, schema: tantivy.Schema, q: CandidateQuery, *, scored: bool = True
) -> tantivy.Query:
    """The people the query selects, ranked for the role when it names one; `scored=False`:
    the same people without the role's scoring clauses (for counts over them)."""
    clauses: list[tuple[Any, Any]] = [_filter(query) for query in _filters(schema, q)]
    text = text_query(index, q.text)
    scoring = scored and bool(q.requirements or q.role_province)
    if text is not None:
        clauses.append(_filter(text) if scoring else (Occur.Must, text))
    if not clauses:
        clauses.append(_filter(Query.all_query()))
    return Query.boolean_query(clauses + (_match_clauses(schema, q) if scoring else []))


AFTER_BANDS = "oltre_3_mesi"


def availability_ranges(today: int) -> list[dict[str, Any]]:
    """Disjoint day ranges, keyed by band name; day 0 stands for "no date given"."""
    ranges, low = [], 0
    for name, days in AVAILABILITY_BANDS:
        high = max(0, today + days) + 1
        ranges.append({"key": name, "from": low, "to": high})
        low = high
    ranges.append({"key": AFTER_BANDS, "from": low, "to": 2**40})
    return ranges


def hours_ranges() -> list[dict[str, Any]]:
    return [{"key": name, "from": low, "to": high + 1} for name, low, high in HOURS_BANDS]


RADII = "radii"
ALL_RADII = 2**16
"""More buckets than there are whole radii a measure can set (a smallint of km)."""


def facet_aggregations(q: CandidateQuery) -> dict[str, Any]:
    """The facets, and with a role's compatible count the radii of the people found (-1:
    none; search.admits.within and _area read them)."""
    radii = {RADII: {"terms": {"field": "c_radius", "size": ALL_RADII}}}
    return {
        **(radii if q.compatible is not None else {}),
        "skills": {"terms": {"field": "skills", "size": q.facet_size}},
        "province": {"terms": {"field": "province", "size": 50}},
        "languages": {"terms": {"field": "languages", "size": 50}},
        "availability": {
            "range": {"field": "available_day", "ranges": availability_ranges(day(q.today))}
        },
        "hours": {"range": {"field": "hours", "ranges": hours_ranges()}},
    }


def facets_from(result: dict[str, Any]) -> dict[str, tuple[FacetBucket, ...]]:
    facets = {}
    for name in ("skills", "province", "languages"):
        facets[name] = tuple(
            FacetBucket(str(bucket["key"]), int(bucket["doc_count"]))
            for bucket in result[name]["buckets"]
            if bucket["doc_count"]
        )
    bands = [name for name, _days in AVAILABILITY_BANDS] + [AFTER_BANDS]
    facets["availability"] = _keyed(result["availability"], bands)
    facets["hours"] = _keyed(result["hours"], [name for name, _l, _h in HOURS_BANDS])
    return facets


def _keyed(result: dict[str, Any], names: Sequence[str]) -> tuple[FacetBucket, ...]:
    counts = {str(bucket["key"]): int(bucket["doc_count"]) for bucket in result["buckets"]}
    return tuple(FacetBucket(name, counts.get(name, 0)) for name in names)


def keys_of(hits: Iterable[tuple[int, Any]]) -> list[int]:
    """Keys from hits ordered by the i64 fast field "key" (tantivy returns them as u64)."""
    return [value - I64_OFFSET for value, _address in hits]


# ------------------------------------------------------------------ whom a role admits

INTEGER = tantivy.FieldType.Integer


def _at_least(schema: tantivy.Schema, field: str, low: int) -> tantivy.Query:
    return Query.range_query(schema, f"c_{field}", INTEGER, low, admits.FOREVER)


def _at_most(schema: tantivy.Schema, field: str, high: int) -> tantivy.Query:
    return Query.range_query(schema, f"c_{field}", INTEGER, -1, high)


def _is(schema: tantivy.Schema, field: str, value: int) -> tantivy.Query:
    return Query.term_query(schema, f"c_{field}", value)


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def stale_query(schema: tantivy.Schema, today: int) -> tantivy.Query:
    """Profiles whose indexed constraints do not hold on day `today` (not yet, or no
    longer): few people, so excluding them is cheaper than matching everyone fresh."""
    return _any(
        [
            _at_least(schema, "fresh_from", today + 1),
            _at_most(schema, "fresh_until", today - 1),
        ]
    )


def radii_of(aggregations: dict[str, Any]) -> tuple[int, ...]:
    """The distinct whole radii among the people aggregated (facet_aggregations), in order."""
    found = (int(bucket["key"]) for bucket in aggregations[RADII]["buckets"])
    return tuple(sorted(radius for radius in found if radius >= 0))


def _area(schema: tantivy.Schema, a: Admits, radii: Sequence[int]) -> list[tuple[Any, Any]]:
    """Who the area turns away: people with a list of municipalities without this one, and
    people with a radius whose home is not within it (the free ones, most, are never read).
    `radii`: those of the people counted. Each clause is a term set the engine fills for the
    whole index, so there are as few as possible: one per radius (homes within it), or one
    per distance group (radii reaching it) where the groups are fewer."""
    elsewhere = Query.boolean_query(
        [
            (Occur.Must, _is(schema, "area", admits.AREA_LISTED)),
            (Occur.MustNot, _is(schema, "places", a.municipality)),
        ]
    )
    per_radius = [
        (_is(schema, "radius", radius), [h for km, homes in a.reach if km <= radius for h in homes])
        for radius in radii
    ]
    per_group = [
        (Query.term_set_query(schema, "c_radius", [r for r in radii if r >= km]), list(homes))
        for km, homes in a.reach
        if radii and km <= radii[-1]
    ]
    pairs = per_radius if len(per_radius) <= len(per_group) else per_group
    reached = [
        Query.boolean_query(
            [(Occur.Must, radius), (Occur.Must, Query.term_set_query(schema, "c_home", homes))]
        )
        for radius, homes in pairs
        if homes
    ]
    too_far = [(Occur.Must, _is(schema, "area", admits.AREA_RADIUS))]
    if reached:
        too_far.append((Occur.MustNot, _any(reached)))
    return [(Occur.MustNot, elsewhere), (Occur.MustNot, Query.boolean_query(too_far))]


def _not_below(schema: tantivy.Schema, field: str, low: int) -> tuple[Any, Any]:
    """field >= low, as the exclusion of the few people below it."""
    return (Occur.MustNot, _at_most(schema, field, low - 1))


def _not_above(schema: tantivy.Schema, field: str, high: int) -> tuple[Any, Any]:
    """field <= high, as the exclusion of the few people above it."""
    return (Occur.MustNot, _at_least(schema, field, high + 1))


def admits_clauses(
    schema: tantivy.Schema, a: Admits, radii: Sequence[int]
) -> list[tuple[Any, Any]]:
    """The person-side conditions of search.admits for one opportunity (none: nobody),
    mostly as exclusions of the few people a condition turns away: every fresh profile has
    each constraint field (search.admits.indexed), and callers leave out the stale ones."""
    found: list[tuple[Any, Any]] = _area(schema, a, radii)
    if a.measures is not None:
        found.append(
            (
                Occur.Must,
                Query.term_set_query(schema, "c_measure", list(a.measures))
                if a.measures
                else Query.term_query(schema, "c_measure", -1),
            )
        )
    if a.hours is not None:
        found.append(_not_below(schema, "hours", a.hours))
    if a.overnight:
        found.append((Occur.Must, _is(schema, "window", 0)))
    elif a.shift is not None:
        found.append(_not_above(schema, "day_start", a.shift[0]))
        found.append(_not_below(schema, "day_end", a.shift[1]))
    if a.sectors:
        found.append((Occur.MustNot, Query.term_set_query(schema, "c_avoid", list(a.sectors))))
    if a.institute is not None:
        found.append((Occur.Must, _is(schema, "institute", a.institute)))
    if a.start is not None:
        found.append(
            (
                Occur.Must,
                Query.range_query(
                    schema, "available_day", tantivy.FieldType.Unsigned, 0, max(0, a.start)
                ),
            )
        )
        if a.kind == "placement":
            found.append(_not_below(schema, "end", a.start))
        if a.detention_after:
            detained = Query.boolean_query(
                [
                    (Occur.Must, _is(schema, "measure", admits.measure_code(matching.DETENTION))),
                    (
                        Occur.Must,
                        Query.range_query(schema, "c_end", INTEGER, a.start, admits.FOREVER - 1),
                    ),
                ]
            )
            found.append((Occur.MustNot, detained))
    return found
