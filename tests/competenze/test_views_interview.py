"""Guided interview screen: one question at a time, live suggestions with highlighted words,
decisions, skip, save-and-resume, review and completion."""

import json
import re

import pytest
from django.urls import reverse

from competenze.models import Interview, InterviewAnswer, SkillEntry, SkillSuggestion
from competenze.services import interviews as services
from tests.competenze.web_helpers import FETCH, login
from tests.factories import (
    ConceptFactory,
    CounsellorFactory,
    EmployerUserFactory,
    FrameworkFactory,
    PersonFactory,
    TraineeUserFactory,
)
from tests.factories.interviews import InterviewFactory, load_shipped_templates, make_suggestion

pytestmark = pytest.mark.django_db

KITCHEN = "Ho lavorato in cucina in una mensa, preparavo i primi per 200 persone."


class FakeTask:
    """Stands in for ml.services.answer_extract (the outbox handler): stores chosen
    suggestions, or nothing."""

    def __init__(self):
        self.spans: list[tuple[str, str, float, dict]] = []
        self.calls: list[int] = []

    def __call__(self, *, answer_id):
        self.calls.append(answer_id)
        if not self.spans:
            return
        answer = InterviewAnswer.objects.get(pk=answer_id)
        services.answer_suggestions_store(
            answer=answer,
            model_version="prova-1",
            suggestions=[
                make_suggestion(code, answer.text, span, score=score, **extra)
                for code, span, score, extra in self.spans
            ],
        )


@pytest.fixture(autouse=True)
def fake_task(monkeypatch):
    """The recogniser runs when the answer's transaction commits (the test's never does):
    run on-commit callbacks at once, as a real commit would."""
    task = FakeTask()
    monkeypatch.setattr("ml.services.answer_extract", task)
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    return task


@pytest.fixture
def framework():
    framework = FrameworkFactory(is_default=True)
    ConceptFactory(framework=framework, code="RIS-C01", pref_label="Preparare i primi piatti")
    ConceptFactory(framework=framework, code="RIS-C02", pref_label="Lavorare in cucina")
    return framework


@pytest.fixture
def interview(framework):
    return InterviewFactory()


@pytest.fixture
def counsellor(interview):
    return interview.counsellor


