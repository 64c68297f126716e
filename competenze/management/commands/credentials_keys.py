"""manage.py credentials_keys [--rotate]: the Ed25519 keys that sign the credentials.

Lists the keys (kid, created, which one signs). --rotate makes a new key that signs from
now on; the old ones stay in /.well-known/jwks.json, so what they signed still verifies.
Keys live in PONTE_CREDENTIALS_KEY_DIR (outside git); a key is also made at first use.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from competenze.credentials import keys


class Command(BaseCommand):
    help = "Elenca le chiavi di firma delle credenziali; --rotate ne crea una nuova."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Crea una nuova chiave di firma.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rotate"]:
            created = keys.key_generate()
            self.stdout.write(f"Nuova chiave di firma: {created.kid}")
        listed = keys.keys_list()
        if not listed:
            self.stdout.write("Nessuna chiave: la prima sarà creata alla prima esportazione.")
            return
        self.stdout.write(f"Chiavi in {keys.key_dir()} (la più recente firma):")
        for key in listed:
            marker = "firma" if key is listed[-1] else "verifica"
            self.stdout.write(f"  {key.created}  {key.kid}  {marker}")
