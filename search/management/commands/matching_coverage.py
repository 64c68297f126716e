"""manage.py matching_coverage: who has opportunities, who only near misses, who nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.models import User
from competenze.models import Person
from search.coverage import Coverage, KindCoverage, matching_coverage

KIND_LABELS = {"offer": "offerte di lavoro", "course": "corsi", "placement": "posti MAP/LPU"}


def kind_line(row: KindCoverage) -> str:
    people = row.matched + row.near_only + row.nothing
    line = (
        f"{KIND_LABELS[row.kind]}: {people} persone; {row.matched} con abbinamenti, "
        f"{row.near_only} solo con esclusioni per un vincolo, {row.nothing} senza nulla"
    )
    code = row.blocks_most
    if code:
        line += (
            f"; il vincolo che blocca di più: {code} ({row.blocked_people[code]} persone, "
            f"{row.blocked_pairs[code]} opportunità)"
        )
    return line


def constraints_line(row: KindCoverage) -> str:
    ranked = sorted(row.blocked_people, key=lambda c: (-row.blocked_people[c], c))
    return "  per vincolo (persone/opportunità): " + (
        ", ".join(f"{c} {row.blocked_people[c]}/{row.blocked_pairs[c]}" for c in ranked) or "—"
    )


def summary_line(coverage: Coverage) -> str:
    return (
        f"coverage: {coverage.people} people, {coverage.matched} with at least one match, "
        f"{coverage.near_only} with near misses only, {coverage.nothing} with nothing"
    )


class Command(BaseCommand):
    help = (
        "Per tipo di opportunità: quante persone hanno abbinamenti, quante solo opportunità "
        "escluse da un unico vincolo, quante nulla, e quali vincoli bloccano di più. Legge "
        "le misure in blocco (una riga di audit); usa l'indice di ricerca."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counsellor", help="Solo le persone seguite da questo utente.")
        parser.add_argument(
            "--organisation", type=int, help="Solo le persone seguite da questo ente (id)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people = Person.objects.filter(is_active=True)
        if options["counsellor"]:
            counsellor = User.objects.filter(username=options["counsellor"]).first()
            if counsellor is None:
                raise CommandError(f"Utente {options['counsellor']} non trovato.")
            people = people.filter(counsellor=counsellor)
        if options["organisation"]:
            people = people.filter(organisation_id=options["organisation"])
        coverage = matching_coverage(people=people)
        for row in coverage.kinds.values():
            self.stdout.write(kind_line(row))
            self.stdout.write(constraints_line(row))
        self.stdout.write(summary_line(coverage))
