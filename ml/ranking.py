"""Candidate features, the ranker that orders them and the decision to show them as cards.

Two scikit-learn models over interpretable features. The *ranker* (logistic regression,
balanced classes) orders an answer's candidates: what kind of label matched (lemma or stem,
the competence itself, one of its abilities, a job title), how specific the label is, and
TF-IDF similarities between the person's own words and the competence's texts. The *show*
model (logistic regression, calibrated probabilities) decides which candidates become cards
a counsellor reads, from the ranker's score and the answer around it (rank, gap to the best,
whether the words are the person's own, shared with a better candidate...). Candidates
supported only by denied, wished or other people's words are never shown.
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
    "only_wish",
    "only_others",
    "distinct_labels",
    "specificity",
    "transversal",
    "language",
    "similarity_only",
    "profile_fit",
    "action_match",
    "own_voice",
    "title_order",
)
SHOW_FEATURES = (
    "score_logit",
    "rank_inv",
    "gap_to_best",
    "asserted_match",
    "similarity_only",
    "profile_only",
    "shares_span_with_better",
    "answer_words_log",
    "asserted_candidates_log",
    "transversal",
    "stem_only",
    "specificity",
    "inside_better_span",
    "word_sim",
    "char_sim",
    "no_asserted_match_in_answer",
    "profile_fit",
    "action_match",
    "title_order",
    "score_if_similarity_only",
    "score_if_profile_only",
    "score_if_transversal",
)
MATCHER_SHOW_SCORE = 0.5  # without a trained model: the matcher's score to show a card
DEFAULT_SHOW_THRESHOLD = 0.5
CARDS_PER_ANSWER = 5  # the cards a short answer may show at most
MAX_CARDS_PER_ANSWER = 8  # ... and a long one, telling several jobs
WORDS_PER_EXTRA_CARD = 10


def card_limit(words: int) -> int:
    """How many cards an answer of `words` content words may show at most: five below
    twenty words, one more for each further ten, eight from forty. A long answer that tells
    several jobs holds more competences; a short one never floods the screen."""
    extra = max(0, words // WORDS_PER_EXTRA_CARD - 1)
    return min(MAX_CARDS_PER_ANSWER, CARDS_PER_ANSWER + extra)


@dataclass
class Candidate:
    code: str
    matches: list[LabelMatch] = field(default_factory=list)
    via: dict[str, bool] = field(default_factory=dict)  # source -> said by the person?
    ambiguity: int = 1
    word_sim: float = 0.0
    char_sim: float = 0.0
    word_rank: int = 99
    char_rank: int = 99
    kind: str = ""
    sector: str = ""
    profile_fit: float = 0.0  # how central it is to the job titles said (1: the most)
    title_order: float = 0.0  # 1 if a job title said names it first, 1/2 second... (table)

    def usable_matches(self) -> list[LabelMatch]:
        """Matches on the person's own experience (not denied, wished or of others)."""
        return [m for m in self.matches if m.asserted]

    @property
    def unasserted_only(self) -> bool:
        """Only denied, wished or other people's words support it: never a card."""
        return bool(self.matches) and not self.usable_matches()

    def sources(self) -> set[str]:
        asserted = {source for source, own in self.via.items() if own}
        return asserted or set(self.via)


def _only(candidate: Candidate, flag: str) -> float:
    return float(candidate.unasserted_only and all(getattr(m, flag) for m in candidate.matches))


def candidate_features(candidate: Candidate) -> list[float]:
    usable = candidate.usable_matches()
    lemma = any(m.method != "stem" for m in usable)
    matched = usable or candidate.matches
    sources = candidate.sources()
    return [
        float(lemma),
        float(bool(usable) and not lemma),
        math.log1p(len(usable)),
        float(max((len(m.pattern.lemmas) for m in matched), default=0)),
        float("competence" in sources),
        float("detail" in sources),
        float("profile" in sources),
        float(any(m.pattern.is_preferred for m in usable)),
        candidate.word_sim,
        candidate.char_sim,
        1.0 / (1 + candidate.word_rank),
        1.0 / (1 + candidate.char_rank),
        _only(candidate, "negated"),
        _only(candidate, "wish"),
        _only(candidate, "others"),
        math.log1p(len({m.pattern.label for m in usable})),
        1.0 / candidate.ambiguity,
        float(candidate.kind == "trasversale"),
        float(candidate.sector == "LIN"),
        float(not candidate.matches),
        candidate.profile_fit,
        float(any(m.action for m in usable)),
        float(any(m.own_voice for m in usable)),
        candidate.title_order,
    ]


