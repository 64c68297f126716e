"""manage.py credentials_export --person PSEUDONYM --output DIR

Writes one Open Badges 3.0 credential (VC-JWT, `.jwt`) per validated or certified
competence of the person, and the Europass export of the same (European Learning Model,
`europass-<PSEUDONYM>.jsonld`). Credentials issued before are written again unchanged.
The export is audited (no actor: the command did it).
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from competenze.models import Person
from competenze.services.credentials import person_credentials_issue, person_learning_model_export

PERSON_UNKNOWN = "Nessuna persona con pseudonimo «%s»."
OUTPUT_NOT_DIR = "«%s» esiste e non è una cartella."


class Command(BaseCommand):
    help = (
        "Esporta le credenziali digitali (Open Badges 3.0, VC-JWT) delle competenze validate "
        "o certificate di una persona, più il documento Europass (ELM, JSON-LD)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--person", required=True, help="Pseudonimo della persona (P-XXXX-XXXX)."
        )
        parser.add_argument("--output", required=True, help="Cartella in cui scrivere i file.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = (
            Person.objects.select_related("organisation")
            .filter(pseudonym=options["person"].strip().upper())
            .first()
        )
        if person is None:
            raise CommandError(PERSON_UNKNOWN % options["person"])
        output = Path(options["output"])
        if output.exists() and not output.is_dir():
            raise CommandError(OUTPUT_NOT_DIR % output)
        credentials = person_credentials_issue(person=person, user=None)
        europass = person_learning_model_export(person=person, user=None)
        output.mkdir(parents=True, exist_ok=True)
        for credential in credentials:
            code = credential.entry.concept.code if credential.entry else "competenza"
            safe = "".join(char if char.isalnum() or char in "-_" else "_" for char in code)
            (output / f"{safe}-{credential.id}.jwt").write_text(credential.token + "\n")
        elm_path = output / f"europass-{person.pseudonym}.jsonld"
        elm_path.write_text(json.dumps(europass, ensure_ascii=False, indent=2) + "\n")
        self.stdout.write(
            f"{len(credentials)} credenziali e il documento Europass scritti in {output}."
        )
