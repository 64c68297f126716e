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
from ml.language_training import (
    evaluate_languages,
    load_language_examples,
    pooled_score,
    train_language_models,
)
from ml.languages import ITALIAN, detect_language, language_check
from ml.multilingual import LanguageRecognizer, read_language_labels
from ml.ranking import MAX_CARDS_PER_ANSWER
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
from ml.types import ConceptText, Suggestion

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


def _model_version(language: str) -> str:
    """The promoted models that read an answer in `language`."""
    if language == ITALIAN or not language_has_labels(language=language):
        return artifacts.current_version()  # read by the Italian recogniser
    return artifacts.current_version(artifacts.CURRENT_LANGUAGES)


def get_recognizer(*, version: str | None = None) -> Recognizer:
    """The recogniser for the default framework and the promoted model, built once per
    process (and again only when the framework or the promoted model changes).

    Raises RecognizerUnavailable when no framework is the default one."""
    framework = _default_framework()
    return _cached_recognizer(
        framework.pk, framework.updated_at.isoformat(), version or artifacts.current_version()
    )


WISH_POOL = 50
"""How many of the recogniser's candidates are read for wishes (the cards are still the best
`top_k` of them: PONTE_ML_TOP_K, or more for a long answer)."""


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
    top_k = max(settings.PONTE_ML_TOP_K, MAX_CARDS_PER_ANSWER)  # a long answer shows more
    try:
        language, suggestions = skills_suggest(
            text=answer.text,
            language=answer.language or None,  # the interview's, else detected
            top_k=max(top_k, WISH_POOL),
            min_score=0.0,
        )
    except Exception as error:
        logger.exception("Estrazione fallita per la risposta %s", answer_id)
        answer_extraction_failed(answer=answer, error=type(error).__name__)
        return 0
    best = suggestions[:top_k]
    shown = [s for s in best if s.shown and s.score >= settings.PONTE_ML_MIN_SCORE]
    # A wish is never a card (its score is low: it is not experience), but what the person
    # wishes counts as an interest in matching: kept apart, whatever its score.
    wishes = [s for s in suggestions if s.wish and not s.negated]
    return answer_suggestions_store(
        answer=answer,
        suggestions=shown,
        model_version=_model_version(language),
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


# --- answers in other languages (ml.multilingual) -------------------------------------------


def language_labels_dir(*, framework: Framework, language: str) -> Path:
    """Where the framework's labels in `language` are (labels/<lang>/*.csv)."""
    from competenze.services.framework import SHIPPED_FRAMEWORK_DIR

    return SHIPPED_FRAMEWORK_DIR / framework.code / "labels" / language


@lru_cache(maxsize=8)
def _cached_language_base(framework_id: int, updated: str, language: str) -> Recognizer:
    """The pipeline, labels and index of one language, built once (seconds)."""
    framework = Framework.objects.get(pk=framework_id)
    labels = read_language_labels(language_labels_dir(framework=framework, language=language))
    return LanguageRecognizer(concept_texts(framework=framework), labels, language=language)


@lru_cache(maxsize=32)
def _cached_language_recognizer(
    framework_id: int, updated: str, language: str, version: str
) -> Recognizer:
    base = _cached_language_base(framework_id, updated, language)
    return base.with_ranker(artifacts.load_ranker(version))


def language_has_labels(*, language: str) -> bool:
    folder = language_labels_dir(framework=_default_framework(), language=language)
    return any(folder.glob("*.csv"))


def get_language_recognizer(*, language: str, version: str | None = None) -> Recognizer:
    """The recogniser for answers in `language` (ISO 639-1): Italian's own, or the
    pipeline of that language on the framework's translated labels with the models of
    the other languages. A language the framework has no labels in is read as Italian.

    Raises UnknownLanguage for a language Ponte does not read, RecognizerUnavailable
    when no framework is the default one."""
    language = language_check(language)
    if language == ITALIAN or not language_has_labels(language=language):
        return get_recognizer(version=version)
    framework = _default_framework()
    return _cached_language_recognizer(
        framework.pk,
        framework.updated_at.isoformat(),
        language,
        version or artifacts.current_version(artifacts.CURRENT_LANGUAGES),
    )


def skills_suggest(
    *, text: str, language: str | None = None, top_k: int = 5, min_score: float = 0.0
) -> tuple[str, list[Suggestion]]:
    """The suggestions for an answer, read in `language` (the interview's) or, when the
    caller does not know it, in the language detected from the text. Returns the language
    used with them."""
    used = language_check(language) if language else detect_language(text)
    recognizer = get_language_recognizer(language=used)
    return used, recognizer.suggest(text, top_k=top_k, min_score=min_score)


@dataclass(frozen=True)
class LanguageRetrainResult:
    version: str
    promoted: bool
    candidate: dict[str, Metrics]
    current: dict[str, Metrics]
    training_answers: int


def language_models_retrain(
    *, promote_if_better: bool = True, seed: int = 0
) -> LanguageRetrainResult:
    """Train the models of the other languages on their shipped training answers,
    evaluate them on their development answers against the promoted ones, and promote
    them only if they are better on average over the languages."""
    train = load_language_examples("train")
    gold = load_language_examples("dev")
    languages = sorted(set(train) | set(gold))
    base = {
        language: get_language_recognizer(language=language, version=artifacts.MATCHER_ONLY)
        for language in languages
    }
    ranker = train_language_models(base, train, seed=seed)
    current_version = artifacts.current_version(artifacts.CURRENT_LANGUAGES)
    current = evaluate_languages(
        {
            language: get_language_recognizer(language=language, version=current_version)
            for language in languages
        },
        gold,
    )
    candidate = evaluate_languages(
        {language: recognizer.with_ranker(ranker) for language, recognizer in base.items()}, gold
    )
    version = artifacts.save_ranker(
        ranker,
        meta={
            "languages": languages,
            "training_answers": sum(len(items) for items in train.values()),
            "show_threshold": ranker.show_threshold(),
            "metrics": {language: m.as_dict() for language, m in candidate.items()},
            "compared_with": current_version,
        },
    )
    better = pooled_score(candidate) > pooled_score(current) + 1e-9
    promoted = promote_if_better and (not gold or better)
    if promoted:
        artifacts.promote(version, artifacts.CURRENT_LANGUAGES)
    logger.info("Modello delle altre lingue %s: promosso=%s", version, promoted)
    return LanguageRetrainResult(
        version=version,
        promoted=promoted,
        candidate=candidate,
        current=current,
        training_answers=sum(len(items) for items in train.values()),
    )
