"""Web benchmark (manage.py bench --only web): the production server under load.

gunicorn with config/gunicorn.py, on the database of the settings (PostgreSQL when
DATABASE_URL says so, SQLite otherwise) and a search index built for the run, serves a
counsellor (`operatore`) and an employer (`azienda`) of seed_demo, logged in through the
real login page, a mix of real pages and API calls: the caseload, a person's file, their
opportunities page and API (search, audit rows), the employer's home, the candidate search
page and API (text + province), a candidate's file (audit row). Every client sends its next
request as soon as the previous answer arrives (demo/loadgen.py: wrk when installed), at
1, 8 and 32 clients, with 1 worker and with the default number of workers. Reported:
requests per second, p50/p95 latency, errors (status >= 400, socket errors), and the CPU the
server used (cores, milliseconds per request) with the machine's load average, since other
work on the machine takes CPUs from the server. Target: no error at 32 clients, throughput
growing with workers.

The servers run side by side and are measured in turn, for `rounds` rounds (the median
round is reported), so that the machine's other work weighs on each alike.
"""

import dataclasses
import http.cookiejar
import json
import os
import random
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import connection

from common.models import AccessLog
from config.gunicorn import available_cpus, default_workers
from config.webserver import GunicornProcess
from demo.loadgen import LoadResult, Target, load_run
from demo.options import DEMO_PASSWORD

COUNSELLOR, EMPLOYER = "operatore", "azienda"
CASELOAD_LINK = re.compile(r'href="/operatore/persone/([^/"]+)/">\1<')  # named by pseudonym
SAMPLES = 5  # people of the counsellor, candidates and queries of the employer
WARMUP_S = 3.0
CPU_STARVED_BELOW = 1.0  # cores: below one, a second worker has no CPU to run on


class BenchFailed(RuntimeError):
    pass


@dataclasses.dataclass(frozen=True)
class Load:
    clients: tuple[int, ...]
    duration: float
    warmup: float
    tool: str
    rounds: int


@dataclasses.dataclass(frozen=True)
class Row:
    workers: int
    result: LoadResult
    machine_load: float  # load average over the last minute, when the measure ended
    server_cores: float  # CPU time of the server (master and workers) / wall time
    cpu_ms: float  # CPU time of the server per request


def run(
    stdout: TextIO,
    *,
    people: int,
    opportunities: int,
    clients: Sequence[int] = (1, 8, 32),
    workers: Sequence[int] | None = None,
    duration: float = 20.0,
    backend: str = "embedded",
    database_url: str | None = None,
    tool: str = "auto",
    warmup: float = WARMUP_S,
    rounds: int = 1,
) -> list[Row]:
    """Seed `people` and `opportunities` if the database has fewer people, build the index,
    serve and load. `database_url` is how the server reaches the database (default: the
    DATABASE_URL of this process)."""
    from search import bench as search_bench

    stdout.write("== Web: gunicorn sotto carico ==\n")
    search_bench.ensure_data(stdout, people, opportunities)
    workers = list(workers or (1, default_workers(available_cpus())))
    stdout.write(f"Macchina: {search_bench.machine()}\n")
    stdout.write(f"Database: {connection.vendor}; ricerca: {backend}\n")
    for label, count in search_bench.data_size().items():
        stdout.write(f"  {label:<40} {count:>10,}\n".replace(",", "."))
    if connection.vendor == "postgresql":  # planner statistics of freshly seeded tables
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    audit_before = AccessLog.objects.count()
    with served_index(backend) as index_env, tempfile.TemporaryDirectory() as logs:
        env = {**index_env, **server_env(database_url)}
        load = Load(
            clients=tuple(clients), duration=duration, warmup=warmup, tool=tool, rounds=rounds
        )
        rows = _load_each_server(stdout, env, Path(logs), workers, load)
    audit = AccessLog.objects.count() - audit_before
    report(stdout, rows, audit_rows=audit)
    return rows


