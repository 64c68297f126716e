"""Training and evaluation for the languages other than Italian. Pure Python.

One ranker and one show decision serve every other language: their features (what kind
of label matched, how specific, similarities, cues) do not depend on the language, and
pooling the training answers of the six languages gives them four hundred answers to
learn from rather than seventy. The Italian models are trained apart (ml.training), so
Italian figures do not move when these data change.
"""

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ml.languages import FOREIGN, ITALIAN, language_check
from ml.ranking import Ranker
from ml.recognizer import Analysis, Recognizer
from ml.training import (
    FOLDS,
    GOLD_DIR,
    Example,
    Metrics,
    _fit_ranker,
    _folds,
    _show_rows,
    _threshold,
    evaluate,
    load_examples,
    read_jsonl,
)

HELD_OUT = "heldout"  # answers never read while building: reported apart, never trained on


def language_gold_files(kind: str) -> dict[str, Path]:
    """language -> ml/data/gold/<lang>/<kind>.jsonl ("train", "dev" or "heldout")."""
    return {
        language: GOLD_DIR / language / f"{kind}.jsonl"
        for language in FOREIGN
        if (GOLD_DIR / language / f"{kind}.jsonl").exists()
    }


def load_language_examples(kind: str) -> dict[str, list[Example]]:
    return {language: load_examples(path) for language, path in language_gold_files(kind).items()}


def examples_by_language(paths: Sequence[Path]) -> dict[str, list[Example]]:
    """The answers of gold files grouped by their "lang" (ISO 639-1; Italian without it)."""
    grouped: dict[str, list[Example]] = {}
    for path in paths:
        for _line, row in read_jsonl(path):
            language = language_check(str(row.get("lang") or ITALIAN))
            example = Example(
                text=row["text"], codes=frozenset(row["codes"]), sector=row.get("sector", "")
            )
            grouped.setdefault(language, []).append(example)
    return grouped


def train_language_models(
    recognizers: Mapping[str, Recognizer],
    examples: Mapping[str, Sequence[Example]],
    *,
    seed: int = 0,
    folds: int = FOLDS,
) -> Ranker:
    """The ranker on the answers of every language, each read by its own pipeline, and
    the show decision cross-fitted on them as for Italian (ml.training.train_models)."""
    analyses: list[Analysis] = []
    pooled: list[Example] = []
    for language, items in examples.items():
        recognizer = recognizers[language]
        analyses.extend(recognizer.analyse(example.text) for example in items)
        pooled.extend(items)
    ranker = _fit_ranker(analyses, pooled, seed)
    fold_of = _folds(len(pooled), min(folds, len(pooled)), seed)
    if len(set(fold_of)) < 2:
        return ranker
    # Scoring reads only the analyses and the ranker: any of the recognisers will do.
    scorer = next(iter(recognizers.values()))
    data = _show_rows(scorer, analyses, pooled, fold_of, seed)
    if len(set(data.labels)) < 2:
        return ranker
    threshold = _threshold(data, fold_of, seed)
    return ranker.with_show(np.array(data.rows), np.array(data.labels), threshold, seed=seed)


def evaluate_languages(
    recognizers: Mapping[str, Recognizer], examples: Mapping[str, Sequence[Example]]
) -> dict[str, Metrics]:
    """Figures per language, each language's answers read by its own recogniser."""
    return {
        language: evaluate(recognizers[language], list(items))
        for language, items in examples.items()
        if items
    }


def pooled_score(metrics: Mapping[str, Metrics]) -> float:
    """What promotion compares: P@1 + R@5 + MRR + cards' F1, averaged over languages."""
    if not metrics:
        return 0.0
    return sum(
        m.precision_at_1 + m.recall_at_5 + m.mrr + m.card_f1 for m in metrics.values()
    ) / len(metrics)


def metrics_json(metrics: Mapping[str, Metrics]) -> str:
    return json.dumps({language: m.as_dict() for language, m in metrics.items()}, indent=2)
