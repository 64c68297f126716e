import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ml import artifacts
from ml.services import get_recognizer
from ml.training import Metrics, evaluate, load_examples


class Command(BaseCommand):
    help = (
        'Valuta il riconoscimento su un gold set JSONL ({"text", "codes"} per riga): '
        "precision@1, recall@5 e MRR sulle risposte con competenze; precisione e richiamo "
        "delle schede mostrate; quota di risposte senza competenze che mostrano una scheda; "
        "dettaglio per settore."
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
        examples = []
        for path in paths:
            if not path.exists():
                raise CommandError(f"File non trovato: {path}")
            try:
                examples.extend(load_examples(path))
            except (ValueError, KeyError) as error:
                raise CommandError(f"{path.name}: riga non valida ({error}).") from error
        version = artifacts.MATCHER_ONLY if options["matcher_only"] else None
        metrics = evaluate(get_recognizer(version=version), examples)
        if options["json"]:
            self.stdout.write(json.dumps(metrics.as_dict(), indent=2))
        else:
            self._print(metrics, version or artifacts.current_version())

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
