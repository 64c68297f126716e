"""Benchmarks of skill recognition: quality on the development gold set, and speed.

Run by `make bench` (manage.py bench). Figures are printed with the data size and the
machine; nothing here is asserted in tests.
"""

import os
import platform
import statistics
import time
from typing import TextIO

from ml import artifacts
from ml.language_training import HELD_OUT, load_language_examples
from ml.recognizer import Recognizer
from ml.services import get_language_recognizer, get_recognizer
from ml.training import Example, evaluate, gold_dev_files, load_examples

WORDS_PER_ANSWER = 50
SPEED_ANSWERS = 1000


def machine() -> str:
    return (
        f"{platform.machine()} {platform.processor() or ''} — {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}"
    )


def fifty_word_answers(examples: list[Example], count: int) -> list[str]:
    """Answers of exactly 50 words, made by chaining gold answers (realistic wording)."""
    words = " ".join(e.text for e in examples).split()
    return [
        " ".join(words[(i * 17) % (len(words) - WORDS_PER_ANSWER) :][:WORDS_PER_ANSWER])
        for i in range(count)
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _quality(out: TextIO, examples: list[Example]) -> None:
    with_skills = sum(1 for e in examples if e.codes)
    out.write(
        f"Qualità sul gold set di sviluppo ({len(examples)} risposte, {with_skills} con "
        f"competenze):\n"
    )
    for name, version in (
        ("solo matcher", artifacts.MATCHER_ONLY),
        ("matcher + modelli", artifacts.current_version()),
    ):
        metrics = evaluate(get_recognizer(version=version), examples)
        out.write(
            f"  {name:<18} P@1 {metrics.precision_at_1:.3f}  R@5 "
            f"{metrics.recall_at_5:.3f}  MRR {metrics.mrr:.3f}  (R@5 non capped "
            f"{metrics.recall_at_5_uncapped:.3f}; modello {version})\n"
        )
        out.write(
            f"  {'':<18} schede: precisione {metrics.card_precision:.3f}, richiamo "
            f"{metrics.card_recall:.3f}; risposte senza competenze con una scheda "
            f"{metrics.no_skill_with_card:.1%}\n"
        )


def _speed(out: TextIO, recognizer: Recognizer, answers: list[str]) -> None:
    recognizer.suggest(answers[0])  # warm-up
    latencies = []
    cpu_started = time.process_time()
    for text in answers:
        started = time.perf_counter()
        recognizer.suggest(text, top_k=5)
        latencies.append((time.perf_counter() - started) * 1000)
    cpu = time.process_time() - cpu_started
    total = sum(latencies) / 1000
    out.write(
        f"Velocità su {len(answers)} risposte da {WORDS_PER_ANSWER} parole "
        f"(un processo, pipeline caricata una volta):\n"
    )
    out.write(
        f"  mediana {statistics.median(latencies):.2f} ms, p95 "
        f"{percentile(latencies, 0.95):.2f} ms, {len(answers) / total:.0f} risposte/s\n"
    )
    # CPU time is fair on a busy machine, where wall clock counts the waits for a core.
    out.write(
        f"  tempo di CPU {1000 * cpu / len(answers):.2f} ms per risposta, "
        f"{len(answers) / max(cpu, 1e-9):.0f} risposte/s su un core\n"
    )


LANGUAGE_SPEED_ANSWERS = 300


def _languages(out: TextIO) -> None:
    """Quality on each language's development and held-out answers, and speed."""
    out.write(
        f"Altre lingue (modello {artifacts.current_version(artifacts.CURRENT_LANGUAGES)}): "
        f"qualità su sviluppo / non visti, velocità su {LANGUAGE_SPEED_ANSWERS} risposte "
        f"da {WORDS_PER_ANSWER} parole\n"
    )
    held_out = load_language_examples(HELD_OUT)
    for language, examples in load_language_examples("dev").items():
        recognizer = get_language_recognizer(language=language)
        dev = evaluate(recognizer, examples)
        unseen = evaluate(recognizer, held_out.get(language, []))
        answers = fifty_word_answers(examples, LANGUAGE_SPEED_ANSWERS)
        recognizer.suggest(answers[0])  # warm-up
        started, cpu = time.perf_counter(), time.process_time()
        for text in answers:
            recognizer.suggest(text, top_k=5)
        rate = len(answers) / (time.perf_counter() - started)
        cpu_rate = len(answers) / max(time.process_time() - cpu, 1e-9)
        out.write(
            f"  {language}: P@1 {dev.precision_at_1:.3f} R@5 {dev.recall_at_5:.3f} "
            f"({dev.answers} risposte) / non visti P@1 {unseen.precision_at_1:.3f} R@5 "
            f"{unseen.recall_at_5:.3f} ({unseen.answers}); {rate:.0f} risposte/s, "
            f"{cpu_rate:.0f} per tempo di CPU\n"
        )


def run(out: TextIO) -> None:
    examples = [e for path in gold_dev_files() for e in load_examples(path)]
    out.write(f"== Riconoscimento delle competenze — {machine()}\n")
    if not examples:
        out.write("Nessun gold set in ml/data/gold/: salto.\n")
        return
    _quality(out, examples)
    _speed(out, get_recognizer(), fifty_word_answers(examples, SPEED_ANSWERS))
    _languages(out)