def screen(interview, **params):
    url = reverse("competenze:interview", args=[interview.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def answer_url(interview):
    return reverse("competenze:interview-answer", args=[interview.pk])


# --- start and screen -------------------------------------------------------------------------


def test_start_creates_then_resumes_the_interview():
    load_shipped_templates()
    person = PersonFactory()
    client = login(person.counsellor)
    start = reverse("competenze:interview-start", args=[person.pseudonym])
    first = client.post(start)
    interview = Interview.objects.get(person=person)
    assert first["Location"] == screen(interview)
    client.post(start)
    assert Interview.objects.filter(person=person).count() == 1
    html = client.get(screen(interview)).content.decode()
    assert "Istruzione formale" in html
    assert "Qual è il titolo di studio più alto che ha conseguito?" in html
    assert 'type="radio"' in html
    assert "Domande con risposta: 0 di 44" in html


def test_screen_shows_one_text_question_with_help_progress_and_buttons(interview, counsellor):
    html = login(counsellor).get(screen(interview)).content.decode()
    assert "Che lavori ha fatto?" in html
    assert "Con le parole della persona." in html
    assert "<textarea" in html and 'role="progressbar"' in html
    for button in ("Salva e continua", "Salta per ora", "Torna più tardi"):
        assert button in html
    assert "js/interview.js" in html


@pytest.mark.parametrize("factory", [EmployerUserFactory, TraineeUserFactory])
def test_screen_refuses_other_roles(interview, factory):
    assert login(factory()).get(screen(interview)).status_code == 403


def test_screen_of_another_organisation_is_404(interview):
    assert login(CounsellorFactory()).get(screen(interview)).status_code == 404


def test_screen_sends_anonymous_to_login(client, interview):
    assert client.get(screen(interview)).status_code == 302


# --- answers and live suggestions -------------------------------------------------------------


def test_saving_a_text_answer_shows_the_suggestions_with_marked_words(
    interview, counsellor, fake_task
):
    fake_task.spans = [
        ("RIS-C01", "preparavo i primi", 0.9, {}),
        ("RIS-C02", "in cucina", 0.5, {"wish": True}),
    ]
    client = login(counsellor)
    response = client.post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "azione": "salva",
            "text": KITCHEN,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == screen(interview, dopo="lavoro.descrizione")
    html = client.get(response["Location"]).content.decode()
    assert "Dalla risposta appena salvata" in html
    assert "<mark>preparavo i primi</mark>" in html and "<mark>in cucina</mark>" in html
    assert "Preparare i primi piatti" in html and "Molto probabile" in html
    assert "Possibile" in html and "Detta con incertezza" in html
    # the next question is shown under the panel: the follow-up triggered by «cucina»
    assert "Quali piatti preparava? Per quante persone?" in html
    assert "Domande con risposta: 1 di" in html


def test_answer_text_is_escaped_around_the_marks(interview, counsellor, fake_task):
    text = "Usavo <script>alert(1)</script> e preparavo i primi"
    fake_task.spans = [("RIS-C01", "preparavo i primi", 0.9, {})]
    client = login(counsellor)
    client.post(answer_url(interview), {"question_id": "lavoro.descrizione", "text": text})
    html = client.get(screen(interview, dopo="lavoro.descrizione")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; e <mark>preparavo i primi</mark>" in html


def test_saving_with_fetch_returns_the_panel_fragment(interview, counsellor, fake_task):
    fake_task.spans = [("RIS-C01", "preparavo i primi", 0.9, {"negated": True})]
    response = login(counsellor).post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "azione": "salva",
            "text": KITCHEN,
        },
        **FETCH,
    )
    body = json.loads(response.content)
    assert body["ok"] is True and body["next_url"] == screen(interview)
    assert "<mark>preparavo i primi</mark>" in body["panel_html"]
    assert "Negata: la persona dice di non farlo" in body["panel_html"]


def test_pending_extraction_panel_is_polled(interview, counsellor, fake_task):
    client = login(counsellor)
    client.post(answer_url(interview), {"question_id": "lavoro.descrizione", "text": KITCHEN})
    answer = InterviewAnswer.objects.get(interview=interview)
    assert answer.extraction_status == "in_attesa"  # the fake task stored nothing
    panel_url = reverse("competenze:answer-panel", args=[interview.pk, "lavoro.descrizione"])
    html = client.get(panel_url).content.decode()
    assert 'data-status="in_attesa"' in html
    assert "Sto cercando le competenze in questa risposta" in html
    services.answer_suggestions_store(
        answer=answer,
        model_version="v",
        suggestions=[make_suggestion("RIS-C01", KITCHEN, "preparavo i primi", score=0.7)],
    )
    html = client.get(panel_url).content.decode()
    assert 'data-status="pronta"' in html and "<mark>preparavo i primi</mark>" in html
    assert "Probabile" in html


def test_empty_text_answer_is_refused_in_italian(interview, counsellor):
    response = login(counsellor).post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "azione": "salva",
            "text": "   ",
        },
    )
    assert response.status_code == 200
    assert "La risposta è vuota" in response.content.decode()
    assert not InterviewAnswer.objects.exists()


def test_fetch_error_comes_back_as_json(interview, counsellor):
    response = login(counsellor).post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "text": "",
        },
        **FETCH,
    )
    assert response.status_code == 400
    assert "La risposta è vuota" in json.loads(response.content)["errors"][0]


def test_choice_question_needs_a_choice(interview, counsellor):
    client = login(counsellor)
    html = client.get(screen(interview, domanda="lavoro.patente")).content.decode()
    assert "Ha la patente?" in html and 'type="radio"' in html
    refused = client.post(answer_url(interview), {"question_id": "lavoro.patente"})
    assert "Scegli una risposta, oppure salta la domanda." in refused.content.decode()
    client.post(answer_url(interview), {"question_id": "lavoro.patente", "value": "si"})
    assert InterviewAnswer.objects.get(question_id="lavoro.patente").value == "si"


