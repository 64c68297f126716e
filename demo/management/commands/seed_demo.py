"""manage.py seed_demo: fictional demo data for Lombardy, from a handful to 100,000 people."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.progress import command_progress
from demo.options import DEMO_PASSWORD, DemoDataError, SeedOptions, SeedSummary, demo_logins
from demo.seed import demo_data_exists, seed_demo

NEGATIVE = "Le quantità non possono essere negative."
COUNTS = ("people", "offers", "courses", "placements")


class Command(BaseCommand):
    help = (
        "Genera dati dimostrativi fittizi per la Lombardia: servizi, datori, enti, persone, "
        "offerte, corsi e posti MAP/LPU. Richiede load_municipalities e load_framework."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="Persone da creare.")
        parser.add_argument("--offers", type=int, required=True, help="Offerte di lavoro.")
        parser.add_argument("--courses", type=int, help="Corsi (predefinito: offerte/2, min 10).")
        parser.add_argument(
            "--placements", type=int, help="Posti MAP/LPU (predefinito: offerte/2, min 10)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seme casuale (riproducibile).")
        parser.add_argument(
            "--reset", action="store_true", help="Elimina i dati dimostrativi esistenti e rigenera."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Non fare nulla se i dati dimostrativi ci sono già (per make run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if any((options[name] or 0) < 0 for name in COUNTS):
            raise CommandError(NEGATIVE)
        if options["if_empty"] and not options["reset"] and demo_data_exists():
            self.stdout.write("Dati dimostrativi già presenti: nulla da fare.")
            return
        settings = SeedOptions(
            people=options["people"],
            offers=options["offers"],
            courses=options["courses"],
            placements=options["placements"],
            seed=options["seed"],
            reset=options["reset"],
        )
        progress = command_progress(self.stderr, quiet=options["verbosity"] == 0)
        try:
            summary = seed_demo(settings, progress=progress)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self._report(summary)

    def _report(self, summary: SeedSummary) -> None:
        if summary.deleted:
            self.stdout.write(f"Eliminate {summary.deleted} righe di dati dimostrativi precedenti.")
        self.stdout.write(
            self.style.SUCCESS(f"Dati dimostrativi creati in {summary.seconds:.1f} s:")
        )
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Accessi demo (password «{DEMO_PASSWORD}»):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<14} {role}")
