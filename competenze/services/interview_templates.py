"""Guided-interview templates: JSON definitions parsed into plain dataclasses, and their loader.

A template file (competenze/data/interviews/*.json) holds sections of questions; a question
may carry follow-up rules that add questions when its answer suggests more. Parsing is pure
(no ORM) so the interview services and the tests can walk a definition cheaply.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competenze.durations import duration_in_months
from competenze.models import Experience, InterviewTemplate

INTERVIEW_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "interviews"
DEFAULT_TEMPLATE_CODE = "colloquio-base"

TEXT, CHOICE, MULTICHOICE, DATE, SCALE = "text", "choice", "multichoice", "date", "scale"
QUESTION_KINDS = (TEXT, CHOICE, MULTICHOICE, DATE, SCALE)
SCALE_POINTS = 5
ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")

TEMPLATE_IN_USE = gettext_lazy(
    "Il modello «%(code)s» versione %(version)s è già usato da %(count)d colloqui e non può "
    'essere modificato: aumenta il campo "version" nel file %(file)s.'
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class FollowUp:
    """Ask `ask` when the answer contains one of the keywords or picks one of the choices."""

    ask: tuple["Question", ...]
    contains_any: tuple[str, ...] = ()
    choice_in: tuple[str, ...] = ()

    def matches(self, *, text: str, value: Any) -> bool:
        if self.choice_in:
            picked = value if isinstance(value, list) else [value]
            return any(choice in self.choice_in for choice in picked)
        return keywords_match(self.contains_any, text)


@dataclass(frozen=True)
class SkipRule:
    """A follow-up the answer that triggered it already covers: every keyword group is
    said in that answer (and a duration, when asked), so the question is not put again."""

    answer_covers: tuple[tuple[str, ...], ...] = ()
    answer_has_duration: bool = False

    def covered_by(self, text: str) -> bool:
        if not (self.answer_covers or self.answer_has_duration) or not text:
            return False
        if self.answer_has_duration and duration_in_months(text) is None:
            return False
        return all(keywords_match(group, text) for group in self.answer_covers)


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: str
    text: str
    help: str = ""
    required: bool = False
    extract: bool = False
    experience_category: str = ""
    options: tuple[Option, ...] = ()
    labels: tuple[str, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    parent_id: str | None = None
    skip_when: SkipRule | None = None

    def option_label(self, value: str) -> str:
        return next((option.label for option in self.options if option.value == value), value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class AnswerState:
    """What follow-up rules look at: an answer's text, value and whether it was skipped."""

    text: str = ""
    value: Any = None
    skipped: bool = False


@dataclass(frozen=True)
class TemplateDefinition:
    code: str
    version: int
    title: str
    sections: tuple[Section, ...]
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for question in self.all_questions():
            self._index[question.id] = question

    def all_questions(self) -> Iterator[Question]:
        """Every question, follow-ups included, in template order."""

        def visit(question: Question) -> Iterator[Question]:
            yield question
            for rule in question.followups:
                for child in rule.ask:
                    yield from visit(child)

        for section in self.sections:
            for question in section.questions:
                yield from visit(question)

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def section_title(self, section_id: str) -> str:
        return next((s.title for s in self.sections if s.id == section_id), section_id)

    def active_questions(self, answers: Mapping[str, AnswerState]) -> list[Question]:
        """Base questions plus the follow-ups that earlier answers triggered, in order.

        A follow-up whose content the triggering answer already covers (its `skip_when`)
        is left out, unless it was answered already.
        """
        active: list[Question] = []

        def visit(question: Question) -> None:
            active.append(question)
            answer = answers.get(question.id)
            if answer is None or answer.skipped:
                return
            for rule in question.followups:
                if rule.matches(text=answer.text, value=answer.value):
                    for child in rule.ask:
                        covered = child.skip_when is not None and child.skip_when.covered_by(
                            answer.text
                        )
                        if child.id in answers or not covered:
                            visit(child)

        for section in self.sections:
            for question in section.questions:
                visit(question)
        return active


