"""The Elasticsearch backend's request bodies against expected JSON (no server needed):
index definitions (settings, analysis, mappings, aliases), queries and aggregations, bulk
actions and the alias swap of a rebuild."""

import datetime

from search import matching
from search.admits import admits_for
from search.backends import elastic_queries as eq
from search.backends.elastic_features import TextAnalysis
from search.documents import index_body, opportunity_body
from search.types import (
    CandidateDoc,
    CandidateQuery,
    Credit,
    HardConstraints,
    IndexedSkill,
    OpportunityDoc,
    OpportunityQuery,
    Requirement,
)

TODAY = datetime.date(2026, 6, 1)


def either(*queries):
    return {"bool": {"minimum_should_match": 1, "should": list(queries)}}


def term(field, value):
    return {"term": {field: {"value": value}}}


def missing(field):
    return {"bool": {"must_not": [{"exists": {"field": field}}]}}


def not_kind(kind):
    return {"bool": {"must_not": [{"term": {"kind": {"value": kind}}}]}}


def text(analyzer="ponte_italian"):
    return {"analyzer": analyzer, "type": "text"}


ANALYSIS = {
    "analyzer": {
        "ponte_italian": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["ponte_italian_elision", "lowercase", "ponte_italian_stop",
                       "ponte_italian_stemmer", "asciifolding"],
        }
    },
    "filter": {
        "ponte_italian_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": ["c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl",
                         "agl", "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d"],
        },
        "ponte_italian_stop": {"type": "stop", "stopwords": "_italian_"},
        "ponte_italian_stemmer": {"type": "stemmer", "language": "light_italian"},
    },
}  # fmt: skip


CONSTRAINT_MAPPING = {
    "fresh_from": {"type": "integer"},
    "fresh_until": {"type": "integer"},
    "measure": {"type": "integer"},
    "area": {"type": "integer"},
    "places": {"type": "long"},
    "home": {"type": "long"},
    "radius": {"type": "integer"},
    "hours": {"type": "integer"},
    "day_start": {"type": "integer"},
    "day_end": {"type": "integer"},
    "window": {"type": "integer"},
    "avoid": {"type": "keyword"},
    "institute": {"type": "long"},
    "end": {"type": "integer"},
}


def test_candidate_index_definition():
    body = index_body("candidates", analysis=TextAnalysis.ITALIAN, alias="ponte-candidates")
    assert body == {
        "aliases": {"ponte-candidates": {}},
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "refresh_interval": "1s",
            "analysis": ANALYSIS,
        },
        "mappings": {
            "_meta": {"ponte": {"text_analysis": "italian"}},
            "properties": {
                "person_id": {"type": "long"},
                "pseudonym": {"type": "keyword"},
                "province": {"type": "keyword"},
                "text": text(),
                "skills": {
                    "type": "nested",
                    "properties": {
                        "concept_id": {"type": "integer"},
                        "code": {"type": "keyword"},
                        "label": text(),
                        "stage": {"type": "keyword"},
                        "level": {"type": "integer"},
                        "sector": {"type": "keyword"},
                    },
                },
                "credits": {"type": "keyword"},
                "languages": {"type": "keyword"},
                "weekly_hours_available": {"type": "integer"},
                "available_from": {"type": "date"},
                "share_all": {"type": "boolean"},
                "share_orgs": {"type": "long"},
                "payload": {"type": "object", "enabled": False},
                "constraints": {"type": "object", "properties": CONSTRAINT_MAPPING},
            },
            "_source": {"excludes": ["constraints"]},
        },
    }


def test_opportunity_index_definition():
    body = index_body("opportunities", analysis=TextAnalysis.ITALIAN)
    assert "aliases" not in body
    properties = body["mappings"]["properties"]
    assert properties["location"] == {"type": "geo_point"}
    assert properties["title"] == {**text(), "fields": {"raw": {"type": "keyword"}}}
    assert properties["requirements"] == {
        "type": "nested",
        "properties": {
            "concept_id": {"type": "integer"},
            "code": {"type": "keyword"},
            "label": text(),
            "essential": {"type": "boolean"},
            "weight": {"type": "float"},
            "sector": {"type": "keyword"},
        },
    }
    assert {name for name, field in properties.items() if field.get("type") == "keyword"} == {
        "kind",
        "status",
        "province",
        "measures",
        "sectors",
        "profile_code",
    }
    assert properties["key"] == {"type": "long"}


