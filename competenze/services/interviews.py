"""Guided interviews: start/resume, answer, skip, review, complete.

The counsellor reads a template's questions; free-text answers of `extract` questions send
ANSWER_SAVED (common.events): after the commit the recogniser's receiver (ml.receivers)
suggests competences and calls `answer_suggestions_store` back. Each suggestion is
then accepted (→ SkillEntry at stage "individuata" with the answer as evidence), accepted at
another level, or rejected.
"""

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.events import ANSWER_SAVED, send_on_commit
from common.exceptions import ApplicationError, ConflictError
from common.models import User
from competenze import permissions
from competenze.models import (
    Interview,
    InterviewAnswer,
    InterviewTemplate,
    Person,
)
from competenze.services.interview_cards import (
    answer_suggestions_discard,
    interview_cards_pending,
)
from competenze.services.interview_suggestions import (
    answer_extraction_failed,
    answer_suggestions_store,
    suggestion_accept,
    suggestion_change_level,
    suggestion_reject,
)
from competenze.services.interview_templates import (
    CHOICE,
    DATE,
    DEFAULT_TEMPLATE_CODE,
    MULTICHOICE,
    SCALE,
    SCALE_POINTS,
    TEXT,
    AnswerState,
    Question,
    TemplateDefinition,
    date_value_parse,
    template_definition,
)

MAX_ANSWER_CHARS = 10_000
Status = Interview.Status
Extraction = InterviewAnswer.ExtractionStatus

EDIT_DENIED = gettext_lazy("Non puoi condurre colloqui con questa persona.")
PERSON_INACTIVE = gettext_lazy(
    "Il percorso di questa persona è chiuso: riattivalo per iniziare un colloquio."
)
TEMPLATE_MISSING = gettext_lazy(
    "Nessun modello di colloquio «%(code)s» attivo: esegui «manage.py load_interview_templates»."
)
INTERVIEW_CLOSED = gettext_lazy(
    "Il colloquio è %(status)s: non si possono più cambiare le risposte."
)
UNKNOWN_QUESTION = gettext_lazy("Domanda sconosciuta: «%(id)s» non è nel modello %(template)s.")
ANSWER_EMPTY = gettext_lazy(
    "La risposta è vuota: scrivi che cosa ha detto la persona, oppure salta la domanda."
)
ANSWER_TOO_LONG = gettext_lazy(
    "La risposta è troppo lunga: al massimo %(max)s caratteri (ne ha %(got)s). "
    "Riassumi o dividi il testo."
)
ANSWER_NOT_TEXT = gettext_lazy("La risposta deve essere un testo.")
ANSWER_NOT_UTF8 = gettext_lazy(
    "La risposta contiene byte che non sono testo UTF-8 valido: ricopiala come testo semplice."
)
ANSWER_CONTROL_CHARS = gettext_lazy(
    "La risposta contiene caratteri non ammessi (caratteri di controllo o "
    "NUL): ricopiala come testo semplice."
)
VALUE_NOT_EXPECTED = gettext_lazy(
    "Questa domanda vuole una risposta scritta («text»), non un valore."
)
VALUE_MISSING = gettext_lazy("Manca il valore della risposta («value»).")
VALUE_BAD_CHOICE = gettext_lazy("Scelta non valida: «%(value)s». Valori ammessi: %(allowed)s.")
VALUE_BAD_MULTI = gettext_lazy("Indica una o più scelte in una lista. Valori ammessi: %(allowed)s.")
VALUE_BAD_DATE = gettext_lazy(
    "Data non valida: usa AAAA-MM-GG, AAAA-MM oppure AAAA (anni 1900–2100)."
)
VALUE_BAD_SCALE = gettext_lazy(
    "Valore della scala non valido: serve un numero intero da 1 a %(max)d."
)
ALREADY_ANSWERED = gettext_lazy("La domanda ha già una risposta: per cambiarla rispondi di nuovo.")
NO_ANSWERS = gettext_lazy("Il colloquio non ha ancora nessuna risposta: non si può concludere.")
VERSION_REQUIRED = gettext_lazy(
    "La domanda ha già una risposta (versione %(version)s): per sostituirla indica la "
    "versione che hai letto («version»), così non cancelli una modifica fatta da altri."
)
ANSWER_CHANGED = gettext_lazy(
    "Nel frattempo %(user)s ha salvato un'altra risposta a questa domanda: rileggila e, se "
    "serve, correggila. Il tuo testo non è stato salvato."
)


