"""Search benchmark (manage.py bench --only search): index time and query latencies on
seed_demo data, against the plain Django ORM doing the same work without an index.

Targets (issue 4): 100k people + 100k opportunities indexed in ≤ 60 s on the embedded
backend; person → top 20 opportunities with explanations p95 ≤ 50 ms; employer search
(text + 3 filters + facets) p95 ≤ 50 ms. Each query runs the full service path (permission,
database reads of the person and the measure, audit rows), as the API does. The index is
built in a temporary directory (or, with `--backend elasticsearch`, under a temporary index
prefix on ELASTICSEARCH_URL), so the live one is left alone. `--size smoke` runs a few
hundred rows and a few dozen queries, without targets: CI runs it on a real node.
"""

import os
import platform
import random
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
from search.profiles import hard_constraints, person_profile
from search.queries import person_opportunities_match
from search.sources import opportunity_docs
from search.types import COURSE, OFFER, PLACEMENT, opportunity_key

TARGET_INDEX_S, TARGET_P95_MS = 60.0, 50.0


@dataclass(frozen=True)
class Size:
    """How much data and how many timed queries; targets apply to the full size only."""

    people: int
    opportunities: int
    match_samples: int = 200
    search_samples: int = 200
    orm_match_samples: int = 5
    orm_search_samples: int = 20
    targets: bool = True


FULL = Size(100_000, 100_000)
SIZES = {
    "full": FULL,
    # A few seconds of work: proves every path runs (CI runs it on a real Elasticsearch node).
    "smoke": Size(
        400,
        400,
        match_samples=30,
        search_samples=30,
        orm_match_samples=2,
        orm_search_samples=5,
        targets=False,
    ),
}


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    samples: int

    @classmethod
    def of(cls, seconds: Sequence[float]) -> "Timing":
        ordered = sorted(seconds)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        return cls(statistics.median(ordered) * 1000, p95 * 1000, len(ordered))

    def line(self) -> str:
        return f"p50 {self.p50_ms:8.1f} ms   p95 {self.p95_ms:8.1f} ms   ({self.samples} query)"


def timed(calls: Sequence[Callable[[], object]], warmup: int = 5) -> Timing:
    for call in calls[:warmup]:
        call()
    seconds = []
    for call in calls:
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return Timing.of(seconds)


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
    return (
        f"{platform.platform()}; {model}; {os.cpu_count()} CPU; Python {platform.python_version()}"
    )


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


# ------------------------------------------------------------------ report


def _line(stdout: TextIO, label: str, value: str) -> None:
    stdout.write(f"  {label:<58} {value}\n")


def _verdict(ok: bool) -> str:
    return "OK" if ok else "NON RAGGIUNTO"


def run(stdout: TextIO, size: Size = FULL, backend: str = EMBEDDED) -> None:
    stdout.write(f"== Ricerca e abbinamenti (backend {backend}) ==\n")
    ensure_data(stdout, size.people, size.opportunities)
    stdout.write(f"Macchina: {machine()}\n")
    for label, count in data_size().items():
        _line(stdout, label, f"{count:>10,}".replace(",", "."))
    with bench_backend(backend):
        _bench(stdout, size)


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


def _verdicts(size: Size, ok: bool, target: str) -> str:
    return f"obiettivo {target}: {_verdict(ok)}" if size.targets else "(smoke: nessun obiettivo)"


def _bench(stdout: TextIO, size: Size) -> None:
    rng = random.Random(2026)
    started = time.perf_counter()
    counts = indexing.rebuild()
    seconds = time.perf_counter() - started
    stdout.write("Indicizzazione completa (lettura dal database inclusa):\n")
    verdict = _verdicts(size, seconds <= TARGET_INDEX_S, f"≤ {TARGET_INDEX_S:.0f} s")
    _line(
        stdout,
        f"{counts.people} profili condivisi + {counts.opportunities} opportunità pubblicate",
        f"{seconds:6.1f} s  {verdict}",
    )
    admin = User.objects.filter(role=User.Role.ADMIN).first() or User.objects.create(
        username="bench-admin", role=User.Role.ADMIN
    )
    employer = User.objects.filter(role=User.Role.EMPLOYER).first() or admin
    pseudonyms = person_sample(rng, size.match_samples)
    match = timed(
        [partial(person_opportunities_match, user=admin, pseudonym=p, limit=20) for p in pseudonyms]
    )
    orm_people = list(Person.objects.filter(pseudonym__in=pseudonyms[: size.orm_match_samples]))
    orm_match = timed([partial(orm_person_match, p) for p in orm_people], warmup=1)
    queries = search_sample(rng, size.search_samples)
    search = timed(
        [
            partial(
                candidates_search,
                user=employer,
                filters=CandidateFilters(text=q[0], province=q[1], skills=(q[2],), language=q[3]),
            )
            for q in queries
        ]
    )
    orm_search = timed(
        [partial(orm_candidate_search, employer, *q) for q in queries[: size.orm_search_samples]],
        warmup=2,
    )
    _report(stdout, "Persona → prime 20 opportunità con spiegazioni", match, orm_match, size)
    _report(stdout, "Ricerca datore (testo + 3 filtri + faccette)", search, orm_search, size)


def _report(stdout: TextIO, title: str, index: Timing, orm: Timing, size: Size) -> None:
    stdout.write(f"{title}:\n")
    verdict = _verdicts(size, index.p95_ms <= TARGET_P95_MS, f"p95 ≤ {TARGET_P95_MS:.0f} ms")
    _line(stdout, "indice", f"{index.line()}  {verdict}")
    _line(stdout, "ORM di Django, senza indice", orm.line())
    _line(stdout, "rapporto ORM / indice (p50)", f"× {orm.p50_ms / index.p50_ms:,.0f}")