@contextmanager
def served_index(backend: str) -> Iterator[dict[str, str]]:
    """An index of its own for the run (search.bench.bench_backend), as server settings."""
    from search import indexing
    from search.bench import bench_backend

    with bench_backend(backend):
        indexing.rebuild()
        yield {
            "PONTE_SEARCH_BACKEND": settings.PONTE_SEARCH_BACKEND,
            "PONTE_SEARCH_EMBEDDED_DIR": str(settings.PONTE_SEARCH_EMBEDDED_DIR),
            "PONTE_SEARCH_RANKER_PATH": str(settings.PONTE_SEARCH_RANKER_PATH),
            "PONTE_SEARCH_INDEX_PREFIX": settings.PONTE_SEARCH_INDEX_PREFIX,
            "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        }


def server_env(database_url: str | None) -> dict[str, str]:
    env = {
        # this process's (settings.SETTINGS_MODULE is None under override_settings)
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.base"),
        "PONTE_SEARCH_SINGLE_HOST": "true",
        "PONTE_ML_ARTIFACT_DIR": str(settings.PONTE_ML_ARTIFACT_DIR),
        # one user sends every request of a kind: a per-user API rate would refuse them
        "PONTE_THROTTLE_USER": "1000000/min",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _load_each_server(
    stdout: TextIO, env: dict[str, str], logs: Path, workers: Sequence[int], load: Load
) -> list[Row]:
    """One server per worker count, all started at once and measured in turn (so that a
    change in the machine's other work weighs on each alike), the same requests for all;
    each measure starts on an idle server. Returns the median round of each measure."""
    with ExitStack() as stack:
        servers = {
            count: stack.enter_context(
                GunicornProcess(
                    log=logs / f"gunicorn-{count}.log", env={**env, "PONTE_WEB_WORKERS": str(count)}
                )
            )
            for count in workers
        }
        targets = mix(next(iter(servers.values())).url)  # sessions live in the database
        for server in servers.values():
            # the first requests of each worker open the index and fill caches: not measured
            load_run(
                base_url=server.url,
                targets=targets,
                clients=max(load.clients),
                duration=load.warmup,
                tool=load.tool,
            )
        rows = []
        for _round in range(load.rounds):
            for clients in load.clients:
                for count, server in servers.items():
                    row = _measure(server, count, targets, clients, load)
                    stdout.write(f"  {line(row)}\n")
                    rows.append(row)
    return [_median(rows, count, clients) for count in workers for clients in load.clients]


def _measure(
    server: GunicornProcess, workers: int, targets: Sequence[Target], clients: int, load: Load
) -> Row:
    # not behind the requests the previous measure left queued when it stopped
    if not server.wait_until_idle():
        raise BenchFailed("Il server non smaltisce le richieste in coda.")
    cpu = server.cpu_seconds()
    result = load_run(
        base_url=server.url,
        targets=targets,
        clients=clients,
        duration=load.duration,
        tool=load.tool,
    )
    cpu = server.cpu_seconds() - cpu
    return Row(
        workers,
        result,
        os.getloadavg()[0],
        server_cores=cpu / result.seconds,
        cpu_ms=1000 * cpu / max(result.requests, 1),
    )


def _median(rows: Sequence[Row], workers: int, clients: int) -> Row:
    same = sorted(
        (row for row in rows if (row.workers, row.result.clients) == (workers, clients)),
        key=lambda row: row.result.per_second,
    )
    return same[(len(same) - 1) // 2]


# ------------------------------------------------------------------------- the mix


def login(base_url: str, username: str) -> str:
    """Log in through the login page; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base_url}/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise BenchFailed("Pagina di accesso senza token CSRF.")
    form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    opener.open(
        f"{base_url}/accounts/login/", data=urllib.parse.urlencode(form).encode(), timeout=60
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise BenchFailed(f"Accesso di «{username}» non riuscito (dati demo: seed_demo).")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _get(base_url: str, target: Target) -> str:
    request = urllib.request.Request(base_url + target.path, headers={"Cookie": target.cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as error:
        raise BenchFailed(f"{target.path}: HTTP {error.code}") from error


def mix(base_url: str) -> list[Target]:
    """The requests of the run, each checked once (all must answer 200)."""
    from search.bench import search_sample

    counsellor, employer = login(base_url, COUNSELLOR), login(base_url, EMPLOYER)
    caseload = _get(base_url, Target("/operatore/", counsellor))
    people = list(dict.fromkeys(CASELOAD_LINK.findall(caseload)))[:SAMPLES]
    queries = search_sample(random.Random(2026), SAMPLES)
    found = json.loads(_get(base_url, Target("/api/v1/candidates/search/", employer)))
    candidates = [row["pseudonym"] for row in found["results"][:SAMPLES]]
    if not people or not candidates or not queries:
        raise BenchFailed(
            "Servono persone seguite da «operatore» e candidati visibili ad «azienda» (seed_demo)."
        )
    targets = [Target("/operatore/", counsellor), Target("/azienda/", employer)]
    for pseudonym in people:
        targets += [
            Target(f"/operatore/persone/{pseudonym}/", counsellor),
            Target(f"/operatore/persone/{pseudonym}/opportunita/", counsellor),
            Target(f"/api/v1/matches/people/{pseudonym}/opportunities/", counsellor),
        ]
    for word, province, _skill, _language in queries:
        query = urllib.parse.urlencode({"q": word, "province": province})
        targets += [
            Target(f"/azienda/candidati/?{query}", employer),
            Target(f"/api/v1/candidates/search/?{query}", employer),
        ]
    targets += [Target(f"/azienda/candidati/{pseudonym}/", employer) for pseudonym in candidates]
    for target in targets:
        _get(base_url, target)
    return targets


# ------------------------------------------------------------------------- report


def line(row: Row) -> str:
    result = row.result
    return (
        f"{row.workers:>2} worker  {result.clients:>3} client  {result.per_second:8.1f} req/s  "
        f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
        f"errori {result.errors:>4}  CPU server {row.server_cores:4.2f} core, "
        f"{row.cpu_ms:5.1f} ms/richiesta  ({result.requests} richieste, {result.tool}, "
        f"carico {row.machine_load:.1f})"
    )


def report(stdout: TextIO, rows: Sequence[Row], *, audit_rows: int) -> None:
    stdout.write("Riepilogo (per ogni misura il giro mediano per richieste/s):\n")
    for row in rows:
        stdout.write(f"  {line(row)}\n")
    stdout.write(f"  righe di audit scritte durante la prova: {audit_rows}\n")
    stdout.write("  (carico: load average del minuto, CPU occupate da tutto ciò che gira)\n")
    by_key = {(row.workers, row.result.clients): row.result for row in rows}
    counts = sorted({row.workers for row in rows})
    most = max(row.result.clients for row in rows)
    if len(counts) > 1:
        low, high = counts[0], counts[-1]
        for clients in sorted({row.result.clients for row in rows}):
            ratio = by_key[(high, clients)].per_second / max(
                by_key[(low, clients)].per_second, 1e-9
            )
            stdout.write(f"  {clients} client: {high} worker / {low} worker = × {ratio:.2f}\n")
    errors = sum(row.result.errors for row in rows if row.result.clients == most)
    verdict = "OK" if errors == 0 else "NON RAGGIUNTO"
    stdout.write(f"  obiettivo 0 errori a {most} client: {errors} errori, {verdict}\n")
    if len(counts) > 1:
        grows = by_key[(counts[-1], most)].per_second > by_key[(counts[0], most)].per_second
        stdout.write(
            f"  obiettivo richieste/s in crescita con i worker a {most} client: "
            f"{'OK' if grows else 'NON RAGGIUNTO'}\n"
        )
    cores = max(row.server_cores for row in rows)
    if cores < CPU_STARVED_BELOW:
        stdout.write(
            f"  Il server non ha mai avuto più di {cores:.2f} core: le CPU della macchina "
            "erano occupate da altro lavoro, e più worker non possono rendere di più.\n"
        )