# --- shared helpers ---------------------------------------------------------------------------


def _require_open(interview: Interview) -> None:
    if not interview.is_open:
        raise ApplicationError(
            INTERVIEW_CLOSED % {"status": interview.get_status_display().lower()},
            code="interview_closed",
        )


def _question(definition: TemplateDefinition, question_id: str) -> Question:
    question = definition.question(question_id)
    if question is None:
        raise ApplicationError(
            UNKNOWN_QUESTION % {"id": str(question_id)[:100], "template": definition.code},
            code="unknown_question",
        )
    return question


def _states(interview: Interview) -> dict[str, AnswerState]:
    rows = interview.answers.values_list("question_id", "text", "value", "skipped")
    return {
        qid: AnswerState(text=text, value=value, skipped=skipped)
        for qid, text, value, skipped in rows
    }


def _touch(interview: Interview, question_id: str) -> None:
    interview.current_question_id = question_id
    interview.last_activity_at = timezone.now()
    interview.save(update_fields=["current_question_id", "last_activity_at", "updated_at"])


# --- start and navigation ---------------------------------------------------------------------


@transaction.atomic
def interview_start(
    *, person: Person, template_code: str | None = None, started_by: User
) -> tuple[Interview, bool]:
    """Start an interview, or resume the open one of the same template: (interview, created).

    Resuming on a later day counts a new meeting.
    """
    permissions.person_editor_require(started_by, person, EDIT_DENIED)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time
    code = template_code or DEFAULT_TEMPLATE_CODE
    interview = (
        Interview.objects.select_related("template", "person")
        .filter(person=person, template__code=code, status=Status.IN_PROGRESS)
        .first()
    )
    if interview is not None:
        now = timezone.now()
        if timezone.localdate(interview.last_activity_at) < timezone.localdate(now):
            interview.meetings += 1
        interview.last_activity_at = now
        interview.save(update_fields=["meetings", "last_activity_at", "updated_at"])
        return interview, False
    if not person.is_active:
        raise ApplicationError(PERSON_INACTIVE, code="person_inactive")
    template = (
        InterviewTemplate.objects.filter(code=code, is_active=True).order_by("-version").first()
    )
    if template is None:
        raise ApplicationError(TEMPLATE_MISSING % {"code": code}, code="template_missing")
    return Interview.objects.create(person=person, template=template, counsellor=started_by), True


@dataclass(frozen=True)
class Progress:
    answered: int
    skipped: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class QuestionView:
    question: Question
    section_title: str
    was_skipped: bool
    progress: Progress


def _progress(active: list[Question], states: dict[str, AnswerState]) -> Progress:
    answered = sum(1 for q in active if q.id in states and not states[q.id].skipped)
    skipped = sum(1 for q in active if q.id in states and states[q.id].skipped)
    return Progress(answered=answered, skipped=skipped, total=len(active))


def interview_progress(*, interview: Interview) -> Progress:
    states = _states(interview)
    return _progress(template_definition(interview.template).active_questions(states), states)


