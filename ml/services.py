"""The ORM boundary of the recogniser: framework in, suggestions stored, models trained."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from competenze.models import Concept, ConceptRelation, Framework
from competenze.selectors.framework import FrameworkMissing, framework_default_get
from ml import artifacts
from ml.errors import RecognizerUnavailable
from ml.recognizer import Recognizer
from ml.training import (
    Example,
    Metrics,
    evaluate,
    gold_dev_files,
    load_examples,
    train_files,
    train_models,
)
from ml.types import ConceptText

logger = logging.getLogger(__name__)


def concept_texts(*, framework: Framework) -> list[ConceptText]:
    """Every concept of `framework`, with profiles carrying their essential competences."""
    implies: dict[int, list[str]] = {}
    relations = ConceptRelation.objects.filter(
        source__framework=framework, kind=ConceptRelation.Kind.ESSENTIAL
    ).values_list("source_id", "target__code")
    for source_id, target_code in relations:
        implies.setdefault(source_id, []).append(target_code)
    rows = Concept.objects.filter(framework=framework).values_list(
        "id",
        "code",
        "kind",
        "pref_label",
        "alt_labels",
        "description",
        "parent__code",
        "sector__code",
    )
    return [
        ConceptText(
            code=code,
            kind=kind,
            pref_label=label,
            alt_labels=tuple(alt or ()),
            description=description,
            parent_code=parent,
            sector=sector or "",
            implies=tuple(implies.get(pk, ())),
        )
        for pk, code, kind, label, alt, description, parent, sector in rows
    ]


def _default_framework() -> Framework:
    try:
        return framework_default_get()
    except FrameworkMissing as error:
        raise RecognizerUnavailable(error.message) from error


@lru_cache(maxsize=4)
def _cached_recognizer(framework_id: int, updated: str, version: str) -> Recognizer:
    framework = Framework.objects.get(pk=framework_id)
    return Recognizer(concept_texts(framework=framework), ranker=artifacts.load_ranker(version))


def get_recognizer(*, version: str | None = None) -> Recognizer:
    """The recogniser for the default framework and the promoted model, built once per
    process (and again only when the framework or the promoted model changes).

    Raises RecognizerUnavailable when no framework is the default one."""
    framework = _default_framework()
    return _cached_recognizer(
        framework.pk, framework.updated_at.isoformat(), version or artifacts.current_version()
    )


WISH_POOL = 50
"""How many of the recogniser's candidates are read for wishes (the cards are the best
PONTE_ML_TOP_K of them, as before)."""


def answer_extract(*, answer_id: int) -> int:
    """Suggest competences for one interview answer waiting for them, store them; returns
    how many. Idempotent (the outbox may deliver twice): an answer that is not waiting
    (deleted, ready, failed) is left alone, and suggestions for a text changed meanwhile
    are not stored (the new text has its own request). A failing recogniser marks the
    answer «errore», a final state: saving the answer again asks again."""
    from competenze.models import InterviewAnswer
    from competenze.services.interviews import answer_extraction_failed, answer_suggestions_store

    answer = InterviewAnswer.objects.filter(pk=answer_id).first()
    if answer is None or answer.extraction_status != InterviewAnswer.ExtractionStatus.PENDING:
        return 0
    version = artifacts.current_version()
    try:
        suggestions = get_recognizer(version=version).suggest(
            answer.text, top_k=WISH_POOL, min_score=0.0
        )
    except Exception as error:
        logger.exception("Estrazione fallita per la risposta %s", answer_id)
        answer_extraction_failed(answer=answer, error=type(error).__name__)
        return 0
    best = suggestions[: settings.PONTE_ML_TOP_K]
    shown = [s for s in best if s.shown and s.score >= settings.PONTE_ML_MIN_SCORE]
    # A wish is never a card (its score is low: it is not experience), but what the person
    # wishes counts as an interest in matching: kept apart, whatever its score.
    wishes = [s for s in suggestions if s.wish and not s.negated]
    return answer_suggestions_store(
        answer=answer,
        suggestions=shown,
        model_version=version,
        extracted_from=answer.text,
        wishes=wishes,
    )


def feedback_examples() -> list[Example]:
    """Counsellors' accept/reject decisions, grouped by answer, as partial examples."""
    from competenze.selectors.interviews import suggestion_feedback_examples

    accepted: dict[str, set[str]] = {}
    rejected: dict[str, set[str]] = {}
    for text, code, was_accepted in suggestion_feedback_examples():
        (accepted if was_accepted else rejected).setdefault(text, set()).add(code)
        accepted.setdefault(text, set())
    return [
        Example(
            text=text,
            codes=frozenset(codes),
            rejected=frozenset(rejected.get(text, ())),
            complete=False,
        )
        for text, codes in accepted.items()
    ]


def shipped_examples(paths: list[Path]) -> list[Example]:
    return [example for path in paths for example in load_examples(path)]


@dataclass(frozen=True)
class RetrainResult:
    version: str
    promoted: bool
    candidate: Metrics
    current: Metrics
    training_answers: int


def model_retrain(*, promote_if_better: bool = True, seed: int = 0) -> RetrainResult:
    """Train the ranker and the show decision on shipped answers + counsellors' feedback,
    evaluate them on the development gold set against the promoted model, promote them
    only if they are better."""
    examples = shipped_examples(train_files()) + feedback_examples()
    gold = shipped_examples(gold_dev_files())
    base = get_recognizer(version=artifacts.MATCHER_ONLY)
    ranker = train_models(base, examples, seed=seed)
    current_version = artifacts.current_version()
    current = evaluate(get_recognizer(version=current_version), gold)
    candidate = evaluate(base.with_ranker(ranker), gold)
    version = artifacts.save_ranker(
        ranker,
        meta={
            "training_answers": len(examples),
            "show_threshold": ranker.show_threshold(),
            "metrics": candidate.as_dict(),
            "compared_with": current_version,
            "compared_metrics": current.as_dict(),
        },
    )
    promoted = promote_if_better and (not gold or candidate.beats(current))
    if promoted:
        artifacts.promote(version)
    logger.info("Modello %s: promosso=%s", version, promoted)
    return RetrainResult(
        version=version,
        promoted=promoted,
        candidate=candidate,
        current=current,
        training_answers=len(examples),
    )
