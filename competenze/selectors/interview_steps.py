"""The steps of a guided interview: its template's sections, with how many of their questions
have an answer, for the stepper above the question screen.

A section's questions are the active ones (the follow-ups earlier answers asked included),
counted like the interview's overall progress, so the steps add up to it.
"""

from dataclasses import dataclass
from enum import StrEnum

from competenze.models import Interview
from competenze.services.interview_templates import AnswerState, template_definition
from competenze.services.interviews import interview_translation


class StepState(StrEnum):
    DONE = "done"
    ACTIVE = "active"
    TODO = "todo"


@dataclass(frozen=True)
class InterviewStep:
    number: int
    section_id: str
    title: str
    answered: int
    skipped: int
    total: int
    state: StepState


def _answer_states(interview: Interview) -> dict[str, AnswerState]:
    rows = interview.answers.values_list("question_id", "text", "value", "skipped")
    return {
        qid: AnswerState(text=text, value=value, skipped=skipped)
        for qid, text, value, skipped in rows
    }


def _state(*, section_id: str, current_section_id: str, answered: int, total: int) -> StepState:
    if section_id == current_section_id:
        return StepState.ACTIVE
    return StepState.DONE if answered == total else StepState.TODO


def interview_steps_list(*, interview: Interview, current_section_id: str) -> list[InterviewStep]:
    """One step per section of the template, in order. The section of the question on screen
    (`current_section_id`) is active; another is done when all its questions have an
    answer (a skipped question is not an answer: it comes back at the end)."""
    definition = template_definition(interview.template)
    states = _answer_states(interview)
    translation = interview_translation(interview=interview)
    keywords = translation.followup_keywords if translation is not None else {}
    active = definition.active_questions(states, keywords)
    steps = []
    for number, section in enumerate(definition.sections, start=1):
        ids = [question.id for question in active if question.section == section.id]
        answered = sum(1 for qid in ids if qid in states and not states[qid].skipped)
        skipped = sum(1 for qid in ids if qid in states and states[qid].skipped)
        steps.append(
            InterviewStep(
                number=number,
                section_id=section.id,
                title=section.title,
                answered=answered,
                skipped=skipped,
                total=len(ids),
                state=_state(
                    section_id=section.id,
                    current_section_id=current_section_id,
                    answered=answered,
                    total=len(ids),
                ),
            )
        )
    return steps
