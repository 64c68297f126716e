"""Training and evaluation of the recogniser's models. Pure Python: examples in, models and
figures out."""

import json
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ml.ranking import Ranker, candidate_features, card_limit
from ml.recognizer import Analysis, Recognizer

DATA_DIR = Path(__file__).resolve().parent / "data"
GOLD_DIR = DATA_DIR / "gold"
FOLDS = 5
THRESHOLDS = tuple(round(0.2 + 0.01 * step, 2) for step in range(71))  # 0.20 ... 0.90
NOT_ENOUGH_DATA = "Servono esempi positivi e negativi per addestrare il modello."


def gold_dev_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("dev-*.jsonl"))


def train_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("train*.jsonl"))


@dataclass(frozen=True)
class Example:
    """An answer and the competences it shows. `complete` means every other candidate
    is a negative (a labelled set); feedback examples only know what was decided."""

    text: str
    codes: frozenset[str]
    rejected: frozenset[str] = frozenset()
    complete: bool = True
    sector: str = ""

    def label(self, code: str) -> int | None:
        """1 right, 0 wrong, None unknown (feedback that did not decide this code)."""
        if code in self.codes:
            return 1
        if self.complete or code in self.rejected:
            return 0
        return None


@dataclass
class Metrics:
    """Ranking figures on answers that show a competence; card figures on every answer.

    A card is a suggestion the interview screen shows (`shown`). Card precision: share of
    cards that are right; card recall: share of the gold competences shown as a card.
    """

    answers: int = 0
    precision_at_1: float = 0.0
    recall_at_5: float = 0.0
    mrr: float = 0.0
    recall_at_5_uncapped: float = 0.0
    card_precision: float = 0.0
    card_recall: float = 0.0
    cards: int = 0
    no_skill_answers: int = 0
    no_skill_with_card: float = 0.0
    by_sector: dict[str, "Metrics"] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "answers": self.answers,
            "precision_at_1": round(self.precision_at_1, 4),
            "recall_at_5": round(self.recall_at_5, 4),
            "recall_at_5_uncapped": round(self.recall_at_5_uncapped, 4),
            "mrr": round(self.mrr, 4),
            "card_precision": round(self.card_precision, 4),
            "card_recall": round(self.card_recall, 4),
            "cards": self.cards,
            "no_skill_answers": self.no_skill_answers,
            "no_skill_with_card": round(self.no_skill_with_card, 4),
            "by_sector": {k: v.as_dict() for k, v in sorted(self.by_sector.items())},
        }

    @property
    def card_f1(self) -> float:
        total = self.card_precision + self.card_recall
        return 2 * self.card_precision * self.card_recall / total if total else 0.0

    def beats(self, other: "Metrics") -> bool:
        """Strictly better on the sum of P@1, R@5, MRR and the cards' F1."""
        mine = self.precision_at_1 + self.recall_at_5 + self.mrr + self.card_f1
        theirs = other.precision_at_1 + other.recall_at_5 + other.mrr + other.card_f1
        return mine > theirs + 1e-9


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if line.strip():
                yield line_number, json.loads(line)


def load_examples(path: Path) -> list[Example]:
    return [
        Example(text=row["text"], codes=frozenset(row["codes"]), sector=row.get("sector", ""))
        for _line, row in read_jsonl(path)
    ]


# --- training ---------------------------------------------------------------------------------


def _ranker_rows(
    analyses: Sequence[Analysis], examples: Sequence[Example]
) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for analysis, example in zip(analyses, examples, strict=True):
        for candidate in analysis.candidates:
            label = example.label(candidate.code)
            if label is not None:
                rows.append(candidate_features(candidate))
                labels.append(label)
    return np.array(rows, dtype=float), np.array(labels, dtype=int)


