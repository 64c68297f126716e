"""Request bodies of the Elasticsearch backend, as pure functions (tested against JSON and
against Elastic's OpenAPI specification: tests/search/test_elastic_spec.py).

The opportunity query puts every hard constraint in `bool.filter` and computes the formula
of search.matching with function_score: nested requirement matches weighted by the
person's credits, normalised by the requirement total, plus an exponential distance decay.
The candidate query scores with constant-score credit terms, exactly as the embedded
backend does, and computes facets with aggregations (a nested one for skills).
"""

import datetime
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from search import admits, matching
from search.backends.elastic_features import TextAnalysis, searchable
from search.documents import INDEX_SETTINGS, candidate_body, opportunity_body
from search.types import (
    AVAILABILITY_BANDS,
    COURSE,
    HOURS_BANDS,
    OFFER,
    PLACEMENT,
    Admits,
    CandidateDoc,
    CandidateQuery,
    HardConstraints,
    OpportunityDoc,
    OpportunityQuery,
    key_split,
)

AFTER_BANDS = "oltre_3_mesi"
NO_DATE = "1970-01-01"


def opportunity_id(key: int) -> str:
    kind, pk = key_split(key)
    return f"{kind}-{pk}"


def term(field: str, value: str | int | bool) -> Query:
    """A term query in its long form ({"field": {"value": v}}): the short form is accepted
    by the server but missing from the specification the bodies are checked against."""
    return Q("term", **{field: {"value": value}})


def text_match(text: str, analysis: TextAnalysis) -> Query | None:
    """Every word of `text` in the `text` field, analysed as the index analyses it; None
    when `text` has no word (it then restricts nothing, as on the embedded engine)."""
    if not re.search(r"\w", text):
        return None
    return Q("match", text={"query": searchable(text, analysis), "operator": "and"})


def _either(*queries: Query) -> Query:
    return Q("bool", should=list(queries), minimum_should_match=1)


def _missing_or(field: str, query: Query) -> Query:
    return _either(~Q("exists", field=field), query)


def _unless_kind(kind: str, query: Query) -> Query:
    return _either(~term("kind", kind), query)


def _area(c: HardConstraints, origin: tuple[float, float] | None) -> Query | None:
    if c.allowed_municipalities:
        return Q("terms", municipality_id=sorted(c.allowed_municipalities))
    if c.radius_km is None:
        return None
    if origin is None:
        return Q("match_none")
    place = {"lat": origin[0], "lon": origin[1]}
    return Q("geo_distance", distance=f"{c.radius_km}km", location=place)


def _institute(c: HardConstraints) -> Query | None:
    if c.institute_id is None:
        return None
    return _unless_kind(COURSE, term("institute_id", c.institute_id))


def _hours(c: HardConstraints) -> Query | None:
    if c.max_weekly_hours is None:
        return None
    return _missing_or("weekly_hours", Q("range", weekly_hours={"lte": c.max_weekly_hours}))


def _shift(c: HardConstraints) -> Query | None:
    """`shift_until` is the shift's end counted from the start of its day (past 1440 when
    it crosses midnight), so a window of one day never holds a night shift."""
    if c.daily_start is None and c.daily_end is None:
        return None
    inside = [
        Q(
            "range",
            shift_until={"lte": matching.DAY_MINUTES if c.daily_end is None else c.daily_end},
        )
    ]
    if c.daily_start is not None:
        inside.append(Q("range", shift_start={"gte": c.daily_start}))
    return _missing_or("shift_start", Q("bool", filter=inside))


def _measure(c: HardConstraints) -> Query:
    held = term("measures", c.measure_type)
    placement = held if c.measure_type in matching.PLACEMENT_MEASURES else Q("match_none")
    return Q(
        "bool",
        filter=[
            _unless_kind(PLACEMENT, placement),
            _unless_kind(OFFER, _missing_or("measures", held)),
        ],
    )


def _sectors(c: HardConstraints) -> Query | None:
    if not c.avoid_sectors:
        return None
    return ~Q("terms", sectors=sorted(c.avoid_sectors))


