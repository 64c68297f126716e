"""manage.py import_qrsp --file FILE.csv [--version V] [--default]"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competenze.importers import ImportFileError, qrsp_import
from competenze.importers.command import ImportCommand
from competenze.importers.qrsp import DEFAULT_VERSION


class Command(ImportCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when shown
        "Importa un export CSV del QRSP di Regione Lombardia nel quadro «qrsp-lombardia».\n"
        "Una riga per elemento (abilità o conoscenza), con intestazione e queste colonne\n"
        "(maiuscole e spazi ignorati, separatore «;» o «,», codifica UTF-8):\n"
        "  codice_profilo, denominazione_profilo, settore, codice_competenza,\n"
        "  denominazione_competenza, tipo_elemento (abilita|conoscenza),\n"
        "  descrizione_elemento, livello_eqf (1-8), codice_ada (facoltativa, più codici\n"
        "  separati da «|»).\n"
        "settore, livello_eqf e codice_ada possono essere vuoti; gli altri valori sono\n"
        "obbligatori. Ripetere l'importazione aggiorna i concetti senza creare duplicati."
    )
    default_version = DEFAULT_VERSION

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", required=True, type=Path, help=_("File CSV esportato dal QRSP.")
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = qrsp_import(
                path=Path(options["file"]),
                version=options["version"],
                make_default=options["default"],
                progress=self.progress_callback(options["verbosity"]),
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
