"""Candidate features and the scikit-learn ranker that scores them.

The ranker is a logistic regression over a handful of interpretable features: what kind
of label matched (lemma or stem, the competence itself, one of its abilities, a job
title), how specific the label is, and TF-IDF similarities (words and characters)
between the answer and the competence's texts.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from ml.nlp import LabelMatch

FEATURES = (
    "lemma_match",
    "stem_match_only",
    "matches_log",
    "longest_label_tokens",
    "via_competence",
    "via_detail",
    "via_profile",
    "preferred_label",
    "word_sim",
    "char_sim",
    "word_rank_inv",
    "char_rank_inv",
    "only_negated",
    "only_hedged",
    "distinct_labels",
    "specificity",
    "transversal",
    "language",
)


@dataclass
class Candidate:
    code: str
    matches: list[LabelMatch] = field(default_factory=list)
    via: set[str] = field(default_factory=set)
    ambiguity: int = 1
    word_sim: float = 0.0
    char_sim: float = 0.0
    word_rank: int = 99
    char_rank: int = 99
    kind: str = ""
    sector: str = ""

    def usable_matches(self) -> list[LabelMatch]:
        return [m for m in self.matches if not m.negated and not m.hedged]


def candidate_features(candidate: Candidate) -> list[float]:
    usable = candidate.usable_matches()
    lemma = any(m.method == "lemma" for m in usable)
    matched = usable or candidate.matches
    return [
        float(lemma),
        float(bool(usable) and not lemma),
        math.log1p(len(usable)),
        float(max((len(m.pattern.lemmas) for m in matched), default=0)),
        float("competence" in candidate.via),
        float("detail" in candidate.via),
        float("profile" in candidate.via),
        float(any(m.pattern.is_preferred for m in usable)),
        candidate.word_sim,
        candidate.char_sim,
        1.0 / (1 + candidate.word_rank),
        1.0 / (1 + candidate.char_rank),
        float(bool(candidate.matches) and not usable and all(m.negated for m in candidate.matches)),
        float(
            bool(candidate.matches)
            and not usable
            and all(m.hedged and not m.negated for m in candidate.matches)
        ),
        math.log1p(len({m.pattern.label for m in usable})),
        1.0 / candidate.ambiguity,
        float(candidate.kind == "trasversale"),
        float(candidate.sector == "LIN"),
    ]


def matcher_score(candidate: Candidate) -> float:
    """The transparent score of the matcher alone, in [0, 1]: no trained model involved."""
    usable = candidate.usable_matches()
    if not usable:
        return 0.0
    lemma = any(m.method == "lemma" for m in usable)
    longest = max(len(m.pattern.lemmas) for m in usable)
    raw = (2.0 if lemma else 1.0) + 0.5 * min(longest, 4) + 0.5 * math.log1p(len(usable))
    raw += 0.5 / candidate.ambiguity + (0.3 if "competence" in candidate.via else 0.0)
    return min(1.0, raw / 6.0)


class Ranker:
    """Wraps the scikit-learn model; `None` model means 'matcher alone'."""

    def __init__(self, model: Pipeline | None = None):
        self.model = model

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, *, seed: int = 0) -> "Ranker":
        model = Pipeline(
            [
                ("scale", StandardScaler()),
                (
                    "logit",
                    LogisticRegression(
                        C=1.0, max_iter=2000, class_weight="balanced", random_state=seed
                    ),
                ),
            ]
        )
        model.fit(features, labels)
        return cls(model)

    def score(self, candidates: list[Candidate]) -> list[float]:
        if not candidates:
            return []
        if self.model is None:
            return [matcher_score(c) for c in candidates]
        matrix = np.array([candidate_features(c) for c in candidates], dtype=float)
        return [float(p) for p in self.model.predict_proba(matrix)[:, 1]]
