"""Plain data the search app passes around: documents to index, queries, hits.

Documents are built from the ORM by `search.sources`, indexed by a backend, and come back
inside hits; nothing here touches the database. A candidate document holds only what the
pseudonymised candidate view shows (lavoro.selectors.candidates): never a name, codice
fiscale, birth date, domicile municipality, measure, institute or notes.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from lavoro import kinds

OFFER, COURSE, PLACEMENT = kinds.OFFER.code, kinds.COURSE.code, kinds.PLACEMENT.code  # lavoro.kinds
OPPORTUNITY_KINDS = kinds.CODES
# Part of every document key: keep each kind's number for good (a new kind takes the next).
KIND_CODES = {OFFER: 1, COURSE: 2, PLACEMENT: 3}
KEY_SPAN = 10**12
"""Opportunity keys are kind code × KEY_SPAN + id: one integer per (kind, id)."""


def opportunity_key(kind: str, opportunity_id: int) -> int:
    return KIND_CODES[kind] * KEY_SPAN + opportunity_id


def key_split(key: int) -> tuple[str, int]:
    code, opportunity_id = divmod(key, KEY_SPAN)
    kind = next(name for name, value in KIND_CODES.items() if value == code)
    return kind, opportunity_id


def minutes(value: datetime.time | None) -> int | None:
    """A time of day as minutes after midnight (how shifts and measures compare)."""
    return None if value is None else value.hour * 60 + value.minute


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Requirement(NamedTuple):
    """A skill an opportunity asks for (essential or optional) or teaches (a named tuple:
    a rebuild makes millions)."""

    concept_id: int
    code: str
    label: str
    essential: bool
    sector: str = ""


@dataclass(frozen=True)
class OpportunityDoc:
    """A job offer, course or MAP/LPU placement as the index sees it.

    `weekly_hours` is what the person must give (a placement's minimum); `seats_available`
    is None when not limited; `measures` lists the measures admitted (empty: any, except
    for placements, where empty admits none); `shift_start`/`shift_end` are the daily
    shift in minutes after midnight (None: not stated; an end before the start crosses
    midnight).
    """

    kind: str
    id: int
    title: str
    description: str
    organisation: str
    status: str
    municipality_id: int
    municipality: str
    province: str
    latitude: float
    longitude: float
    start_date: datetime.date | None
    end_date: datetime.date | None
    weekly_hours: int | None
    seats_available: int | None
    measures: tuple[str, ...]
    sectors: tuple[str, ...]
    institute_id: int | None
    profile_code: str
    profile_label: str
    requirements: tuple[Requirement, ...]
    teaches: tuple[int, ...] = ()
    shift_start: int | None = None
    shift_end: int | None = None

    @property
    def key(self) -> int:
        return opportunity_key(self.kind, self.id)

    @property
    def search_text(self) -> str:
        labels = " ".join(requirement.label for requirement in self.requirements)
        parts = (self.title, self.description, self.organisation, self.profile_label, labels)
        return " ".join(part for part in parts if part)

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready; written by hand because dataclasses.asdict deep-copies (too slow)."""
        data = {name: getattr(self, name) for name in _OPPORTUNITY_FIELDS}
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        data["end_date"] = self.end_date.isoformat() if self.end_date else None
        data["requirements"] = [
            [r.concept_id, r.code, r.label, r.essential, r.sector] for r in self.requirements
        ]
        return data

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> "OpportunityDoc":
        values = dict(data)
        values["start_date"] = _date(values["start_date"])
        values["end_date"] = _date(values["end_date"])
        values["requirements"] = tuple(Requirement(*item) for item in values["requirements"])
        for name in ("measures", "sectors", "teaches"):
            values[name] = tuple(values[name])
        return cls(**values)


class Credit(NamedTuple):
    """How much a person's profile covers one concept: `via` says whether they hold it
    ("propria"), hold one of its abilities ("da_abilita") or the competence that contains
    it ("da_competenza"); `stage` is the IDVCC stage of the held skill giving the credit.
    A named tuple: a rebuild makes a few dozen per person."""

    concept_id: int
    value: float
    via: str
    stage: str


_OPPORTUNITY_FIELDS = tuple(item.name for item in fields(OpportunityDoc))


class IndexedSkill(NamedTuple):
    """A skill of an indexed profile (a named tuple: a rebuild makes millions)."""

    concept_id: int
    code: str
    label: str
    stage: str
    level: int
    sector: str = ""


@dataclass(frozen=True)
class CandidateDoc:
    """The pseudonymised profile of a person who shares it with employers and host bodies.

    `credits` are the skill credits the matching formula uses, the framework hierarchy
    already applied; `share_all` is a general consent, `share_orgs` the
    organisations a specific consent names. `constraints` are indexed to be filtered on,
    never stored with the profile (to_payload leaves them out).
    """

    person_id: int
    pseudonym: str
    province: str
    summary: str
    skills: tuple[IndexedSkill, ...]
    credits: tuple[Credit, ...]
    languages: tuple[tuple[str, str], ...]
    weekly_hours_available: int | None
    available_from: datetime.date | None
    share_all: bool
    share_orgs: tuple[int, ...]
    skill_texts: tuple[str, ...] = ()
    constraints: "PersonConstraints | None" = None

    @property
    def search_text(self) -> str:
        return " ".join(part for part in (self.summary, *self.skill_texts) if part)

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready, without `skill_texts` (only searched, never shown) and without
        `constraints` (only filtered on, never shown)."""
        return {
            "person_id": self.person_id,
            "pseudonym": self.pseudonym,
            "province": self.province,
            "summary": self.summary,
            "skills": [
                [s.concept_id, s.code, s.label, s.stage, s.level, s.sector] for s in self.skills
            ],
            "credits": [[c.concept_id, c.value, c.via, c.stage] for c in self.credits],
            "languages": [list(pair) for pair in self.languages],
            "weekly_hours_available": self.weekly_hours_available,
            "available_from": self.available_from.isoformat() if self.available_from else None,
            "share_all": self.share_all,
            "share_orgs": list(self.share_orgs),
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> "CandidateDoc":
        values = dict(data)
        values["available_from"] = _date(values["available_from"])
        values["skills"] = tuple(IndexedSkill(*item) for item in values["skills"])
        values["credits"] = tuple(Credit(*item) for item in values["credits"])
        values["languages"] = tuple((code, level) for code, level in values["languages"])
        values["share_orgs"] = tuple(values["share_orgs"])
        return cls(**values)


@dataclass(frozen=True)
class HardConstraints:
    """What the person's current measure and availability rule out. Judicial data (art. 10):
    built for counsellors' and trainees' matching only, never indexed, never sent to employers.

    `measure_type` is the current measure, or "fine_pena" when there is none;
    `daily_start`/`daily_end` the hours the person may be out (minutes after midnight);
    `waived` the checks (search.matching codes) set aside: a what-if, never the person's
    real constraints.
    """

    today: datetime.date
    measure_type: str = "fine_pena"
    allowed_municipalities: frozenset[int] = frozenset()
    radius_km: float | None = None
    max_weekly_hours: int | None = None
    available_from: datetime.date | None = None
    measure_end: datetime.date | None = None
    avoid_sectors: frozenset[str] = frozenset()
    institute_id: int | None = None
    daily_start: int | None = None
    daily_end: int | None = None
    waived: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PersonConstraints:
    """What a person's current measure and availability allow, as the candidate index keeps
    them to count whom an opportunity admits (search.admits). Judicial data (art. 10):
    indexed as filter-only fields, never in a document's payload, never returned.

    `home` is the domicile municipality (a radius is measured from it); the constraints
    hold from `valid_from` to `valid_until` (None: until a new measure is recorded): the
    current measure changes on a measure's first day and on the day after its last.
    """

    constraints: HardConstraints
    home: int | None
    valid_from: datetime.date
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class OpportunityQuery:
    """Person → opportunities: rank by the formula, exclude by the hard constraints.

    `affinity` maps sector codes to the person's affinity with them (0..1, interests and
    the profile's sectors; search.matching.affinity_of). By default the results are the
    opportunities every constraint admits; with `near_miss`, those exactly one constraint
    excludes; with `baseline`, those `constraints` admit and `baseline` does not (what a
    relaxation of the baseline would open).
    """

    kinds: tuple[str, ...]
    credits: Mapping[int, float]
    origin: tuple[float, float] | None
    constraints: HardConstraints
    text: str = ""
    teaches_any: tuple[int, ...] = ()
    offset: int = 0
    limit: int = 20
    affinity: Mapping[str, float] = field(default_factory=dict)
    near_miss: bool = False
    baseline: HardConstraints | None = None


@dataclass(frozen=True)
class OpportunityHit:
    doc: OpportunityDoc
    score: float
    skill_score: float
    distance_km: float | None
    affinity: float = 0.0


@dataclass(frozen=True)
class OpportunityHits:
    total: int
    hits: tuple[OpportunityHit, ...]


@dataclass(frozen=True)
class Admits:
    """Whom one opportunity admits (see search.admits). `nobody`: closed, no seats,
    a course already over; `reach`: (whole km, home municipalities at that distance rounded
    up); `measures`: the measure codes admitted (None: any); `institute`: for a course, the
    institute a person must have (0: none); `start`: the start as a day number."""

    kind: str
    nobody: bool
    municipality: int
    reach: tuple[tuple[int, tuple[int, ...]], ...]
    measures: tuple[int, ...] | None
    hours: int | None
    shift: tuple[int, int] | None
    overnight: bool
    sectors: tuple[str, ...]
    institute: int | None
    start: int | None
    detention_after: bool
    """An offer not admitting detention: a detention must end before the start."""


@dataclass(frozen=True)
class CandidateQuery:
    """Employer or host body → candidates. With `requirements` the score is the match score
    for that role; without, text relevance. `compatible` (whom the role admits, from the
    people's indexed constraints) only feeds an aggregate count."""

    today: datetime.date
    viewer_organisation: int | None
    viewer_is_admin: bool = False
    text: str = ""
    skills: tuple[int, ...] = ()
    province: str = ""
    language: str = ""
    available_by: datetime.date | None = None
    min_hours: int | None = None
    requirements: tuple[Requirement, ...] = ()
    role_province: str = ""
    compatible: Admits | None = None
    offset: int = 0
    limit: int = 20
    facet_size: int = 20


@dataclass(frozen=True)
class CandidateHit:
    doc: CandidateDoc
    score: float


@dataclass(frozen=True)
class FacetBucket:
    key: str
    count: int


@dataclass(frozen=True)
class CandidateHits:
    """`facets` holds skills, province, languages, availability (disjoint bands, see
    AVAILABILITY_BANDS) and hours; `compatible` the hits compatible with the role, or None,
    counted on the indexed constraints that still hold today; `stale` the person ids among
    the hits whose indexed constraints no longer do (the caller decides those, at most
    STALE_LIMIT of them)."""

    total: int
    hits: tuple[CandidateHit, ...]
    facets: Mapping[str, tuple[FacetBucket, ...]] = field(default_factory=dict)
    compatible: int | None = None
    stale: tuple[int, ...] = ()


AVAILABILITY_BANDS = (("subito", 0), ("entro_1_mese", 30), ("entro_3_mesi", 90))
"""Bands of `available_from`: within N days from today; the rest is "oltre_3_mesi"."""
HOURS_BANDS = (("fino_a_20", 0, 20), ("da_21_a_30", 21, 30), ("oltre_30", 31, 10_000))
MEASURE_TYPES = (
    "detenzione",
    "art21",
    "semiliberta",
    "affidamento",
    "domiciliare",
    "map",
    "lpu",
    "lsu",
    "fine_pena",
)
"""competenze.models.MeasureType values (a test keeps them equal): backends import no models."""
