"""Search benchmark (manage.py bench --only search): index time and query latencies on
seed_demo data, on each engine asked for (embedded, Elasticsearch) side by side, against the
plain Django ORM doing the same work without an index.

Measures: the full index build; person → top 20 opportunities with explanations; employer
search (text + 3 filters + facets); offer → candidates for an administrator (match score
for the offer, facets and the "compatible with this role" count); one offer published
(its reindex). Each query runs the full service path (permission, database reads of the
person and the measure, audit rows), as the API does. Targets: at 100k (issue 4) build
≤ 60 s, queries p95 ≤ 50 ms; at 1M (issue 13) build ≤ 120 s, person → top 20 and employer
search p95 ≤ 50 ms, offer → candidates p95 ≤ 200 ms, one offer published ≤ 20 ms. The index
is built in a temporary directory (or under a temporary index prefix on ELASTICSEARCH_URL),
so the live one is left alone. `--size smoke` runs a few hundred rows and a few dozen
queries, without targets: CI runs it on a real node.
"""

import os
import platform
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef, Q
from django.test import override_settings
from django.utils import timezone

from common.models import User
from competenze.models import Consent, Person, PersonLanguage, SkillEntry
from lavoro.models import Course, JobOffer, Placement
from search import indexing, matching
from search.backends import ELASTICSEARCH, EMBEDDED, get_backend
from search.candidate_queries import CandidateFilters, candidates_search
from search.profiles import compatible_people, hard_constraints, person_profile
from search.queries import person_opportunities_match
from search.sources import opportunity_docs
from search.types import COURSE, OFFER, PLACEMENT, opportunity_key


@dataclass(frozen=True)
class Targets:
    index_s: float
    query_p95_ms: float = 50.0
    candidates_p95_ms: float | None = None
    publish_p95_ms: float | None = None


@dataclass(frozen=True)
class Size:
    """How much data and how many timed queries; `targets` None: none apply."""

    people: int
    opportunities: int
    match_samples: int = 200
    search_samples: int = 200
    offer_samples: int = 50
    publish_samples: int = 50
    orm_match_samples: int = 5
    orm_search_samples: int = 20
    orm_offer_samples: int = 3
    targets: Targets | None = Targets(index_s=60.0)


FULL = Size(100_000, 100_000)
SIZES = {
    # A few seconds of work: proves every path runs (CI runs it on a real Elasticsearch node).
    "smoke": Size(
        400,
        400,
        match_samples=30,
        search_samples=30,
        offer_samples=10,
        publish_samples=10,
        orm_match_samples=2,
        orm_search_samples=5,
        orm_offer_samples=2,
        targets=None,
    ),
    "10k": Size(10_000, 10_000, targets=None),
    "100k": FULL,
    "full": FULL,  # the name `make bench` and older notes use
    "1m": Size(
        1_000_000,
        1_000_000,
        match_samples=100,
        search_samples=100,
        offer_samples=30,
        publish_samples=30,
        orm_match_samples=2,
        orm_search_samples=5,
        orm_offer_samples=1,
        targets=Targets(120.0, candidates_p95_ms=200.0, publish_p95_ms=20.0),
    ),
}


@dataclass(frozen=True)
class Timing:
    """Wall-clock percentiles, and this process's CPU time per call (an Elasticsearch
    node's own CPU is not in it)."""

    p50_ms: float
    p95_ms: float
    samples: int
    cpu_ms: float = 0.0

    @classmethod
    def of(cls, seconds: Sequence[float], cpu_seconds: float = 0.0) -> "Timing":
        ordered = sorted(seconds)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        cpu = cpu_seconds / len(ordered) * 1000
        return cls(statistics.median(ordered) * 1000, p95 * 1000, len(ordered), cpu)

    def line(self) -> str:
        return f"p50 {self.p50_ms:8.1f} ms   p95 {self.p95_ms:8.1f} ms   ({self.samples} query)"

    def cell(self) -> str:
        return f"{self.p50_ms:,.1f} / {self.p95_ms:,.1f} ms (CPU {self.cpu_ms:,.1f} ms)"


