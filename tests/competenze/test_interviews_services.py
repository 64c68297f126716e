import copy
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from common.exceptions import AccessDenied, ApplicationError
from common.models import OutboxMessage
from common.outbox import outbox_sweep
from competenze.models import (
    Evidence,
    Interview,
    InterviewAnswer,
    InterviewTemplate,
    SkillEntry,
    SkillSuggestion,
)
from competenze.selectors.interviews import FeedbackExample, suggestion_feedback_examples
from competenze.services import interviews as services
from competenze.services.interview_templates import (
    AnswerState,
    definition_parse,
    interview_templates_load,
    keywords_match,
    template_files,
)
from ml.receivers import EXTRACTION_TOPIC
from tests.factories import (
    ConceptFactory,
    ConsentFactory,
    CounsellorFactory,
    FrameworkFactory,
    PersonFactory,
    ProgrammeManagerFactory,
    SkillEntryFactory,
)
from tests.factories.interviews import (
    SMALL_DEFINITION,
    InterviewAnswerFactory,
    InterviewFactory,
    InterviewTemplateFactory,
    SkillSuggestionFactory,
    load_shipped_templates,
    make_suggestion,
)

pytestmark = pytest.mark.django_db

KITCHEN = "Ho lavorato in cucina in una mensa, preparavo i primi per 200 persone."


class FakeTask:
    """Stands in for ml.services.answer_extract (the outbox handler): records ids, runs nothing."""

    def __init__(self, error: Exception | None = None):
        self.calls: list[int] = []
        self.error = error

    def __call__(self, *, answer_id: int) -> None:
        self.calls.append(answer_id)
        if self.error:
            raise self.error


@pytest.fixture(autouse=True)
def fake_task(monkeypatch) -> FakeTask:
    task = FakeTask()
    monkeypatch.setattr("ml.services.answer_extract", task)
    return task


@pytest.fixture
def interview() -> Interview:
    return InterviewFactory()


@pytest.fixture
def framework():
    return FrameworkFactory(is_default=True)


def answer(interview, question_id, text=None, value=None):
    """Answer as a counsellor who has just read the question (and its saved version)."""
    saved = InterviewAnswer.objects.filter(interview=interview, question_id=question_id).first()
    return services.interview_answer(
        interview=interview,
        question_id=question_id,
        text=text,
        value=value,
        answered_by=interview.counsellor,
        expected_version=saved.version if saved else 0,
    )


def next_id(interview) -> str | None:
    interview.refresh_from_db()
    view = services.interview_next_question(interview=interview)
    return view.question.id if view else None


def snapshot(interview) -> list[tuple]:
    return list(
        interview.answers.order_by("question_id").values_list(
            "question_id", "text", "value", "skipped", "extraction_status", "updated_at"
        )
    )


# --- the shipped template ---------------------------------------------------------------------