def test_scale_multichoice_and_date_answers(interview, counsellor):
    client = login(counsellor)
    assert (
        'type="checkbox"' in client.get(screen(interview, domanda="altro.orari")).content.decode()
    )
    client.post(answer_url(interview), {"question_id": "altro.italiano", "value": "4"})
    client.post(answer_url(interview), {"question_id": "altro.orari", "value": ["mattina", "sera"]})
    bad = client.post(answer_url(interview), {"question_id": "altro.inizio", "value": "31/12/2026"})
    assert "Data non valida" in bad.content.decode()
    client.post(answer_url(interview), {"question_id": "altro.inizio", "value": "2026-09"})
    values = dict(InterviewAnswer.objects.values_list("question_id", "value"))
    assert values == {
        "altro.italiano": 4,
        "altro.orari": ["mattina", "sera"],
        "altro.inizio": "2026-09",
    }


def test_skip_moves_on_and_the_question_comes_back_last(interview, counsellor):
    client = login(counsellor)
    response = client.post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "azione": "salta",
            "text": "",
        },
    )
    assert response["Location"] == screen(interview)
    assert InterviewAnswer.objects.get(question_id="lavoro.descrizione").skipped
    html = client.get(screen(interview)).content.decode()
    assert "Ha la patente?" in html


def test_later_saves_what_was_typed_and_leaves(interview, counsellor):
    client = login(counsellor)
    response = client.post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "azione": "dopo",
            "text": KITCHEN,
        },
    )
    person_url = reverse("competenze:person-detail", args=[interview.person.pseudonym])
    assert response["Location"] == person_url + "#colloqui"
    assert InterviewAnswer.objects.get(question_id="lavoro.descrizione").text == KITCHEN
    empty = client.post(
        answer_url(interview),
        {
            "question_id": "lavoro.patente",
            "azione": "dopo",
        },
        follow=True,
    )
    assert "Colloquio salvato" in empty.content.decode()
    assert not InterviewAnswer.objects.filter(question_id="lavoro.patente").exists()


def test_resume_shows_the_next_unanswered_question(interview, counsellor):
    client = login(counsellor)
    client.post(
        answer_url(interview),
        {"question_id": "lavoro.descrizione", "text": "Ho fatto il muratore."},
    )
    html = client.get(screen(interview)).content.decode()
    assert "Ha la patente?" in html


# --- decisions --------------------------------------------------------------------------------


@pytest.fixture
def suggestion(interview, counsellor, fake_task):
    fake_task.spans = [("RIS-C01", "preparavo i primi", 0.9, {})]
    login(counsellor).post(
        answer_url(interview), {"question_id": "lavoro.descrizione", "text": KITCHEN}
    )
    return SkillSuggestion.objects.get()


def decide(suggestion):
    return reverse("competenze:suggestion-decide", args=[suggestion.pk])


def test_accept_puts_the_competence_in_the_profile(interview, counsellor, suggestion):
    back = screen(interview, dopo="lavoro.descrizione")
    response = login(counsellor).post(
        decide(suggestion),
        {
            "decision": "accetta",
            "level": "1",
            "next": back,
        },
    )
    assert response["Location"] == back
    entry = SkillEntry.objects.get(person=interview.person)
    assert entry.stage == "individuata" and entry.level == 1
    suggestion.refresh_from_db()
    assert suggestion.status == "accettata"


def test_accept_with_another_level_then_change_level(interview, counsellor, suggestion):
    client = login(counsellor)
    client.post(decide(suggestion), {"decision": "accetta", "level": "3"})
    suggestion.refresh_from_db()
    assert suggestion.status == "modificata" and suggestion.level == 3
    client.post(decide(suggestion), {"decision": "livello", "level": "4"})
    assert SkillEntry.objects.get(person=interview.person).level == 4


def test_reject_with_fetch_returns_the_redrawn_panel(counsellor, suggestion):
    response = login(counsellor).post(decide(suggestion), {"decision": "rifiuta"}, **FETCH)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Rifiutata." in html
    answer_text = html.split('data-testid="answer-text">')[1].split("</blockquote>")[0]
    assert "<mark>" not in answer_text  # a rejected suggestion no longer marks the answer
    suggestion.refresh_from_db()
    assert suggestion.status == "rifiutata"
    assert not SkillEntry.objects.exists()


def test_rejecting_an_accepted_suggestion_shows_the_italian_error(counsellor, suggestion):
    client = login(counsellor)
    client.post(decide(suggestion), {"decision": "accetta", "level": "1"})
    response = client.post(decide(suggestion), {"decision": "rifiuta"}, follow=True)
    assert "Il suggerimento è già stato accettato" in response.content.decode()


