from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from competenze.services.interview_templates import (
    INTERVIEW_TEMPLATE_DIR,
    interview_templates_load,
    template_files,
)


class Command(BaseCommand):
    help = (
        "Carica i modelli di colloquio guidato (JSON versionati). Si può rieseguire: un "
        "modello già usato da colloqui non cambia mai, serve una nuova versione."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help=f"File JSON da caricare (predefinito: tutti quelli in {INTERVIEW_TEMPLATE_DIR}).",
        )

    def handle(self, *args: object, **options: object) -> None:
        paths = options["files"] or template_files()
        assert isinstance(paths, list)
        if not paths:
            raise CommandError(f"Nessun modello di colloquio in {INTERVIEW_TEMPLATE_DIR}.")
        missing = [str(path) for path in paths if not Path(path).is_file()]
        if missing:
            raise CommandError(f"File non trovato: {', '.join(missing)}.")
        try:
            results = interview_templates_load(paths=[Path(path) for path in paths])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for result in results:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Modello «{result.code}» versione {result.version}: {result.outcome}."
                )
            )
