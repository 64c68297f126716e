"""manage.py bench: the benchmarks of skill recognition and search (docs/benchmarks.md).
It lives with the demo data because it seeds its own, at the size it measures."""

import dataclasses
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from threadpoolctl import threadpool_limits


class Command(BaseCommand):
    help = "Misura qualità e velocità (riconoscimento delle competenze, ricerca)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=["ml", "search", "web"], default=None)
        parser.add_argument("--people", type=int, default=None, help="persone (ricerca)")
        parser.add_argument("--opportunities", type=int, default=None)
        parser.add_argument(
            "--size",
            choices=["smoke", "10k", "100k", "1m", "full"],
            default="100k",
            help="ricerca: persone + opportunità (full = 100k); smoke = pochi secondi",
        )
        parser.add_argument(
            "--backend",
            default="auto",
            help="ricerca: motori misurati fianco a fianco, separati da virgole (embedded,"
            "elasticsearch); auto = embedded, e elasticsearch se ELASTICSEARCH_URL è impostato",
        )
        parser.add_argument(
            "--clients",
            type=_counts,
            default=(1, 8, 32),
            help="web: client concorrenti, separati da virgole (predefinito 1,8,32)",
        )
        parser.add_argument(
            "--workers",
            type=_counts,
            default=None,
            help="web: worker di gunicorn da provare (predefinito 1 e 2 × CPU + 1, al più 8)",
        )
        parser.add_argument(
            "--duration", type=float, default=20.0, help="web: secondi di carico per misura"
        )
        parser.add_argument(
            "--rounds", type=int, default=1, help="web: giri di misure (si riporta il mediano)"
        )

    def handle(self, *args: object, **options: Any) -> None:
        with threadpool_limits(limits=1):  # one core, as the targets say
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        if options["only"] == "web":
            self._web(options)
            return
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
        if options["only"] is None:
            self._web(options)

    def _web(self, options: dict[str, Any]) -> None:
        from demo import bench_web
        from search.bench import SIZES

        size = SIZES[options["size"]]
        bench_web.run(
            self.stdout,  # type: ignore[arg-type]
            people=options["people"] or size.people,
            opportunities=options["opportunities"] or size.opportunities,
            clients=options["clients"],
            workers=options["workers"],
            duration=options["duration"],
            backend=_web_backend(options["backend"]),
            rounds=options["rounds"],
        )


def _web_backend(names: str) -> str:
    """The web tier serves one engine: the first one asked for (auto: the embedded one)."""
    from search.bench import backends_asked

    return "embedded" if names == "auto" else backends_asked(names)[0]


def _counts(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())
