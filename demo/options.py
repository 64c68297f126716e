"""What seed_demo is asked for and what it answers; the demo logins."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from common.models import User

DEMO_MARK = " (demo)"
DEMO_PASSWORD = "ponte-demo-2026"
DEMO_EMAIL_DOMAIN = "esempio.invalid"
BATCH_SIZE = 2000

NO_MUNICIPALITIES = gettext_lazy(
    "Nessun comune nel database: esegui prima `manage.py load_municipalities`."
)
NO_FRAMEWORK = gettext_lazy(
    "Nessun quadro delle competenze predefinito: esegui prima `manage.py load_framework`."
)
NO_PROFILES = gettext_lazy(
    "Il quadro predefinito non ha profili professionali collegati a competenze: "
    "esegui `manage.py load_framework`."
)
DEMO_EXISTS = gettext_lazy(
    "Nel database ci sono già dati dimostrativi: usa --reset per eliminarli e generarli di nuovo."
)


class DemoDataError(Exception):
    """The database is not ready for demo data, or already holds some."""


@dataclass(frozen=True)
class SeedOptions:
    people: int
    offers: int
    courses: int | None = None
    placements: int | None = None
    seed: int = 2026
    reset: bool = False
    today: dt.date | None = None  # dates count from here; None: the day it runs

    @property
    def course_count(self) -> int:
        return max(10, self.offers // 2) if self.courses is None else self.courses

    @property
    def placement_count(self) -> int:
        return max(10, self.offers // 2) if self.placements is None else self.placements


@dataclass
class SeedSummary:
    counts: Counter[str]
    deleted: int
    seconds: float


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str  # "service", "service2", "employer", "host" or "" for none
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser("operatore", User.Role.COUNSELLOR, "service", "Chiara", "Demo"),
    DemoUser("operatore2", User.Role.COUNSELLOR, "service2", "Luca", "Demo"),
    DemoUser("responsabile", User.Role.PROGRAMME_MANAGER, "service", "Paola", "Demo"),
    DemoUser("azienda", User.Role.EMPLOYER, "employer", "Franco", "Demo"),
    DemoUser("ente", User.Role.HOST_BODY, "host", "Marta", "Demo"),
    DemoUser("beneficiario", User.Role.TRAINEE, "", "Beneficiario", "Demo"),
    DemoUser("admin", User.Role.ADMIN, "", "Amministratore", "Demo"),
)
IDVCC_USERS = (
    ("valutatore", User.Role.ASSESSOR, "Valeria", "Demo"),
    ("certificatore", User.Role.CERTIFIER, "Carlo", "Demo"),
)
DASHBOARD_PEOPLE = 24  # the first people go to `operatore` and `operatore2`


def demo_logins() -> list[tuple[str, str]]:
    """Usernames of the demo accounts with their role label; all use DEMO_PASSWORD."""
    logins = [(user.username, str(User.Role(user.role).label)) for user in DEMO_USERS]
    idvcc = [(username, str(User.Role(role).label)) for username, role, *_names in IDVCC_USERS]
    return logins + idvcc  # valutatore, certificatore
