"""Everything the generator reads from the database once, the random source, and the small
drawing helpers every step uses."""

import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.models import Municipality, Organisation, User
from common.validators import partita_iva_check_digit
from competenze.models import (
    Concept,
    ConceptRelation,
    Person,
)
from competenze.models.people import new_pseudonym
from competenze.selectors.framework import framework_default
from demo.options import (
    BATCH_SIZE,
    DEMO_MARK,
    DEMO_PASSWORD,
    NO_FRAMEWORK,
    NO_MUNICIPALITIES,
    NO_PROFILES,
    DemoDataError,
)
from demo.tables import M, Row, T, Table
from demo.vocabulary import (
    CITY_POPULATION,
    COURT_BY_PROVINCE,
    DEFAULT_POPULATION,
    FANTASY,
    LABEL_KEYWORDS,
    LEGAL_FORMS,
    SECTOR_WEIGHT,
    SECTOR_WORDS,
)
from search.matching import haversine_km


@dataclass(frozen=True)
class Profile:
    id: int
    label: str
    sector: str  # a SECTOR_WORDS key
    relations: tuple[tuple[int, bool], ...]  # (concept id, essential)
    pool: tuple[int, ...]  # related concepts and their children: skills a person may hold


NEIGHBOUR_KM = 15.0
"""How far Territory.near reaches around a domicile: the towns a measure allows."""


@dataclass
class Territory:
    ids: list[int]
    cum_weights: list[int]
    names: dict[int, str]
    province: dict[int, str]
    by_province: dict[str, list[int]]
    by_name: dict[str, int]
    coordinates: dict[int, tuple[float, float]] = field(default_factory=dict)
    _neighbours: dict[int, list[int]] = field(default_factory=dict)

    def pick(self, rng: random.Random) -> int:
        return rng.choices(self.ids, cum_weights=self.cum_weights)[0]

    def neighbours(self, municipality: int) -> list[int]:
        """The other municipalities within NEIGHBOUR_KM, nearest first (any province:
        a border does not stop a commute)."""
        if municipality not in self._neighbours:
            here = self.coordinates.get(municipality)
            found: list[tuple[float, int]] = []
            if here is not None:
                for pk, (lat, lon) in self.coordinates.items():
                    km = haversine_km(here[0], here[1], lat, lon)
                    if pk != municipality and km <= NEIGHBOUR_KM:
                        found.append((km, pk))
            self._neighbours[municipality] = [pk for _km, pk in sorted(found)]
        return self._neighbours[municipality]

    def near(self, rng: random.Random, municipality: int, count: int) -> list[int]:
        """The municipality plus up to `count` of its neighbours (within NEIGHBOUR_KM)."""
        others = self.neighbours(municipality)
        picked = {municipality, *rng.sample(others, min(count, len(others)))}
        return sorted(picked)

    def around(self, rng: random.Random, municipality: int, stay: float = 0.5) -> int:
        """The municipality itself (probability `stay`) or one of its neighbours."""
        others = self.neighbours(municipality)
        return municipality if not others or rng.random() < stay else rng.choice(others)


@dataclass
class Skills:
    profiles: list[Profile]
    cum_weights: list[float]
    by_sector: dict[str, list[Profile]]
    sector_codes: list[str]

    def pick(self, rng: random.Random, sector: str | None = None) -> Profile:
        if sector:
            return rng.choice(self.by_sector[sector])
        return rng.choices(self.profiles, cum_weights=self.cum_weights)[0]


@dataclass(frozen=True)
class InstituteRef:
    id: int
    name: str
    kind: str
    municipality: int


@dataclass(frozen=True)
class EmployerRef:
    id: int
    organisation: int
    name: str
    sector: str
    sites: tuple[tuple[int, int], ...]  # (site id, municipality id)
    smuraglia: bool


@dataclass(frozen=True)
class HostRef:
    id: int
    organisation: int
    kind: str
    municipality: int
    convention: int


