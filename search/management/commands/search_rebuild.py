"""manage.py search_rebuild: reindex everything into a new index, then swap it in."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.progress import command_progress
from lavoro.kinds import KINDS
from search.backends import RebuildInProgress, RebuildLost, get_backend
from search.indexing import rebuild

LABELS = {kind.code: str(kind.plural) for kind in KINDS}


class Command(BaseCommand):
    help = (
        "Ricostruisce l'indice di ricerca (persone che condividono il profilo e opportunità "
        "pubblicate) in un indice nuovo, poi lo sostituisce a quello in uso senza interruzioni."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clear", action="store_true", help="Cancella prima tutti gli indici del backend."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = get_backend()
        if options["clear"]:
            backend.clear()
        progress = command_progress(self.stderr, quiet=options["verbosity"] == 0, labels=LABELS)

        dead = backend.recover_dead_rebuild()
        if dead is not None:
            self.stdout.write(self.style.WARNING(dead.message()))
        try:
            counts = rebuild(backend, progress)
        except RebuildInProgress as error:
            raise CommandError(f"Una ricostruzione è già in corso ({error}).") from error
        except RebuildLost as error:
            raise CommandError(
                f"La ricostruzione {error} è stata scartata da un altro processo, che non "
                "riceveva più segnali di vita: nulla è stato pubblicato. Riprova."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Indice «{backend.name}» ricostruito: {counts.people} profili, "
                f"{counts.opportunities} opportunità."
            )
        )