def normalise_for_match(text: str) -> str:
    """Lower case, no accents, single spaces: «Cucinàvo  PIZZE» → «cucinavo pizze»."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _keyword_pattern(keyword: str) -> str:
    word = normalise_for_match(keyword)
    if word.endswith("*"):
        return rf"(?<!\w){re.escape(word[:-1])}"
    return rf"(?<!\w){re.escape(word)}(?!\w)"


def keywords_match(keywords: tuple[str, ...], text: str) -> bool:
    """True if `text` holds a keyword: a whole word, or a word start when it ends with «*»."""
    if not keywords or not text:
        return False
    pattern = "|".join(_keyword_pattern(keyword) for keyword in keywords)
    return re.search(pattern, normalise_for_match(text)) is not None


# --- parsing and validation of a definition ---------------------------------------------------


class _Parser:
    """Collects every problem of a definition, so one run of the loader reports them all."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.seen_ids: set[str] = set()

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def options(self, where: str, raw: Any) -> tuple[Option, ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            self.error(where, _("servono almeno due opzioni in «options»."))
            return ()
        options = []
        for item in raw:
            if not isinstance(item, dict) or not item.get("value") or not item.get("label"):
                self.error(where, _("ogni opzione deve avere «value» e «label»."))
                continue
            options.append(Option(value=str(item["value"]), label=str(item["label"])))
        values = [option.value for option in options]
        if len(values) != len(set(values)):
            self.error(where, _("due opzioni hanno lo stesso «value»."))
        return tuple(options)

    def followups(self, question: Question, raw: Any) -> tuple[FollowUp, ...]:
        where = question.id
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.error(where, _("«followups» deve essere una lista."))
            return ()
        rules = []
        for rule in raw:
            when = rule.get("when") if isinstance(rule, dict) else None
            if not isinstance(when, dict) or len(when) != 1:
                self.error(where, _("ogni rinvio vuole «when» con contains_any oppure choice_in."))
                continue
            contains = tuple(str(k) for k in when.get("contains_any") or ())
            choices = tuple(str(k) for k in when.get("choice_in") or ())
            if not contains and not choices:
                self.error(
                    where, _("«when» vuole una lista non vuota in contains_any o choice_in.")
                )
            if contains and question.kind != TEXT:
                self.error(where, _("contains_any vale solo per le domande di tipo text."))
            if choices:
                known = {option.value for option in question.options}
                if question.kind not in (CHOICE, MULTICHOICE) or not set(choices) <= known:
                    self.error(where, _("choice_in deve citare opzioni della domanda."))
            asked = rule.get("ask")
            if not isinstance(asked, list) or not asked:
                self.error(where, _("ogni rinvio vuole una lista «ask» di domande."))
                continue
            children = tuple(
                self.question(item, question.section, parent_id=question.id) for item in asked
            )
            rules.append(FollowUp(ask=children, contains_any=contains, choice_in=choices))
        return tuple(rules)

    def question(self, raw: Any, section: str, *, parent_id: str | None = None) -> Question:
        if not isinstance(raw, dict):
            self.error(section, _("una domanda non è un oggetto JSON."))
            raw = {}
        qid = str(raw.get("id", ""))
        where = qid or section
        if not ID_PATTERN.match(qid):
            self.error(where, _("«id» mancante o non valido (minuscole, cifre, _ e punti)."))
        elif qid in self.seen_ids:
            self.error(where, _("«id» ripetuto: ogni domanda deve avere un id unico."))
        self.seen_ids.add(qid)
        kind = raw.get("kind")
        if kind not in QUESTION_KINDS:
            self.error(where, _("«kind» deve essere uno tra %s.") % ", ".join(QUESTION_KINDS))
        if not str(raw.get("text", "")).strip():
            self.error(where, _("manca il testo della domanda («text»)."))
        extract = bool(raw.get("extract", False))
        if extract and kind != TEXT:
            self.error(where, _("«extract» vale solo per le domande di tipo text."))
        category = str(raw.get("experience_category") or "")
        if category and category not in Experience.Category.values:
            self.error(where, _("«experience_category» sconosciuta: %s.") % category)
        options = self.options(where, raw.get("options")) if kind in (CHOICE, MULTICHOICE) else ()
        labels: tuple[str, ...] = ()
        if kind == SCALE:
            labels = tuple(str(label) for label in raw.get("labels") or ())
            if len(labels) != SCALE_POINTS:
                self.error(where, _("una scala vuole %d etichette in «labels».") % SCALE_POINTS)
        question = Question(
            id=qid,
            section=section,
            kind=str(kind),
            text=str(raw.get("text", "")).strip(),
            help=str(raw.get("help", "")).strip(),
            required=bool(raw.get("required", False)),
            extract=extract,
            experience_category=category,
            options=options,
            labels=labels,
            parent_id=parent_id,
        )
        question = replace(question, skip_when=self.skip_rule(question, raw.get("skip_when")))
        return replace(question, followups=self.followups(question, raw.get("followups")))

    def skip_rule(self, question: Question, raw: Any) -> SkipRule | None:
        if raw is None:
            return None
        where = question.id
        if question.parent_id is None or not isinstance(raw, dict):
            self.error(where, _("«skip_when» vale solo per le domande di rinvio ed è un oggetto."))
            return None
        groups = raw.get("answer_covers") or []
        duration = raw.get("answer_has_duration", False)
        valid = isinstance(groups, list) and all(
            isinstance(g, list) and g and all(isinstance(k, str) and k for k in g) for g in groups
        )
        if not valid or not isinstance(duration, bool) or not (groups or duration):
            self.error(
                where,
                _(
                    "«skip_when» vuole «answer_covers» (liste di parole chiave) e/o "
                    "«answer_has_duration» (true)."
                ),
            )
            return None
        return SkipRule(tuple(tuple(g) for g in groups), duration)

    def definition(self, data: Any) -> TemplateDefinition:
        if not isinstance(data, dict):
            raise ValidationError(_("Il modello deve essere un oggetto JSON."))
        code, version = data.get("code"), data.get("version")
        if not isinstance(code, str) or not re.fullmatch(r"[a-z0-9-]+", code):
            self.error("code", _("«code» mancante o non valido (minuscole, cifre e trattini)."))
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.error("version", _("«version» deve essere un numero intero da 1 in su."))
        if not str(data.get("title", "")).strip():
            self.error("title", _("manca il titolo del modello («title»)."))
        sections = []
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.error("sections", _("servono una o più sezioni in «sections»."))
            raw_sections = []
        section_ids: set[str] = set()
        for raw in raw_sections:
            sid = str(raw.get("id", "")) if isinstance(raw, dict) else ""
            if not ID_PATTERN.match(sid) or sid in section_ids:
                self.error(sid or "sections", _("sezione senza «id» valido o con id ripetuto."))
            section_ids.add(sid)
            questions = raw.get("questions") if isinstance(raw, dict) else None
            if not isinstance(questions, list) or not questions:
                self.error(sid or "sections", _("la sezione non ha domande."))
                questions = []
            sections.append(
                Section(
                    id=sid,
                    title=str(raw.get("title", sid)),
                    intro=str(raw.get("intro", "")),
                    questions=tuple(self.question(item, sid) for item in questions),
                )
            )
        if self.errors or not isinstance(version, int):
            raise ValidationError(self.errors)
        return TemplateDefinition(
            code=str(code),
            version=version,
            title=str(data["title"]).strip(),
            sections=tuple(sections),
        )


def definition_parse(data: Any) -> TemplateDefinition:
    """Parse and check a template definition; ValidationError lists every problem (Italian)."""
    return _Parser().definition(data)


def template_definition(template: InterviewTemplate) -> TemplateDefinition:
    return definition_parse(template.definition)


# --- answer values ----------------------------------------------------------------------------

DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_YEARS = (1900, 2100)


def date_value_parse(raw: Any) -> str | None:
    """An ISO date, or only its year or year-month (people rarely remember the day)."""
    if isinstance(raw, datetime.date):
        raw = raw.isoformat()
    match = DATE_PATTERN.match(raw) if isinstance(raw, str) else None
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
        return None
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return str(raw)


# --- loader -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateLoadResult:
    code: str
    version: int
    outcome: str  # "creato", "aggiornato" or "invariato"


def _read(path: Path) -> tuple[dict[str, Any], TemplateDefinition]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("%(file)s: file non leggibile (%(error)s).") % {"file": path.name, "error": error}
        ) from error
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("%(file)s: JSON non valido alla riga %(line)d, colonna %(col)d.")
            % {"file": path.name, "line": error.lineno, "col": error.colno}
        ) from error
    try:
        return data, definition_parse(data)
    except ValidationError as error:
        raise ValidationError([f"{path.name}: {message}" for message in error.messages]) from error