@dataclass
class PersonPlan:
    """The rows of one person, as attribute dicts; foreign keys to the person come at save."""

    person: Row
    identity: Row
    measures: list[tuple[Row, list[int]]]  # with the allowed municipalities
    languages: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    experiences: list[Row] = field(default_factory=list)
    skills: list[Row] = field(default_factory=list)
    pk: int = 0  # set once saved

    @property
    def measure_type(self) -> str:
        return self.measures[0][0]["measure_type"]


@dataclass
class Context:
    rng: random.Random
    territory: Territory
    skills: Skills
    password: str
    today: dt.date
    counts: Counter[str] = field(default_factory=Counter)
    services: list[Organisation] = field(default_factory=list)
    institutes: list[InstituteRef] = field(default_factory=list)
    counsellors: list[tuple[int, int]] = field(default_factory=list)  # (user id, org id)
    demo_counsellors: list[tuple[int, int]] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    pseudonyms: set[str] = field(default_factory=set)
    dashboard: list["PersonPlan"] = field(default_factory=list)
    homes: list[int] = field(default_factory=list)  # every person's domicile, in order
    placement_homes: list[int] = field(default_factory=list)  # those of MAP/LPU people
    now: dt.datetime = field(default_factory=timezone.now)
    tables: dict[type[models.Model], "Table"] = field(default_factory=dict)

    def insert(
        self, model: type[models.Model], rows: Sequence["Row"], label: str, returning: bool = False
    ) -> list[int]:
        """Insert attribute dicts as `model` rows (see Table); count them under `label`."""
        if not rows:
            return []
        if model not in self.tables:
            self.tables[model] = Table(model, self.now)
        self.counts[label] += len(rows)
        return self.tables[model].insert(rows, returning)


def lombardy_municipalities() -> models.QuerySet[Municipality]:
    lombard = Q(province__region__iexact="Lombardia") | Q(province__code__in=COURT_BY_PROVINCE)
    queryset = Municipality.objects.filter(lombard)
    return queryset if queryset.exists() else Municipality.objects.all()


def load_territory() -> Territory:
    rows = list(
        lombardy_municipalities()
        .order_by("istat_code")
        .values_list("id", "name", "province__code", "latitude", "longitude")
    )
    if not rows:
        raise DemoDataError(NO_MUNICIPALITIES)
    by_province: dict[str, list[int]] = {}
    for pk, _name, province, _lat, _lon in rows:
        by_province.setdefault(province, []).append(pk)
    weights = (CITY_POPULATION.get(row[1], DEFAULT_POPULATION) for row in rows)
    return Territory(
        ids=[row[0] for row in rows],
        cum_weights=list(accumulate(weights)),
        names={row[0]: row[1] for row in rows},
        province={row[0]: row[2] for row in rows},
        by_province=by_province,
        by_name={row[1]: row[0] for row in reversed(rows)},
        coordinates={row[0]: (row[3], row[4]) for row in rows},
    )


def sector_of(label: str, sector_code: str | None) -> str:
    if sector_code is not None and sector_code in SECTOR_WORDS:
        return sector_code
    lowered = label.lower()
    return next((sector for key, sector in LABEL_KEYWORDS if key in lowered), "GEN")


def load_skills() -> Skills:
    framework = framework_default()
    if framework is None:
        raise DemoDataError(NO_FRAMEWORK)
    concepts = Concept.objects.filter(framework=framework).order_by("code")
    rows = list(concepts.values_list("id", "kind", "pref_label", "parent_id", "sector__code"))
    children: dict[int, list[int]] = {}
    for pk, _kind, _label, parent, _sector in rows:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    relations: dict[int, list[tuple[int, bool]]] = {}
    links = ConceptRelation.objects.filter(source__framework=framework)
    for source, target, kind in links.order_by("source__code", "target__code").values_list(
        "source_id", "target_id", "kind"
    ):
        relations.setdefault(source, []).append((target, kind == ConceptRelation.Kind.ESSENTIAL))
    profiles = [
        _profile(pk, label, sector, relations[pk], children)
        for pk, kind, label, _parent, sector in rows
        if kind == Concept.Kind.PROFILE and pk in relations
    ]
    if not profiles:
        raise DemoDataError(NO_PROFILES)
    job_sectors = {row[4] for row in rows if row[4] in SECTOR_WORDS}  # for avoid_sectors
    return _skills(profiles, sorted(job_sectors))


