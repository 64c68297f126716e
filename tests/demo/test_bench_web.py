"""`manage.py bench --only web` end to end, on a small demo database: gunicorn starts, the
demo counsellor and employer log in through the login page, every page and API call of the
mix answers, the load runs and is reported."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from demo import bench_web
from tests.config.test_gunicorn import database_url_for_a_server

PEOPLE = 60


@pytest.mark.django_db(transaction=True)
def test_the_web_benchmark_serves_the_mix_and_reports_it(tmp_path, monkeypatch):
    call_command("load_municipalities", verbosity=0)
    call_command("load_framework", verbosity=0)
    call_command("seed_demo", people=PEOPLE, offers=20, courses=10, placements=10, verbosity=0)
    monkeypatch.setenv("PONTE_ML_WARM_ON_START", "false")  # not used by the mix: a quicker start
    out = io.StringIO()
    rows = bench_web.run(
        out,
        people=PEOPLE,
        opportunities=40,
        clients=(1, 2),
        workers=(1, 2),
        duration=1,
        warmup=0.5,
        database_url=database_url_for_a_server(tmp_path),
    )
    report = out.getvalue()
    assert [(row.workers, row.result.clients) for row in rows] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert all(row.result.requests > 0 for row in rows)
    assert all(row.result.errors == 0 for row in rows if row.result.clients == 1)
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # on SQLite concurrent audit inserts may meet "database is locked" (one writer)
        assert all(row.result.errors == 0 for row in rows)
    assert "Riepilogo" in report
    assert all(row.server_cores > 0 and row.cpu_ms > 0 for row in rows)
    assert "2 client: 2 worker / 1 worker" in report
    assert "obiettivo 0 errori a 2 client" in report