def interview_next_question(*, interview: Interview) -> QuestionView | None:
    """The next question to ask, or None when every active question has an answer.

    Active questions are the template's, plus the follow-ups earlier answers triggered. The
    search starts after the last question handled and wraps around; skipped questions come
    back only once nothing else is left.
    """
    if not interview.is_open:
        return None
    definition = template_definition(interview.template)
    states = _states(interview)
    active = definition.active_questions(states)
    ids = [question.id for question in active]
    start = (
        ids.index(interview.current_question_id) + 1 if interview.current_question_id in ids else 0
    )
    ordered = active[start:] + active[:start]
    pending = next((q for q in ordered if q.id not in states), None)
    revisit = None if pending else next((q for q in ordered if states[q.id].skipped), None)
    question = pending or revisit
    if question is None:
        return None
    return QuestionView(
        question=question,
        section_title=definition.section_title(question.section),
        was_skipped=revisit is not None,
        progress=_progress(active, states),
    )


# --- answers ----------------------------------------------------------------------------------


def answer_text_clean(raw: Any, *, required: bool) -> str:
    """The answer text, trimmed and NFC-normalised; ApplicationError when unusable."""
    if raw is None:
        raw = ""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApplicationError(ANSWER_NOT_UTF8, code="invalid_text") from error
    if not isinstance(raw, str):
        raise ApplicationError(ANSWER_NOT_TEXT, code="invalid_text")
    try:
        raw.encode("utf-8")  # lone surrogates (from "\ud800" in JSON) cannot be stored
    except UnicodeEncodeError as error:
        raise ApplicationError(ANSWER_NOT_UTF8, code="invalid_text") from error
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise ApplicationError(
            ANSWER_TOO_LONG
            % {
                "max": f"{MAX_ANSWER_CHARS:,}".replace(",", "."),
                "got": f"{len(text):,}".replace(",", "."),
            },
            code="answer_too_long",
            extra={"max_chars": MAX_ANSWER_CHARS, "chars": len(text)},
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise ApplicationError(ANSWER_CONTROL_CHARS, code="invalid_text")
    if required and not text:
        raise ApplicationError(ANSWER_EMPTY, code="empty_answer")
    return text


def answer_value_clean(question: Question, value: Any) -> Any:
    """The stored form of a choice/multichoice/date/scale value (None for text questions)."""
    if question.kind == TEXT:
        if value not in (None, ""):
            raise ApplicationError(VALUE_NOT_EXPECTED, code="invalid_value")
        return None
    if value is None or value == "" or value == []:
        raise ApplicationError(VALUE_MISSING, code="invalid_value")
    allowed = [option.value for option in question.options]
    if question.kind == CHOICE:
        if not isinstance(value, str) or value not in allowed:
            raise ApplicationError(
                VALUE_BAD_CHOICE % {"value": str(value)[:50], "allowed": ", ".join(allowed)},
                code="invalid_value",
            )
        return value
    if question.kind == MULTICHOICE:
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v in allowed for v in value
        ):
            raise ApplicationError(
                VALUE_BAD_MULTI % {"allowed": ", ".join(allowed)}, code="invalid_value"
            )
        return list(dict.fromkeys(value))
    if question.kind == DATE:
        parsed = date_value_parse(value)
        if parsed is None:
            raise ApplicationError(VALUE_BAD_DATE, code="invalid_value")
        return parsed
    assert question.kind == SCALE
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SCALE_POINTS:
        raise ApplicationError(VALUE_BAD_SCALE % {"max": SCALE_POINTS}, code="invalid_value")
    return value


def _answer_changed(answer: InterviewAnswer) -> ConflictError:
    return ConflictError(
        ANSWER_CHANGED % {"user": answer.answered_by.get_username()},
        code="answer_changed",
        extra={"version": answer.version},
    )


def _check_version(previous: InterviewAnswer | None, expected_version: int | None) -> None:
    """Refuse an edit based on a version of the answer other than the saved one.

    A skipped question holds nothing that could be lost, so answering it needs no version.
    """
    if previous is None or previous.skipped:
        return
    if expected_version is None:
        raise ConflictError(
            VERSION_REQUIRED % {"version": previous.version},
            code="version_required",
            extra={"version": previous.version},
        )
    if expected_version != previous.version:
        raise _answer_changed(previous)


