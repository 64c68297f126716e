"""manage.py bench: the benchmarks of skill recognition and search (docs/benchmarks.md).
It lives with the demo data because it seeds its own, at the size it measures."""

import dataclasses
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from threadpoolctl import threadpool_limits


class Command(BaseCommand):
    help = "Misura qualità e velocità (riconoscimento delle competenze, ricerca)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=["ml", "search"], default=None)
        parser.add_argument("--people", type=int, default=None, help="persone (ricerca)")
        parser.add_argument("--opportunities", type=int, default=None)
        parser.add_argument(
            "--size",
            choices=["full", "smoke"],
            default="full",
            help="ricerca: full = 100.000 + 100.000 con obiettivi; smoke = pochi secondi",
        )
        parser.add_argument(
            "--backend",
            choices=["embedded", "elasticsearch"],
            default="embedded",
            help="ricerca: il motore misurato (elasticsearch usa ELASTICSEARCH_URL)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        with threadpool_limits(limits=1):  # one core, as the targets say
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        if options["only"] in (None, "ml"):
            from ml.bench import run as ml_bench

            ml_bench(self.stdout)  # type: ignore[arg-type]  # an OutputWrapper writes like one
        if options["only"] in (None, "search"):
            try:
                from search import bench as search_bench
            except ImportError:
                self.stdout.write("Benchmark della ricerca non disponibile.")
                return
            size = search_bench.SIZES[options["size"]]
            size = dataclasses.replace(
                size,
                people=options["people"] or size.people,
                opportunities=options["opportunities"] or size.opportunities,
            )
            search_bench.run(self.stdout, size=size, backend=options["backend"])  # type: ignore[arg-type]