def _questions(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return data, list(definition_parse(data).all_questions())


def test_shipped_template_is_valid_and_large_enough():
    (path,) = [p for p in template_files() if p.name == "colloquio-base-v1.json"]
    data, questions = _questions(path)
    base = [q for q in questions if q.parent_id is None]
    followups = [q for q in questions if q.parent_id is not None]
    assert data["version"] == 1
    assert len(data["sections"]) == 11
    assert len(base) >= 40
    assert len(followups) >= 25
    assert all(q.kind == "text" for q in questions if q.extract)
    assert {q.kind for q in questions} == {"text", "choice", "multichoice", "date", "scale"}


def test_shipped_template_speaks_with_lei_never_tu():
    (path,) = [p for p in template_files() if p.name == "colloquio-base-v1.json"]
    _data, questions = _questions(path)
    tu_forms = re.compile(
        r"\b(tu|ti|te|tuo|tua|tuoi|tue|hai|sei|fai|puoi|vuoi|sai|"
        r"raccontami|dimmi)\b",
        re.IGNORECASE,
    )
    offending = [q.text for q in questions if tu_forms.search(q.text)]
    assert offending == []


def test_load_command_is_idempotent_and_protects_used_versions(tmp_path):
    call_command("load_interview_templates")
    call_command("load_interview_templates")
    shipped = len(template_files())
    assert InterviewTemplate.objects.filter(code="colloquio-base").count() == shipped
    template = InterviewTemplate.objects.get(code="colloquio-base", is_active=True)
    InterviewFactory(template=template)

    changed = json.loads(template_files()[-1].read_text(encoding="utf-8"))
    changed["title"] = "Titolo cambiato"
    path = tmp_path / template_files()[-1].name
    path.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(CommandError, match="già usato da 1 colloqui.*version"):
        call_command("load_interview_templates", str(path))
    template.refresh_from_db()
    assert template.title != "Titolo cambiato"

    changed["version"] = template.version + 1
    path.write_text(json.dumps(changed), encoding="utf-8")
    call_command("load_interview_templates", str(path))
    versions = dict(InterviewTemplate.objects.values_list("version", "is_active"))
    assert versions[template.version + 1] is True
    assert sum(versions.values()) == 1


def test_loader_updates_an_unused_version_and_reports_every_problem(tmp_path):
    data = {**SMALL_DEFINITION, "code": "nuovo"}
    path = tmp_path / "nuovo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert interview_templates_load(paths=[path])[0].outcome == "creato"
    path.write_text(json.dumps({**data, "title": "Altro titolo"}), encoding="utf-8")
    assert interview_templates_load(paths=[path])[0].outcome == "aggiornato"

    broken = json.loads(json.dumps(data))
    broken["sections"][0]["questions"][1]["kind"] = "slider"
    broken["sections"][1]["questions"][0]["id"] = "lavoro.descrizione"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        interview_templates_load(paths=[path])
    messages = " ".join(error.value.messages)
    assert "«kind» deve essere" in messages and "id» ripetuto" in messages


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("Ho lavorato in CUCINA", True),
        ("facevo il cuoco in trattoria", True),
        ("ero cuoca", True),
        ("lavoravo alla mensa aziendale", True),
        ("una cucinetta", False),  # «cucina» is a whole word
        ("ho guidato il furgone", False),
    ],
)
def test_follow_up_keywords_match_whole_words_or_stems(text, matches):
    assert keywords_match(("cucina", "cuoc*", "mensa"), text) is matches


# --- start and resume -------------------------------------------------------------------------


def test_start_creates_then_resumes_the_open_interview():
    load_shipped_templates()
    person = PersonFactory()
    interview, created = services.interview_start(person=person, started_by=person.counsellor)
    again, created_again = services.interview_start(person=person, started_by=person.counsellor)
    assert created and not created_again
    assert again.pk == interview.pk
    assert interview.template.code == "colloquio-base"
    assert interview.status == Interview.Status.IN_PROGRESS


def test_start_is_for_counsellors_of_the_persons_organisation():
    load_shipped_templates()
    person = PersonFactory()
    with pytest.raises(AccessDenied):
        services.interview_start(person=person, started_by=CounsellorFactory())
    with pytest.raises(AccessDenied):
        services.interview_start(
            person=person, started_by=ProgrammeManagerFactory(organisation=person.organisation)
        )
    assert not Interview.objects.exists()


def test_start_without_a_loaded_template_says_how_to_load_it():
    person = PersonFactory()
    with pytest.raises(ApplicationError, match="load_interview_templates"):
        services.interview_start(person=person, started_by=person.counsellor)


# --- order of questions -----------------------------------------------------------------------


def test_next_question_follows_template_order(interview):
    assert next_id(interview) == "lavoro.descrizione"
    answer(interview, "lavoro.descrizione", text="Ho fatto il muratore.")
    assert next_id(interview) == "lavoro.patente"
    answer(interview, "lavoro.patente", value="no")
    assert next_id(interview) == "altro.inizio"


def test_kitchen_answer_triggers_its_follow_ups_next(interview):
    answer(interview, "lavoro.descrizione", text="Ho lavorato in cucina per tre anni.")
    assert next_id(interview) == "lavoro.cucina.preparazioni"
    answer(interview, "lavoro.cucina.preparazioni", text="Primi e secondi per 150 persone.")
    assert next_id(interview) == "lavoro.cucina.durata"
    answer(interview, "lavoro.cucina.durata", text="Tre anni.")
    answer(interview, "lavoro.patente", value="si")
    assert next_id(interview) == "lavoro.patente.mezzi"