def constraints(**fields):
    return HardConstraints(today=TODAY, measure_type="map", **fields)


def requirement_clause(concept_id, credit):
    return {
        "nested": {
            "path": "requirements",
            "score_mode": "sum",
            "query": {
                "function_score": {
                    "boost_mode": "replace",
                    "functions": [
                        {"field_value_factor": {"factor": credit, "field": "requirements.weight"}}
                    ],
                    "query": {"term": {"requirements.concept_id": {"value": concept_id}}},
                }
            },
        }
    }


def test_opportunity_query_without_domicile_and_without_limits():
    query = OpportunityQuery(
        kinds=("offer",), credits={5: 1.0, 7: 0.5, 8: 0.0}, origin=None, constraints=constraints()
    )
    assert eq.request_body(eq.opportunity_search(query)) == {
        "_source": {"includes": ["payload"]},
        "from": 0,
        "size": 20,
        "sort": [{"_score": {"order": "desc"}}, "key"],
        "track_scores": True,
        "track_total_hits": True,
        "query": {
            "function_score": {
                "boost_mode": "multiply",
                "functions": [
                    {"field_value_factor": {"field": "requirement_total", "missing": 1,
                                            "modifier": "reciprocal"},
                     "weight": matching.SKILL_WEIGHT}
                ],
                "query": {
                    "bool": {
                        "filter": [
                            {"terms": {"kind": ["offer"]}},
                            {"term": {"status": {"value": "pubblicata"}}},
                            COURSE_OPEN,
                            OUTSIDE_PRISON,
                            MEASURE_MAP,
                            SEATS,
                        ],
                        "should": [requirement_clause(5, 1.0), requirement_clause(7, 0.5)],
                    }
                },
            }
        },
    }  # fmt: skip


COURSE_OPEN = either(
    not_kind("course"), either(missing("end_date"), {"range": {"end_date": {"gte": "2026-06-01"}}})
)
OUTSIDE_PRISON = either(not_kind("course"), missing("institute_id"))
MEASURE_MAP = {
    "bool": {
        "filter": [
            either(not_kind("placement"), term("measures", "map")),
            either(not_kind("offer"), either(missing("measures"), term("measures", "map"))),
        ]
    }
}
SEATS = either(missing("seats_available"), {"range": {"seats_available": {"gt": 0}}})
EVERY_CONSTRAINT = constraints(
    radius_km=20.0,
    max_weekly_hours=12,
    available_from=datetime.date(2026, 5, 1),
    measure_end=datetime.date(2027, 1, 31),
    avoid_sectors=frozenset({"COM"}),
    institute_id=3,
    daily_start=7 * 60,
    daily_end=20 * 60,
)
EVERY_FILTER = {
    "area": {"geo_distance": {"distance": "20.0km", "location": {"lat": 45.4642, "lon": 9.19}}},
    "istituto": either(not_kind("course"), {"term": {"institute_id": {"value": 3}}}),
    "orario": either(missing("weekly_hours"), {"range": {"weekly_hours": {"lte": 12}}}),
    "fascia": either(missing("shift_start"), {"bool": {"filter": [
        {"range": {"shift_until": {"lte": 1200}}}, {"range": {"shift_start": {"gte": 420}}},
    ]}}),
    "misura": MEASURE_MAP,
    "settori": {"bool": {"must_not": [{"terms": {"sectors": ["COM"]}}]}},
    "date": either(missing("start_date"), {"range": {"start_date": {"gte": "2026-05-01"}}}),
    "fine_misura": either(not_kind("placement"),
                          either(missing("start_date"),
                                 {"range": {"start_date": {"lte": "2027-01-31"}}})),
    "posti": SEATS,
}  # fmt: skip