def test_decision_is_refused_to_another_organisation(suggestion):
    response = login(CounsellorFactory()).post(decide(suggestion), {"decision": "accetta"})
    assert response.status_code == 404


def test_decision_next_cannot_leave_the_site(counsellor, suggestion, interview):
    response = login(counsellor).post(
        decide(suggestion),
        {
            "decision": "rifiuta",
            "next": "https://example.com/",
        },
    )
    assert response["Location"] == screen(interview)


# --- review and completion --------------------------------------------------------------------


def test_review_lists_answers_pending_suggestions_and_completes(interview, counsellor, suggestion):
    client = login(counsellor)
    client.post(answer_url(interview), {"question_id": "lavoro.patente", "value": "no"})
    review = reverse("competenze:interview-review", args=[interview.pk])
    html = client.get(review).content.decode()
    assert "Riepilogo del colloquio" in html
    assert "Che lavori ha fatto?" in html and "<mark>preparavo i primi</mark>" in html
    assert "1 competenza suggerita da decidere" in html
    assert "Ha la patente?" in html and "No" in html
    assert "Concludi il colloquio" in html and "Metti da parte le rimanenti" in html
    complete = reverse("competenze:interview-complete", args=[interview.pk])
    refused = client.post(complete, follow=True).content.decode()
    assert "resta 1 competenza suggerita da decidere" in refused
    interview.refresh_from_db()
    assert interview.is_open
    done = client.post(complete, {"metti_da_parte": "1"}, follow=True)
    interview.refresh_from_db()
    assert interview.status == "completato"
    assert "1 competenza suggerita resta da decidere" in done.content.decode()
    # a closed interview's screen goes to the review
    assert client.get(screen(interview))["Location"] == review


def test_complete_without_answers_is_refused_in_italian(interview, counsellor):
    response = login(counsellor).post(
        reverse("competenze:interview-complete", args=[interview.pk]), follow=True
    )
    assert "non ha ancora nessuna risposta" in response.content.decode()
    interview.refresh_from_db()
    assert interview.is_open


# --- the stepper ------------------------------------------------------------------------------


def _steps(html: str) -> list[str]:
    """The items of the stepper, as their HTML."""
    stepper = html.split('class="steppers interview-steps"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<li\b.*?</li>", stepper, flags=re.S)


def test_stepper_shows_the_sections_with_the_current_one_active(interview, counsellor):
    html = login(counsellor).get(screen(interview)).content.decode()
    lavoro, altro = _steps(html)
    assert 'class="active"' in lavoro and 'aria-current="step"' in lavoro
    assert "Lavoro" in lavoro and "0 di 2 con risposta" in lavoro and "(sezione in corso)" in lavoro
    assert "aria-current" not in altro and "Altro" in altro and "0 di 4 con risposta" in altro
    assert "(sezione da fare)" in altro
    assert "Sezione 1 di 2" in html


def test_stepper_marks_a_finished_section_done_and_counts_the_skipped(interview, counsellor):
    client = login(counsellor)
    client.post(
        answer_url(interview),
        {
            "question_id": "lavoro.descrizione",
            "version": 0,
            "text": "Ho fatto il magazziniere.",
            "azione": "salva",
        },
    )
    client.post(
        answer_url(interview), {"question_id": "lavoro.patente", "version": 0, "azione": "salta"}
    )
    html = client.get(screen(interview, domanda="altro.note")).content.decode()
    lavoro, altro = _steps(html)
    assert "confirmed" not in lavoro and "1 di 2 con risposta, 1 saltata" in lavoro
    assert "(sezione da fare)" in lavoro
    assert 'aria-current="step"' in altro and "Sezione 2 di 2" in html
    client.post(
        answer_url(interview),
        {"question_id": "lavoro.patente", "version": 1, "value": "no", "azione": "salva"},
    )
    lavoro, _ = _steps(client.get(screen(interview, domanda="altro.note")).content.decode())
    assert 'class="confirmed"' in lavoro and "2 di 2 con risposta" in lavoro
    assert "(sezione completata)" in lavoro and "it-check" in lavoro