def _profile(
    pk: int, label: str, sector: str | None, links: list[tuple[int, bool]], children: dict
) -> Profile:
    targets = [target for target, _essential in links]
    pool = dict.fromkeys(targets + [child for t in targets for child in children.get(t, [])])
    pool.pop(pk, None)
    return Profile(pk, label, sector_of(label, sector), tuple(links), tuple(pool))


def _skills(profiles: list[Profile], sector_codes: list[str]) -> Skills:
    by_sector: dict[str, list[Profile]] = {}
    for profile in profiles:
        by_sector.setdefault(profile.sector, []).append(profile)
    weights = (SECTOR_WEIGHT[p.sector] / len(by_sector[p.sector]) for p in profiles)
    return Skills(profiles, list(accumulate(weights)), by_sector, sector_codes)


def load_context(seed: int, today: dt.date | None = None) -> Context:
    territory = load_territory()
    skills = load_skills()
    password = make_password(DEMO_PASSWORD)
    context = Context(
        random.Random(seed), territory, skills, password, today or timezone.localdate()
    )
    context.pseudonyms = set(Person.objects.values_list("pseudonym", flat=True))
    return context


def bulk(context: Context, objects: Sequence[M], label: str) -> list[M]:
    """bulk_create and count; the objects get their primary keys (SQLite ≥ 3.35, PostgreSQL)."""
    if not objects:
        return []
    manager: models.Manager[M] = type(objects[0])._default_manager
    created = manager.bulk_create(objects, batch_size=BATCH_SIZE)
    context.counts[label] += len(created)
    return created


def home_pick(context: Context, homes: Sequence[int] | None = None) -> int:
    """Where people live: a domicile already drawn (so by population, as people are), or a
    neighbour of it; a town by population when there are no people yet."""
    homes = context.homes if homes is None else homes
    if not homes:
        return context.territory.pick(context.rng)
    return context.territory.around(context.rng, context.rng.choice(homes))


def day_after(start: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return start + dt.timedelta(days=rng.randint(low, high))


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def demo_name(
    rng: random.Random, prefix: str, taken: set[str], forms: Sequence[str] = LEGAL_FORMS
) -> str:
    """A made-up name, unique within `taken`, e.g. "Panificio Girasole S.n.c. (demo)"."""
    base = f"{prefix} {rng.choice(FANTASY)}"
    name = f"{base} {rng.choice(forms)}{DEMO_MARK}"
    while name in taken:
        name = f"{base} {rng.randint(2, 999)} {rng.choice(forms)}{DEMO_MARK}"
    taken.add(name)
    return name


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum())


def partita_iva(rng: random.Random, taken: set[str]) -> str:
    while True:
        body = f"{rng.randrange(10**9, 2 * 10**9):010d}"
        code = body + str(partita_iva_check_digit(body))
        if code not in taken:
            taken.add(code)
            return code


def pseudonym(context: Context) -> str:
    while (code := new_pseudonym()) in context.pseudonyms:
        continue
    context.pseudonyms.add(code)
    return code


def scaled(total: int, per: int, low: int, high: int) -> int:
    return max(low, min(high, total // per))


def weighted(rng: random.Random, values: Sequence[T], cum_weights: Sequence[float]) -> T:
    return rng.choices(values, cum_weights=cum_weights)[0]
