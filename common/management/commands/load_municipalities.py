from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.services import MUNICIPALITIES_CSV, municipalities_load_from_csv


class Command(BaseCommand):
    help = "Carica (o aggiorna) i comuni con codice ISTAT, provincia e coordinate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=MUNICIPALITIES_CSV,
            help="CSV: istat_code,name,province_code,province_name,latitude,longitude",
        )

    def handle(self, *args: object, **options: Any) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        if not path.exists():
            raise CommandError(f"File non trovato: {path}")
        try:
            count = municipalities_load_from_csv(path=path)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Comuni caricati o aggiornati: {count}."))
