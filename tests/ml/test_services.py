"""Recognition wired to the database: interview answers, retrain-and-promote, commands."""

import json
import time

import pytest
from django.core.management import CommandError, call_command

from competenze.models import InterviewAnswer, SkillEntry, SkillSuggestion
from competenze.services.interview_suggestions import suggestion_accept
from competenze.services.interviews import interview_answer, interview_start
from ml import artifacts
from ml.services import model_retrain
from ml.training import gold_dev_files, load_examples, train_files
from tests.factories import ConsentFactory, PersonFactory
from tests.factories.interviews import load_shipped_templates

KITCHEN = (
    "In carcere lavoravo nella cucina detenuti: pelavo le patate, facevo i primi "
    "per duecento persone e pulivo le pentole. Il muletto non l'ho mai guidato."
)


@pytest.fixture
def shipped(db):
    call_command("load_framework")
    load_shipped_templates()


def _answer_kitchen(person):
    interview, _created = interview_start(person=person, started_by=person.counsellor)
    return interview_answer(
        interview=interview,
        question_id="lavoro.prima.descrizione",
        text=KITCHEN,
        answered_by=person.counsellor,
    )


@pytest.fixture
def answer_kitchen(django_capture_on_commit_callbacks):
    """Answer as the API does; the extraction task runs when the transaction commits."""

    def answer(person):
        with django_capture_on_commit_callbacks(execute=True):
            saved = _answer_kitchen(person)
        saved.refresh_from_db()
        return saved

    return answer


@pytest.mark.django_db
def test_answer_gets_suggestions_with_the_words_they_come_from(
    shipped, artifact_dir, answer_kitchen
):
    answer = answer_kitchen(PersonFactory())
    assert answer.extraction_status == InterviewAnswer.ExtractionStatus.READY
    suggestions = list(answer.suggestions.select_related("concept"))
    assert suggestions, "the kitchen answer must produce suggestions"
    for suggestion in suggestions:
        assert KITCHEN[suggestion.start : suggestion.end] == suggestion.span
    sectors = {s.concept.code.split("-")[0] for s in suggestions}
    assert "RIS" in sectors
    assert "LOG-C01" not in {s.concept.code for s in suggestions}  # said in the negative


@pytest.mark.django_db
def test_accepted_suggestion_enters_the_profile_with_its_evidence(
    shipped, artifact_dir, answer_kitchen
):
    person = PersonFactory()
    answer = answer_kitchen(person)
    suggestion = answer.suggestions.order_by("-score").first()
    suggestion_accept(suggestion=suggestion, decided_by=person.counsellor)
    entry = SkillEntry.objects.get(person=person, concept=suggestion.concept)
    assert entry.stage == SkillEntry.Stage.IDENTIFIED
    assert suggestion.span in entry.evidence_text
    assert SkillSuggestion.objects.get(pk=suggestion.pk).status == "accettata"


@pytest.mark.django_db
def test_retrain_promotes_only_a_model_that_beats_the_current_one(shipped, artifact_dir):
    assert artifacts.current_version() == artifacts.MATCHER_ONLY
    first = model_retrain()
    assert first.promoted
    assert first.candidate.beats(first.current)
    assert artifacts.current_version() == first.version
    figures = artifacts.read_meta(first.version)["metrics"]
    dev_answers = sum(len(load_examples(path)) for path in gold_dev_files())
    assert figures["answers"] + figures["no_skill_answers"] == dev_answers
    again = model_retrain()  # same data, same figures: not strictly better
    assert not again.promoted
    assert artifacts.current_version() == first.version
    assert (artifact_dir / "versions" / again.version / "ranker.joblib").exists()


@pytest.mark.django_db
def test_feedback_of_counsellors_is_used_for_training(shipped, artifact_dir, answer_kitchen):
    person = PersonFactory()
    ConsentFactory(person=person, purpose="trattamento")
    answer = answer_kitchen(person)
    suggestion_accept(suggestion=answer.suggestions.first(), decided_by=person.counsellor)
    result = model_retrain()
    shipped_answers = sum(len(load_examples(path)) for path in train_files())
    assert result.training_answers == shipped_answers + 1


@pytest.mark.django_db
def test_extract_skills_command_writes_one_line_per_answer(shipped, artifact_dir, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        json.dumps({"id": 7, "text": "guidavo il muletto in magazzino"})
        + "\n"
        + json.dumps({"id": "b", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    call_command("extract_skills", input=source, output=target, top=3)
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == [7, "b"]
    first = rows[0]["skills"][0]
    assert set(first) == {
        "code",
        "label",
        "score",
        "start",
        "end",
        "negated",
        "wish",
        "others",
        "shown",
    }
    assert first["code"].startswith("LOG-")
    assert len(rows[0]["skills"]) <= 3


@pytest.mark.django_db
def test_extract_skills_flags_denied_words_and_never_shows_them(shipped, artifact_dir, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        json.dumps({"id": 1, "text": "il muletto non l'ho mai guidato"}) + "\n", encoding="utf-8"
    )
    call_command("extract_skills", input=source, output=target, top=10)
    (row,) = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    forklift = next(s for s in row["skills"] if s["code"] == "LOG-C03")
    assert forklift["negated"] and not forklift["shown"]
    assert not any(s["shown"] for s in row["skills"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"id": 1, "text": "ok"}\n{"id": 2\n', "riga 2: JSON non valido"),
        (b'{"id": 1}\n', "riga 1: servono i campi"),
        (b'{"id": 1, "text": "caf\xe8"}\n', "non è in UTF-8"),
    ],
)
def test_extract_skills_names_the_bad_line(shipped, tmp_path, content, message):
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("extract_skills", input=source, output=tmp_path / "out.jsonl")


@pytest.mark.django_db
def test_evaluate_extraction_prints_the_figures(shipped, artifact_dir, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"text": "guidavo il muletto", "codes": ["LOG-C03"]}) + "\n", encoding="utf-8"
    )
    call_command("evaluate_extraction", gold=[gold], json=True)
    figures = json.loads(capsys.readouterr().out)
    assert figures["answers"] == 1
    assert set(figures) >= {
        "precision_at_1",
        "recall_at_5",
        "mrr",
        "by_sector",
        "card_precision",
        "card_recall",
        "no_skill_with_card",
    }


@pytest.mark.django_db
def test_evaluate_extraction_table_fills_every_column(shipped, artifact_dir, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"text": "guidavo il muletto", "codes": ["LOG-C03"]})
        + "\n"
        + json.dumps({"text": "non ho mai lavorato", "codes": []})
        + "\n",
        encoding="utf-8",
    )
    call_command("evaluate_extraction", gold=[gold])
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("settore"))
    assert "R@5 non cap." in header and "prec. schede" in header and "rich. schede" in header
    total = next(line for line in lines if line.startswith("TOTALE")).split()
    assert len(total) == 8  # name, answers and six figures: none left empty
    assert "Risposte senza competenze che mostrano almeno una scheda" in lines[-1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_extracts_after_the_answer_is_saved(celery_worker_process):
    call_command("load_framework")
    load_shipped_templates()
    answer = _answer_kitchen(PersonFactory())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer.refresh_from_db()
        if answer.extraction_status != InterviewAnswer.ExtractionStatus.PENDING:
            break
        time.sleep(0.3)
    assert answer.extraction_status == InterviewAnswer.ExtractionStatus.READY
    assert answer.suggestions.exists()
