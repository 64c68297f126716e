"""`manage.py check --deploy` with config.settings.production and the environment it needs
(secret key, database, hosts): no security warning; HSTS of a year."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    workdir = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PONTE_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="ponte.example.org",
        PONTE_SEARCH_SINGLE_HOST="true",  # the embedded index, declared as one host's
        PYTHONWARNINGS="ignore",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_check_deploy_reports_no_security_issue(production_env):
    done = _manage(
        production_env, "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_is_clean(production_env):
    """Not a single warning: the OpenAPI schema's included (drf-spectacular reports through
    the system checks)."""
    done = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.findall(r"\(([\w.]+\.[WEC]\d+)\)", output) == [], output


def test_production_sends_hsts_for_a_year_and_https_only(production_env):
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    done = _manage(production_env, "shell", "--verbosity", "0", "-c", code)
    assert done.stdout.split() == ["31536000", "True", "True", "True", "True", "False"]


def test_production_refuses_to_start_without_its_secret_key(production_env):
    env = {k: v for k, v in production_env.items() if k != "DJANGO_SECRET_KEY"}
    done = _manage(env, "check")
    assert done.returncode != 0 and "DJANGO_SECRET_KEY" in done.stderr