def timed(calls: Sequence[Callable[[], object]], warmup: int = 5) -> Timing:
    for call in calls[:warmup]:
        call()
    seconds = []
    cpu_started = time.process_time()
    for call in calls:
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return Timing.of(seconds, time.process_time() - cpu_started)


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text().split()[1]  # MemTotal, kB
        memory = f"; {int(total) / 2**20:.0f} GiB RAM"
    return (
        f"{platform.platform()}; {model}; {os.cpu_count()} CPU{memory}; "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    """The load averages (1, 5, 15 minutes): how busy the machine was, next to each figure."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/d"
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


def ensure_data(stdout: TextIO, people: int, opportunities: int) -> None:
    have = Person.objects.count()
    if have >= people:
        return
    stdout.write(f"Solo {have} persone nel database: seed_demo --people {people} ...\n")
    call_command(
        "seed_demo",
        people=people,
        offers=opportunities // 2,
        courses=opportunities // 4,
        placements=opportunities - opportunities // 2 - opportunities // 4,
        reset=True,
        verbosity=0,
    )


def data_size() -> dict[str, int]:
    return {
        "persone": Person.objects.count(),
        "persone che condividono il profilo": Consent.objects.in_force(
            Consent.Purpose.SHARE_PROFILE
        )
        .values("person_id")
        .distinct()
        .count(),
        "competenze delle persone": SkillEntry.objects.count(),
        "offerte": JobOffer.objects.count(),
        "corsi": Course.objects.count(),
        "posti MAP/LPU": Placement.objects.count(),
    }


# ------------------------------------------------------------------ the ORM approach


def orm_person_match(person: Person, limit: int = 20) -> list[tuple[float, int]]:
    """Person → opportunities without an index: read every published opportunity with its
    skills through the ORM, check the constraints and score each one in Python."""
    today = timezone.localdate()
    profile = person_profile(person)
    constraints = hard_constraints(person, today)
    credits = profile.credit_values
    scored = []
    for kind, model in ((OFFER, JobOffer), (COURSE, Course), (PLACEMENT, Placement)):
        ids = list(model.objects.filter(status="pubblicata").values_list("pk", flat=True))
        docs, _gone = opportunity_docs(kind, ids)
        for doc in docs:
            km = None
            if profile.origin is not None:
                km = matching.haversine_km(*profile.origin, doc.latitude, doc.longitude)
            if matching.admissible(constraints, doc, km):
                pairs = [(r.concept_id, r.essential) for r in doc.requirements]
                affinity = matching.affinity_of(doc.sectors, profile.affinity)
                score = matching.opportunity_score(
                    matching.skill_score(pairs, credits), km, affinity
                )
                scored.append((score, opportunity_key(kind, doc.id)))
    return sorted(scored, reverse=True)[:limit]


def orm_candidate_search(user: User, word: str, province: str, skill: str, language: str) -> Any:
    """Employer search without an index: icontains over summary and skill labels, three
    filters, four facets (GROUP BY), first page."""
    shared = Consent.objects.filter(person=OuterRef("pk")).covering(
        purpose=Consent.Purpose.SHARE_PROFILE, organisation_id=user.organisation_id
    )
    people = Person.objects.filter(Exists(shared), is_active=True)
    people = people.filter(
        Q(summary__icontains=word) | Q(skills__concept__pref_label__icontains=word),
        domicile__province__code=province,
    )
    people = people.filter(skills__concept__code=skill).filter(languages__language=language)
    ids = people.values("pk").distinct()
    page = list(Person.objects.filter(pk__in=ids).order_by("pseudonym")[:20])
    facets = (
        list(
            SkillEntry.objects.filter(person__in=ids)
            .values("concept__code")
            .annotate(n=Count("id"))
            .order_by("-n")[:20]
        ),
        list(
            Person.objects.filter(pk__in=ids)
            .values("domicile__province__code")
            .annotate(n=Count("id"))
        ),
        list(
            PersonLanguage.objects.filter(person__in=ids).values("language").annotate(n=Count("id"))
        ),
        list(
            Person.objects.filter(pk__in=ids)
            .values("weekly_hours_available")
            .annotate(n=Count("id"))
        ),
    )
    return page, facets


# ------------------------------------------------------------------ samples


def person_sample(rng: random.Random, count: int) -> list[str]:
    ids = list(Person.objects.filter(domicile__isnull=False).values_list("pseudonym", flat=True))
    return rng.sample(ids, min(count, len(ids)))


def search_sample(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """Coherent employer queries: a word of one of a candidate's skills, their province,
    another of their skills, one of their languages (so most queries find someone)."""
    shared = Consent.objects.in_force(Consent.Purpose.SHARE_PROFILE)
    ids = list(shared.values_list("person_id", flat=True)[:20_000])
    chosen = rng.sample(ids, min(count, len(ids)))
    skills: dict[int, list[tuple[str, str]]] = {}
    for pk, code, label in SkillEntry.objects.filter(person_id__in=chosen).values_list(
        "person_id", "concept__code", "concept__pref_label"
    ):
        skills.setdefault(pk, []).append((code, label))
    languages = dict(
        PersonLanguage.objects.filter(person_id__in=chosen).values_list("person_id", "language")
    )
    provinces = dict(
        Person.objects.filter(pk__in=chosen).values_list("pk", "domicile__province__code")
    )
    queries = []
    for pk in chosen:
        if pk not in skills or not provinces.get(pk):
            continue
        _code, label = rng.choice(skills[pk])
        word = max(("".join(c for c in w if c.isalnum()) for w in label.split()), key=len)
        queries.append((word, provinces[pk], rng.choice(skills[pk])[0], languages.get(pk, "it")))
    return queries


def offer_sample(rng: random.Random, count: int) -> list[int]:
    """Published job offers with at least one skill (the role the candidates rank for)."""
    ids = list(
        JobOffer.objects.filter(status="pubblicata", skills__isnull=False)
        .values_list("pk", flat=True)
        .distinct()[:20_000]
    )
    return rng.sample(ids, min(count, len(ids)))


def orm_offer_candidates(role_id: int) -> int:
    """The "compatible with this role" count without an index: every sharing person's
    current measure read from the database and checked in Python (what the count cost
    before the constraints were indexed)."""
    today = timezone.localdate()
    docs, _gone = opportunity_docs(OFFER, [role_id], published_only=False)
    sharing = Consent.objects.in_force(Consent.Purpose.SHARE_PROFILE).values("person_id")
    people = Person.objects.filter(is_active=True, pk__in=sharing)
    return len(compatible_people(docs[0], people, today))


# ------------------------------------------------------------------ report


def _line(stdout: TextIO, label: str, value: str) -> None:
    stdout.write(f"  {label:<58} {value}\n")


def _verdict(ok: bool) -> str:
    return "OK" if ok else "NON RAGGIUNTO"


def backends_asked(names: str) -> list[str]:
    """`auto`: the embedded engine, and Elasticsearch too when ELASTICSEARCH_URL is set;
    otherwise a comma-separated list of engines."""
    if names == "auto":
        return [EMBEDDED, ELASTICSEARCH] if os.environ.get("ELASTICSEARCH_URL") else [EMBEDDED]
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = set(chosen) - {EMBEDDED, ELASTICSEARCH}
    if unknown:
        raise ValueError(f"Motore sconosciuto: {', '.join(sorted(unknown))}")
    return chosen


@dataclass(frozen=True)
class Samples:
    """The same queries for every engine."""

    pseudonyms: list[str]
    searches: list[tuple[str, str, str, str]]
    offers: list[int]
    published: list[int]


def run(stdout: TextIO, size: Size = FULL, backend: str = EMBEDDED) -> None:
    engines = backends_asked(backend)
    stdout.write(f"== Ricerca e abbinamenti (motori: {', '.join(engines)}) ==\n")
    ensure_data(stdout, size.people, size.opportunities)
    stdout.write(f"Macchina: {machine()}\n")
    for label, count in data_size().items():
        _line(stdout, label, f"{count:>10,}".replace(",", "."))
    rng = random.Random(2026)
    offers = offer_sample(rng, size.offer_samples)
    samples = Samples(
        person_sample(rng, size.match_samples),
        search_sample(rng, size.search_samples),
        offers,
        offer_sample(rng, size.publish_samples),
    )
    results = {}
    for engine in engines:
        with bench_backend(engine):
            results[engine] = _bench(stdout, size, samples, engine)
    orm = _bench_orm(stdout, size, samples)
    _table(stdout, size, engines, results, orm)


@contextmanager
def bench_backend(backend: str) -> Iterator[None]:
    """A backend of its own for the run: a temporary embedded directory, or Elasticsearch
    indices under a temporary prefix (ELASTICSEARCH_URL), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ponte-bench-") as directory:
        overrides: dict[str, Any] = {
            "PONTE_SEARCH_BACKEND": backend,
            "PONTE_SEARCH_EMBEDDED_DIR": Path(directory) / "index",
            "PONTE_SEARCH_RANKER_PATH": Path(directory) / "no-ranker.json",
            "PONTE_SEARCH_INDEX_PREFIX": f"ponte-bench-{uuid.uuid4().hex[:8]}",
        }
        with override_settings(**overrides):
            try:
                yield
            finally:
                if backend == ELASTICSEARCH:
                    get_backend().clear()


def _users() -> tuple[User, User]:
    admin = User.objects.filter(role=User.Role.ADMIN).first() or User.objects.create(
        username="bench-admin", role=User.Role.ADMIN
    )
    employer = User.objects.filter(role=User.Role.EMPLOYER).first() or admin
    return admin, employer


MATCH, SEARCH, OFFER_CANDIDATES, PUBLISH = (
    "persona → prime 20 opportunità con spiegazioni",
    "ricerca datore (testo + 3 filtri + faccette)",
    "offerta → candidati (punteggio, faccette, conteggio compatibili)",
    "un'offerta pubblicata (reindicizzazione)",
)


def _cpu_with_workers() -> float:
    """CPU seconds of this process and of the finished processes it started (a rebuild's
    workers, search.parallel)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _bench(stdout: TextIO, size: Size, samples: Samples, engine: str) -> dict[str, Any]:
    stdout.write(f"Motore {engine} (carico {load()}):\n")
    started, cpu = time.perf_counter(), _cpu_with_workers()
    counts = indexing.rebuild()
    seconds, cpu = time.perf_counter() - started, _cpu_with_workers() - cpu
    _line(
        stdout,
        f"indicizzazione: {counts.people} profili + {counts.opportunities} opportunità",
        f"{seconds:6.1f} s (CPU {cpu:.1f} s, processi di lavoro compresi)",
    )
    admin, employer = _users()
    found: dict[str, Any] = {"index": (seconds, cpu)}
    found[MATCH] = timed(
        [
            partial(person_opportunities_match, user=admin, pseudonym=p, limit=20)
            for p in samples.pseudonyms
        ]
    )
    found[SEARCH] = timed(
        [
            partial(
                candidates_search,
                user=employer,
                filters=CandidateFilters(text=q[0], province=q[1], skills=(q[2],), language=q[3]),
            )
            for q in samples.searches
        ]
    )
    found[OFFER_CANDIDATES] = timed(
        [
            partial(candidates_search, user=admin, filters=CandidateFilters(offer_id=pk))
            for pk in samples.offers
        ],
        warmup=2,
    )
    found[PUBLISH] = timed(
        [partial(indexing.opportunities_index, OFFER, [pk]) for pk in samples.published], warmup=2
    )
    for measure in (MATCH, SEARCH, OFFER_CANDIDATES, PUBLISH):
        _line(stdout, measure, found[measure].line())
    return found


def _bench_orm(stdout: TextIO, size: Size, samples: Samples) -> dict[str, Timing]:
    stdout.write(f"ORM di Django, senza indice (carico {load()}):\n")
    employer = _users()[1]
    people = Person.objects.filter(pseudonym__in=samples.pseudonyms[: size.orm_match_samples])
    found = {
        MATCH: timed([partial(orm_person_match, p) for p in people], warmup=1),
        SEARCH: timed(
            [
                partial(orm_candidate_search, employer, *q)
                for q in samples.searches[: size.orm_search_samples]
            ],
            warmup=2,
        ),
        OFFER_CANDIDATES: timed(
            [partial(orm_offer_candidates, pk) for pk in samples.offers[: size.orm_offer_samples]],
            warmup=0,
        ),
    }
    for measure, timing in found.items():
        _line(stdout, measure, timing.line())
    return found


def _target(size: Size, measure: str) -> float | None:
    if size.targets is None:
        return None
    return {
        MATCH: size.targets.query_p95_ms,
        SEARCH: size.targets.query_p95_ms,
        OFFER_CANDIDATES: size.targets.candidates_p95_ms,
        PUBLISH: size.targets.publish_p95_ms,
    }[measure]


def _table(
    stdout: TextIO,
    size: Size,
    engines: list[str],
    results: dict[str, dict[str, Any]],
    orm: dict[str, Timing],
) -> None:
    """Side by side: p50 / p95 per engine and the ORM, the ratio to the embedded engine,
    and the verdict against the size's targets (every engine must meet them)."""
    stdout.write("\nA confronto (p50 / p95, CPU di questo processo per query):\n")
    header = ["misura", *engines, "ORM"]
    if len(engines) > 1:
        header.append(f"{engines[1]} / {engines[0]} (p95)")
    header.append("obiettivo")
    stdout.write("| " + " | ".join(header) + " |\n")
    stdout.write("|" + " --- |" * len(header) + "\n")
    index = [
        f"{results[e]['index'][0]:,.1f} s (CPU {results[e]['index'][1]:,.1f} s)" for e in engines
    ]
    row = ["indicizzazione completa", *index, "—"]
    if len(engines) > 1:
        row.append(f"× {results[engines[1]]['index'][0] / results[engines[0]]['index'][0]:.2f}")
    limit = size.targets.index_s if size.targets else None
    row.append(_goal(limit, [results[e]["index"][0] for e in engines], "s"))
    stdout.write("| " + " | ".join(row) + " |\n")
    for measure in (MATCH, SEARCH, OFFER_CANDIDATES, PUBLISH):
        timings = [results[e][measure] for e in engines]
        row = [
            measure,
            *(t.cell() for t in timings),
            orm[measure].cell() if measure in orm else "—",
        ]
        if len(engines) > 1:
            row.append(f"× {timings[1].p95_ms / timings[0].p95_ms:.2f}")
        row.append(_goal(_target(size, measure), [t.p95_ms for t in timings], "ms"))
        stdout.write("| " + " | ".join(row) + " |\n")


def _goal(limit: float | None, values: list[float], unit: str) -> str:
    if limit is None:
        return "—"
    return f"≤ {limit:,.0f} {unit}: {_verdict(all(value <= limit for value in values))}"
