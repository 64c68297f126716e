"""Answers in other languages through the database: commands, services, training."""

import json

import pytest
from django.core.management import CommandError, call_command

from competenze.models import InterviewAnswer
from competenze.services.interviews import interview_answer, interview_start
from ml import artifacts
from ml.language_training import load_language_examples
from ml.services import language_models_retrain, skills_suggest
from tests.factories import PersonFactory
from tests.factories.interviews import load_shipped_templates


@pytest.fixture
def shipped(db):
    call_command("load_framework")


def _run_extract(tmp_path, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    call_command("extract_skills", input=source, output=target, top=5)
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


@pytest.mark.django_db
def test_extract_skills_reads_each_line_in_its_language(shipped, artifact_dir, tmp_path):
    rows = _run_extract(
        tmp_path,
        [
            {"id": 1, "text": "كنت كنسوق الكلارك فالماغازان", "lang": "ar"},
            {"id": 2, "text": "I drove the forklift in a warehouse"},
            {"id": 3, "text": "guidavo il muletto in magazzino"},
            {"id": 4, "text": "carreleur", "lang": "FR"},
        ],
    )
    assert [row["lang"] for row in rows] == ["ar", "en", "it", "fr"]
    for row in rows[:3]:
        assert "LOG-C03" in [skill["code"] for skill in row["skills"]]
    assert rows[3]["skills"][0]["code"] == "EDI-C06"
    arabic = next(s for s in rows[0]["skills"] if s["code"] == "LOG-C03")
    text = "كنت كنسوق الكلارك فالماغازان"
    assert text[arabic["start"] : arabic["end"]].strip()
    assert arabic["label"] == "Movimentare merci con carrello elevatore"


@pytest.mark.django_db
def test_extract_skills_given_language_wins_over_detection(shipped, artifact_dir, tmp_path):
    # "plaquiste" alone says nothing of its language: detection keeps Italian and the
    # Italian recogniser knows no such word; told it is French, it is a drywall fitter.
    (detected,) = _run_extract(tmp_path, [{"id": 1, "text": "plaquiste"}])
    (told,) = _run_extract(tmp_path, [{"id": 1, "text": "plaquiste", "lang": "fr"}])
    assert detected["lang"] == "it"
    assert "EDI-C08" not in [s["code"] for s in detected["skills"][:1]]
    assert told["skills"][0]["code"] == "EDI-C08"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "", 3])
def test_extract_skills_refuses_an_unknown_language(shipped, tmp_path, language):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "ok", "lang": language}) + "\n")
    with pytest.raises(CommandError, match="riga 1: lingua .* non gestita"):
        call_command("extract_skills", input=source, output=tmp_path / "out.jsonl")


@pytest.mark.django_db
def test_skills_suggest_uses_the_given_language_or_detects_it(shipped, artifact_dir):
    language, suggestions = skills_suggest(text="am lucrat cu stivuitorul în depozit")
    assert language == "ro"
    assert "LOG-C03" in [s.code for s in suggestions]
    language, _suggestions = skills_suggest(text="ho guidato il muletto", language="it")
    assert language == "it"


@pytest.mark.django_db
def test_evaluate_extraction_gives_figures_per_language(shipped, artifact_dir, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    lines = [
        {"text": "guidavo il muletto", "codes": ["LOG-C03"]},
        {"text": "I drove the forklift", "codes": ["LOG-C03"], "lang": "en"},
        {"text": "خدمت صبّاغ", "codes": ["EDI-C07"], "lang": "ar"},
    ]
    gold.write_text("".join(json.dumps(row) + "\n" for row in lines), encoding="utf-8")
    call_command("evaluate_extraction", gold=[gold], json=True)
    figures = json.loads(capsys.readouterr().out)["by_language"]
    assert list(figures) == ["it", "ar", "en"]
    assert all(row["answers"] == 1 for row in figures.values())
    assert figures["ar"]["recall_at_5"] == 1.0
    call_command("evaluate_extraction", gold=[gold])
    printed = capsys.readouterr().out
    assert "== Lingua: ar" in printed and "== Per lingua" in printed


@pytest.mark.django_db
def test_evaluate_extraction_refuses_an_unknown_language(shipped, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"text": "x", "codes": [], "lang": "xx"}) + "\n")
    with pytest.raises(CommandError, match="Lingua non gestita"):
        call_command("evaluate_extraction", gold=[gold])


@pytest.mark.django_db
def test_models_of_the_other_languages_are_trained_and_promoted_apart(shipped, artifact_dir):
    italian_before = artifacts.current_version()
    result = language_models_retrain()
    assert result.promoted
    assert artifacts.current_version(artifacts.CURRENT_LANGUAGES) == result.version
    assert artifacts.current_version() == italian_before  # Italian models untouched
    assert result.training_answers == sum(
        len(items) for items in load_language_examples("train").values()
    )
    meta = artifacts.read_meta(result.version)
    assert set(meta["metrics"]) == {"ar", "sq", "ro", "en", "fr", "es"}
    for language, figures in result.candidate.items():
        assert figures.recall_at_5 >= 0.85, language
        assert figures.precision_at_1 >= 0.75, language
    again = language_models_retrain()  # same data, same figures: not strictly better
    assert not again.promoted


@pytest.mark.django_db
def test_benchmark_prints_a_line_per_language(shipped, artifact_dir, monkeypatch):
    import io

    from ml import bench

    monkeypatch.setattr(bench, "LANGUAGE_SPEED_ANSWERS", 5)
    out = io.StringIO()
    bench._languages(out)
    lines = out.getvalue().splitlines()
    for language in ("ar", "sq", "ro", "en", "fr", "es"):
        line = next(line for line in lines if line.strip().startswith(f"{language}:"))
        assert "P@1" in line and "non visti" in line and "risposte/s" in line


ARABIC_KITCHEN = "فالحبس كنخدم فالكوزينة، كنقشّر البطاطا وكنغسل الماعن. الكلارك عمري ما سقتو"


@pytest.mark.django_db
def test_an_interview_answer_in_arabic_gets_suggestions_in_its_own_words(
    shipped, artifact_dir, django_capture_on_commit_callbacks
):
    load_shipped_templates()
    person = PersonFactory()
    interview, _created = interview_start(person=person, started_by=person.counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = interview_answer(
            interview=interview,
            question_id="lavoro.prima.descrizione",
            text=ARABIC_KITCHEN,
            answered_by=person.counsellor,
        )
    answer.refresh_from_db()
    assert answer.extraction_status == InterviewAnswer.ExtractionStatus.READY
    suggestions = list(answer.suggestions.select_related("concept"))
    assert suggestions
    for suggestion in suggestions:
        assert ARABIC_KITCHEN[suggestion.start : suggestion.end] == suggestion.span
    codes = {s.concept.code for s in suggestions}
    assert codes & {"RIS-C01", "RIS-C06"}
    assert "LOG-C03" not in codes  # the forklift is denied
