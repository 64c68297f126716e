"""Logs carry no personal data: messages, exception arguments, tracebacks and stacks are
masked, omocodic codici fiscali included; a refused page is one line, not a traceback."""

import io
import logging
from contextlib import contextmanager

import pytest
from django.db import IntegrityError
from django.test import Client

from common.logging import MASK, PersonalDataFilter, PersonalDataFormatter, mask_personal_data
from common.validators import validate_codice_fiscale
from tests.factories import EmployerUserFactory, PersonFactory

CF = "RSSMRA80A01H501U"
OMOCODIC_CF = "RSSMRAUTA01H501K"  # RSSMRA80A01H501U with the digits of the date replaced


def _logger_to(stream: io.StringIO, name: str) -> logging.Logger:
    """A logger with one handler configured as in settings.LOGGING, writing to `stream`."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(PersonalDataFormatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_the_omocodic_code_of_the_audit_is_valid_and_masked():
    validate_codice_fiscale(OMOCODIC_CF)  # the validator accepts it, so it can reach a log
    assert mask_personal_data(f"cf={OMOCODIC_CF}.") == f"cf={MASK}."
    assert mask_personal_data(f"cf {OMOCODIC_CF.lower()}") == f"cf {MASK}"


@pytest.mark.parametrize(
    "code",
    [
        "RSSMRA80A01H501U",
        "RSSMRAUTA01H501K",
        "rss mra 80a01 h501u",
        "BNCLRD8LT41F205H",
        "BNCLRDULTQRFNSRA",
    ],
)
def test_every_shape_the_validator_accepts_is_masked(code):
    validate_codice_fiscale(code)
    assert mask_personal_data(f"persona {code} trovata") == f"persona {MASK} trovata"


def test_ordinary_words_and_pseudonyms_are_left_alone():
    text = "persona P-7KQ2-M9XD, richiesta 200 in 0.0123456789s, ABCDEFGHIJKLMNOPQRS"
    assert mask_personal_data(text) == text


def test_traceback_and_exception_arguments_are_masked():
    stream = io.StringIO()
    logger = _logger_to(stream, "ponte.test.traceback")
    try:
        raise IntegrityError(
            "duplicate key value violates unique constraint "
            f"DETAIL: Key (codice_fiscale)=({OMOCODIC_CF}) already exists. mail mario@esempio.it"
        )
    except IntegrityError:
        logger.exception("Creazione non riuscita per %s", CF)
    output = stream.getvalue()
    assert "Traceback (most recent call last)" in output
    assert "IntegrityError" in output
    assert OMOCODIC_CF not in output and CF not in output and "mario@esempio.it" not in output
    assert output.count(MASK) == 3


def test_exception_passed_as_argument_and_stack_are_masked():
    stream = io.StringIO()
    logger = _logger_to(stream, "ponte.test.stack")
    error = ValueError(f"codice {OMOCODIC_CF} rifiutato")
    logger.warning("Errore: %r", error, stack_info=True)
    output = stream.getvalue()
    assert "Stack (most recent call last)" in output
    assert OMOCODIC_CF not in output and f"ValueError('codice {MASK} rifiutato')" in output


def test_a_stack_mentioning_a_code_is_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "ok", None, None)
    record.stack_info = f'Stack (most recent call last):\n  identity_save(cf="{CF}")'
    PersonalDataFilter().filter(record)
    assert CF not in record.stack_info and MASK in record.stack_info


def test_a_record_handled_twice_stays_masked():
    """The filter rewrites the record, so a second handler cannot see the raw exception."""
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "cf %s", (CF,), None)
    try:
        raise RuntimeError(CF)
    except RuntimeError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    PersonalDataFilter().filter(record)
    assert record.exc_info is None
    assert CF not in record.getMessage() and CF not in (record.exc_text or "")
    assert CF not in logging.Formatter().format(record)


@contextmanager
def _django_log():
    """What the configured handler of Django's loggers writes, captured."""
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_refused_page_is_one_log_line_without_traceback():
    client = Client()
    client.force_login(EmployerUserFactory())
    with _django_log() as stream:
        response = client.get("/operatore/")
    assert response.status_code == 403
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, stream.getvalue()
    assert "Forbidden" in lines[0] and "/operatore/" in lines[0]
    assert "Traceback" not in stream.getvalue()


@pytest.mark.django_db
def test_a_page_refused_by_a_service_is_one_line_too(counsellor):
    other = PersonFactory()  # another organisation's person: 404 from the selector
    client = Client()
    client.force_login(counsellor)
    with _django_log() as stream:
        response = client.get(f"/operatore/persone/{other.pseudonym}/")
    assert response.status_code == 404
    assert len(stream.getvalue().splitlines()) == 1, stream.getvalue()


def test_server_errors_keep_their_traceback_masked():
    """A 500 still logs its traceback (that is how bugs get fixed), with no personal data."""
    stream = io.StringIO()
    handler = logging.getLogger("django").handlers[0]
    previous = handler.setStream(stream)
    try:
        try:
            raise IntegrityError(f"Key (codice_fiscale)=({CF}) already exists.")
        except IntegrityError:
            logging.getLogger("django.request").error(
                "Internal Server Error: %s",
                "/operatore/persone/nuova/",
                exc_info=True,
                extra={"status_code": 500},
            )
    finally:
        handler.setStream(previous)
    assert "Traceback" in stream.getvalue()
    assert CF not in stream.getvalue()


def test_a_celery_worker_logs_through_the_masking_handler():
    from config.celery import app

    assert app.conf.worker_hijack_root_logger is False
    root = logging.getLogger()
    assert any(isinstance(f, PersonalDataFilter) for h in root.handlers for f in h.filters)
