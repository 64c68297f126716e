"""Two counsellors editing one interview answer: the later save, based on a version that is
no longer the saved one, is refused with 409 in Italian (service, API and page), never a
silent overwrite; nothing of the refused save is written."""

import json
import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from common.exceptions import ConflictError
from competenze.models import InterviewAnswer
from competenze.services import interviews as services
from tests.competenze.web_helpers import FETCH, login
from tests.conftest import client_for
from tests.factories import CounsellorFactory
from tests.factories.interviews import InterviewFactory

QUESTION = "altro.note"  # free text, not read by the recogniser


@pytest.fixture
def interview(db):
    return InterviewFactory()


@pytest.fixture
def colleague(interview):
    return CounsellorFactory(organisation=interview.person.organisation)


def _save(interview, user, text, version):
    return services.interview_answer(
        interview=interview,
        question_id=QUESTION,
        text=text,
        answered_by=user,
        expected_version=version,
    )


def _saved(interview) -> InterviewAnswer:
    return InterviewAnswer.objects.get(interview=interview, question_id=QUESTION)


# --- service ----------------------------------------------------------------------------------


def test_each_save_adds_one_to_the_version(interview):
    assert _save(interview, interview.counsellor, "Prima", 0).version == 1
    assert _save(interview, interview.counsellor, "Seconda", 1).version == 2
    assert _saved(interview).text == "Seconda"


def test_a_save_based_on_an_old_version_is_a_conflict_and_writes_nothing(interview, colleague):
    _save(interview, interview.counsellor, "Prima", 0)
    _save(interview, colleague, "Del collega", 1)
    with pytest.raises(ConflictError) as error:
        _save(interview, interview.counsellor, "Mia correzione", 1)
    assert error.value.code == "answer_changed"
    assert colleague.username in error.value.message
    assert error.value.extra == {"version": 2}
    saved = _saved(interview)
    assert (saved.text, saved.version, saved.answered_by) == ("Del collega", 2, colleague)


def test_two_first_answers_from_the_same_blank_question_conflict(interview, colleague):
    _save(interview, colleague, "Del collega", 0)
    with pytest.raises(ConflictError):
        _save(interview, interview.counsellor, "Mia", 0)
    assert _saved(interview).text == "Del collega"


def test_replacing_without_saying_the_version_is_refused(interview):
    _save(interview, interview.counsellor, "Prima", 0)
    with pytest.raises(ConflictError) as error:
        _save(interview, interview.counsellor, "Seconda", None)
    assert error.value.code == "version_required"
    assert "versione 1" in error.value.message
    assert _saved(interview).text == "Prima"


def test_answering_a_skipped_question_needs_no_version(interview, colleague):
    services.interview_skip(interview=interview, question_id=QUESTION, skipped_by=colleague)
    answer = _save(interview, interview.counsellor, "Ora risponde", 0)
    assert (answer.text, answer.skipped, answer.version) == ("Ora risponde", False, 2)


# --- API --------------------------------------------------------------------------------------


def _api_post(client, interview, **body):
    url = reverse("api:competenze:interview-answers", kwargs={"interview_id": interview.pk})
    return client.post(url, {"question_id": QUESTION, **body}, format="json")


def test_api_returns_the_version_and_answers_409_to_a_stale_one(interview, colleague):
    mine, theirs = client_for(interview.counsellor), client_for(colleague)
    first = _api_post(mine, interview, text="Prima")
    assert first.status_code == 201 and first.json()["version"] == 1
    detail = reverse(
        "api:competenze:interview-answer-detail",
        kwargs={"interview_id": interview.pk, "question_id": QUESTION},
    )
    assert theirs.get(detail).json()["version"] == 1
    assert _api_post(theirs, interview, text="Del collega", version=1).status_code == 201
    stale = _api_post(mine, interview, text="Mia correzione", version=1)
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "answer_changed" and body["extra"] == {"version": 2}
    assert body["message"].startswith("Nel frattempo")
    missing = _api_post(mine, interview, text="Senza versione")
    assert missing.status_code == 409 and missing.json()["code"] == "version_required"
    assert _saved(interview).text == "Del collega"


# --- page -------------------------------------------------------------------------------------


def _page_post(client, interview, text, version, **extra):
    url = reverse("competenze:interview-answer", args=[interview.pk])
    body = {"question_id": QUESTION, "azione": "salva", "text": text, "version": version}
    return client.post(url, body, **extra)


def test_the_page_form_carries_the_saved_version(interview):
    _save(interview, interview.counsellor, "Prima", 0)
    _save(interview, interview.counsellor, "Seconda", 1)
    screen = reverse("competenze:interview", args=[interview.pk])
    html = login(interview.counsellor).get(f"{screen}?domanda={QUESTION}").content.decode()
    assert '<input type="hidden" name="version" value="2"' in html


def test_page_answers_409_showing_both_texts_then_a_deliberate_resave_works(interview, colleague):
    _save(interview, interview.counsellor, "Prima", 0)
    _save(interview, colleague, "Del collega", 1)
    client = login(interview.counsellor)
    response = _page_post(client, interview, "Mia correzione", 1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nel frattempo" in html and "Risposta salvata ora: «Del collega»" in html
    assert "Mia correzione" in html  # the counsellor's words are kept in the form
    assert '<input type="hidden" name="version" value="2"' in html
    assert _saved(interview).text == "Del collega"
    again = _page_post(client, interview, "Mia correzione", 2)
    assert again.status_code == 302
    assert (_saved(interview).text, _saved(interview).version) == ("Mia correzione", 3)


def test_page_fetch_answers_409_json_with_the_saved_version(interview, colleague):
    _save(interview, colleague, "Del collega", 0)
    response = _page_post(login(interview.counsellor), interview, "Mia", 0, **FETCH)
    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["ok"] is False and body["version"] == 1
    assert body["errors"][1] == "Risposta salvata ora: «Del collega»"


# --- a real race on PostgreSQL ----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="serve PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_answers_on_postgresql_give_one_201_and_one_409(monkeypatch):
    """Both read «no answer yet» (a barrier holds them before writing); the unique index
    lets one insert and makes the other wait, then fail: 409, not an overwrite or a 500."""
    interview = InterviewFactory()
    users = [interview.counsellor, CounsellorFactory(organisation=interview.person.organisation)]
    barrier = threading.Barrier(2, timeout=20)
    original = services._answer_write

    def write(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_answer_write", write)
    statuses: list[int] = []

    def post(user, text) -> None:
        client = APIClient()
        client.raise_request_exception = False
        client.force_authenticate(user=user)
        try:
            statuses.append(_api_post(client, interview, text=text, version=0).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(user, f"Risposta di {user.username}")) for user in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409]
    assert _saved(interview).version == 1