def test_opportunity_query_with_every_constraint_and_distance_decay():
    query = OpportunityQuery(
        kinds=("offer", "placement"),
        credits={5: 1.0},
        origin=(45.4642, 9.19),
        constraints=EVERY_CONSTRAINT,
        text="cuoco",
        teaches_any=(5, 6),
        offset=20,
        limit=10,
    )
    body = eq.request_body(eq.opportunity_search(query))
    assert (body["from"], body["size"]) == (20, 10)
    outer = body["query"]["function_score"]
    assert outer["boost_mode"] == "sum"
    assert outer["functions"] == [
        {
            "exp": {
                "location": {
                    "origin": {"lat": 45.4642, "lon": 9.19},
                    "scale": "25km",
                    "offset": "0km",
                    "decay": 0.367879,
                }
            },
            "weight": matching.DISTANCE_WEIGHT,
        }
    ]
    filters = outer["query"]["function_score"]["query"]["bool"]["filter"]
    assert filters == [
        {"terms": {"kind": ["offer", "placement"]}},
        {"term": {"status": {"value": "pubblicata"}}},
        COURSE_OPEN,
        {"terms": {"teaches": [5, 6]}},
        {"match": {"text": {"query": "cuoco", "operator": "and"}}},
        *EVERY_FILTER.values(),
    ]


def test_near_misses_are_excluded_by_exactly_one_constraint():
    query = OpportunityQuery(("offer",), {}, (45.4642, 9.19), EVERY_CONSTRAINT, near_miss=True)
    filters = [f.to_dict() for f in eq.opportunity_filters(query)]
    assert filters[:3] == [{"terms": {"kind": ["offer"]}},
                           {"term": {"status": {"value": "pubblicata"}}},
                           COURSE_OPEN]  # fmt: skip  # a detainee: the prison's courses too
    failed = [{"bool": {"must_not": [query]}} for query in EVERY_FILTER.values()]
    assert filters[3:] == [
        {
            "bool": {
                "filter": [{"bool": {"should": failed, "minimum_should_match": 1}}],
                "must_not": [{"bool": {"should": failed, "minimum_should_match": 2}}],
            }
        }
    ]


def test_what_if_keeps_out_what_the_baseline_admits():
    baseline = constraints(max_weekly_hours=12)
    relaxed = constraints(max_weekly_hours=20)
    query = OpportunityQuery(("offer",), {}, None, relaxed, baseline=baseline)
    filters = [f.to_dict() for f in eq.opportunity_filters(query)]
    assert either(missing("weekly_hours"), {"range": {"weekly_hours": {"lte": 20}}}) in filters
    assert filters[-1] == {
        "bool": {
            "must_not": [
                {
                    "bool": {
                        "filter": [
                            either(
                                missing("weekly_hours"), {"range": {"weekly_hours": {"lte": 12}}}
                            ),
                            MEASURE_MAP,
                            SEATS,
                        ]
                    }
                }
            ]
        }
    }


def test_waived_constraints_are_not_sent():
    waived = constraints(max_weekly_hours=12, waived=frozenset({"orario", "misura"}))
    filters = [
        f.to_dict() for f in eq.opportunity_filters(OpportunityQuery(("offer",), {}, None, waived))
    ]
    assert MEASURE_MAP not in filters
    assert not [f for f in filters if "weekly_hours" in str(f)]


def test_detention_admits_offers_for_detainees_or_starting_after_the_measure():
    detained = HardConstraints(
        today=TODAY, measure_type="detenzione", measure_end=datetime.date(2027, 1, 31)
    )
    found = eq.constraint_filters(detained, None)["fine_misura"].to_dict()
    assert found == {
        "bool": {
            "filter": [
                either(
                    not_kind("placement"),
                    either(missing("start_date"), {"range": {"start_date": {"lte": "2027-01-31"}}}),
                ),
                either(
                    not_kind("offer"),
                    either(
                        term("measures", "detenzione"),
                        missing("start_date"),
                        {"range": {"start_date": {"gt": "2027-01-31"}}},
                    ),
                ),
            ]
        }
    }


