"""Keep personal data out of logs.

Log records carry pseudonyms only; this module is a second line of defence that masks
anything shaped like a codice fiscale (omocodic ones too), an e-mail address or a phone
number. It masks the whole text a record turns into: the message with its arguments, the
traceback with the exception's own arguments (an IntegrityError quotes the duplicate key),
and the stack. A refused request (403/404 from a permission check) is one line, without its
traceback: refusals are expected and audited in AccessLog, not errors.
"""

import logging
import re

# The positions of a codice fiscale's digits may hold the letters LMNPQRSTUV instead
# (omocodia, D.M. 12/03/1974): the same shape as common.validators accepts. Spaces between
# characters are tolerated, as the validator strips them.
_LETTER, _DIGIT, _MONTH = "[A-Z]", "[0-9LMNPQRSTUV]", "[ABCDEHLMPRST]"
_CF_CHARS = [_LETTER] * 6 + [_DIGIT] * 2 + [_MONTH] + [_DIGIT] * 2 + [_LETTER] + [_DIGIT] * 3
_CF_CHARS.append(_LETTER)
_CODICE_FISCALE = r"(?<![A-Z0-9])" + r"[ ]?".join(_CF_CHARS) + r"(?![A-Z0-9])"

_PATTERNS = [
    re.compile(_CODICE_FISCALE, re.IGNORECASE),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    # Italian phone numbers (+39, mobiles 3xx, landlines 0x), not any run of digits such as
    # a duration "0.0123456789s"
    re.compile(r"(?<![\w.])(?:\+39[\s-]?)?(?:3\d{2}|0\d{1,3})[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w.])"),
]
MASK = "[dato personale omesso]"
REFUSED_STATUS_CODES = frozenset({401, 403, 404, 405, 429})


def mask_personal_data(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


_traceback_formatter = logging.Formatter()


def _is_refused_request(record: logging.LogRecord) -> bool:
    """django.request's warning for a 4xx that a permission check or a missing object caused
    (Django attaches the PermissionDenied traceback to it)."""
    return (
        record.name == "django.request"
        and getattr(record, "status_code", None) in REFUSED_STATUS_CODES
    )


class PersonalDataFilter(logging.Filter):
    """Rewrites the record so that every handler after it formats masked text only.

    The message is formatted with its arguments and masked; the traceback is formatted,
    masked and kept as `exc_text` (with `exc_info` dropped, so no handler formats the raw
    exception again); the stack is masked too. A refused request loses its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and _is_refused_request(record):
            record.exc_info, record.exc_text = None, None
        if record.exc_info:
            text = record.exc_text or _traceback_formatter.formatException(record.exc_info)
            record.exc_info, record.exc_text = None, mask_personal_data(text)
        elif record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


class PersonalDataFormatter(logging.Formatter):
    """Masks the final line(s), whatever a record carried: the last word on what is written."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))
