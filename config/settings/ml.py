"""Skill recognition: where model artifacts live (outside git)."""

from config.env import BASE_DIR, env

PONTE_ML_ARTIFACT_DIR = env.path("PONTE_ML_ARTIFACT_DIR", default=BASE_DIR / "var" / "models")
PONTE_ML_TOP_K = env.int("PONTE_ML_TOP_K", default=5)
# Suggestions scoring below this are not shown to the counsellor.
PONTE_ML_MIN_SCORE = env.float("PONTE_ML_MIN_SCORE", default=0.3)
# Build the recogniser when a web or ml worker process starts (config/warmup.py), not on its
# first request.
PONTE_ML_WARM_ON_START = env.bool("PONTE_ML_WARM_ON_START", default=True)