def _dates(c: HardConstraints) -> Query | None:
    if c.available_from is None:
        return None
    return _missing_or("start_date", Q("range", start_date={"gte": c.available_from.isoformat()}))


def _measure_end(c: HardConstraints) -> Query | None:
    if c.measure_end is None:
        return None
    end = c.measure_end.isoformat()
    before = _unless_kind(PLACEMENT, _missing_or("start_date", Q("range", start_date={"lte": end})))
    if c.measure_type != matching.DETENTION:
        return before
    after = _either(
        term("measures", matching.DETENTION),
        ~Q("exists", field="start_date"),
        Q("range", start_date={"gt": end}),
    )
    return Q("bool", filter=[before, _unless_kind(OFFER, after)])


def constraint_filters(c: HardConstraints, origin: tuple[float, float] | None) -> dict[str, Query]:
    """One filter per hard constraint that applies, by code: the same rules as
    search.matching.constraints_check (waived constraints left out)."""
    found = {
        matching.AREA: _area(c, origin),
        matching.INSTITUTE: _institute(c),
        matching.HOURS: _hours(c),
        matching.SHIFT: _shift(c),
        matching.MEASURE: _measure(c),
        matching.SECTORS: _sectors(c),
        matching.DATES: _dates(c),
        matching.MEASURE_END: _measure_end(c),
        matching.SEATS: _missing_or("seats_available", Q("range", seats_available={"gt": 0})),
    }
    return {
        code: query for code, query in found.items() if query is not None and code not in c.waived
    }


def _base(q: OpportunityQuery, analysis: TextAnalysis) -> list[Query]:
    """Published opportunities of the asked kinds, courses not over and not inside a prison
    unless the person is detained (matching.is_open), teaching what the gap analysis asks,
    containing the text."""
    today = q.constraints.today.isoformat()
    found = [
        Q("terms", kind=list(q.kinds)),
        term("status", "pubblicata"),
        _unless_kind(COURSE, _missing_or("end_date", Q("range", end_date={"gte": today}))),
    ]
    if q.constraints.institute_id is None:  # courses inside a prison are for its detainees
        found.append(_unless_kind(COURSE, ~Q("exists", field="institute_id")))
    if q.teaches_any:
        found.append(Q("terms", teaches=list(q.teaches_any)))
    text = text_match(q.text, analysis)
    if text is not None:
        found.append(text)
    return found


def _one_fails(filters: dict[str, Query]) -> Query:
    """Exactly one of `filters` fails (a near miss): at least one, and not two."""
    if not filters:
        return Q("match_none")
    failed = [Q("bool", must_not=[query]) for query in filters.values()]
    return Q(
        "bool",
        filter=[Q("bool", should=failed, minimum_should_match=1)],
        must_not=[Q("bool", should=failed, minimum_should_match=2)],
    )


def opportunity_filters(
    q: OpportunityQuery, *, analysis: TextAnalysis = TextAnalysis.ITALIAN
) -> list[Query]:
    """What the query selects (search.types.OpportunityQuery): admitted by every hard
    constraint, or excluded by exactly one (`near_miss`); with a `baseline`, not admitted
    by it."""
    found = _base(q, analysis)
    filters = constraint_filters(q.constraints, q.origin)
    if q.near_miss:
        found.append(_one_fails(filters))
    else:
        found += filters.values()
    if q.baseline is not None:
        baseline = list(constraint_filters(q.baseline, q.origin).values())
        found.append(
            Q("bool", must_not=[Q("bool", filter=baseline)]) if baseline else Q("match_none")
        )
    return found


def _affinity_clause(affinity: Mapping[str, float]) -> Query | None:
    """The best of the opportunity's sectors' affinity, times its weight (one constant
    score per sector; dis_max keeps the best)."""
    options = [
        Q(
            "constant_score",
            filter=term("sectors", code),
            boost=round(matching.AFFINITY_WEIGHT * value, 6),
        )
        for code, value in sorted(affinity.items())
        if value > 0
    ]
    if not options or matching.AFFINITY_WEIGHT <= 0:
        return None
    return Q("dis_max", queries=options)