def test_affinity_adds_the_best_sector_weight():
    query = OpportunityQuery(
        ("offer",), {}, None, constraints(), affinity={"RIS": 1.0, "COM": 0.3, "PUL": 0.0}
    )
    body = eq.request_body(eq.opportunity_search(query))["query"]["bool"]
    assert body["should"] == [
        {
            "dis_max": {
                "queries": [
                    {
                        "constant_score": {
                            "filter": term("sectors", "COM"),
                            "boost": round(matching.AFFINITY_WEIGHT * 0.3, 6),
                        }
                    },
                    {
                        "constant_score": {
                            "filter": term("sectors", "RIS"),
                            "boost": round(matching.AFFINITY_WEIGHT * 1.0, 6),
                        }
                    },
                ]
            }
        }
    ]
    assert list(body["must"][0]) == ["function_score"]


def test_opportunity_body_holds_the_shift_from_the_start_of_its_day():
    night = opportunity(shift_start=22 * 60, shift_end=6 * 60)
    body = opportunity_body(night)
    assert (body["shift_start"], body["shift_until"]) == (1320, 1800)
    assert "shift_start" not in opportunity_body(opportunity())


def test_allowed_municipalities_win_over_radius_and_a_radius_without_domicile_matches_none():
    listed = OpportunityQuery(
        ("offer",), {}, None, constraints(allowed_municipalities=frozenset({9, 3}), radius_km=5.0)
    )
    filters = [f.to_dict() for f in eq.opportunity_filters(listed)]
    assert {"terms": {"municipality_id": [3, 9]}} in filters
    assert not [f for f in filters if "geo_distance" in f]
    nowhere = OpportunityQuery(("offer",), {}, None, constraints(radius_km=5.0))
    assert {"match_none": {}} in [f.to_dict() for f in eq.opportunity_filters(nowhere)]


def test_placements_are_impossible_for_measures_other_than_map_lpu_lsu():
    query = OpportunityQuery(
        ("placement",), {}, None, HardConstraints(today=TODAY, measure_type="affidamento")
    )
    measure = eq.constraint_filters(query.constraints, None)["misura"].to_dict()
    assert either(not_kind("placement"), {"match_none": {}}) in measure["bool"]["filter"]


def candidate_query(**fields):
    values = {"today": TODAY, "viewer_organisation": 42}
    return CandidateQuery(**{**values, **fields})


PLACES = {1: (45.46, 9.19), 2: (45.52, 9.21), 3: (41.9, 12.5)}
FRESH = {
    "bool": {
        "filter": [
            {"range": {"constraints.fresh_from": {"lte": 20605}}},
            {"range": {"constraints.fresh_until": {"gte": 20605}}},
        ]
    }
}
COMPATIBLE = [
    either(
        term("constraints.area", 0),
        term("constraints.places", 1),
        {
            "bool": {
                "filter": [
                    {"terms": {"constraints.home": [1]}},
                    {"range": {"constraints.radius": {"gte": 0}}},
                ]
            }
        },
        {
            "bool": {
                "filter": [
                    {"terms": {"constraints.home": [2]}},
                    {"range": {"constraints.radius": {"gte": 7}}},
                ]
            }
        },
        {
            "bool": {
                "filter": [
                    {"terms": {"constraints.home": [3]}},
                    {"range": {"constraints.radius": {"gte": 477}}},
                ]
            }
        },
    ),
    {"terms": {"constraints.measure": [1, 3]}},
    {"range": {"constraints.hours": {"gte": 30}}},
    {"range": {"constraints.day_start": {"lte": 480}}},
    {"range": {"constraints.day_end": {"gte": 840}}},
    {"bool": {"must_not": [{"terms": {"constraints.avoid": ["RIS"]}}]}},
    either(missing("available_from"), {"range": {"available_from": {"lte": "2026-07-01"}}}),
    {
        "bool": {
            "must_not": [
                {
                    "bool": {
                        "filter": [
                            term("constraints.measure", 0),
                            {"range": {"constraints.end": {"gte": 20635, "lt": 2147483647}}},
                        ]
                    }
                }
            ]
        }
    },
]


