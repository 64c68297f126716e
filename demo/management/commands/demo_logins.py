"""manage.py demo_logins: the demo accounts and their password."""

from typing import Any

from django.core.management.base import BaseCommand

from demo.options import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Stampa gli accessi dimostrativi creati da seed_demo."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Accessi demo su http://127.0.0.1:8000/ (password «{DEMO_PASSWORD}»):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<14} {role}")