def _requirement_clause(concept_id: int, credit: float) -> Query:
    weighted = Q(
        "function_score",
        query=term("requirements.concept_id", concept_id),
        functions=[{"field_value_factor": {"field": "requirements.weight", "factor": credit}}],
        boost_mode="replace",
    )
    return Q("nested", path="requirements", score_mode="sum", query=weighted)


def opportunity_query(
    q: OpportunityQuery, *, analysis: TextAnalysis = TextAnalysis.ITALIAN
) -> Query:
    clauses = [
        _requirement_clause(concept_id, credit)
        for concept_id, credit in sorted(q.credits.items())
        if credit > 0
    ]
    matched = Q("bool", filter=opportunity_filters(q, analysis=analysis), should=clauses)
    skills = Q(
        "function_score",
        query=matched,
        functions=[
            {
                "field_value_factor": {
                    "field": "requirement_total",
                    "modifier": "reciprocal",
                    "missing": 1,
                },
                # A function weight, not a query boost: a node drops the boost of a
                # function_score that is itself the query of the distance function_score.
                "weight": matching.SKILL_WEIGHT,
            }
        ],
        boost_mode="multiply",
    )
    affinity = _affinity_clause(q.affinity)
    if affinity is not None:
        skills = Q("bool", must=[skills], should=[affinity])
    if q.origin is None:
        return skills
    decay = {
        "origin": {"lat": q.origin[0], "lon": q.origin[1]},
        "scale": f"{matching.DISTANCE_SCALE_KM:g}km",
        "offset": "0km",
        "decay": round(math.exp(-1), 6),
    }
    return Q(
        "function_score",
        query=skills,
        functions=[{"exp": {"location": decay}, "weight": matching.DISTANCE_WEIGHT}],
        boost_mode="sum",
    )


def opportunity_search(
    q: OpportunityQuery, *, analysis: TextAnalysis = TextAnalysis.ITALIAN
) -> Search:
    search = Search().query(opportunity_query(q, analysis=analysis))
    search = search.sort({"_score": {"order": "desc"}}, "key")  # ties: lower key first
    search = search.source(includes=["payload"]).extra(track_total_hits=True, track_scores=True)
    return search[q.offset : q.offset + q.limit]


# ------------------------------------------------------------------ candidates


def _candidate_filters(q: CandidateQuery) -> list[Query]:
    found = []
    if not q.viewer_is_admin:
        shares = [term("share_all", True)]
        if q.viewer_organisation is not None:
            shares.append(term("share_orgs", q.viewer_organisation))
        found.append(_either(*shares))
    if q.province:
        found.append(term("province", q.province))
    if q.language:
        found.append(term("languages", q.language))
    found += [
        Q("nested", path="skills", query=term("skills.concept_id", concept_id))
        for concept_id in q.skills
    ]
    if q.available_by is not None:
        by = Q("range", available_from={"lte": q.available_by.isoformat()})
        found.append(_missing_or("available_from", by))
    if q.min_hours:
        found.append(Q("range", weekly_hours_available={"gte": q.min_hours}))
    return found


def candidate_match_clauses(q: CandidateQuery) -> list[Query]:
    """Should clauses summing to matching.candidate_score (one dis_max per requirement)."""
    total = sum(matching.requirement_weight(r.essential) for r in q.requirements)
    clauses = []
    for item in q.requirements:
        share = matching.CANDIDATE_SKILL_WEIGHT * matching.requirement_weight(item.essential)
        options = [
            Q(
                "constant_score",
                filter=term("credits", f"{item.concept_id}@{value:.2f}"),
                boost=round(share * value / total, 6),
            )
            for value in matching.CREDIT_VALUES
        ]
        clauses.append(Q("dis_max", queries=options))
    if q.role_province:
        province = term("province", q.role_province)
        clauses.append(
            Q("constant_score", filter=province, boost=matching.CANDIDATE_PROVINCE_WEIGHT)
        )
    return clauses