def test_candidate_query_with_filters_facets_and_match_score():
    role = opportunity(
        kind="offer",
        municipality_id=1,
        measures=("affidamento", "art21"),
        weekly_hours=30,
        shift_start=8 * 60,
        shift_end=14 * 60,
        start_date=datetime.date(2026, 7, 1),
    )
    query = candidate_query(
        text="cuoco mensa",
        skills=(5,),
        province="MI",
        language="fr",
        available_by=datetime.date(2026, 7, 1),
        min_hours=20,
        requirements=(
            Requirement(5, "RIS-C02", "Cuocere", True),
            Requirement(9, "RIS-C07", "Servire", False),
        ),
        role_province="MI",
        compatible=admits_for(role, PLACES, TODAY),
    )
    body = eq.request_body(eq.candidate_search(query))
    assert body["aggregations"] == {
        "skills": {
            "nested": {"path": "skills"},
            "aggregations": {"codes": {"terms": {"field": "skills.concept_id", "size": 20}}},
        },
        "province": {"terms": {"field": "province", "size": 50}},
        "languages": {"terms": {"field": "languages", "size": 50}},
        "availability": {
            "date_range": {
                "field": "available_from",
                "keyed": False,
                "missing": "1970-01-01",
                "ranges": [
                    {"key": "subito", "to": "2026-06-02"},
                    {"key": "entro_1_mese", "from": "2026-06-02", "to": "2026-07-02"},
                    {"key": "entro_3_mesi", "from": "2026-07-02", "to": "2026-08-31"},
                    {"key": "oltre_3_mesi", "from": "2026-08-31"},
                ],
            }
        },
        "hours": {
            "range": {
                "field": "weekly_hours_available",
                "missing": 0,
                "ranges": [
                    {"key": "fino_a_20", "from": 0, "to": 21},
                    {"key": "da_21_a_30", "from": 21, "to": 31},
                    {"key": "oltre_30", "from": 31, "to": 10001},
                ],
            }
        },
        "compatible": {"filter": {"bool": {"filter": [FRESH, *COMPATIBLE]}}},
        "stale": {
            "filter": {"bool": {"must_not": [FRESH]}},
            "aggregations": {"ids": {"terms": {"field": "person_id", "size": 1000}}},
        },
    }
    boolean = body["query"]["bool"]
    assert boolean["filter"] == [
        either({"term": {"share_all": {"value": True}}}, {"term": {"share_orgs": {"value": 42}}}),
        {"term": {"province": {"value": "MI"}}},
        {"term": {"languages": {"value": "fr"}}},
        {"nested": {"path": "skills", "query": {"term": {"skills.concept_id": {"value": 5}}}}},
        either(missing("available_from"), {"range": {"available_from": {"lte": "2026-07-01"}}}),
        {"range": {"weekly_hours_available": {"gte": 20}}},
        {"match": {"text": {"operator": "and", "query": "cuoco mensa"}}},
    ]
    essential = boolean["should"][0]["dis_max"]["queries"]
    assert essential[0] == {
        "constant_score": {"boost": 0.533333, "filter": {"term": {"credits": {"value": "5@1.00"}}}}
    }
    assert len(essential) == 8
    assert boolean["should"][-1] == {
        "constant_score": {"boost": 0.2, "filter": {"term": {"province": {"value": "MI"}}}}
    }
    assert body["sort"] == [{"_score": {"order": "desc"}}, "pseudonym"]


def test_candidate_query_without_role_ranks_by_text_and_admin_sees_every_share():
    body = eq.request_body(eq.candidate_search(candidate_query(text="cuoco", viewer_is_admin=True)))
    assert body["query"] == {
        "bool": {"must": [{"match": {"text": {"operator": "and", "query": "cuoco"}}}]}
    }
    empty = eq.request_body(eq.candidate_search(candidate_query(viewer_is_admin=True)))
    assert empty["query"] == {"bool": {"filter": [{"match_all": {}}]}}
    assert "compatible" not in empty["aggregations"]


def opportunity(**fields) -> OpportunityDoc:
    values = {
        "kind": "course", "id": 12, "title": "HACCP", "description": "Igiene",
        "organisation": "Centro", "status": "pubblicata", "municipality_id": 3,
        "municipality": "Milano", "province": "MI", "latitude": 45.46, "longitude": 9.19,
        "start_date": datetime.date(2026, 9, 1), "end_date": None, "weekly_hours": 10,
        "seats_available": 4, "measures": (), "sectors": ("RIS",), "institute_id": None,
        "profile_code": "", "profile_label": "",
        "requirements": (Requirement(5, "RIS-C05", "HACCP", False, "RIS"),), "teaches": (5,),
    }  # fmt: skip
    return OpportunityDoc(**{**values, **fields})


