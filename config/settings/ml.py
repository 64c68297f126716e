"""Skill recognition: where model artifacts live (outside git)."""

from config.env import BASE_DIR, env

PONTE_ML_ARTIFACT_DIR = env.path("PONTE_ML_ARTIFACT_DIR", default=BASE_DIR / "var" / "models")
