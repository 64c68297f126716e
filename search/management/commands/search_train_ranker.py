"""manage.py search_train_ranker: learn from proposal outcomes, if there are enough."""

from typing import Any

from django.core.management.base import BaseCommand

from search.ranking import MIN_OUTCOMES
from search.ranking_data import ranker_train


class Command(BaseCommand):
    help = "Addestra il riordinamento sugli esiti delle proposte (serve un minimo di esiti)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = ranker_train()
        if result.trained:
            self.stdout.write(
                self.style.SUCCESS(f"Modello addestrato su {result.outcomes} esiti: {result.path}")
            )
        else:
            self.stdout.write(
                f"Esiti utilizzabili: {result.outcomes} (ne servono almeno {MIN_OUTCOMES} e di "
                "entrambi i tipi): resta in uso la formula."
            )