def test_bulk_actions_for_opportunities():
    doc = opportunity()
    [action] = eq.opportunity_actions("ponte-opportunities", [doc], op_type="create")
    assert {k: v for k, v in action.items() if k != "_source"} == {
        "_op_type": "create",
        "_index": "ponte-opportunities",
        "_id": "course-12",
    }
    source = action["_source"]
    assert {k: v for k, v in source.items() if k != "payload"} == {
        "key": 2000000000012, "kind": "course", "opportunity_id": 12, "title": "HACCP",
        "description": "Igiene",
        "organisation": "Centro", "text": "HACCP Igiene Centro HACCP", "status": "pubblicata",
        "municipality_id": 3, "province": "MI", "location": {"lat": 45.46, "lon": 9.19},
        "start_date": datetime.date(2026, 9, 1), "weekly_hours": 10, "seats_available": 4,
        "sectors": ["RIS"], "profile_code": "", "requirement_total": 1.0, "teaches": [5],
        "requirements": [{"concept_id": 5, "code": "RIS-C05", "label": "HACCP",
                          "essential": False, "weight": 1.0, "sector": "RIS"}],
    }  # fmt: skip
    assert OpportunityDoc.from_payload(source["payload"]) == doc


def test_requirement_total_is_never_zero():
    assert opportunity_body(opportunity(requirements=()))["requirement_total"] == 1.0


def test_bulk_actions_for_candidates_and_deletes():
    doc = CandidateDoc(
        person_id=7,
        pseudonym="P-AAAA-BBBB",
        province="MI",
        summary="Cuoco",
        skills=(IndexedSkill(5, "RIS-C02", "Cuocere", "validata", 2, "RIS"),),
        credits=(Credit(5, 0.8, "propria", "validata"),),
        languages=(("it", "madrelingua"),),
        weekly_hours_available=30,
        available_from=None,
        share_all=False,
        share_orgs=(42,),
    )
    [action] = eq.candidate_actions("ponte-candidates", [doc])
    assert {k: v for k, v in action["_source"].items() if k != "payload"} == {
        "person_id": 7,
        "pseudonym": "P-AAAA-BBBB",
        "province": "MI",
        "text": "Cuoco",
        "skills": [
            {
                "concept_id": 5,
                "code": "RIS-C02",
                "label": "Cuocere",
                "stage": "validata",
                "level": 2,
                "sector": "RIS",
            }
        ],
        "credits": ["5@0.80"],
        "languages": ["it"],
        "weekly_hours_available": 30,
        "share_all": False,
        "share_orgs": [42],
        "constraints": {"fresh_from": 2147483647, "fresh_until": -1},  # never indexed: stale
    }
    assert (action["_op_type"], action["_id"]) == ("index", "7")
    assert CandidateDoc.from_payload(action["_source"]["payload"]) == doc
    assert eq.delete_actions("ponte-candidates", ["7"]) == [
        {"_op_type": "delete", "_index": "ponte-candidates", "_id": "7"}
    ]


def test_rebuild_swaps_the_alias_in_one_call():
    body = eq.alias_swap(
        "ponte-candidates",
        "ponte-candidates-2",
        ["ponte-candidates-1"],
        "ponte-candidates-building",
    )
    assert body == {
        "actions": [
            {"remove": {"index": "ponte-candidates-1", "alias": "ponte-candidates"}},
            {
                "add": {
                    "index": "ponte-candidates-2",
                    "alias": "ponte-candidates",
                    "is_write_index": True,
                }
            },
            {"remove": {"index": "ponte-candidates-2", "alias": "ponte-candidates-building"}},
        ]
    }


def test_new_index_is_created_behind_the_building_alias():
    body = index_body(
        "candidates",
        analysis=TextAnalysis.ITALIAN,
        alias="ponte-candidates-building",
        refresh_interval="-1",
    )
    assert body["aliases"] == {"ponte-candidates-building": {}}
    assert body["settings"]["refresh_interval"] == "-1"