def _fit_ranker(analyses: Sequence[Analysis], examples: Sequence[Example], seed: int) -> Ranker:
    features, labels = _ranker_rows(analyses, examples)
    if len(set(labels.tolist())) < 2:
        raise ValueError(NOT_ENOUGH_DATA)
    return Ranker.fit(features, labels, seed=seed)


@dataclass
class _ShowRows:
    """Show-decision rows of every example, scored by a ranker that did not see it."""

    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    answer: list[int] = field(default_factory=list)  # index of the example
    eligible: list[bool] = field(default_factory=list)  # may be a card at all
    gold: list[int] = field(default_factory=list)  # gold competences per example


def _folds(count: int, folds: int, seed: int) -> list[int]:
    order = list(range(count))
    random.Random(seed).shuffle(order)
    fold_of = [0] * count
    for position, index in enumerate(order):
        fold_of[index] = position % folds
    return fold_of


def _show_rows(
    recognizer: Recognizer,
    analyses: Sequence[Analysis],
    examples: Sequence[Example],
    fold_of: list[int],
    seed: int,
) -> _ShowRows:
    data = _ShowRows(gold=[len(e.codes) if e.complete else 0 for e in examples])
    for fold in sorted(set(fold_of)):
        inside = [i for i, f in enumerate(fold_of) if f != fold]
        ranker = _fit_ranker([analyses[i] for i in inside], [examples[i] for i in inside], seed)
        scorer = recognizer.with_ranker(ranker)
        for index in (i for i, f in enumerate(fold_of) if f == fold):
            limit = card_limit(analyses[index].words)
            for item in scorer.score(analyses[index]):
                label = examples[index].label(item.candidate.code)
                if label is None:
                    continue
                data.rows.append(item.show_row)
                data.labels.append(label)
                data.answer.append(index)
                data.eligible.append(not item.candidate.unasserted_only and item.rank < limit)
    return data


def _card_balance(
    data: _ShowRows, probabilities: np.ndarray, threshold: float
) -> tuple[float, float]:
    """The smaller of card precision and card recall at `threshold`, then their F1."""
    shown = np.array(data.eligible) & (probabilities >= threshold)
    right = int((shown & (np.array(data.labels) == 1)).sum())
    total_shown, total_gold = int(shown.sum()), sum(data.gold)
    if not right:
        return 0.0, 0.0
    precision, recall = right / total_shown, right / total_gold
    return min(precision, recall), 2 * precision * recall / (precision + recall)


def _threshold(data: _ShowRows, folds: list[int], seed: int) -> float:
    """The show threshold where the weaker of card precision and card recall is best (the
    cards must be both right and complete: a counsellor misses what is not shown and
    wades through what is wrong), each answer judged by a show model that did not see it."""
    features, labels = np.array(data.rows), np.array(data.labels)
    answer_fold = np.array([folds[i] for i in data.answer])
    probabilities = np.zeros(len(labels))
    for fold in sorted(set(folds)):
        inside = answer_fold != fold
        if len(set(labels[inside].tolist())) < 2:
            continue
        model = Ranker().with_show(features[inside], labels[inside], 0.5, seed=seed)
        assert model.show is not None
        probabilities[~inside] = model.show.predict_proba(features[~inside])[:, 1]
    return _best_threshold(data, probabilities)


def _best_threshold(data: _ShowRows, probabilities: np.ndarray) -> float:
    """The lowest threshold where the weaker of card precision and card recall is best."""
    return max(THRESHOLDS, key=lambda t: (*_card_balance(data, probabilities, t), -t))


def train_models(
    recognizer: Recognizer, examples: Sequence[Example], *, seed: int = 0, folds: int = FOLDS
) -> Ranker:
    """The ranker on every example, and the show decision trained on the ranker's scores
    of answers it did not see (cross-fitting), with its threshold chosen for the cards."""
    analyses = [recognizer.analyse(example.text) for example in examples]
    ranker = _fit_ranker(analyses, examples, seed)
    fold_of = _folds(len(examples), min(folds, len(examples)), seed)
    if len(set(fold_of)) < 2:
        return ranker
    data = _show_rows(recognizer, analyses, examples, fold_of, seed)
    if len(set(data.labels)) < 2:
        return ranker
    threshold = _threshold(data, fold_of, seed)
    return ranker.with_show(np.array(data.rows), np.array(data.labels), threshold, seed=seed)