def template_files(directory: Path = INTERVIEW_TEMPLATE_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


@transaction.atomic
def interview_templates_load(*, paths: list[Path]) -> list[TemplateLoadResult]:
    """Create or update templates from JSON files; safe to run again.

    A (code, version) already used by interviews is never changed: a changed file must bump
    "version" (ValidationError otherwise). A new version becomes the active one of its code.
    """
    parsed = [(path, *_read(path)) for path in paths]
    keys = [(definition.code, definition.version) for _path, _data, definition in parsed]
    if len(keys) != len(set(keys)):
        raise ValidationError(_("Due file hanno lo stesso codice e la stessa versione."))
    results = []
    for path, data, definition in sorted(parsed, key=lambda item: item[2].version):
        existing = (
            InterviewTemplate.objects.select_for_update()
            .filter(code=definition.code, version=definition.version)
            .first()
        )
        if existing is None:
            same_code = InterviewTemplate.objects.filter(code=definition.code)
            newest = not same_code.filter(version__gt=definition.version).exists()
            if newest:
                same_code.update(is_active=False)
            InterviewTemplate.objects.create(
                code=definition.code,
                version=definition.version,
                title=definition.title,
                definition=data,
                is_active=newest,
            )
            outcome = "creato"
        elif existing.definition == data and existing.title == definition.title:
            outcome = "invariato"
        else:
            used = existing.interviews.count()
            if used:
                raise ValidationError(
                    TEMPLATE_IN_USE
                    % {
                        "code": definition.code,
                        "version": definition.version,
                        "count": used,
                        "file": path.name,
                    }
                )
            existing.definition, existing.title = data, definition.title
            existing.save(update_fields=["definition", "title", "updated_at"])
            outcome = "aggiornato"
        results.append(TemplateLoadResult(definition.code, definition.version, outcome))
    return results
