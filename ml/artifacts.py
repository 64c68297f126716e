"""Versioned model files, kept outside git under PONTE_ML_ARTIFACT_DIR.

<dir>/versions/<version>/ranker.joblib and meta.json; <dir>/current.json names the
promoted version. Writes go to a temporary name first, then are renamed (atomic).
"""

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import joblib
from django.conf import settings

from ml.ranking import FEATURES, SHOW_FEATURES, Ranker

MATCHER_ONLY = "matcher"
logger = logging.getLogger(__name__)
CURRENT = "current.json"  # the Italian models
CURRENT_LANGUAGES = "current-languages.json"  # the models of the other languages


def artifact_dir() -> Path:
    return Path(settings.PONTE_ML_ARTIFACT_DIR)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def new_version() -> str:
    return datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S-%f")


def save_ranker(ranker: Ranker, *, meta: dict[str, object]) -> str:
    version = new_version()
    folder = artifact_dir() / "versions" / version
    folder.mkdir(parents=True, exist_ok=True)
    models = {
        "ranker": ranker.model,
        "show": ranker.show,
        "threshold": ranker.threshold,
        "features": list(FEATURES),
        "show_features": list(SHOW_FEATURES),
    }
    joblib.dump(models, folder / "ranker.joblib")
    _write_atomic(folder / "meta.json", json.dumps({"version": version, **meta}, indent=2))
    return version


def read_meta(version: str) -> dict[str, object]:
    path = artifact_dir() / "versions" / version / "meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def current_version(pointer_name: str = CURRENT) -> str:
    pointer = artifact_dir() / pointer_name
    if not pointer.exists():
        return MATCHER_ONLY
    return str(json.loads(pointer.read_text(encoding="utf-8"))["version"])


def promote(version: str, pointer_name: str = CURRENT) -> None:
    _write_atomic(artifact_dir() / pointer_name, json.dumps({"version": version}))


def _saved(version: str) -> object:
    return joblib.load(artifact_dir() / "versions" / version / "ranker.joblib")


def _fits(saved: object) -> bool:
    """Were these models trained on the features the code computes today?"""
    if not isinstance(saved, dict):  # a bare ranker, saved before the show decision
        return getattr(saved, "n_features_in_", None) == len(FEATURES)
    return saved.get("features") == list(FEATURES) and saved.get("show_features") == list(
        SHOW_FEATURES
    )


def usable(version: str) -> bool:
    """Can the code of today use `version`? A model trained on other features cannot: it
    must be trained again (`ml_train --bootstrap` does)."""
    return version == MATCHER_ONLY or _fits(_saved(version))


def load_ranker(version: str) -> Ranker:
    """The saved models of `version`. A version whose features are not today's is not
    used: the matcher's own score decides until a model is trained again."""
    if version == MATCHER_ONLY:
        return Ranker()
    saved = _saved(version)
    if not _fits(saved):
        logger.warning("Modello %s addestrato su altre caratteristiche: non usato.", version)
        return Ranker()
    if not isinstance(saved, dict):
        return Ranker(saved)
    return Ranker(saved["ranker"], saved["show"], float(saved["threshold"]))
