"""The shipped training and development answers: labels from the framework, and no
development answer that repeats a training one (the figures must measure new answers)."""

import json
from itertools import chain

from sklearn.feature_extraction.text import TfidfVectorizer

from ml.training import GOLD_DIR, gold_dev_files, train_files
from tests.ml.shipped_framework import shipped_concepts

NEAR_DUPLICATE = 0.6  # cosine of character or word n-grams
MIN_WORDS = 4  # terse answers ("barista") may repeat across sets
HELD_OUT = [GOLD_DIR / "holdout-1.jsonl"]  # read for its aggregate figures only


def _rows(paths):
    return [
        json.loads(line) for path in paths for line in path.read_text().splitlines() if line.strip()
    ]


def test_every_label_is_a_competence_of_the_framework():
    suggestible = {c.code for c in shipped_concepts() if c.kind in ("competenza", "trasversale")}
    rows = _rows(chain(train_files(), gold_dev_files()))
    unknown = {code for row in rows for code in row["codes"]} - suggestible
    assert unknown == set()
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(row["text"].strip() for row in rows)


def test_there_are_enough_answers_without_a_skill_and_with_one():
    rows = _rows(chain(train_files(), gold_dev_files()))
    without = [row for row in rows if not row["codes"]]
    assert len(without) >= 150
    assert sum(1 for row in _rows(gold_dev_files()) if not row["codes"]) >= 60


def _closest_pair(first, second):
    first = [text for text in first if len(text.split()) >= MIN_WORDS]
    second = [text for text in second if len(text.split()) >= MIN_WORDS]
    worst = 0.0
    pair = ("", "")
    for vectorizer in (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)),
        TfidfVectorizer(ngram_range=(1, 2)),
    ):
        vectorizer.fit(first + second)
        similarity = (vectorizer.transform(first) @ vectorizer.transform(second).T).toarray()
        i, j = divmod(int(similarity.argmax()), similarity.shape[1])
        if similarity[i, j] > worst:
            worst, pair = float(similarity[i, j]), (first[i], second[j])
    return worst, pair


def test_development_answers_do_not_repeat_training_answers():
    train = [r["text"] for r in _rows(train_files())]
    dev = [r["text"] for r in _rows(gold_dev_files())]
    worst, pair = _closest_pair(train, dev)
    assert worst < NEAR_DUPLICATE, pair


def test_held_out_answers_are_apart_from_training_and_development():
    assert not set(HELD_OUT) & set(train_files() + gold_dev_files())  # never trained on
    rows = _rows(HELD_OUT)
    suggestible = {c.code for c in shipped_concepts() if c.kind in ("competenza", "trasversale")}
    assert {code for row in rows for code in row["codes"]} <= suggestible
    held_out = [row["text"] for row in rows]
    seen = [r["text"] for r in _rows(chain(train_files(), gold_dev_files()))]
    worst, pair = _closest_pair(seen, held_out)
    assert worst < NEAR_DUPLICATE, pair
