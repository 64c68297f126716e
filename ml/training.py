"""Training and evaluation of the ranker. Pure Python: examples in, models and figures out."""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ml.ranking import Ranker, candidate_features
from ml.recognizer import Recognizer

DATA_DIR = Path(__file__).resolve().parent / "data"
GOLD_DIR = DATA_DIR / "gold"


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


@dataclass
class Metrics:
    answers: int = 0
    precision_at_1: float = 0.0
    recall_at_5: float = 0.0
    mrr: float = 0.0
    recall_at_5_uncapped: float = 0.0
    by_sector: dict[str, "Metrics"] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "answers": self.answers,
            "precision_at_1": round(self.precision_at_1, 4),
            "recall_at_5": round(self.recall_at_5, 4),
            "mrr": round(self.mrr, 4),
            "by_sector": {k: v.as_dict() for k, v in sorted(self.by_sector.items())},
        }

    def beats(self, other: "Metrics") -> bool:
        """Strictly better on the mean of the three figures."""
        mine = self.precision_at_1 + self.recall_at_5 + self.mrr
        theirs = other.precision_at_1 + other.recall_at_5 + other.mrr
        return mine > theirs + 1e-9


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if line.strip():
                yield line_number, json.loads(line)


def load_examples(path: Path) -> list[Example]:
    return [
        Example(text=row["text"], codes=frozenset(row["codes"]), sector=row.get("sector", ""))
        for _line, row in read_jsonl(path)
    ]


def training_matrix(
    recognizer: Recognizer, examples: Iterable[Example]
) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for example in examples:
        for candidate in recognizer.analyse(example.text).candidates:
            if candidate.code in example.codes:
                label = 1
            elif example.complete or candidate.code in example.rejected:
                label = 0
            else:
                continue
            rows.append(candidate_features(candidate))
            labels.append(label)
    return np.array(rows, dtype=float), np.array(labels, dtype=int)


def train_ranker(recognizer: Recognizer, examples: list[Example], *, seed: int = 0) -> Ranker:
    features, labels = training_matrix(recognizer, examples)
    if len(set(labels.tolist())) < 2:
        raise ValueError("Servono esempi positivi e negativi per addestrare il modello.")
    return Ranker.fit(features, labels, seed=seed)


Scores = tuple[float, float, float, float]


def _answer_scores(ranked: list[str], gold: frozenset[str]) -> Scores:
    """precision@1, capped recall@5, reciprocal rank, plain recall@5 of one answer.

    Capped recall (as BEIR's R_cap@k) divides by min(|gold|, 5), so an answer showing eight
    competences can still reach 1.0 in five suggestions; the plain figure is kept beside it.
    An answer with no competence counts as a hit when nothing is suggested.
    """
    if not gold:
        empty = float(not ranked)
        return empty, empty, empty, empty
    found = len(gold & set(ranked[:5]))
    precision = float(bool(ranked) and ranked[0] in gold)
    reciprocal = next((1.0 / (i + 1) for i, code in enumerate(ranked) if code in gold), 0.0)
    return precision, found / min(len(gold), 5), reciprocal, found / len(gold)


def _mean(rows: list[Scores]) -> Metrics:
    if not rows:
        return Metrics()
    p, r, m, plain = (sum(column) / len(rows) for column in zip(*rows, strict=True))
    return Metrics(answers=len(rows), precision_at_1=p, recall_at_5=r, mrr=m,
                   recall_at_5_uncapped=plain)


def evaluate(recognizer: Recognizer, examples: list[Example], *, top_k: int = 10) -> Metrics:
    """precision@1, recall@5 and MRR over labelled answers, overall and per sector."""
    overall: list[Scores] = []
    sectors: dict[str, list[Scores]] = defaultdict(list)
    for example in examples:
        suggestions = recognizer.suggest(example.text, top_k=top_k, min_score=1e-9)
        ranked = [s.code for s in suggestions]
        scores = _answer_scores(ranked, example.codes)
        overall.append(scores)
        for sector in {code.split("-")[0] for code in example.codes}:
            sectors[sector].append(scores)
    metrics = _mean(overall)
    metrics.by_sector = {sector: _mean(rows) for sector, rows in sectors.items()}
    return metrics