@transaction.atomic
def interview_answer(
    *,
    interview: Interview,
    question_id: str,
    text: Any = None,
    value: Any = None,
    answered_by: User,
    expected_version: int | None = None,
) -> InterviewAnswer:
    """Save (or replace) one answer. Nothing is written when the input is refused.

    `expected_version` is the version of the answer the edit starts from (None or 0 for a
    question without an answer yet). When someone else saved the answer meanwhile, the
    versions differ and ConflictError (409) is raised: two counsellors editing the same
    answer never silently overwrite each other. Each save adds one to the version.

    Free-text answers of `extract` questions are sent to the recogniser after commit (an
    outbox row, written here); a changed text drops the suggestions not yet decided (decided
    ones stay). Saving the same text again asks again, unless suggestions are ready.
    """
    permissions.person_editor_require(answered_by, interview.person, EDIT_DENIED)
    _require_open(interview)
    question = _question(template_definition(interview.template), question_id)
    clean_text = answer_text_clean(text, required=question.kind == TEXT)
    clean_value = answer_value_clean(question, value)
    previous = (
        InterviewAnswer.objects.select_for_update()
        .select_related("answered_by")
        .filter(interview=interview, question_id=question.id)
        .first()
    )
    _check_version(previous, expected_version)
    text_changed = previous is None or previous.text != clean_text
    extract = (
        question.extract
        and bool(clean_text)
        and (text_changed or previous is None or previous.extraction_status != Extraction.READY)
    )
    fields: dict[str, Any] = {
        "section": question.section,
        "text": clean_text,
        "value": clean_value,
        "skipped": False,
        "answered_by": answered_by,
        "answered_at": timezone.now(),
    }
    if extract:
        fields.update(extraction_status=Extraction.PENDING, extraction_error="")
    elif not (question.extract and clean_text):
        fields.update(extraction_status=Extraction.NOT_REQUESTED, extraction_error="")
    if previous is not None and text_changed:
        fields["evidence"] = None  # the old evidence quotes the old words
        answer_suggestions_discard(answer=previous)
    answer = _answer_write(interview, question.id, previous, fields)
    _touch(interview, question.id)
    if extract:
        send_on_commit(ANSWER_SAVED, answer_id=answer.pk)
    return answer


def _answer_write(
    interview: Interview,
    question_id: str,
    previous: InterviewAnswer | None,
    fields: dict[str, Any],
) -> InterviewAnswer:
    """Update the answer read (locked) before, or insert the first one; a first answer that
    a concurrent request inserted meanwhile is a conflict, not an overwrite."""
    if previous is not None:
        for name, value in fields.items():
            setattr(previous, name, value)
        previous.version += 1
        previous.save()
        return previous
    try:
        with transaction.atomic():
            return InterviewAnswer.objects.create(
                interview=interview, question_id=question_id, **fields
            )
    except IntegrityError:
        winner = (
            InterviewAnswer.objects.select_related("answered_by")
            .filter(interview=interview, question_id=question_id)
            .first()
        )
        if winner is None:
            raise
        raise _answer_changed(winner) from None


@transaction.atomic
def interview_skip(*, interview: Interview, question_id: str, skipped_by: User) -> InterviewAnswer:
    """Leave a question for later: it comes back once the others are done."""
    permissions.person_editor_require(skipped_by, interview.person, EDIT_DENIED)
    _require_open(interview)
    question = _question(template_definition(interview.template), question_id)
    previous = (
        InterviewAnswer.objects.select_for_update()
        .filter(interview=interview, question_id=question.id)
        .first()
    )
    if previous is not None and not previous.skipped:
        raise ApplicationError(ALREADY_ANSWERED, code="already_answered")
    fields = {
        "section": question.section,
        "text": "",
        "value": None,
        "skipped": True,
        "answered_by": skipped_by,
        "answered_at": timezone.now(),
        "extraction_status": Extraction.NOT_REQUESTED,
        "extraction_error": "",
    }
    answer = _answer_write(interview, question.id, previous, fields)
    _touch(interview, question.id)
    return answer


