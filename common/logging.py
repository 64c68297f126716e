"""Keep personal data out of logs.

Log records carry pseudonyms only; this filter is a second line of defence that masks
anything shaped like a codice fiscale, an e-mail address or a phone number.
"""

import logging
import re

_PATTERNS = [
    re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    # Italian phone numbers (+39, mobiles 3xx, landlines 0x), not any run of digits such as
    # a duration "0.0123456789s"
    re.compile(r"(?<![\w.])(?:\+39[\s-]?)?(?:3\d{2}|0\d{1,3})[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w.])"),
]
MASK = "[dato personale omesso]"


def mask_personal_data(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
