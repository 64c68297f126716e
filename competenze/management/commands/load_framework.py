from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from competenze.services.framework import (
    DEFAULT_FRAMEWORK,
    SHIPPED_FRAMEWORK_DIR,
    framework_load_from_dir,
)


class Command(BaseCommand):
    help = "Carica (o aggiorna) il quadro delle competenze fornito con Ponte."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=SHIPPED_FRAMEWORK_DIR / DEFAULT_FRAMEWORK,
            help="Cartella con scheme.json, sectors.csv, concepts/ e relations/.",
        )
        parser.add_argument(
            "--default", action="store_true", help="Rendi questo quadro il predefinito."
        )

    def handle(self, *args: object, **options: Any) -> None:
        directory = options["dir"]
        assert isinstance(directory, Path)
        if not (directory / "scheme.json").exists():
            raise CommandError(f"Nessun quadro in {directory}: manca scheme.json.")
        try:
            result = framework_load_from_dir(
                directory=directory, make_default=bool(options["default"])
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Quadro «{result.framework.name}»: {result.concepts} concetti, "
                f"{result.relations} relazioni."
            )
        )