# --- review and completion --------------------------------------------------------------------


def answer_display(question: Question | None, answer: InterviewAnswer) -> str:
    """The answer as a counsellor reads it back: labels for choices, text otherwise."""
    if answer.skipped:
        return _("(saltata)")
    if question is None or answer.value is None:
        return answer.text
    if question.kind == CHOICE:
        shown = question.option_label(answer.value)
    elif question.kind == MULTICHOICE:
        shown = ", ".join(question.option_label(v) for v in answer.value)
    elif question.kind == SCALE and question.labels:
        shown = f"{answer.value} – {question.labels[int(answer.value) - 1]}"
    else:
        shown = str(answer.value)
    return f"{shown}. {answer.text}" if answer.text else shown


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    answer: InterviewAnswer
    display: str
    active: bool  # False: a follow-up whose trigger was later answered differently


@dataclass(frozen=True)
class ReviewSection:
    id: str
    title: str
    items: list[ReviewItem]


@dataclass(frozen=True)
class InterviewReview:
    interview: Interview
    progress: Progress
    sections: list[ReviewSection]
    skipped: list[Question]
    unanswered_required: list[Question]
    pending_suggestions: int
    pending_extractions: int


def interview_review(*, interview: Interview) -> InterviewReview:
    """Every answer by section, with skipped questions and decisions still to take."""
    definition = template_definition(interview.template)
    answers = {
        a.question_id: a
        for a in interview.answers.select_related("answered_by").prefetch_related(
            "suggestions__concept"
        )
    }
    states = _states(interview)
    active = definition.active_questions(states)
    active_ids = {q.id for q in active}
    sections = []
    for section in definition.sections:
        items = [
            ReviewItem(
                question=q,
                answer=answers[q.id],
                display=answer_display(q, answers[q.id]),
                active=q.id in active_ids,
            )
            for q in definition.all_questions()
            if q.section == section.id and q.id in answers
        ]
        if items:
            sections.append(ReviewSection(id=section.id, title=section.title, items=items))
    return InterviewReview(
        interview=interview,
        progress=_progress(active, states),
        sections=sections,
        skipped=[q for q in active if q.id in states and states[q.id].skipped],
        unanswered_required=[
            q for q in active if q.required and (q.id not in states or states[q.id].skipped)
        ],
        pending_suggestions=interview_cards_pending(interview=interview).count(),
        pending_extractions=interview.answers.filter(extraction_status=Extraction.PENDING).count(),
    )


@dataclass(frozen=True)
class InterviewCompletion:
    interview: Interview
    undecided_suggestions: int
    unanswered_required: list[str]
    pending_extractions: int


@transaction.atomic
def interview_complete(*, interview: Interview, completed_by: User) -> InterviewCompletion:
    """Close the interview. Undecided suggestions stay decidable; their count is reported."""
    permissions.person_editor_require(completed_by, interview.person, EDIT_DENIED)
    _require_open(interview)
    if not interview.answers.filter(skipped=False).exists():
        raise ApplicationError(NO_ANSWERS, code="no_answers")
    review = interview_review(interview=interview)
    interview.status = Status.COMPLETED
    interview.completed_at = timezone.now()
    interview.last_activity_at = interview.completed_at
    interview.save(update_fields=["status", "completed_at", "last_activity_at", "updated_at"])
    return InterviewCompletion(
        interview=interview,
        undecided_suggestions=review.pending_suggestions,
        unanswered_required=[q.id for q in review.unanswered_required],
        pending_extractions=review.pending_extractions,
    )


# Re-exported: the recogniser and the API reach every interview service from this module.
__all__ = [
    "answer_extraction_failed",
    "answer_suggestions_store",
    "interview_answer",
    "interview_complete",
    "interview_next_question",
    "interview_progress",
    "interview_review",
    "interview_skip",
    "interview_start",
    "suggestion_accept",
    "suggestion_change_level",
    "suggestion_reject",
]