def test_kitchen_follow_ups_in_the_shipped_template():
    template = load_shipped_templates()
    interview = InterviewFactory(template=template)
    answer(interview, "lavoro.prima.descrizione", text="Ho lavorato in cucina in un ristorante.")
    view = services.interview_next_question(interview=interview)
    assert view.question.id == "lavoro.prima.cucina.preparazioni"
    assert "Per quante persone" in view.question.text
    assert view.section_title == "Lavoro prima della detenzione o della misura"


def test_skipped_questions_come_back_at_the_end(interview):
    services.interview_skip(
        interview=interview, question_id="lavoro.descrizione", skipped_by=interview.counsellor
    )
    assert next_id(interview) == "lavoro.patente"
    answer(interview, "lavoro.patente", value="no")
    answer(interview, "altro.inizio", value="2026-03")
    answer(interview, "altro.italiano", value=4)
    answer(interview, "altro.orari", value=["mattina"])
    answer(interview, "altro.note", text="Nulla.")
    interview.refresh_from_db()
    view = services.interview_next_question(interview=interview)
    assert view.question.id == "lavoro.descrizione" and view.was_skipped
    answer(interview, "lavoro.descrizione", text="Magazziniere.")
    assert next_id(interview) is None
    progress = services.interview_progress(interview=interview)
    assert (progress.answered, progress.skipped, progress.percent) == (6, 0, 100)


def test_answering_an_earlier_question_again_replaces_it(interview):
    answer(interview, "lavoro.descrizione", text="Magazziniere.")
    answer(interview, "lavoro.descrizione", text="Ho fatto il cuoco.")
    assert interview.answers.get().text == "Ho fatto il cuoco."
    assert next_id(interview) == "lavoro.cucina.preparazioni"


def test_skip_refuses_an_answered_question(interview):
    answer(interview, "lavoro.descrizione", text="Magazziniere.")
    with pytest.raises(ApplicationError, match="già una risposta"):
        services.interview_skip(
            interview=interview, question_id="lavoro.descrizione", skipped_by=interview.counsellor
        )
    assert interview.answers.get().text == "Magazziniere."


# --- bad input never loses answers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "text", "value", "message"),
    [
        ("lavoro.descrizione", "   ", None, "La risposta è vuota"),
        ("lavoro.descrizione", "x" * 50_000, None, "al massimo 10.000 caratteri"),
        ("lavoro.descrizione", b"cucina \xff\xfe", None, "UTF-8"),
        ("lavoro.descrizione", "cucina\x00mensa", None, "caratteri non ammessi"),
        ("lavoro.descrizione", "cucina\x1bmensa", None, "caratteri non ammessi"),
        ("lavoro.descrizione", "cucina \ud800", None, "UTF-8"),
        ("lavoro.inesistente", "Cucina.", None, "Domanda sconosciuta"),
        ("lavoro.patente", None, "forse", "Scelta non valida"),
        ("lavoro.patente", None, None, "Manca il valore"),
        ("altro.inizio", None, "31/12/2020", "Data non valida"),
        ("altro.inizio", None, "2021-02-30", "Data non valida"),
        ("altro.italiano", None, 7, "da 1 a 5"),
        ("altro.italiano", None, True, "da 1 a 5"),
        ("altro.orari", None, ["mattina", "notte"], "Valori ammessi"),
    ],
)
def test_bad_answers_are_refused_in_italian_and_keep_earlier_answers(
    interview, fake_task, django_capture_on_commit_callbacks, question_id, text, value, message
):
    answer(interview, "lavoro.descrizione", text="Ho fatto il magazziniere.")
    answer(interview, "altro.italiano", value=3)
    before = snapshot(interview)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApplicationError, match=message),
    ):
        answer(interview, question_id, text=text, value=value)
    assert callbacks == []
    assert snapshot(interview) == before


def test_answer_text_is_trimmed_and_newlines_normalised(interview):
    saved = answer(interview, "lavoro.descrizione", text="  Cuoco.\r\nPoi barista.\t ")
    assert saved.text == "Cuoco.\nPoi barista."


def test_answers_to_a_closed_interview_are_refused(interview):
    answer(interview, "lavoro.descrizione", text="Magazziniere.")
    services.interview_complete(interview=interview, completed_by=interview.counsellor)
    with pytest.raises(ApplicationError, match="completato"):
        answer(interview, "lavoro.descrizione", text="Cuoco.")


