import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ml import artifacts
from ml.language_training import examples_by_language
from ml.languages import ITALIAN, UnknownLanguage
from ml.recognizer import Recognizer
from ml.services import get_language_recognizer
from ml.training import Metrics, evaluate


class Command(BaseCommand):
    help = (
        'Valuta il riconoscimento su un gold set JSONL ({"text", "codes"} per riga): '
        "precision@1, recall@5 e MRR sulle risposte con competenze; precisione e richiamo "
        "delle schede mostrate; quota di risposte senza competenze che mostrano una scheda; "
        'dettaglio per settore e, per le righe con "lang" (ISO 639-1), per lingua: ogni '
        "lingua è letta dal suo riconoscitore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gold", type=Path, nargs="+", required=True)
        parser.add_argument(
            "--matcher-only",
            action="store_true",
            help="Solo il matcher di etichette, senza il modello addestrato.",
        )
        parser.add_argument("--json", action="store_true", help="Stampa il risultato in JSON.")

    def handle(self, *args: object, **options: Any) -> None:
        paths = options["gold"]
        assert isinstance(paths, list)
        for path in paths:
            if not path.exists():
                raise CommandError(f"File non trovato: {path}")
        try:
            grouped = examples_by_language(paths)
        except UnknownLanguage as error:
            raise CommandError(f"Lingua non gestita: {error}.") from error
        except (ValueError, KeyError) as error:
            raise CommandError(f"Riga non valida ({error}).") from error
        matcher_only = options["matcher_only"]
        figures = {
            language: evaluate(self._recognizer(language, matcher_only), examples)
            for language, examples in sorted(grouped.items(), key=lambda i: (i[0] != ITALIAN, i[0]))
        }
        if options["json"]:
            self.stdout.write(json.dumps(self._json(figures), indent=2))
            return
        for language, metrics in figures.items():
            if len(figures) > 1:
                self.stdout.write(f"\n== Lingua: {language}")
            self._print(metrics, self._version(language, matcher_only))
        if len(figures) > 1:
            self._print_languages(figures)

    @staticmethod
    def _version(language: str, matcher_only: bool) -> str:
        if matcher_only:
            return artifacts.MATCHER_ONLY
        if language == ITALIAN:
            return artifacts.current_version()
        return artifacts.current_version(artifacts.CURRENT_LANGUAGES)

    def _recognizer(self, language: str, matcher_only: bool) -> Recognizer:
        return get_language_recognizer(
            language=language, version=self._version(language, matcher_only)
        )

    @staticmethod
    def _json(figures: dict[str, Metrics]) -> dict[str, object]:
        """One language: its figures, as always; several: {"by_language": {...}}."""
        if len(figures) == 1:
            return next(iter(figures.values())).as_dict()
        return {"by_language": {language: m.as_dict() for language, m in figures.items()}}

    def _print_languages(self, figures: dict[str, Metrics]) -> None:
        self.stdout.write("\n== Per lingua")
        self.stdout.write(
            f"{'lingua':<8}{'risposte':>9}{'P@1':>8}{'R@5':>8}{'MRR':>8}"
            f"{'prec. schede':>14}{'rich. schede':>14}{'senza comp. con scheda':>24}"
        )
        for language, row in figures.items():
            self.stdout.write(
                f"{language:<8}{row.answers:>9}{row.precision_at_1:>8.3f}"
                f"{row.recall_at_5:>8.3f}{row.mrr:>8.3f}{row.card_precision:>14.3f}"
                f"{row.card_recall:>14.3f}{row.no_skill_with_card:>24.1%}"
            )

    def _print(self, metrics: Metrics, version: str) -> None:
        total = metrics.answers + metrics.no_skill_answers
        self.stdout.write(
            f"Modello: {version} — {total} risposte, {metrics.answers} con competenze, "
            f"{metrics.no_skill_answers} senza"
        )
        self.stdout.write(
            f"{'settore':<10}{'risposte':>9}{'P@1':>8}{'R@5':>8}{'MRR':>8}"
            f"{'R@5 non cap.':>14}{'prec. schede':>14}{'rich. schede':>14}"
        )
        rows = [("TOTALE", metrics), *sorted(metrics.by_sector.items())]
        for name, row in rows:
            self.stdout.write(
                f"{name:<10}{row.answers:>9}{row.precision_at_1:>8.3f}"
                f"{row.recall_at_5:>8.3f}{row.mrr:>8.3f}{row.recall_at_5_uncapped:>14.3f}"
                f"{row.card_precision:>14.3f}{row.card_recall:>14.3f}"
            )
        self.stdout.write(
            f"Schede mostrate: {metrics.cards}. Risposte senza competenze che mostrano "
            f"almeno una scheda: {metrics.no_skill_with_card:.1%} "
            f"di {metrics.no_skill_answers}."
        )
