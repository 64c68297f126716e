"""A small learned re-ranker: logistic regression over the formula's own ingredients.

It learns from proposal outcomes (accepted, started, completed vs rejected, interrupted)
which ingredients predict success, and re-orders the formula's best results. Below
MIN_OUTCOMES outcomes (or with one class only) there is no model and the transparent
formula decides alone. The model is stored as JSON (coefficients, scaler), never pickled.
Pure Python + scikit-learn: no ORM (search.ranking_data reads the outcomes).
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from search import matching
from search.types import COURSE, OFFER, PLACEMENT, Credit, OpportunityDoc

FEATURES = (
    "skill_score",
    "essential_coverage",
    "optional_coverage",
    "distance_factor",
    "certified_share",
    "kind_offer",
    "kind_course",
    "kind_placement",
)
MIN_OUTCOMES = 200
POSITIVE = frozenset({"accettata", "avviata", "conclusa"})
NEGATIVE = frozenset({"rifiutata", "interrotta"})
RERANK_WINDOW = 200
"""The formula's best results the model may re-order (pages beyond keep the formula order)."""


def _coverage(doc: OpportunityDoc, credits: Mapping[int, Credit], essential: bool) -> float:
    wanted = [r.concept_id for r in doc.requirements if r.essential == essential]
    if not wanted:
        return 1.0
    return sum(credits[c].value for c in wanted if c in credits) / len(wanted)


def features_for(
    doc: OpportunityDoc, credits: Mapping[int, Credit], distance_km: float | None
) -> list[float]:
    values = {c: credit.value for c, credit in credits.items()}
    pairs = [(r.concept_id, r.essential) for r in doc.requirements]
    matched = [credits[r.concept_id] for r in doc.requirements if r.concept_id in credits]
    certified = sum(1 for credit in matched if credit.stage == "certificata")
    return [
        matching.skill_score(pairs, values),
        _coverage(doc, credits, essential=True),
        _coverage(doc, credits, essential=False),
        matching.distance_factor(distance_km),
        certified / len(matched) if matched else 0.0,
        float(doc.kind == OFFER),
        float(doc.kind == COURSE),
        float(doc.kind == PLACEMENT),
    ]


@dataclass(frozen=True)
class RankerModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    outcomes: int
    positive_share: float

    def score(self, rows: Sequence[Sequence[float]]) -> npt.NDArray[np.float64]:
        """Probability of a good outcome for each feature row."""
        x = (np.asarray(rows, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        z = x @ np.asarray(self.coef) + self.intercept
        probabilities: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return probabilities

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> "RankerModel":
        data = json.loads(text)
        for name in ("features", "mean", "scale", "coef"):
            data[name] = tuple(data[name])
        return cls(**data)


def train(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> RankerModel | None:
    """A model from outcome rows, or None when there are too few or only one class."""
    if len(labels) < MIN_OUTCOMES or len(set(labels)) < 2:
        return None
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    classifier = LogisticRegression(class_weight="balanced", max_iter=1000)
    classifier.fit((x - scaler.mean_) / scale, y)
    return RankerModel(
        features=FEATURES,
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in classifier.coef_[0]),
        intercept=float(classifier.intercept_[0]),
        outcomes=len(y),
        positive_share=float(y.mean()),
    )


def model_save(model: RankerModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(model.to_json())
    temporary.replace(path)


_cache: dict[Path, tuple[float, RankerModel | None]] = {}


def model_load(path: Path) -> RankerModel | None:
    """The stored model (re-read when the file changes), or None: the formula decides."""
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        model = RankerModel.from_json(path.read_text())
        usable = (
            model if model.features == FEATURES and all(map(math.isfinite, model.coef)) else None
        )
        _cache[path] = (stamp, usable)
    return _cache[path][1]
