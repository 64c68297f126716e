"""manage.py outbox_sweep: what Celery beat runs every minute, by hand (or from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from common.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Rimanda i lavori in coda (indice di ricerca, riconoscimento delle competenze) che "
        "un broker irraggiungibile o un worker interrotto hanno lasciato indietro. Senza "
        "broker (modalità locale) li esegue subito."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_sweep()
        self.stdout.write(
            f"Lavori in coda da rimandare: {result.due}; rimandati: {result.sent}; "
            f"senza più tentativi: {result.given_up}; eseguiti e cancellati: {result.deleted}."
        )
