"""Every Elasticsearch index definition of Ponte (elasticsearch.dsl), and the documents'
bodies built from search.types.

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

from search import matching
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
ITALIAN = analyzer(
    "ponte_italian",
    tokenizer="standard",
    filter=[ELISION, "lowercase", STOP, STEMMER, "asciifolding"],
)
INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


class RequirementDoc(InnerDoc):
    concept_id = Integer()
    code = Keyword()
    label = Text(analyzer=ITALIAN)
    essential = Boolean()
    weight = Float()
    sector = Keyword()


class OpportunityDocument(Document):
    kind = Keyword()
    opportunity_id = Long()
    title = Text(analyzer=ITALIAN, fields={"raw": Keyword()})
    description = Text(analyzer=ITALIAN)
    organisation = Text(analyzer=ITALIAN)
    text = Text(analyzer=ITALIAN)
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
    payload = Object(enabled=False)


class SkillDoc(InnerDoc):
    concept_id = Integer()
    code = Keyword()
    label = Text(analyzer=ITALIAN)
    stage = Keyword()
    level = Integer()
    sector = Keyword()


class CandidateDocument(Document):
    person_id = Long()
    pseudonym = Keyword()
    province = Keyword()
    text = Text(analyzer=ITALIAN)
    skills = Nested(SkillDoc)
    credits = Keyword()
    languages = Keyword()
    weekly_hours_available = Integer()
    available_from = Date()
    share_all = Boolean()
    share_orgs = Long()
    payload = Object(enabled=False)


CANDIDATE_FIELDS = frozenset(
    {"person_id", "pseudonym", "province", "text", "skills", "credits", "languages",
     "weekly_hours_available", "available_from", "share_all", "share_orgs", "payload"}
)  # fmt: skip
DOCUMENTS: dict[str, type[Document]] = {
    OPPORTUNITIES: OpportunityDocument,
    CANDIDATES: CandidateDocument,
}


def index_definition(name: str, kind: str, alias: str | None = None) -> Index:
    """The index `name` for documents of `kind`, optionally already behind `alias`."""
    index = Index(name)
    index.settings(**INDEX_SETTINGS)
    index.analyzer(ITALIAN)
    index.document(DOCUMENTS[kind])
    if alias:
        index.aliases(**{alias: {}})
    return index


def opportunity_body(doc: OpportunityDoc) -> dict[str, Any]:
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
    document = OpportunityDocument(
        kind=doc.kind,
        opportunity_id=doc.id,
        title=doc.title,
        description=doc.description,
        organisation=doc.organisation,
        text=doc.search_text,
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
    )
    body: dict[str, Any] = document.to_dict(skip_empty=True)
    return body


def candidate_body(doc: CandidateDoc) -> dict[str, Any]:
    document = CandidateDocument(
        person_id=doc.person_id,
        pseudonym=doc.pseudonym,
        province=doc.province,
        text=doc.search_text,
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
    )
    body: dict[str, Any] = document.to_dict(skip_empty=True)
    return body
