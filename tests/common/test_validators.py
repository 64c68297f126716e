import logging

import pytest
from django.core.exceptions import ValidationError

from common.logging import MASK, PersonalDataFilter
from common.validators import (
    codice_fiscale_check_char,
    validate_codice_fiscale,
    validate_partita_iva,
)
from tests.factories import valid_codice_fiscale, valid_partita_iva


def test_codice_fiscale_check_char_matches_a_known_code():
    # RSSMRA85T10A562S is the textbook example used by the Agenzia delle Entrate.
    assert codice_fiscale_check_char("RSSMRA85T10A562") == "S"


def test_valid_codice_fiscale_passes_in_lower_case_with_spaces():
    validate_codice_fiscale("rssmra85t10a562s")
    validate_codice_fiscale("RSS MRA 85T10 A562S")


@pytest.mark.parametrize("value", ["", "RSSMRA85T10A562", "RSSMRA85T10A5621", "12345678901"])
def test_malformed_codice_fiscale_is_rejected(value):
    with pytest.raises(ValidationError, match="Codice fiscale non valido"):
        validate_codice_fiscale(value)


def test_codice_fiscale_with_wrong_check_char_is_rejected():
    with pytest.raises(ValidationError, match="carattere di controllo"):
        validate_codice_fiscale("RSSMRA85T10A562T")


def test_omocodia_codice_fiscale_is_accepted():
    body = "RSSMRA85T10A56N"  # last digit replaced by its omocodia letter
    validate_codice_fiscale(body + codice_fiscale_check_char(body))


def test_factory_codes_are_valid():
    for n in range(50):
        validate_codice_fiscale(valid_codice_fiscale(n))
        validate_partita_iva(valid_partita_iva(n))


def test_partita_iva_with_known_check_digit():
    validate_partita_iva("01234567897")  # check digit 7 by the Luhn-like algorithm


@pytest.mark.parametrize("value", ["0123456789", "0123456789A", "01234567890"])
def test_bad_partita_iva_is_rejected(value):
    with pytest.raises(ValidationError, match="Partita IVA non valida"):
        validate_partita_iva(value)


def test_log_filter_masks_personal_data():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "utente %s scrive da mario.rossi@example.org",
        ("RSSMRA85T10A562S",),
        None,
    )
    PersonalDataFilter().filter(record)
    message = record.getMessage()
    assert "RSSMRA85T10A562S" not in message
    assert "mario.rossi@example.org" not in message
    assert message.count(MASK) == 2


@pytest.mark.parametrize("text", ["chiama il 333 123 4567", "tel. +39 02 1234 5678"])
def test_log_filter_masks_phone_numbers(text):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, text, None, None)
    PersonalDataFilter().filter(record)
    assert MASK in record.getMessage()


def test_log_filter_leaves_durations_and_ids_alone():
    message = "Task riuscito in 0.0123456789s, risposta 1234567890"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, None, None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == message
