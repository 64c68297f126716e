"""manage.py import_esco --dir DIR [--version V] [--default]"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competenze.importers import ImportFileError, esco_import
from competenze.importers.command import ImportCommand
from competenze.importers.esco import DEFAULT_VERSION


class Command(ImportCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when shown
        "Importa il pacchetto CSV ufficiale di ESCO (file in italiano) nel quadro «esco».\n"
        "La cartella deve contenere skills_it.csv, occupations_it.csv,\n"
        "broaderRelationsSkillPillar.csv e occupationSkillRelations.csv.\n"
        "Ripetere l'importazione aggiorna i concetti senza creare duplicati."
    )
    default_version = DEFAULT_VERSION

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", required=True, type=Path, help=_("Cartella del pacchetto CSV di ESCO.")
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = esco_import(
                directory=Path(options["dir"]),
                version=options["version"],
                make_default=options["default"],
                progress=self.progress_callback(options["verbosity"]),
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