def train_ranker(recognizer: Recognizer, examples: list[Example], *, seed: int = 0) -> Ranker:
    """The ranker alone (no show decision): the scores order the candidates."""
    return _fit_ranker([recognizer.analyse(e.text) for e in examples], examples, seed)


# --- evaluation -------------------------------------------------------------------------------

Scores = tuple[float, float, float, float]


def _answer_scores(ranked: list[str], gold: frozenset[str]) -> Scores:
    """precision@1, capped recall@5, reciprocal rank, plain recall@5 of one answer.

    Capped recall (as BEIR's R_cap@k) divides by min(|gold|, 5), so an answer showing eight
    competences can still reach 1.0 in five suggestions; the plain figure is kept beside it.
    """
    found = len(gold & set(ranked[:5]))
    precision = float(bool(ranked) and ranked[0] in gold)
    reciprocal = next((1.0 / (i + 1) for i, code in enumerate(ranked) if code in gold), 0.0)
    return precision, found / min(len(gold), 5), reciprocal, found / len(gold)


def _mean(rows: list[Scores]) -> Metrics:
    if not rows:
        return Metrics()
    p, r, m, plain = (sum(column) / len(rows) for column in zip(*rows, strict=True))
    return Metrics(
        answers=len(rows), precision_at_1=p, recall_at_5=r, mrr=m, recall_at_5_uncapped=plain
    )


@dataclass
class _Cards:
    shown: int = 0
    right: int = 0
    gold: int = 0

    def add(self, cards: set[str], gold: frozenset[str]) -> None:
        self.shown += len(cards)
        self.right += len(cards & gold)
        self.gold += len(gold)


def evaluate(
    recognizer: Recognizer,
    examples: list[Example],
    *,
    top_k: int = 10,
) -> Metrics:
    """Ranking figures (P@1, R@5, MRR) on the answers that show a competence, overall and
    per sector; card precision and recall over every answer; the share of answers without
    a competence that still show a card."""
    overall: list[Scores] = []
    sectors: dict[str, list[Scores]] = defaultdict(list)
    cards, sector_cards = _Cards(), defaultdict[str, _Cards](_Cards)
    no_skill = no_skill_with_card = 0
    for example in examples:
        suggestions = recognizer.suggest(example.text, top_k=top_k, min_score=1e-9)
        shown = {s.code for s in suggestions if s.shown}
        cards.add(shown, example.codes)
        if not example.codes:
            no_skill += 1
            no_skill_with_card += bool(shown)
            continue
        scores = _answer_scores([s.code for s in suggestions], example.codes)
        overall.append(scores)
        for sector in {code.split("-")[0] for code in example.codes}:
            sectors[sector].append(scores)
            sector_cards[sector].add(
                {c for c in shown if c.startswith(sector)},
                frozenset(c for c in example.codes if c.startswith(sector)),
            )
    metrics = _mean(overall)
    _fill_cards(metrics, cards)
    metrics.no_skill_answers = no_skill
    metrics.no_skill_with_card = no_skill_with_card / no_skill if no_skill else 0.0
    metrics.by_sector = {sector: _mean(rows) for sector, rows in sectors.items()}
    for sector, figures in metrics.by_sector.items():
        _fill_cards(figures, sector_cards[sector])
    return metrics


def _fill_cards(metrics: Metrics, cards: _Cards) -> None:
    metrics.cards = cards.shown
    metrics.card_precision = cards.right / cards.shown if cards.shown else 0.0
    metrics.card_recall = cards.right / cards.gold if cards.gold else 0.0
