"""`make run` on SQLite serves a counsellor team: concurrent writes wait their turn instead
of failing with "database is locked" (500), and concurrent edits of one answer are detected.

The requests run in a separate process configured as `make run` is (tests/common/
sqlite_team.py): the test database of this process lives in memory and never locks.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("sqlite_team.py")
UNSET = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "ELASTICSEARCH_URL",
    "PONTE_SEARCH_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
)


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("sqlite-team")
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="testserver",
        PONTE_SEARCH_EMBEDDED_DIR=str(workdir / "search"),
        PONTE_ML_ARTIFACT_DIR=str(workdir / "models"),
        PONTE_MEDIA_ROOT=str(workdir / "media"),
        PONTE_LOG_LEVEL="CRITICAL",
        PYTHONWARNINGS="ignore",
    )
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_database_file_runs_in_wal_mode(team):
    assert team["journal_mode"] == "wal"


def test_fifty_concurrent_saves_of_one_answer_give_no_500_and_lose_no_update(team):
    result = team["same_answer"]
    statuses = {int(code): n for code, n in result["statuses"].items()}
    assert set(statuses) <= {201, 409}, statuses
    assert sum(statuses.values()) == 50
    # each save that succeeded was based on the version before it: none overwrote another
    assert result["final_version"] == statuses[201]


def test_accept_versus_withdraw_gives_no_500(team):
    result = team["accept_versus_withdraw"]
    statuses = {int(code): n for code, n in result["statuses"].items()}
    assert set(statuses) <= {200, 400}, statuses
    assert sum(result["events"].values()) == statuses[200]  # one event per accepted request
    assert result["events"]["ritirata"] == 25  # withdrawing is allowed from both states


def test_a_double_interview_start_opens_one_interview_and_resumes_it(team):
    result = team["double_interview_start"]
    statuses = {int(code): n for code, n in result["statuses"].items()}
    assert statuses == {201: result["people"], 200: result["people"]}
    assert result["people_with_one_open_interview"] == result["people"]
