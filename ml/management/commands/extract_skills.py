import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ml.languages import LANGUAGES
from ml.services import get_recognizer, skills_suggest
from ml.types import Suggestion


def skill_row(suggestion: Suggestion) -> dict[str, object]:
    """One suggestion as extract_skills writes it."""
    return {
        "code": suggestion.code,
        "label": suggestion.label,
        "score": round(suggestion.score, 4),
        "start": suggestion.start,
        "end": suggestion.end,
        "negated": suggestion.negated,
        "wish": suggestion.wish,
        "others": suggestion.others,
        "shown": suggestion.shown,
    }


class Command(BaseCommand):
    help = (
        'Estrae le competenze da un file JSONL di risposte ({"id", "text"} per riga, con '
        '"lang" facoltativo: codice ISO 639-1 fra it, ar, sq, ro, en, fr, es; senza, la '
        'lingua è riconosciuta dal testo) e scrive {"id", "lang", "skills": [...]} per riga. '
        "Per ogni competenza: code, label, score, "
        "start, end, negated (detta in forma negativa), wish (desiderio o progetto), others "
        "(detta di un'altra persona) e shown (mostrata come scheda nel colloquio)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--min-score", type=float, default=0.0)

    def handle(self, *args: object, **options: Any) -> None:
        source, target = options["input"], options["output"]
        assert isinstance(source, Path) and isinstance(target, Path)
        if not source.exists():
            raise CommandError(f"File non trovato: {source}")
        get_recognizer()  # fails early, before the output is written, without a framework
        started, count = time.perf_counter(), 0
        with (
            source.open(encoding="utf-8", errors="strict") as reader,
            target.open("w", encoding="utf-8") as writer,
        ):
            for line_number, line in self._lines(reader, source):
                row = self._parse(line, source, line_number)
                language, suggestions = skills_suggest(
                    text=row["text"],
                    language=row.get("lang"),
                    top_k=int(options["top"]),
                    min_score=float(options["min_score"]),
                )
                skills = [skill_row(s) for s in suggestions]
                output = {"id": row["id"], "lang": language, "skills": skills}
                writer.write(json.dumps(output, ensure_ascii=False) + "\n")
                count += 1
        elapsed = time.perf_counter() - started
        rate = count / max(elapsed, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(f"{count} risposte in {elapsed:.2f} s ({rate:.0f} risposte/s).")
        )

    @staticmethod
    def _lines(reader, source: Path):  # type: ignore[no-untyped-def]
        line_number = 0
        try:
            for line_number, line in enumerate(reader, start=1):
                if line.strip():
                    yield line_number, line
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{source.name}, riga {line_number + 1}: il file non è in UTF-8."
            ) from error

    @staticmethod
    def _parse(line: str, source: Path, line_number: int) -> dict[str, Any]:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            message = f"{source.name}, riga {line_number}: JSON non valido."
            raise CommandError(message) from error
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("text"), str):
            raise CommandError(f'{source.name}, riga {line_number}: servono i campi "id" e "text".')
        language = row.get("lang")
        if language is not None and (
            not isinstance(language, str) or language.strip().lower() not in LANGUAGES
        ):
            raise CommandError(
                f'{source.name}, riga {line_number}: lingua "{language}" non gestita '
                f"(usare uno di: {', '.join(LANGUAGES)})."
            )
        return row