def candidate_query(q: CandidateQuery, *, analysis: TextAnalysis = TextAnalysis.ITALIAN) -> Query:
    filters = _candidate_filters(q)
    scoring = bool(q.requirements or q.role_province)
    text = text_match(q.text, analysis)
    if text is not None and scoring:
        filters.append(text)
    must = [text] if text is not None and not scoring else []
    if not filters and not must:
        filters.append(Q("match_all"))
    should = candidate_match_clauses(q) if scoring else []
    return Q("bool", filter=filters, must=must, should=should)


def _day(value: datetime.date) -> str:
    return value.isoformat()


def availability_ranges(today: datetime.date) -> list[dict[str, Any]]:
    ranges: list[dict[str, Any]] = []
    low: str | None = None
    for name, days in AVAILABILITY_BANDS:
        high = _day(today + datetime.timedelta(days=days + 1))
        ranges.append({"key": name, **({"from": low} if low else {}), "to": high})
        low = high
    ranges.append({"key": AFTER_BANDS, "from": low})
    return ranges


def candidate_search(q: CandidateQuery, *, analysis: TextAnalysis = TextAnalysis.ITALIAN) -> Search:
    search = Search().query(candidate_query(q, analysis=analysis))
    search = search.sort({"_score": {"order": "desc"}}, "pseudonym")
    search = search.source(includes=["payload"])
    search = search.extra(track_total_hits=True, track_scores=True)
    nested = search.aggs.bucket("skills", "nested", path="skills")
    nested.bucket("codes", "terms", field="skills.concept_id", size=q.facet_size)
    search.aggs.bucket("province", "terms", field="province", size=50)
    search.aggs.bucket("languages", "terms", field="languages", size=50)
    search.aggs.bucket(
        "availability",
        "date_range",
        field="available_from",
        missing=NO_DATE,
        keyed=False,
        ranges=availability_ranges(q.today),
    )
    hours = [{"key": name, "from": low, "to": high + 1} for name, low, high in HOURS_BANDS]
    # Unknown hours count as 0, as on the embedded engine.
    search.aggs.bucket("hours", "range", field="weekly_hours_available", missing=0, ranges=hours)
    if q.compatible is not None:
        fresh = fresh_filter(q.today)
        search.aggs.bucket(
            "compatible", "filter", filter=Q("bool", filter=[fresh, *admits_filters(q.compatible)])
        )
        stale = search.aggs.bucket("stale", "filter", filter=Q("bool", must_not=[fresh]))
        stale.bucket("ids", "terms", field="person_id", size=admits.STALE_LIMIT)
    return search[q.offset : q.offset + q.limit]


# ------------------------------------------------------------------ whom a role admits


def _c(name: str) -> str:
    return f"constraints.{name}"


def fresh_filter(today: datetime.date) -> Query:
    """Profiles whose indexed constraints hold on `today` (search.admits)."""
    number = admits.day(today, 0)
    return Q(
        "bool",
        filter=[
            Q("range", **{_c("fresh_from"): {"lte": number}}),
            Q("range", **{_c("fresh_until"): {"gte": number}}),
        ],
    )


def widest_radius_search() -> Search:
    """The largest radius among the people who have one (search.admits.within): a `max`
    aggregation (server core), no hit returned."""
    radius = term(_c("area"), admits.AREA_RADIUS)
    search = Search().query(Q("bool", filter=[radius])).extra(track_total_hits=False)
    search.aggs.metric("widest", "max", field=_c("radius"))
    return search[:0]


def _area_admitted(a: Admits) -> Query:
    options = [term(_c("area"), admits.AREA_FREE), term(_c("places"), a.municipality)]
    for km, homes in a.reach:
        options.append(
            Q(
                "bool",
                filter=[
                    Q("terms", **{_c("home"): list(homes)}),
                    Q("range", **{_c("radius"): {"gte": km}}),
                ],
            )
        )
    return Q("bool", should=options, minimum_should_match=1)


