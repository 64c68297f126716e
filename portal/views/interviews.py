"""The guided interview: one question at a time, live suggestions, review and completion.

Everything is saved on every answer, so «Torna più tardi» only leaves the screen. Without
JavaScript every step is a form post and a reload; portal/static/js/interview.js posts the answer
with fetch (X-Requested-With: fetch), shows the suggestions panel of the answer in place,
polls it while the recogniser works and sends decisions without leaving the page.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError, ConflictError
from competenze.models import Interview, InterviewAnswer, SkillEntry, SkillSuggestion
from competenze.selectors import interviews as interview_selectors
from competenze.selectors.interview_steps import interview_steps_list
from competenze.selectors.people import person_get_editable
from competenze.services import interviews as interview_services
from competenze.services.interview_templates import (
    TEXT,
    TemplateTranslation,
    template_definition,
)
from competenze.services.interviews import answer_display
from portal.forms.competenze import AnswerForm, SuggestionDecisionForm
from portal.presenters.bilingual import question_beside
from portal.presenters.text import answer_highlighted, decorate_suggestions
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    counsellor_view,
    error_messages,
    form_add_service_error,
    is_fetch,
    messages_add_error,
    safe_next,
)
from portal.views.counsellor import person_url

ALL_ANSWERED = gettext_lazy(
    "Tutte le domande hanno una risposta: controlla il riepilogo e concludi."
)
SAVED_FOR_LATER = gettext_lazy(
    "Colloquio salvato. Potrai riprenderlo dalla scheda della persona, dal punto in cui sei "
    "arrivato."
)
SKIPPED = gettext_lazy("Domanda saltata: tornerà alla fine, quando le altre avranno una risposta.")
INTERVIEW_STARTED = gettext_lazy("Colloquio iniziato.")
INTERVIEW_RESUMED = gettext_lazy("Colloquio ripreso da dove era rimasto.")
PAGE_PURPOSE = "schermata del colloquio"
SET_ASIDE_HINT = gettext_lazy(
    "Decidile, oppure spunta «Metti da parte le rimanenti» per concludere e deciderle dopo."
)
Extraction = InterviewAnswer.ExtractionStatus


def screen_url(interview: Interview, **params: str) -> str:
    url = reverse("competenze:interview", args=[interview.pk])
    return f"{url}?{urlencode(params)}" if params else url


def review_url(interview: Interview) -> str:
    return reverse("competenze:interview-review", args=[interview.pk])


# --- start ------------------------------------------------------------------------------------


@counsellor_view
@require_POST
def interview_start(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    try:
        interview, created = interview_services.interview_start(
            person=person, started_by=request.user
        )
    except ApplicationError as error:
        messages_add_error(request, error)
        return redirect(person_url(person, "colloqui"))
    messages.success(request, INTERVIEW_STARTED if created else INTERVIEW_RESUMED)
    return redirect(screen_url(interview))


# --- the answer panel (answer text, highlighted words, suggestions) ---------------------------


def answer_panel_context(
    answer: InterviewAnswer,
    *,
    next_url: str,
    errors: list[str] | None = None,
    sub: bool = False,
) -> dict[str, Any]:
    """What _answer_panel.html shows; `sub` lowers its headings (inside the review page)."""
    suggestions = list(interview_selectors.answer_suggestions_list(answer=answer))
    question = template_definition(answer.interview.template).question(answer.question_id)
    return {
        "answer": answer,
        "interview": answer.interview,
        "question": question,
        "text_html": answer_highlighted(answer.text, suggestions),
        "suggestions": decorate_suggestions(suggestions, answer.text),
        "pending": answer.extraction_status == Extraction.PENDING,
        "levels": SkillEntry.Level.choices,
        "suggested_level": SkillEntry.Level.BASIC,
        "next_url": next_url,
        "panel_errors": errors or [],
        "sub": sub,
    }


def _render_panel(
    request: AuthedRequest,
    answer: InterviewAnswer,
    *,
    next_url: str,
    errors: list[str] | None = None,
) -> str:
    sub = (request.POST.get("sub") or request.GET.get("sub")) == "1"
    return render_to_string(
        "competenze/_answer_panel.html",
        answer_panel_context(answer, next_url=next_url, errors=errors, sub=sub),
        request=request,
    )


@counsellor_view
def answer_panel(request: AuthedRequest, interview_id: int, question_id: str) -> HttpResponse:
    """The suggestions panel of one answer, as an HTML fragment (polled by interview.js)."""
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    answer = interview_selectors.interview_answer_get_audited(
        user=request.user, interview=interview, question_id=question_id, purpose=PAGE_PURPOSE
    )
    next_url = safe_next(request, screen_url(interview))
    return HttpResponse(_render_panel(request, answer, next_url=next_url))


# --- the question screen ----------------------------------------------------------------------


def _question_state(interview: Interview, question_id: str) -> dict[str, Any] | None:
    """The question the counsellor asked for (?domanda=), or the next one to ask."""
    definition = template_definition(interview.template)
    if question_id and definition.question(question_id) is not None:
        question = definition.question(question_id)
        assert question is not None
        answer = interview.answers.filter(question_id=question.id).first()
        return {
            "question": question,
            "section_title": definition.section_title(question.section),
            "was_skipped": bool(answer and answer.skipped),
            "answer": answer,
            "progress": interview_services.interview_progress(interview=interview),
        }
    view = interview_services.interview_next_question(interview=interview)
    if view is None:
        return None
    return {
        "question": view.question,
        "section_title": view.section_title,
        "was_skipped": view.was_skipped,
        "answer": None,
        "progress": view.progress,
    }


def _initial(
    answer: InterviewAnswer | None, translation: TemplateTranslation | None
) -> dict[str, Any]:
    """The saved answer; a new answer is in the person's language unless the counsellor
    says otherwise (the interview is held in it)."""
    language = translation.language if translation else settings.LANGUAGE_CODE
    if answer is None:
        return {"version": 0, "language": language}
    if answer.skipped:
        return {"version": answer.version, "language": language}
    value = answer.value
    if isinstance(value, int):
        value = str(value)
    return {
        "text": answer.text,
        "value": value,
        "version": answer.version,
        "language": answer.language or language,
    }


def _declared_language(form: AnswerForm, translation: TemplateTranslation | None) -> str:
    """The language the counsellor picked; Italian when the screen offered no choice."""
    picked = form.cleaned_data.get("language")
    if picked:
        return str(picked)
    return translation.language if translation else settings.LANGUAGE_CODE


def _screen(
    request: AuthedRequest,
    interview: Interview,
    state: dict[str, Any],
    form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    question = state["question"]
    after = request.GET.get("dopo", "")
    panel = None
    after_question = template_definition(interview.template).question(after) if after else None
    if after_question is not None and after_question.extract and after != question.id:
        previous = interview.answers.filter(question_id=after).first()
        if previous is not None and previous.text and not previous.skipped:
            panel = answer_panel_context(previous, next_url=request.get_full_path())
    answer = state["answer"]
    if panel is not None or (form is None and answer is not None and not answer.skipped):
        interview_selectors.interview_answers_read_record(
            user=request.user, interview=interview, purpose=PAGE_PURPOSE
        )
    translation = interview_services.interview_translation(interview=interview)
    form = form or AnswerForm(
        initial=_initial(state["answer"], translation), question=question, translation=translation
    )
    return render(
        request,
        "competenze/interview.html",
        {
            "interview": interview,
            "person": interview.person,
            "state": state,
            "steps": interview_steps_list(interview=interview, current_section_id=question.section),
            "question": question,
            "beside": question_beside(question, question.section, translation),
            "form": form,
            "is_text": question.kind == TEXT,
            "panel": panel,
        },
        status=status,
    )


@counsellor_view
def interview_screen(request: AuthedRequest, interview_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    if not interview.is_open:
        return redirect(review_url(interview))
    state = _question_state(interview, request.GET.get("domanda", ""))
    if state is None:
        messages.info(request, ALL_ANSWERED)
        return redirect(review_url(interview))
    return _screen(request, interview, state)


def _fetch_error(errors: list[str], status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors, **extra}, status=status)


SAVED_ANSWER = gettext_lazy("Risposta salvata ora: «%(answer)s»")


def _conflict_errors(interview: Interview, question: Any, error: ConflictError) -> list[str]:
    """The conflict, and the answer saved meanwhile, so that the counsellor can compare."""
    saved = interview.answers.filter(question_id=question.id).first()
    if saved is None:
        return [error.message]
    return [error.message, SAVED_ANSWER % {"answer": answer_display(question, saved)}]


def _conflict_form(
    request: AuthedRequest, interview: Interview, question: Any, errors: list[str], version: int
) -> AnswerForm:
    """The counsellor's input kept, now based on the saved version: sending it again
    replaces the other answer knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = AnswerForm(
        data,
        question=question,
        translation=interview_services.interview_translation(interview=interview),
    )
    form.is_valid()
    for message in errors:
        form.add_error(None, message)
    return form


