"""Every Elasticsearch index definition of Ponte (elasticsearch.dsl), and the documents'
bodies built from search.types.

Text fields name the analyzer "ponte_italian"; what it is depends on the node
(search.backends.elastic_features): the full Italian chain where analysis-common exists,
the standard analyzer otherwise, with the searchable `text` analysed by the backend.

Documents are plain mappings here: nothing syncs from model signals (autosync off); the
indexing tasks send them in bulk. The candidate document carries only what the
pseudonymised candidate view shows: CANDIDATE_FIELDS is the complete list, and a test
checks that no name, codice fiscale, birth date, measure, institute or note can slip in.
"""

from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    GeoPoint,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Long,
    Nested,
    Object,
    Text,
    analyzer,
    token_filter,
)

from search import admits, matching
from search.backends.elastic_features import META, META_ANALYSIS, TextAnalysis, searchable
from search.types import CandidateDoc, OpportunityDoc

OPPORTUNITIES, CANDIDATES = "opportunities", "candidates"
ELISION = token_filter(
    "ponte_italian_elision",
    type="elision",
    articles=["c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl",
              "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d"],
    articles_case=True,
)  # fmt: skip
STOP = token_filter("ponte_italian_stop", type="stop", stopwords="_italian_")
STEMMER = token_filter("ponte_italian_stemmer", type="stemmer", language="light_italian")
ANALYZER = "ponte_italian"
ANALYZERS = {
    TextAnalysis.ITALIAN: analyzer(
        ANALYZER, tokenizer="standard", filter=[ELISION, "lowercase", STOP, STEMMER, "asciifolding"]
    ),
    TextAnalysis.CLIENT: analyzer(ANALYZER, type="standard"),
}
INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}
STALE = {"fresh_from": admits.FOREVER, "fresh_until": -1}
"""The constraints of a profile indexed without them: never fresh (the caller decides)."""


class RequirementDoc(InnerDoc):
    concept_id = Integer()
    code = Keyword()
    label = Text(analyzer=ANALYZER)
    essential = Boolean()
    weight = Float()
    sector = Keyword()


class OpportunityDocument(Document):
    key = Long()  # search.types.opportunity_key: the order of equal scores
    kind = Keyword()
    opportunity_id = Long()
    title = Text(analyzer=ANALYZER, fields={"raw": Keyword()})
    description = Text(analyzer=ANALYZER)
    organisation = Text(analyzer=ANALYZER)
    text = Text(analyzer=ANALYZER)
    status = Keyword()
    municipality_id = Long()
    province = Keyword()
    location = GeoPoint()
    start_date = Date()
    end_date = Date()
    weekly_hours = Integer()
    seats_available = Integer()
    measures = Keyword()
    sectors = Keyword()
    institute_id = Long()
    profile_code = Keyword()
    requirements = Nested(RequirementDoc)
    requirement_total = Float()
    teaches = Long()
    shift_start = Integer()
    shift_until = Integer()  # the shift's end from the start of its day (past 1440 overnight)
    payload = Object(enabled=False)


class SkillDoc(InnerDoc):
    concept_id = Integer()
    code = Keyword()
    label = Text(analyzer=ANALYZER)
    stage = Keyword()
    level = Integer()
    sector = Keyword()


class ConstraintsDoc(InnerDoc):
    """search.admits.indexed: a person's current constraints as numbers, filter-only."""

    fresh_from = Integer()
    fresh_until = Integer()
    measure = Integer()
    area = Integer()
    places = Long()
    home = Long()
    radius = Integer()
    hours = Integer()
    day_start = Integer()
    day_end = Integer()
    window = Integer()
    avoid = Keyword()
    institute = Long()
    end = Integer()


class CandidateDocument(Document):
    person_id = Long()
    pseudonym = Keyword()
    province = Keyword()
    text = Text(analyzer=ANALYZER)
    skills = Nested(SkillDoc)
    credits = Keyword()
    languages = Keyword()
    weekly_hours_available = Integer()
    available_from = Date()
    share_all = Boolean()
    share_orgs = Long()
    payload = Object(enabled=False)
    constraints = Object(ConstraintsDoc)


CANDIDATE_FIELDS = frozenset(
    {"person_id", "pseudonym", "province", "text", "skills", "credits", "languages",
     "weekly_hours_available", "available_from", "share_all", "share_orgs", "payload",
     "constraints"}
)  # fmt: skip
FILTER_ONLY = {CANDIDATES: ["constraints"]}


