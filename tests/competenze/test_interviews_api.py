import json

import pytest
from django.db import connections
from django.urls import reverse

from common.models import AccessLog, User
from competenze.models import Interview, InterviewAnswer, SkillEntry, SkillSuggestion
from competenze.services import interviews as services
from tests.conftest import client_for
from tests.factories import (
    ConceptFactory,
    CounsellorFactory,
    EmployerUserFactory,
    FrameworkFactory,
    PersonFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
    UserFactory,
)
from tests.factories.interviews import (
    InterviewFactory,
    SkillSuggestionFactory,
    load_shipped_templates,
    make_suggestion,
)

pytestmark = pytest.mark.django_db

KITCHEN = "Ho lavorato in cucina in una mensa, preparavo i primi per 200 persone."


def url(name, **kwargs):
    return reverse(f"api:competenze:{name}", kwargs=kwargs)


class FakeTask:
    def __init__(self, run=None):
        self.calls: list[int] = []
        self.run = run

    def __call__(self, *, answer_id: int) -> None:
        self.calls.append(answer_id)
        if self.run:
            self.run(answer_id)


@pytest.fixture(autouse=True)
def fake_task(monkeypatch) -> FakeTask:
    task = FakeTask()
    monkeypatch.setattr("ml.services.answer_extract", task)
    return task


@pytest.fixture
def interview() -> Interview:
    return InterviewFactory()


def post_answer(client, interview, **body):
    return client.post(url("interview-answers", interview_id=interview.pk), body, format="json")


# --- start, state, next question --------------------------------------------------------------