def admits_filters(a: Admits) -> list[Query]:
    """The person-side conditions of search.admits for one opportunity."""
    if a.nobody:
        return [Q("match_none")]
    found = [_area_admitted(a)]
    if a.measures is not None:
        found.append(
            Q("terms", **{_c("measure"): list(a.measures)}) if a.measures else Q("match_none")
        )
    if a.hours is not None:
        found.append(Q("range", **{_c("hours"): {"gte": a.hours}}))
    if a.overnight:
        found.append(term(_c("window"), 0))
    elif a.shift is not None:
        found.append(Q("range", **{_c("day_start"): {"lte": a.shift[0]}}))
        found.append(Q("range", **{_c("day_end"): {"gte": a.shift[1]}}))
    if a.sectors:
        found.append(~Q("terms", **{_c("avoid"): list(a.sectors)}))
    if a.institute is not None:
        found.append(term(_c("institute"), a.institute))
    if a.start is not None:
        start = admits.EPOCH + datetime.timedelta(days=a.start)
        found.append(
            _missing_or("available_from", Q("range", available_from={"lte": start.isoformat()}))
        )
        if a.kind == PLACEMENT:
            found.append(Q("range", **{_c("end"): {"gte": a.start}}))
        if a.detention_after:
            detained = Q(
                "bool",
                filter=[
                    term(_c("measure"), admits.measure_code(matching.DETENTION)),
                    Q("range", **{_c("end"): {"gte": a.start, "lt": admits.FOREVER}}),
                ],
            )
            found.append(Q("bool", must_not=[detained]))  # `~` would rewrite it
    return found


def request_body(search: Search) -> dict[str, Any]:
    """The body sent for `search`, with the specification's names: elasticsearch.dsl writes
    the alias `aggs`, the specification (and so tests/search/es_spec.py) knows
    `aggregations` only."""
    body: dict[str, Any] = search.to_dict()
    if "aggs" in body:
        body["aggregations"] = _aggregations(body.pop("aggs"))
    return body


def _aggregations(aggs: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for name, container in aggs.items():
        container = dict(container)
        if "aggs" in container:
            container["aggregations"] = _aggregations(container.pop("aggs"))
        found[name] = container
    return found


# ------------------------------------------------------------------ writes and aliases


def opportunity_actions(
    index: str,
    docs: Iterable[OpportunityDoc],
    op_type: str = "index",
    *,
    analysis: TextAnalysis = TextAnalysis.ITALIAN,
) -> list[dict[str, Any]]:
    return [
        {
            "_op_type": op_type,
            "_index": index,
            "_id": opportunity_id(doc.key),
            "_source": opportunity_body(doc, analysis=analysis),
        }
        for doc in docs
    ]


def candidate_actions(
    index: str,
    docs: Iterable[CandidateDoc],
    op_type: str = "index",
    *,
    analysis: TextAnalysis = TextAnalysis.ITALIAN,
    filtered: bool = True,
) -> list[dict[str, Any]]:
    return [
        {
            "_op_type": op_type,
            "_index": index,
            "_id": str(doc.person_id),
            "_source": candidate_body(doc, analysis=analysis, filtered=filtered),
        }
        for doc in docs
    ]


def delete_actions(index: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [{"_op_type": "delete", "_index": index, "_id": pk} for pk in ids]


def alias_swap(
    alias: str, new_index: str, old_indices: Sequence[str], building_alias: str
) -> dict[str, Any]:
    """One atomic update_aliases body: the alias leaves the old indices for the new one."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": old, "alias": alias}} for old in old_indices
    ]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    actions.append({"remove": {"index": new_index, "alias": building_alias}})
    return {"actions": actions}


def live_settings() -> dict[str, Any]:
    """The settings a rebuilt index gets back before it goes live (it was filled with
    refresh off)."""
    return {"refresh_interval": INDEX_SETTINGS["refresh_interval"]}
