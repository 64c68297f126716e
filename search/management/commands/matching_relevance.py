"""manage.py matching_relevance: NDCG@10 of the matching formula on the relevance set."""

import statistics
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search import matching, relevance
from search.backends.embedded import EmbeddedBackend


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


class Command(BaseCommand):
    help = (
        "Misura l'ordinamento degli abbinamenti sull'insieme di giudizi di rilevanza "
        "(search/data/relevance): NDCG@10 della formula di prima e di quella attuale, per tipo "
        "di opportunità. Serve il quadro predefinito (manage.py load_framework)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list",
            metavar="PERSONA",
            help="Elenca le opportunità ammesse per una persona (per giudicare).",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=relevance.DATA_DIR,
            help="Cartella dell'insieme (pool.json, people.json, judgments.json).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rs = relevance.load(options["dir"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["list"]:
            self._list(rs, options["list"])
            return
        before = relevance.evaluate(rs, relevance.BEFORE)
        after = relevance.evaluate(rs, relevance.current_weights())
        self.stdout.write(f"{len(before)} persone giudicate")
        for focus in relevance.FOCUS:
            ids = [p.id for p in rs.people if p.focus == focus and p.id in before]
            self.stdout.write(
                f"{focus}: {len(ids)} persone, NDCG@10 prima {mean([before[i] for i in ids]):.3f}"
                f", dopo {mean([after[i] for i in ids]):.3f}"
            )
        agree = self._engine_agrees(rs)
        self.stdout.write(f"motore incorporato uguale al riferimento: {agree}/{len(rs.people)}")
        self.stdout.write(
            f"NDCG@10: before {mean(list(before.values())):.3f}, "
            f"after {mean(list(after.values())):.3f}"
        )

    def _engine_agrees(self, rs: relevance.RelevanceSet) -> int:
        """How many people get from the embedded engine the reference's first ten."""
        with tempfile.TemporaryDirectory() as folder:
            backend = EmbeddedBackend(Path(folder))
            backend.index_opportunities(rs.docs)
            weights = relevance.current_weights()
            same = 0
            for person in rs.people:
                found = backend.match_opportunities_for_person(person.query())
                engine = [rs.names[hit.doc.key] for hit in found.hits]
                same += engine == relevance.ranking(person, rs, weights)[: relevance.K]
            return same

    def _list(self, rs: relevance.RelevanceSet, person_id: str) -> None:
        person = next((p for p in rs.people if p.id == person_id), None)
        if person is None:
            raise CommandError(f"{person_id}: persona non trovata")
        self.stdout.write(f"{person.id} {person.focus} affinità {dict(person.affinity)}")
        for doc, km in sorted(relevance.admitted(person, rs.docs), key=lambda pair: pair[1]):
            pairs = [(r.concept_id, r.essential) for r in doc.requirements]
            skill = matching.skill_score(pairs, person.credits)
            self.stdout.write(
                f"  {rs.names[doc.key]} {doc.title[:48]:48} {doc.municipality[:12]:12} "
                f"{km:5.1f} km  settori {','.join(doc.sectors):8} competenze {skill:.2f}  "
                f"voto {person.grades.get(rs.names[doc.key], 0)}"
            )
