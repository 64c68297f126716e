"""Validators for Italian identifiers (codice fiscale, partita IVA, ATECO code) and the
messages that forms and API serializers share."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CF_INVALID = _("Codice fiscale non valido: controlla le 16 lettere e cifre.")
CF_CHECK_FAILED = _("Codice fiscale non valido: il carattere di controllo non corrisponde.")
PIVA_INVALID = _("Partita IVA non valida: deve avere 11 cifre.")
PIVA_CHECK_FAILED = _("Partita IVA non valida: la cifra di controllo non corrisponde.")
BIRTH_DATE_IMPLAUSIBLE = _(
    "Data di nascita non plausibile: la persona deve avere almeno %(youngest)d anni e al "
    "massimo %(oldest)d."
)
DATES_REVERSED = _("La data di fine non può essere precedente alla data di inizio.")
TIMES_REVERSED = _("L'orario di rientro deve essere successivo a quello di uscita.")
ATECO_INVALID = _("Codice ATECO non valido: usa il formato 56.10 oppure 56.10.00.")
ATECO_CODE = re.compile(r"\d{2}(\.\d{1,2}){0,2}")
YOUNGEST_AGE, OLDEST_AGE = 14, 110  # criminal responsibility starts at 14 (art. 97 c.p.)

_CF_SHAPE = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)
_ODD_VALUES = [
    1,
    0,
    5,
    7,
    9,
    13,
    15,
    17,
    19,
    21,
    2,
    4,
    18,
    20,
    11,
    3,
    6,
    8,
    12,
    14,
    16,
    10,
    22,
    25,
    24,
    23,
]


def _char_index(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A")


def codice_fiscale_check_char(first_fifteen: str) -> str:
    """The check character (16th) of a codice fiscale, per D.M. 12/03/1974."""
    total = 0
    for position, char in enumerate(first_fifteen):
        index = _char_index(char)
        total += _ODD_VALUES[index] if position % 2 == 0 else index
    return chr(ord("A") + total % 26)


def normalise_codice_fiscale(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_codice_fiscale(value: str) -> None:
    code = normalise_codice_fiscale(value)
    if not _CF_SHAPE.match(code):
        raise ValidationError(CF_INVALID, code="codice_fiscale")
    if codice_fiscale_check_char(code[:15]) != code[15]:
        raise ValidationError(CF_CHECK_FAILED, code="codice_fiscale")


def partita_iva_check_digit(first_ten: str) -> int:
    total = 0
    for position, char in enumerate(first_ten):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def validate_partita_iva(value: str) -> None:
    code = (value or "").strip()
    if not re.fullmatch(r"\d{11}", code):
        raise ValidationError(PIVA_INVALID, code="partita_iva")
    if partita_iva_check_digit(code[:10]) != int(code[10]):
        raise ValidationError(PIVA_CHECK_FAILED, code="partita_iva")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_birth_date(value: datetime.date | None) -> None:
    """A person in the records is between YOUNGEST_AGE and OLDEST_AGE years old."""
    if value is None:
        return
    today = timezone.localdate()
    if not _years_before(today, OLDEST_AGE + 1) < value <= _years_before(today, YOUNGEST_AGE):
        raise ValidationError(
            BIRTH_DATE_IMPLAUSIBLE,
            code="birth_date",
            params={"youngest": YOUNGEST_AGE, "oldest": OLDEST_AGE},
        )