# --- extraction -------------------------------------------------------------------------------


def test_extract_answers_are_queued_after_commit(
    interview, fake_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
        assert fake_task.calls == []  # not before commit
    assert fake_task.calls == [saved.pk]
    assert saved.extraction_status == InterviewAnswer.ExtractionStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        other = answer(interview, "altro.note", text="Nulla da aggiungere.")
    assert fake_task.calls == [saved.pk]
    assert other.extraction_status == InterviewAnswer.ExtractionStatus.NOT_REQUESTED


def test_same_text_again_is_not_extracted_twice(
    interview, fake_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
    services.answer_suggestions_store(answer=saved, suggestions=[], model_version="v1")
    with django_capture_on_commit_callbacks(execute=True):
        answer(interview, "lavoro.descrizione", text=KITCHEN)
    assert len(fake_task.calls) == 1


def test_a_failing_delivery_leaves_the_answer_waiting_and_the_sweeper_retries(
    interview, fake_task, django_capture_on_commit_callbacks
):
    fake_task.error = RuntimeError("recogniser unavailable")
    with django_capture_on_commit_callbacks(execute=True):
        saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
    saved.refresh_from_db()
    assert saved.extraction_status == InterviewAnswer.ExtractionStatus.PENDING
    row = OutboxMessage.objects.get(topic=EXTRACTION_TOPIC)
    assert (row.payload, row.done_at, row.attempts) == ({"answer_id": saved.pk}, None, 1)
    assert row.last_error.startswith("RuntimeError")
    fake_task.error = None
    outbox_sweep(now=row.due_at)
    row.refresh_from_db()
    assert row.done_at is not None
    assert fake_task.calls == [saved.pk, saved.pk]


def test_saving_a_waiting_answer_again_asks_again(
    interview, fake_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
        answer(interview, "lavoro.descrizione", text=KITCHEN)  # still "in_attesa": asks again
    assert fake_task.calls == [saved.pk, saved.pk]
    services.answer_extraction_failed(answer=saved, error="RuntimeError")
    with django_capture_on_commit_callbacks(execute=True):
        answer(interview, "lavoro.descrizione", text=KITCHEN)  # failed: asks again
    assert len(fake_task.calls) == 3


def test_suggestions_store_maps_codes_clips_scores_and_ignores_unknown(framework):
    cook = ConceptFactory(framework=framework, code="RIS-C01")
    other_framework = ConceptFactory(code="RIS-C02")  # not in the default framework
    saved = InterviewAnswerFactory(
        text=KITCHEN, extraction_status=InterviewAnswer.ExtractionStatus.PENDING
    )
    stored = services.answer_suggestions_store(
        answer=saved,
        model_version="ner-1",
        suggestions=[
            make_suggestion("RIS-C01", KITCHEN, "in cucina", score=0.4),
            make_suggestion("RIS-C01", KITCHEN, "preparavo i primi", score=1.7),
            make_suggestion(other_framework.code, KITCHEN, "mensa"),
            make_suggestion("NON-ESISTE", KITCHEN, "mensa"),
        ],
    )
    assert stored == 1
    suggestion = SkillSuggestion.objects.get()
    assert (suggestion.concept, suggestion.score, suggestion.span) == (
        cook,
        1.0,
        "preparavo i primi",
    )
    saved.refresh_from_db()
    assert saved.extraction_status == InterviewAnswer.ExtractionStatus.READY
    assert saved.model_version == "ner-1"


def test_suggestions_store_replaces_undecided_and_keeps_decided(framework):
    kept, dropped, new = (ConceptFactory(framework=framework) for _ in range(3))
    saved = InterviewAnswerFactory(text=KITCHEN)
    decided = SkillSuggestionFactory(
        answer=saved, concept=kept, status="rifiutata", decided_at="2026-01-01T10:00:00Z"
    )
    SkillSuggestionFactory(answer=saved, concept=dropped)
    services.answer_suggestions_store(
        answer=saved,
        model_version="ner-2",
        suggestions=[
            make_suggestion(kept.code, KITCHEN, "mensa", score=0.9),
            make_suggestion(new.code, KITCHEN, "cucina", score=0.5),
        ],
    )
    rows = dict(saved.suggestions.values_list("concept__code", "status"))
    assert rows == {kept.code: "rifiutata", new.code: "proposta"}
    assert SkillSuggestion.objects.get(pk=decided.pk).score == 0.8


def test_changed_answer_text_drops_undecided_suggestions(interview, framework):
    saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
    SkillSuggestionFactory(answer=saved, concept=ConceptFactory(framework=framework))
    accepted = SkillSuggestionFactory(answer=saved, concept=ConceptFactory(framework=framework))
    services.suggestion_accept(suggestion=accepted, decided_by=interview.counsellor)
    answer(interview, "lavoro.descrizione", text="Ho fatto il barista.")
    assert list(saved.suggestions.values_list("status", flat=True)) == ["accettata"]


def test_extraction_failure_is_recorded():
    saved = InterviewAnswerFactory(extraction_status=InterviewAnswer.ExtractionStatus.PENDING)
    services.answer_extraction_failed(answer=saved, error="x" * 1000)
    saved.refresh_from_db()
    assert saved.extraction_status == InterviewAnswer.ExtractionStatus.ERROR
    assert len(saved.extraction_error) == 300


# --- decisions --------------------------------------------------------------------------------


def test_accept_puts_an_identified_skill_with_evidence_in_the_profile():
    suggestion = SkillSuggestionFactory(score=0.73)
    counsellor = suggestion.answer.interview.counsellor
    decided = services.suggestion_accept(suggestion=suggestion, decided_by=counsellor)
    entry = SkillEntry.objects.get()
    assert (entry.stage, entry.source, entry.level) == ("individuata", "colloquio", 1)
    assert entry.confidence == pytest.approx(0.73)
    assert "preparavo i primi" in entry.evidence_text
    assert "200 persone" in entry.evidence_text  # the sentence around the span
    evidence = entry.evidences.get()
    assert evidence.kind == Evidence.Kind.INTERVIEW
    assert KITCHEN in evidence.description
    assert (decided.status, decided.skill_entry, decided.decided_by) == (
        "accettata",
        entry,
        counsellor,
    )


def test_reject_adds_nothing_to_the_profile():
    suggestion = SkillSuggestionFactory()
    decided = services.suggestion_reject(
        suggestion=suggestion, decided_by=suggestion.answer.interview.counsellor
    )
    assert decided.status == "rifiutata"
    assert not SkillEntry.objects.exists()
    assert not Evidence.objects.exists()


def test_reject_after_accept_is_refused():
    suggestion = SkillSuggestionFactory()
    counsellor = suggestion.answer.interview.counsellor
    services.suggestion_accept(suggestion=suggestion, decided_by=counsellor)
    with pytest.raises(ApplicationError, match="già stato accettato"):
        services.suggestion_reject(suggestion=suggestion, decided_by=counsellor)
    assert SkillEntry.objects.count() == 1


def test_change_level_accepts_as_modified_and_can_change_again():
    suggestion = SkillSuggestionFactory()
    counsellor = suggestion.answer.interview.counsellor
    decided = services.suggestion_change_level(
        suggestion=suggestion, decided_by=counsellor, level=SkillEntry.Level.ADVANCED
    )
    assert (decided.status, decided.level, decided.skill_entry.level) == ("modificata", 3, 3)
    again = services.suggestion_accept(suggestion=decided, decided_by=counsellor, level=2)
    assert again.skill_entry.level == 2
    assert SkillEntry.objects.count() == 1


def test_accepting_a_concept_already_in_the_profile_keeps_one_entry_and_the_higher_level():
    suggestion = SkillSuggestionFactory()
    person = suggestion.answer.interview.person
    existing = SkillEntryFactory(
        person=person,
        concept=suggestion.concept,
        level=SkillEntry.Level.ADVANCED,
        evidence_text="Dichiarato.",
    )
    second_answer = InterviewAnswerFactory(
        interview=suggestion.answer.interview,
        question_id="lavoro.cucina.preparazioni",
        text="Facevo anche i secondi di carne.",
    )
    second = SkillSuggestionFactory(
        answer=second_answer, concept=suggestion.concept, span="i secondi di carne"
    )
    services.suggestion_accept(suggestion=suggestion, decided_by=person.counsellor)
    services.suggestion_accept(suggestion=second, decided_by=person.counsellor)
    entry = SkillEntry.objects.get()
    assert entry.pk == existing.pk
    assert entry.level == SkillEntry.Level.ADVANCED
    assert "Dichiarato." in entry.evidence_text
    assert "preparavo i primi" in entry.evidence_text
    assert "i secondi di carne" in entry.evidence_text
    assert entry.evidences.count() == 2


def test_one_evidence_per_answer_whatever_the_number_of_accepted_skills():
    first = SkillSuggestionFactory()
    second = SkillSuggestionFactory(answer=first.answer, span="in una mensa")
    counsellor = first.answer.interview.counsellor
    services.suggestion_accept(suggestion=first, decided_by=counsellor)
    services.suggestion_accept(suggestion=second, decided_by=counsellor)
    assert Evidence.objects.count() == 1
    assert SkillEntry.objects.count() == 2


def test_other_organisations_cannot_decide():
    suggestion = SkillSuggestionFactory()
    with pytest.raises(AccessDenied):
        services.suggestion_accept(suggestion=suggestion, decided_by=CounsellorFactory())
    assert not SkillEntry.objects.exists()


def test_feedback_examples_list_decisions_for_the_ranker():
    accepted = SkillSuggestionFactory()
    counsellor = accepted.answer.interview.counsellor
    ConsentFactory(person=accepted.answer.interview.person, purpose="trattamento")
    rejected = SkillSuggestionFactory(answer=accepted.answer, span="mensa")
    SkillSuggestionFactory(answer=accepted.answer, span="cucina")  # undecided: left out
    services.suggestion_accept(suggestion=accepted, decided_by=counsellor)
    services.suggestion_reject(suggestion=rejected, decided_by=counsellor)
    examples = list(suggestion_feedback_examples())
    assert examples == [
        FeedbackExample(KITCHEN, accepted.concept.code, True),
        FeedbackExample(KITCHEN, rejected.concept.code, False),
    ]
    text, code, ok = examples[0]
    assert ok is True


def test_feedback_examples_leave_out_people_without_processing_consent():
    suggestion = SkillSuggestionFactory()
    person = suggestion.answer.interview.person
    consent = ConsentFactory(person=person, purpose="trattamento")
    services.suggestion_accept(
        suggestion=suggestion, decided_by=suggestion.answer.interview.counsellor
    )
    assert len(list(suggestion_feedback_examples())) == 1
    consent.revoked_at = consent.given_at
    consent.save()
    assert list(suggestion_feedback_examples()) == []


# --- review and completion --------------------------------------------------------------------


def test_review_groups_answers_by_section(interview):
    answer(interview, "lavoro.descrizione", text="Cuoco in mensa.")
    services.interview_skip(
        interview=interview, question_id="lavoro.patente", skipped_by=interview.counsellor
    )
    answer(interview, "altro.italiano", value=4)
    SkillSuggestionFactory(answer=interview.answers.get(question_id="lavoro.descrizione"))
    review = services.interview_review(interview=interview)
    assert [s.id for s in review.sections] == ["lavoro", "altro"]
    displays = {i.question.id: i.display for s in review.sections for i in s.items}
    assert displays == {
        "lavoro.descrizione": "Cuoco in mensa.",
        "lavoro.patente": "(saltata)",
        "altro.italiano": "4 – Buono",
    }
    assert [q.id for q in review.skipped] == ["lavoro.patente"]
    assert [q.id for q in review.unanswered_required] == ["lavoro.patente"]
    assert review.pending_suggestions == 1


def test_complete_refuses_an_empty_interview(interview):
    services.interview_skip(
        interview=interview, question_id="lavoro.descrizione", skipped_by=interview.counsellor
    )
    with pytest.raises(ApplicationError, match="nessuna risposta"):
        services.interview_complete(interview=interview, completed_by=interview.counsellor)


def test_complete_reports_undecided_suggestions_and_allows_a_new_interview(interview):
    saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
    SkillSuggestionFactory(answer=saved)
    result = services.interview_complete(interview=interview, completed_by=interview.counsellor)
    assert result.interview.status == Interview.Status.COMPLETED
    assert result.undecided_suggestions == 1
    assert result.unanswered_required == ["lavoro.patente"]
    assert services.interview_next_question(interview=interview) is None
    # decisions stay possible after the interview is closed
    services.suggestion_accept(suggestion=saved.suggestions.get(), decided_by=interview.counsellor)
    again, created = services.interview_start(
        person=interview.person,
        template_code=interview.template.code,
        started_by=interview.counsellor,
    )
    assert created and again.pk != interview.pk


def test_resuming_on_another_day_counts_a_meeting(interview):
    Interview.objects.filter(pk=interview.pk).update(last_activity_at="2020-01-01T10:00:00Z")
    resumed, _created = services.interview_start(
        person=interview.person,
        template_code=interview.template.code,
        started_by=interview.counsellor,
    )
    assert resumed.meetings == 2


def test_cancelled_interview_refuses_decisions(interview):
    saved = answer(interview, "lavoro.descrizione", text=KITCHEN)
    suggestion = SkillSuggestionFactory(answer=saved)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)  # admin
    with pytest.raises(ApplicationError, match="annullato"):
        services.suggestion_accept(suggestion=suggestion, decided_by=interview.counsellor)


def test_template_factory_definition_is_valid():
    template = InterviewTemplateFactory()
    assert definition_parse(template.definition).code == template.code


# --- follow-ups that the answer already covers ------------------------------------------------

COOK_FULL = (
    "Facevo il cuoco in una trattoria per tre anni: primi, secondi e dolci per 80 coperti, "
    "stavo ai fornelli e al forno."
)
COOK_SHORT = "Facevo il cuoco in una trattoria."


def _shipped_definition():
    (path,) = [p for p in template_files() if p.name == "colloquio-base-v2.json"]
    return definition_parse(json.loads(path.read_text(encoding="utf-8")))


def _active_ids(definition, text, **more):
    states = {"lavoro.prima.descrizione": AnswerState(text=text), **more}
    return {q.id for q in definition.active_questions(states)}


def test_a_follow_up_the_answer_already_covers_is_not_asked():
    definition = _shipped_definition()
    asked = _active_ids(definition, COOK_SHORT)
    assert {"lavoro.prima.cucina.preparazioni", "lavoro.prima.cucina.durata"} <= asked
    covered = _active_ids(definition, COOK_FULL)
    assert "lavoro.prima.cucina.preparazioni" not in covered
    assert "lavoro.prima.cucina.durata" not in covered


def test_a_follow_up_is_asked_while_one_part_of_it_is_missing():
    definition = _shipped_definition()
    no_equipment = COOK_FULL.replace(", stavo ai fornelli e al forno", "")
    asked = _active_ids(definition, no_equipment)
    assert "lavoro.prima.cucina.preparazioni" in asked  # «con quali attrezzature?» is open
    assert "lavoro.prima.cucina.durata" not in asked


def test_a_covered_follow_up_already_answered_stays_in_the_interview():
    definition = _shipped_definition()
    answered = AnswerState(text="Carbonara e amatriciana.")
    asked = _active_ids(definition, COOK_FULL, **{"lavoro.prima.cucina.preparazioni": answered})
    assert "lavoro.prima.cucina.preparazioni" in asked


def test_skip_rules_are_checked_when_a_template_is_parsed():
    broken = copy.deepcopy(SMALL_DEFINITION)
    broken["sections"][0]["questions"][0]["skip_when"] = {"answer_covers": [["x"]]}
    rule = broken["sections"][0]["questions"][0]["followups"][0]["ask"][0]
    rule["skip_when"] = {"answer_covers": "cucina"}
    with pytest.raises(ValidationError) as error:
        definition_parse(broken)
    messages = " ".join(error.value.messages)
    assert "lavoro.descrizione: «skip_when» vale solo per le domande di rinvio" in messages
    assert "lavoro.cucina.preparazioni: «skip_when» vuole" in messages


def test_next_question_skips_the_follow_up_the_answer_covered(fake_task):
    template = load_shipped_templates()
    assert template.version == 2
    interview = InterviewFactory(template=template)
    services.interview_answer(
        interview=interview,
        question_id="lavoro.prima.descrizione",
        text=COOK_FULL,
        answered_by=interview.counsellor,
    )
    interview.refresh_from_db()
    following = services.interview_next_question(interview=interview)
    assert following is not None
    assert not following.question.id.startswith("lavoro.prima.cucina")
