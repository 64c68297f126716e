from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from threadpoolctl import threadpool_limits


class Command(BaseCommand):
    help = "Misura qualità e velocità (riconoscimento delle competenze, ricerca)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=["ml", "search"], default=None)
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--opportunities", type=int, default=100_000)

    def handle(self, *args: object, **options: Any) -> None:
        with threadpool_limits(limits=1):  # one core, as the targets say
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        if options["only"] in (None, "ml"):
            from ml.bench import run as ml_bench

            ml_bench(self.stdout)
        if options["only"] in (None, "search"):
            try:
                from search.bench import run as search_bench
            except ImportError:
                self.stdout.write("Benchmark della ricerca non disponibile.")
                return
            search_bench(self.stdout, people=int(options["people"]),
                         opportunities=int(options["opportunities"]))
