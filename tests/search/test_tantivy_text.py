"""The embedded engine's text: analysed in Python, part by part, yet indexed and queried
exactly as the Italian chain analyses the whole text."""

import dataclasses

import pytest
import tantivy

from search.backends import _tantivy as tv
from search.types import CandidateDoc, Requirement
from tests.search.test_elastic_bodies import opportunity


def whole(text: str) -> str:
    return " ".join(tv.italian_analyzer().analyze(text))


def person(summary: str, *skill_texts: str) -> CandidateDoc:
    return CandidateDoc(
        person_id=1, pseudonym="P-1", province="MI", summary=summary, skills=(), credits=(),
        languages=(), weekly_hours_available=None, available_from=None, share_all=True,
        share_orgs=(), skill_texts=skill_texts,
    )  # fmt: skip


def test_a_profile_is_indexed_as_the_analysis_of_its_whole_text():
    doc = person(
        "Cuoca nelle mense dell'ospedale, poi aiuto-cuoco; HACCP (2019)",
        "Preparare piatti caldi Cucinare",
        "Saldatura a filo continuo",
        "Preparare piatti caldi Cucinare",
    )
    assert tv.candidate_terms(doc) == whole(doc.search_text)
    assert tv.candidate_terms(person("", "Città")) == "citt"
    assert tv.candidate_terms(person("")) == ""


def test_an_opportunity_is_indexed_as_the_analysis_of_its_whole_text():
    doc = opportunity(
        title="Aiuto cuoco/a per mensa",
        description="Turni di 6 ore. Età e nazionalità indifferenti.",
        organisation="Cooperativa L'Àncora",
        profile_label="Operatore della ristorazione",
        requirements=(
            Requirement(5, "RIS-C05", "Applicare le norme HACCP", True, "RIS"),
            Requirement(6, "RIS-C06", "Cucinare", False, "RIS"),
        ),
    )
    assert tv.opportunity_terms(doc) == whole(doc.search_text)
    empty = dataclasses.replace(doc, description="", organisation="", profile_label="")
    assert tv.opportunity_terms(empty) == whole(empty.search_text)


def index_of(*texts: str) -> tantivy.Index:
    schema = tv.opportunity_schema()
    index = tantivy.Index(schema)
    index.register_tokenizer(tv.TERMS, tv._split_on_spaces())
    writer = index.writer(15_000_000, 1)
    for key, text in enumerate(texts):
        document = tantivy.Document()
        document.add_integer("key", key)
        document.add_text("text", tv.terms(text))
        writer.add_document(document)
    writer.commit()
    index.reload()
    return index


def found(index: tantivy.Index, text: str) -> list[int]:
    query = tv.text_query(index, text)
    assert query is not None
    hits = index.searcher().search(query, 10, order_by_field="key").hits
    return sorted(tv.keys_of(hits))


def test_query_words_go_through_the_same_chain():
    index = index_of("Saldature elettriche", "Città di Milano", "pasta_fresca", "fresca pasta")
    assert found(index, "SALDATURA elettrica") == [0]
    assert found(index, "citta") == [1]
    assert found(index, "saldatura milano") == []
    assert found(index, "pasta_fresca") == [2, 3]  # a word the chain splits: both parts
    assert found(index, "_") == []  # a word without terms finds nobody
    assert tv.text_query(index, " ,.; ") is None


DOCUMENTS = (
    "Saldature elettriche",
    "Città di Milano",
    "pasta_fresca",
    "fresca pasta",
    "Cuoco per mensa scolastica, cuochi e aiuto cuoco",
    "Manutenzione del verde; giardinaggio",
)


@pytest.mark.parametrize(
    "text",
    ["SALDATURA elettrica", "citta", "pasta_fresca", "_", "cuochi mensa", "verde _", "giardini"],
)
def test_documents_read_outside_tantivy_match_as_tantivy_does(text):
    """The offers published since the last merge are matched in Python (query_terms)."""
    wanted = tv.query_terms(text)
    assert wanted is not None
    outside = [
        key for key, document in enumerate(DOCUMENTS) if tv.holds(tv.terms(document), wanted)
    ]
    assert outside == found(index_of(*DOCUMENTS), text)
    assert tv.query_terms(" ,.; ") is None
