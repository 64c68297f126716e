"""The shipped framework read straight from its CSV files, for recogniser tests that need
the real labels without a database."""

import csv
from functools import lru_cache
from pathlib import Path

from ml.types import ConceptText

FRAMEWORK_DIR = (
    Path(__file__).resolve().parents[2] / "competenze" / "data" / "framework" / "ponte-lombardia"
)


@lru_cache(maxsize=1)
def shipped_concepts() -> tuple[ConceptText, ...]:
    implies: dict[str, list[str]] = {}
    for path in sorted((FRAMEWORK_DIR / "relations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["relation"] == "essential":
                    implies.setdefault(row["profile"], []).append(row["concept"])
    concepts = []
    for path in sorted((FRAMEWORK_DIR / "concepts").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                concepts.append(
                    ConceptText(
                        code=row["code"],
                        kind=row["kind"],
                        pref_label=row["pref_label"],
                        alt_labels=tuple(
                            a.strip() for a in row["alt_labels"].split("|") if a.strip()
                        ),
                        description=row["description"],
                        parent_code=row["parent"] or None,
                        sector=path.stem.upper(),
                        implies=tuple(implies.get(row["code"], ())),
                    )
                )
    return tuple(concepts)


def shipped_codes() -> frozenset[str]:
    return frozenset(c.code for c in shipped_concepts())