@counsellor_view
@require_POST
def interview_answer(request: AuthedRequest, interview_id: int) -> HttpResponse:
    """Save, skip, or leave («Torna più tardi», saving what was typed) the shown question."""
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    question_id = request.POST.get("question_id", "")
    question = template_definition(interview.template).question(question_id)
    if question is None or not interview.is_open:
        message = _("Il colloquio è chiuso.") if question is not None else _("Domanda sconosciuta.")
        if is_fetch(request):
            return _fetch_error([message])
        messages.error(request, message)
        return redirect(screen_url(interview))
    action = request.POST.get("azione", "salva")
    translation = interview_services.interview_translation(interview=interview)
    form = AnswerForm(request.POST, question=question, translation=translation)
    if action == "salta":
        return _skip(request, interview, question_id)
    if action == "dopo" and not form.has_content():
        messages.success(request, SAVED_FOR_LATER)
        return redirect(person_url(interview.person, "colloqui"))
    answer = None
    if form.is_valid():
        try:
            answer = interview_services.interview_answer(
                interview=interview,
                question_id=question.id,
                text=form.cleaned_data.get("text", ""),
                value=form.cleaned_data.get("value"),
                answered_by=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                language=_declared_language(form, translation),
            )
        except ConflictError as error:
            return _answer_conflict(request, interview, question, error)
        except ApplicationError as error:
            form.add_error(_error_field(form, error), error.message)
        except ValidationError as error:
            form_add_service_error(form, error)
    if answer is None:
        if is_fetch(request):
            return _fetch_error([str(e) for errors in form.errors.values() for e in errors])
        state = _question_state(interview, question.id)
        assert state is not None
        return _screen(request, interview, state, form=form)
    if action == "dopo":
        messages.success(request, SAVED_FOR_LATER)
        return redirect(person_url(interview.person, "colloqui"))
    return _after_answer(request, interview, answer, question.extract)


