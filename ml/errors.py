"""Errors the recogniser raises to the apps that call it."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError

RECOGNIZER_UNAVAILABLE = _(
    "Il riconoscimento delle competenze non è disponibile: nessun quadro delle competenze "
    "predefinito (esegui «manage.py load_framework»)."
)


class RecognizerUnavailable(ApplicationError):
    """The recogniser cannot run now (no default framework). Callers that can do without
    it (the offer form's suggestions) catch it and say so; the message is Italian."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(RECOGNIZER_UNAVAILABLE), code="recognizer_unavailable")
