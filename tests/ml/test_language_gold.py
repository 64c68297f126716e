"""The answers in other languages: codes from the framework, the language named on each
line, and no development or held-out answer that repeats a training one."""

import json

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from ml.language_training import HELD_OUT, language_gold_files
from ml.languages import FOREIGN
from tests.ml.shipped_framework import shipped_concepts

NEAR_DUPLICATE = 0.6  # as for Italian (test_gold_data)
MIN_WORDS = 4


def _rows(language: str, kind: str) -> list[dict[str, object]]:
    path = language_gold_files(kind)[language]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _worst_similarity(left: list[str], right: list[str]) -> tuple[float, tuple[str, str]]:
    worst, pair = 0.0, ("", "")
    for vectorizer in (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)),
        TfidfVectorizer(ngram_range=(1, 2)),
    ):
        vectorizer.fit(left + right)
        similarity = (vectorizer.transform(left) @ vectorizer.transform(right).T).toarray()
        i, j = divmod(int(similarity.argmax()), similarity.shape[1])
        if similarity[i, j] > worst:
            worst, pair = float(similarity[i, j]), (left[i], right[j])
    return worst, pair


@pytest.mark.parametrize("language", FOREIGN)
def test_every_line_names_its_language_and_framework_competences(language):
    suggestible = {c.code for c in shipped_concepts() if c.kind in ("competenza", "trasversale")}
    rows = [row for kind in ("train", "dev", HELD_OUT) for row in _rows(language, kind)]
    assert {row["lang"] for row in rows} == {language}
    assert {code for row in rows for code in row["codes"]} <= suggestible
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert len(_rows(language, "dev")) >= 60 and len(_rows(language, HELD_OUT)) >= 20


@pytest.mark.parametrize("language", FOREIGN)
@pytest.mark.parametrize("kind", ["dev", HELD_OUT])
def test_evaluation_answers_do_not_repeat_training_answers(language, kind):
    def texts(name: str) -> list[str]:
        return [
            str(row["text"])
            for row in _rows(language, name)
            if len(str(row["text"]).split()) >= MIN_WORDS
        ]

    worst, pair = _worst_similarity(texts("train"), texts(kind))
    assert worst < NEAR_DUPLICATE, pair