def test_counsellor_starts_then_resumes_an_interview():
    load_shipped_templates()
    person = PersonFactory()
    client = client_for(person.counsellor)
    first = client.post(url("person-interviews", pseudonym=person.pseudonym), {}, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["template"] == "colloquio-base" and body["status"] == "in_corso"
    assert body["progress"] == {"answered": 0, "skipped": 0, "total": 44, "percent": 0}
    again = client.post(url("person-interviews", pseudonym=person.pseudonym), {}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    listed = client.get(url("person-interviews", pseudonym=person.pseudonym)).json()
    assert [item["id"] for item in listed] == [body["id"]]


def test_next_question_gives_kind_options_and_help():
    template = load_shipped_templates()
    interview = InterviewFactory(template=template)
    client = client_for(interview.counsellor)
    body = client.get(url("interview-next", interview_id=interview.pk)).json()
    question = body["question"]
    assert body["done"] is False
    assert question["id"] == "istruzione.titolo"
    assert question["kind"] == "choice"
    assert question["section_title"] == "Istruzione formale"
    assert {"value": "licenza_media", "label": "Licenza media"} in question["options"]
    assert question["help"]


def test_kitchen_answer_leads_to_the_kitchen_follow_up(interview):
    client = client_for(interview.counsellor)
    response = post_answer(
        client, interview, question_id="lavoro.descrizione", text="Ho lavorato in cucina."
    )
    assert response.status_code == 201, response.json()
    assert response.json()["extraction_status"] == "in_attesa"
    body = client.get(url("interview-next", interview_id=interview.pk)).json()
    assert body["question"]["id"] == "lavoro.cucina.preparazioni"
    assert body["question"]["parent_id"] == "lavoro.descrizione"
    detail = client.get(url("interview-detail", interview_id=interview.pk)).json()
    assert detail["progress"]["answered"] == 1
    assert detail["progress"]["total"] == 8  # 6 base questions + 2 kitchen follow-ups


def test_done_when_everything_is_answered(interview):
    client = client_for(interview.counsellor)
    for question_id, field, value in [
        ("lavoro.descrizione", "text", "Magazziniere."),
        ("lavoro.patente", "value", "no"),
        ("altro.inizio", "value", "2026"),
        ("altro.italiano", "value", 5),
        ("altro.orari", "value", ["sera"]),
        ("altro.note", "text", "Niente."),
    ]:
        assert (
            post_answer(client, interview, question_id=question_id, **{field: value}).status_code
            == 201
        )
    body = client.get(url("interview-next", interview_id=interview.pk)).json()
    assert body["done"] is True and body["question"] is None
    assert body["progress"]["percent"] == 100


def test_skip_review_and_complete(interview):
    client = client_for(interview.counsellor)
    skipped = client.post(
        url("interview-skip", interview_id=interview.pk),
        {"question_id": "lavoro.descrizione"},
        format="json",
    )
    assert skipped.status_code == 200 and skipped.json()["skipped"] is True
    post_answer(client, interview, question_id="lavoro.patente", value="si")
    review = client.get(url("interview-review", interview_id=interview.pk)).json()
    assert [s["id"] for s in review["sections"]] == ["lavoro"]
    items = {i["question"]["id"]: i["display"] for i in review["sections"][0]["items"]}
    assert items == {"lavoro.descrizione": "(saltata)", "lavoro.patente": "Sì"}
    assert [q["id"] for q in review["unanswered_required"]] == ["lavoro.descrizione"]
    done = client.post(url("interview-complete", interview_id=interview.pk))
    assert done.status_code == 200
    assert done.json()["interview"]["status"] == "completato"
    assert done.json()["unanswered_required"] == ["lavoro.descrizione"]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"question_id": "lavoro.descrizione", "text": "  "}, "La risposta è vuota"),
        ({"question_id": "lavoro.descrizione", "text": "a" * 50_000}, "10.000 caratteri"),
        (
            {"question_id": "lavoro.descrizione", "text": "cucina\u0000mensa"},
            "caratteri non ammessi",
        ),
        ({"question_id": "lavoro.descrizione", "text": "cucina \ud800"}, "UTF-8"),
        ({"question_id": "lavoro.inventata", "text": "Cuoco."}, "Domanda sconosciuta"),
        ({"question_id": "altro.italiano", "value": 9}, "da 1 a 5"),
        ({"question_id": "lavoro.descrizione", "text": ["non", "testo"]}, "deve essere un testo"),
    ],
)
def test_bad_answers_get_italian_400_and_keep_the_saved_answer(interview, body, message):
    client = client_for(interview.counsellor)
    post_answer(client, interview, question_id="lavoro.descrizione", text="Magazziniere.")
    response = client.post(
        url("interview-answers", interview_id=interview.pk),
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert InterviewAnswer.objects.get(interview=interview).text == "Magazziniere."


def test_body_that_is_not_utf8_json_gets_an_italian_400(interview):
    client = client_for(interview.counsellor)
    post_answer(client, interview, question_id="lavoro.descrizione", text="Magazziniere.")
    response = client.post(
        url("interview-answers", interview_id=interview.pk),
        data=b'{"question_id": "lavoro.descrizione", "text": "cucina \xff"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Il corpo della richiesta non è JSON valido (UTF-8)."
    assert InterviewAnswer.objects.get(interview=interview).text == "Magazziniere."


# --- suggestions ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic_requests", [False, True])
def test_in_eager_mode_the_answer_comes_back_with_its_suggestions(
    fake_task, monkeypatch, atomic_requests
):
    # the answer view opts out of ATOMIC_REQUESTS, so it holds either way
    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", atomic_requests)
    framework = FrameworkFactory(is_default=True)
    ConceptFactory(framework=framework, code="RIS-C01", pref_label="Preparare primi piatti")
    interview = InterviewFactory()

    def recogniser(answer_id):  # what ml.services.answer_extract will do
        answer = InterviewAnswer.objects.get(pk=answer_id)
        services.answer_suggestions_store(
            answer=answer,
            model_version="prova-1",
            suggestions=[make_suggestion("RIS-C01", answer.text, "preparavo i primi", score=0.9)],
        )

    fake_task.run = recogniser
    response = post_answer(
        client_for(interview.counsellor), interview, question_id="lavoro.descrizione", text=KITCHEN
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["extraction_status"] == "pronta"
    assert [(s["code"], s["span"], s["status"]) for s in body["suggestions"]] == [
        ("RIS-C01", "preparavo i primi", "proposta")
    ]


def test_answer_detail_is_there_for_polling(interview):
    client = client_for(interview.counsellor)
    post_answer(client, interview, question_id="lavoro.descrizione", text=KITCHEN)
    SkillSuggestionFactory(answer=interview.answers.get())
    body = client.get(
        url("interview-answer-detail", interview_id=interview.pk, question_id="lavoro.descrizione")
    ).json()
    assert body["text"] == KITCHEN
    assert body["extraction_status"] == "in_attesa"
    assert len(body["suggestions"]) == 1
    missing = client.get(
        url("interview-answer-detail", interview_id=interview.pk, question_id="altro.note")
    )
    assert missing.status_code == 404


def test_accept_with_a_level_and_reject():
    accepted = SkillSuggestionFactory()
    rejected = SkillSuggestionFactory(answer=accepted.answer, span="in una mensa")
    client = client_for(accepted.answer.interview.counsellor)
    response = client.post(
        url("suggestion-accept", suggestion_id=accepted.pk), {"level": 2}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "modificata" and body["level"] == 2
    assert body["skill_entry"]["stage"] == "individuata"
    entry = SkillEntry.objects.get()
    assert "preparavo i primi" in entry.evidence_text
    response = client.post(url("suggestion-reject", suggestion_id=rejected.pk))
    assert response.json()["status"] == "rifiutata"
    assert SkillEntry.objects.count() == 1
    plain = SkillSuggestionFactory(answer=accepted.answer, span="cucina")
    assert (
        client.post(url("suggestion-accept", suggestion_id=plain.pk)).json()["status"]
        == "accettata"
    )


# --- visibility -------------------------------------------------------------------------------


def _routes(interview, suggestion):
    i = {"interview_id": interview.pk}
    return [
        ("get", url("interview-detail", **i), None),
        ("get", url("interview-next", **i), None),
        ("get", url("interview-review", **i), None),
        ("get", url("interview-answers", **i), None),
        (
            "post",
            url("interview-answers", **i),
            {"question_id": "lavoro.descrizione", "text": "Cuoco."},
        ),
        ("post", url("interview-skip", **i), {"question_id": "altro.note"}),
        ("post", url("interview-complete", **i), {}),
        ("post", url("suggestion-accept", suggestion_id=suggestion.pk), {}),
        ("post", url("suggestion-reject", suggestion_id=suggestion.pk), {}),
        ("post", url("person-interviews", pseudonym=interview.person.pseudonym), {}),
    ]


@pytest.mark.parametrize(
    "make_user",
    [
        CounsellorFactory,
        EmployerUserFactory,
        TraineeUserFactory,
    ],
    ids=["other-organisation-counsellor", "employer", "unrelated-trainee"],
)
def test_outsiders_get_404_everywhere(make_user):
    suggestion = SkillSuggestionFactory()
    interview = suggestion.answer.interview
    client = client_for(make_user())
    for method, address, body in _routes(interview, suggestion):
        response = getattr(client, method)(address, body, format="json")
        assert response.status_code == 404, (address, response.status_code)
    assert SkillSuggestion.objects.get().status == "proposta"
    assert AccessLog.objects.filter(action=AccessLog.Action.DENIED).exists()


def test_programme_manager_reads_but_cannot_write():
    suggestion = SkillSuggestionFactory()
    interview = suggestion.answer.interview
    client = client_for(ProgrammeManagerFactory(organisation=interview.person.organisation))
    for method, address, body in _routes(interview, suggestion):
        response = getattr(client, method)(address, body, format="json")
        assert response.status_code == (200 if method == "get" else 403), address
    assert not SkillEntry.objects.exists()


def test_admin_may_write():
    suggestion = SkillSuggestionFactory()
    admin = UserFactory(role=User.Role.ADMIN, organisation=None)
    response = client_for(admin).post(url("suggestion-accept", suggestion_id=suggestion.pk))
    assert response.status_code == 200
    assert SkillEntry.objects.get().recorded_by == admin