def holds_constraints(mappings: dict[str, Any]) -> bool:
    """Whether every index of a `GET <alias>/_mapping` answer maps the constraints and
    keeps them out of _source (indices built before they were indexed do not)."""
    found = [index.get("mappings", {}) for index in mappings.values()]
    return bool(found) and all(
        "constraints" in mapping.get("properties", {})
        and "constraints" in mapping.get("_source", {}).get("excludes", [])
        for mapping in found
    )


"""Fields indexed but left out of the stored _source: nothing can read them back."""
DOCUMENTS: dict[str, type[Document]] = {
    OPPORTUNITIES: OpportunityDocument,
    CANDIDATES: CandidateDocument,
}


def index_body(
    kind: str,
    *,
    analysis: TextAnalysis,
    alias: str | None = None,
    refresh_interval: str = "1s",
) -> dict[str, Any]:
    """The body of `PUT <index>` for documents of `kind`: settings with the analyzer that
    `analysis` calls for, the mapping (recording `analysis` in its `_meta`, so queries know
    how the index analyses text), and optionally an alias."""
    index = Index(kind)  # the name is not part of the body
    index.settings(**{**INDEX_SETTINGS, "refresh_interval": refresh_interval})
    index.analyzer(ANALYZERS[analysis])
    index.document(DOCUMENTS[kind])
    if alias:
        index.aliases(**{alias: {}})
    body: dict[str, Any] = index.to_dict()
    body["mappings"]["_meta"] = {META: {META_ANALYSIS: analysis.value}}
    if kind in FILTER_ONLY:
        body["mappings"]["_source"] = {"excludes": FILTER_ONLY[kind]}
    return body


def opportunity_body(
    doc: OpportunityDoc, *, analysis: TextAnalysis = TextAnalysis.ITALIAN
) -> dict[str, Any]:
    requirements = [
        {
            "concept_id": item.concept_id,
            "code": item.code,
            "label": item.label,
            "essential": item.essential,
            "weight": matching.requirement_weight(item.essential),
            "sector": item.sector,
        }
        for item in doc.requirements
    ]
    total = sum(matching.requirement_weight(item.essential) for item in doc.requirements)
    shift: dict[str, Any] = {}
    if doc.shift_start is not None and doc.shift_end is not None:
        overnight = matching.DAY_MINUTES if doc.shift_end <= doc.shift_start else 0
        shift = {"shift_start": doc.shift_start, "shift_until": doc.shift_end + overnight}
    document = OpportunityDocument(
        key=doc.key,
        kind=doc.kind,
        opportunity_id=doc.id,
        title=doc.title,
        description=doc.description,
        organisation=doc.organisation,
        text=searchable(doc.search_text, analysis),
        status=doc.status,
        municipality_id=doc.municipality_id,
        province=doc.province,
        location={"lat": doc.latitude, "lon": doc.longitude},
        start_date=doc.start_date,
        end_date=doc.end_date,
        weekly_hours=doc.weekly_hours,
        seats_available=doc.seats_available,
        measures=list(doc.measures),
        sectors=list(doc.sectors),
        institute_id=doc.institute_id,
        profile_code=doc.profile_code,
        requirements=requirements,
        requirement_total=max(total, 1.0),
        teaches=list(doc.teaches),
        payload=doc.to_payload(),
        **shift,
    )
    body: dict[str, Any] = document.to_dict(skip_empty=True)
    return body


def candidate_body(
    doc: CandidateDoc, *, analysis: TextAnalysis = TextAnalysis.ITALIAN, filtered: bool = True
) -> dict[str, Any]:
    """The indexed document; `filtered` False leaves the constraints out, for an index built
    before they were mapped (it would store them in _source, and count nobody as fresh)."""
    document = CandidateDocument(
        person_id=doc.person_id,
        pseudonym=doc.pseudonym,
        province=doc.province,
        text=searchable(doc.search_text, analysis),
        skills=[
            {
                "concept_id": skill.concept_id,
                "code": skill.code,
                "label": skill.label,
                "stage": skill.stage,
                "level": skill.level,
                "sector": skill.sector,
            }
            for skill in doc.skills
        ],
        credits=[f"{credit.concept_id}@{credit.value:.2f}" for credit in doc.credits],
        languages=[code for code, _level in doc.languages],
        weekly_hours_available=doc.weekly_hours_available,
        available_from=doc.available_from,
        share_all=doc.share_all,
        share_orgs=list(doc.share_orgs),
        payload=doc.to_payload(),
        constraints=admits.indexed(doc.constraints) if doc.constraints else STALE,
    )
    body: dict[str, Any] = document.to_dict(skip_empty=True)
    if not filtered:
        del body["constraints"]
    return body
