"""How long a person says they did something: "per tre anni" -> 36 months. Pure Python,
no spaCy: the interview templates check answers with it, and the recogniser (ml.nlp) reads
durations with it."""

import re

NUMBER_WORDS = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "sette": 7,
    "otto": 8,
    "nove": 9,
    "dieci": 10,
    "undici": 11,
    "dodici": 12,
    "quindici": 15,
    "venti": 20,
    "qualche": 2,
    "pochi": 2,
    "alcuni": 3,
    "parecchi": 5,
    "tanti": 6,
    "molti": 6,
    "diversi": 4,
}
UNIT_MONTHS = {
    "anno": 12,
    "anni": 12,
    "mese": 1,
    "mesi": 1,
    "settimana": 0.25,
    "settimane": 0.25,
    "estate": 3,
    "estati": 3,
    "stagione": 4,
    "stagioni": 4,
}
DURATION_RE = re.compile(
    r"\b(\d{1,2}|"
    + "|".join(NUMBER_WORDS)
    + r")\s+("
    + "|".join(UNIT_MONTHS)
    + r")(\s+e\s+mezzo)?\b",
    re.IGNORECASE,
)
HALF_RE = re.compile(r"\bmezz[oa']\s*(anno|mese)\b", re.IGNORECASE)


def duration_in_months(text: str) -> int | None:
    """The longest duration said in `text`, in months ('per tre anni' -> 36)."""
    months: list[float] = []
    for number, unit, half in DURATION_RE.findall(text):
        count = int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]
        unit_months = UNIT_MONTHS[unit.lower()]
        months.append(count * unit_months + (unit_months / 2 if half else 0))
    for match in HALF_RE.finditer(text):
        months.append(6 if match.group(1).lower() == "anno" else 0.5)
    return round(max(months)) if months else None
