"""What the import_* management commands share: options, progress output, error handling."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competenze.importers.base import ProgressCallback

PROGRESS = gettext_lazy("%(file)s: %(count)d righe lette")


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of the command help (the expected columns are a list)."""


class ImportCommand(BaseCommand):
    """Base for commands that import a framework version.

    Django's base ``--version`` option (the Django version) is replaced by our own
    ``--version`` (the framework version), as the command line documents.
    """

    default_version = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("conflict_handler", "resolve")
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--version",
            default=self.default_version,
            help=_("Versione del quadro da creare o aggiornare (predefinita: %(default)s)."),
        )
        parser.add_argument(
            "--default",
            action="store_true",
            help=_("Rende il quadro importato quello predefinito (toglie il precedente)."),
        )

    def progress_callback(self, verbosity: int) -> ProgressCallback | None:
        if verbosity < 2:
            return None

        def report(file: str, count: int) -> None:
            self.stdout.write(PROGRESS % {"file": file, "count": count})

        return report