def _answer_conflict(
    request: AuthedRequest, interview: Interview, question: Any, error: ConflictError
) -> HttpResponse:
    """409: someone saved this answer meanwhile; nothing of this request was written."""
    errors = _conflict_errors(interview, question, error)
    version = int(error.extra.get("version", 0))
    if is_fetch(request):
        return _fetch_error(errors, status=409, version=version)
    state = _question_state(interview, question.id)
    assert state is not None
    form = _conflict_form(request, interview, question, errors, version)
    return _screen(request, interview, state, form=form, status=409)


ANSWER_ERROR_FIELDS = {
    "empty_answer": "text",
    "answer_too_long": "text",
    "invalid_text": "text",
    "invalid_value": "value",
}


def _error_field(form: AnswerForm, error: ApplicationError) -> str | None:
    field = ANSWER_ERROR_FIELDS.get(error.code)
    return field if field in form.fields else None


def _after_answer(
    request: AuthedRequest, interview: Interview, answer: InterviewAnswer, extract: bool
) -> HttpResponse:
    shows_panel = extract and bool(answer.text)
    if is_fetch(request):
        answer.refresh_from_db()
        next_url = screen_url(interview)
        return JsonResponse(
            {
                "ok": True,
                "next_url": next_url,
                "panel_html": _render_panel(request, answer, next_url=next_url)
                if shows_panel
                else "",
            }
        )
    if shows_panel:
        return redirect(screen_url(interview, dopo=answer.question_id))
    return redirect(screen_url(interview))


def _skip(request: AuthedRequest, interview: Interview, question_id: str) -> HttpResponse:
    try:
        interview_services.interview_skip(
            interview=interview, question_id=question_id, skipped_by=request.user
        )
    except ApplicationError as error:
        if is_fetch(request):
            return _fetch_error(error_messages(error))
        messages_add_error(request, error)
        return redirect(screen_url(interview, domanda=question_id))
    if is_fetch(request):
        return JsonResponse({"ok": True, "next_url": screen_url(interview), "panel_html": ""})
    messages.info(request, SKIPPED)
    return redirect(screen_url(interview))


# --- decisions on suggestions -----------------------------------------------------------------