@dataclass(frozen=True)
class AnswerContext:
    """What the show decision knows of the answer around a candidate."""

    words: int
    asserted_candidates: int
    best_logit: float


LOGIT_LIMIT = 5.0


def logit(probability: float) -> float:
    """log-odds, clipped to ±5: beyond that the ranker is sure and the size says nothing."""
    clipped = min(max(probability, 1e-6), 1 - 1e-6)
    return min(max(math.log(clipped / (1 - clipped)), -LOGIT_LIMIT), LOGIT_LIMIT)


@dataclass(frozen=True)
class SpanPlace:
    """Where a candidate's words stand against those of better-ranked candidates."""

    shared: bool  # the same words already support a better candidate
    inside: bool  # the words are part of a better candidate's longer words


def show_features(
    candidate: Candidate, score: float, rank: int, place: SpanPlace, context: AnswerContext
) -> list[float]:
    usable = candidate.usable_matches()
    sources = candidate.sources()
    return [
        logit(score),
        1.0 / (1 + rank),
        context.best_logit - logit(score),
        float(bool(usable)),
        float(not candidate.matches),
        float(sources == {"profile"}),
        float(place.shared),
        math.log1p(context.words),
        math.log1p(context.asserted_candidates),
        float(candidate.kind == "trasversale"),
        float(bool(usable) and all(m.method == "stem" for m in usable)),
        1.0 / candidate.ambiguity,
        float(place.inside),
        candidate.word_sim,
        candidate.char_sim,
        float(context.asserted_candidates == 0),
        candidate.profile_fit,
        float(any(m.action for m in usable)),
        candidate.title_order,
        logit(score) * float(not candidate.matches),
        logit(score) * float(sources == {"profile"}),
        logit(score) * float(candidate.kind == "trasversale"),
    ]


def matcher_score(candidate: Candidate) -> float:
    """The transparent score of the matcher alone, in [0, 1]: no trained model involved."""
    usable = candidate.usable_matches()
    if not usable:
        return 0.0
    lemma = any(m.method != "stem" for m in usable)
    longest = max(len(m.pattern.lemmas) for m in usable)
    raw = (2.0 if lemma else 1.0) + 0.5 * min(longest, 4) + 0.5 * math.log1p(len(usable))
    raw += 0.5 / candidate.ambiguity + (0.3 if "competence" in candidate.sources() else 0.0)
    return min(1.0, raw / 6.0)


def _logistic(*, balanced: bool, seed: int) -> Pipeline:
    return Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "logit",
                LogisticRegression(
                    C=1.0,
                    max_iter=2000,
                    class_weight="balanced" if balanced else None,
                    random_state=seed,
                ),
            ),
        ]
    )


class Ranker:
    """The trained models; without them, the matcher's own score decides alone.

    `model` orders candidates; `show` (optional) gives the calibrated probability that a
    candidate is right, shown as a card from `threshold` up.
    """

    def __init__(
        self,
        model: Pipeline | None = None,
        show: Pipeline | None = None,
        threshold: float = DEFAULT_SHOW_THRESHOLD,
    ):
        self.model = model
        self.show = show
        self.threshold = threshold

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, *, seed: int = 0) -> "Ranker":
        model = _logistic(balanced=True, seed=seed)
        model.fit(features, labels)
        return cls(model)

    def with_show(
        self, features: np.ndarray, labels: np.ndarray, threshold: float, *, seed: int = 0
    ) -> "Ranker":
        show = _logistic(balanced=False, seed=seed)
        show.fit(features, labels)
        return Ranker(self.model, show, threshold)

    @property
    def trained(self) -> bool:
        return self.model is not None

    def score(self, candidates: list[Candidate]) -> list[float]:
        if not candidates:
            return []
        if self.model is None:
            return [matcher_score(c) for c in candidates]
        matrix = np.array([candidate_features(c) for c in candidates], dtype=float)
        return [float(p) for p in self.model.predict_proba(matrix)[:, 1]]

    def confidence(self, rows: list[list[float]], scores: list[float]) -> list[float]:
        """Probability that each candidate is right (the ranker's score without a show
        model)."""
        if self.show is None or not rows:
            return list(scores)
        matrix = np.array(rows, dtype=float)
        return [float(p) for p in self.show.predict_proba(matrix)[:, 1]]

    def show_threshold(self) -> float:
        if self.show is not None:
            return self.threshold
        return MATCHER_SHOW_SCORE if self.model is None else DEFAULT_SHOW_THRESHOLD
