"""The demo's words and places, read once from demo/data/*.json.

Everything is invented, except the prisons, the courts and the town populations, which are
public facts. Values that are model choices (institute kinds, experience categories, host
kinds, placement activities) are checked against the models' choices when this module loads,
so a data file cannot hold a value the database would refuse.
"""

import json
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from competenze.models import Experience, Institute
from lavoro.models import HostBody, Placement

DATA = Path(__file__).resolve().parent / "data"


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class SectorWords:
    roles: tuple[str, ...]
    places: tuple[str, ...]
    did: tuple[str, ...]  # first person, past: "preparavo i primi"
    duties: tuple[str, ...]  # nouns for offers: "preparazione dei primi"
    firms: tuple[str, ...]
    ateco: tuple[str, ...]
    licence: str
    prison_role: str


@dataclass(frozen=True)
class Origin:
    language: str
    weight: int
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    second_language: str = ""  # besides Italian, e.g. French for Senegal


def _sector_words(row: dict[str, Any]) -> SectorWords:
    return SectorWords(
        roles=tuple(row["roles"]),
        places=tuple(row["places"]),
        did=tuple(row["did"]),
        duties=tuple(row["duties"]),
        firms=tuple(row["firms"]),
        ateco=tuple(row["ateco"]),
        licence=row["licence"],
        prison_role=row["prison_role"],
    )


def _origin(row: dict[str, Any]) -> Origin:
    return Origin(
        language=row["language"],
        weight=row["weight"],
        male=tuple(row["male"]),
        female=tuple(row["female"]),
        surnames=tuple(row["surnames"]),
        second_language=row["second_language"],
    )


_sectors = _load("sectors.json")
SECTOR_WORDS = {code: _sector_words(row) for code, row in _sectors["sectors"].items()}
LABEL_KEYWORDS: tuple[tuple[str, str], ...] = tuple(
    (key, sector) for key, sector in _sectors["label_keywords"]
)
SECTOR_WEIGHT: dict[str, int] = _sectors["sector_weight"]

_people = _load("people.json")
ORIGINS = tuple(_origin(row) for row in _people["origins"])
ORIGIN_CUM = list(accumulate(origin.weight for origin in ORIGINS))
ITALIAN = next(origin for origin in ORIGINS if origin.language == "it")
SCHOOL: tuple[str, ...] = tuple(_people["school"])
CARE_AND_HOBBIES = tuple(
    (Experience.Category(row["category"]).value, row["title"], row["description"])
    for row in _people["care_and_hobbies"]
)

_places = _load("places.json")
COUNSELLING_SERVICES = tuple((row["name"], row["city"]) for row in _places["counselling_services"])
INSTITUTES = tuple(
    (row["name"], Institute.Kind(row["kind"]).value, row["city"]) for row in _places["institutes"]
)
COURT_BY_PROVINCE: dict[str, str] = _places["court_by_province"]
CITY_POPULATION: dict[str, int] = _places["city_population"]
DEFAULT_POPULATION: int = _places["default_population"]

_organisations = _load("organisations.json")
FANTASY: tuple[str, ...] = tuple(_organisations["fantasy"])
LEGAL_FORMS: tuple[str, ...] = tuple(_organisations["legal_forms"])
PROVIDER_PREFIXES: tuple[str, ...] = tuple(_organisations["provider_prefixes"])
PROVIDER_FORMS: tuple[str, ...] = tuple(_organisations["provider_forms"])
# where a comune's name is taken, an association or cooperative stands in
HOST_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    HostBody.Kind(kind): (row["prefix"], tuple(row["forms"]))
    for kind, row in _organisations["host_names"].items()
}
PLACEMENT_TITLES: dict[str, tuple[str, ...]] = {
    Placement.Activity(activity): tuple(titles)
    for activity, titles in _organisations["placement_titles"].items()
}
HOST_ACTIVITIES: dict[str, tuple[str, ...]] = {
    HostBody.Kind(kind): tuple(Placement.Activity(activity).value for activity in activities)
    for kind, activities in _organisations["host_activities"].items()
}