def _decide(suggestion: SkillSuggestion, form: SuggestionDecisionForm, user: Any) -> None:
    decision = form.cleaned_data["decision"]
    level = form.cleaned_data.get("level")
    if decision == "rifiuta":
        interview_services.suggestion_reject(suggestion=suggestion, decided_by=user)
    elif decision == "livello" and level is not None:
        interview_services.suggestion_change_level(
            suggestion=suggestion, decided_by=user, level=level
        )
    else:
        interview_services.suggestion_accept(suggestion=suggestion, decided_by=user, level=level)


DECIDED = {
    "accetta": gettext_lazy("Competenza «%(label)s» aggiunta al profilo (fase: individuata)."),
    "livello": gettext_lazy("Livello di «%(label)s» aggiornato."),
    "rifiuta": gettext_lazy("Suggerimento «%(label)s» rifiutato."),
}


@counsellor_view
@require_POST
def suggestion_decide(request: AuthedRequest, suggestion_id: int) -> HttpResponse:
    suggestion = interview_selectors.suggestion_get_editable(
        user=request.user, suggestion_id=suggestion_id
    )
    interview = suggestion.answer.interview
    next_url = safe_next(request, screen_url(interview))
    form = SuggestionDecisionForm(request.POST)
    errors: list[str] = []
    if not form.is_valid():
        errors = [_("Scelta non valida: usa i pulsanti Accetta, Rifiuta o Cambia livello.")]
    else:
        try:
            _decide(suggestion, form, request.user)
        except SERVICE_ERRORS as error:
            errors = error_messages(error)
    if is_fetch(request):
        answer = interview_selectors.interview_answer_get(
            interview=interview, question_id=suggestion.answer.question_id
        )
        return HttpResponse(
            _render_panel(request, answer, next_url=next_url, errors=errors),
            status=400 if errors else 200,
        )
    if errors:
        for message in errors:
            messages.error(request, message)
    else:
        label = suggestion.concept.pref_label
        messages.success(request, DECIDED[form.cleaned_data["decision"]] % {"label": label})
    return redirect(next_url)


# --- review and completion --------------------------------------------------------------------


@counsellor_view
def interview_review(request: AuthedRequest, interview_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    interview_selectors.interview_answers_read_record(
        user=request.user, interview=interview, purpose=PAGE_PURPOSE
    )
    review = interview_services.interview_review(interview=interview)
    here = request.get_full_path()
    sections = []
    for section in review.sections:
        items = []
        for item in section.items:
            suggestions = list(item.answer.suggestions.all())
            panel = None
            if item.answer.text and (suggestions or item.question.extract):
                panel = answer_panel_context(item.answer, next_url=here, sub=True)
            items.append({"item": item, "panel": panel})
        sections.append({"section": section, "items": items})
    return render(
        request,
        "competenze/interview_review.html",
        {
            "interview": interview,
            "person": interview.person,
            "review": review,
            "sections": sections,
        },
    )


@counsellor_view
@require_POST
def interview_complete(request: AuthedRequest, interview_id: int) -> HttpResponse:
    interview = interview_selectors.interview_get_editable(
        user=request.user, interview_id=interview_id
    )
    pending = interview_selectors.interview_cards_pending_count(interview=interview)
    if pending and not request.POST.get("metti_da_parte"):
        left = ngettext(
            "Il colloquio non è concluso: resta %(n)d competenza suggerita da decidere.",
            "Il colloquio non è concluso: restano %(n)d competenze suggerite da decidere.",
            pending,
        ) % {"n": pending}
        messages.error(request, f"{left} {SET_ASIDE_HINT}")
        return redirect(safe_next(request, review_url(interview)))
    try:
        result = interview_services.interview_complete(
            interview=interview, completed_by=request.user
        )
    except ApplicationError as error:
        messages_add_error(request, error)
        return redirect(review_url(interview))
    messages.success(request, _("Colloquio concluso."))
    if result.undecided_suggestions:
        messages.warning(
            request,
            ngettext(
                "%(n)d competenza suggerita resta da decidere: "
                "la trovi nel riepilogo del colloquio.",
                "%(n)d competenze suggerite restano da decidere: "
                "le trovi nel riepilogo del colloquio.",
                result.undecided_suggestions,
            )
            % {"n": result.undecided_suggestions},
        )
    return redirect(reverse("competenze:profile", args=[interview.person.pseudonym]))
