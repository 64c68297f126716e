from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ml import artifacts
from ml.services import language_models_retrain, model_retrain


class Command(BaseCommand):
    help = (
        "Addestra il modello di ranking sulle risposte fornite e sul feedback degli "
        "operatori; lo promuove solo se migliora sul gold set di sviluppo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bootstrap",
            action="store_true",
            help="Addestra solo se non c'è ancora un modello promosso utilizzabile.",
        )
        parser.add_argument("--no-promote", action="store_true")

    def handle(self, *args: object, **options: Any) -> None:
        self._italian(options)
        self._languages(options)

    def _languages(self, options: dict[str, Any]) -> None:
        """The models of the other languages (ar, sq, ro, en, fr, es), trained apart."""
        current = artifacts.current_version(artifacts.CURRENT_LANGUAGES)
        if options["bootstrap"] and current != artifacts.MATCHER_ONLY and artifacts.usable(current):
            self.stdout.write(f"Modello delle altre lingue già presente: {current}.")
            return
        result = language_models_retrain(promote_if_better=not options["no_promote"])
        self.stdout.write(
            f"Modello delle altre lingue {result.version} addestrato su "
            f"{result.training_answers} risposte:"
        )
        for language, figures in result.candidate.items():
            self.stdout.write(
                f"  {language}: P@1 {figures.precision_at_1:.3f}, R@5 "
                f"{figures.recall_at_5:.3f}, MRR {figures.mrr:.3f}"
            )
        verdict = "promosso" if result.promoted else "non promosso (non migliora)"
        self.stdout.write(self.style.SUCCESS(f"Esito: {verdict}."))

    def _italian(self, options: dict[str, Any]) -> None:
        current = artifacts.current_version()
        if options["bootstrap"] and current != artifacts.MATCHER_ONLY and artifacts.usable(current):
            self.stdout.write(f"Modello già presente: {current}.")
            return
        result = model_retrain(promote_if_better=not options["no_promote"])
        figures = result.candidate
        self.stdout.write(
            f"Modello {result.version} addestrato su {result.training_answers} risposte: "
            f"P@1 {figures.precision_at_1:.3f}, R@5 {figures.recall_at_5:.3f}, "
            f"MRR {figures.mrr:.3f} (attuale: MRR {result.current.mrr:.3f})."
        )
        verdict = "promosso" if result.promoted else "non promosso (non migliora)"
        self.stdout.write(self.style.SUCCESS(f"Esito: {verdict}."))
