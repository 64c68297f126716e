"""The interview's steps (competenze.selectors.interview_steps): one per section of the
template, counted over the active questions, with the section on screen active."""

import pytest

from competenze.selectors.interview_steps import InterviewStep, StepState, interview_steps_list
from competenze.services import interviews as services
from tests.factories.interviews import InterviewAnswerFactory, InterviewFactory

pytestmark = pytest.mark.django_db

KITCHEN = "Ho lavorato in cucina in una mensa, preparavo i primi per 200 persone."


def answer(interview, question_id, *, section="lavoro", text="", value=None, skipped=False):
    return InterviewAnswerFactory(
        interview=interview,
        question_id=question_id,
        section=section,
        text=text,
        value=value,
        skipped=skipped,
    )


def test_a_new_interview_has_its_first_section_active_and_the_rest_to_do():
    interview = InterviewFactory()
    steps = interview_steps_list(interview=interview, current_section_id="lavoro")
    assert steps == [
        InterviewStep(
            number=1,
            section_id="lavoro",
            title="Lavoro",
            answered=0,
            skipped=0,
            total=2,
            state=StepState.ACTIVE,
        ),
        InterviewStep(
            number=2,
            section_id="altro",
            title="Altro",
            answered=0,
            skipped=0,
            total=4,
            state=StepState.TODO,
        ),
    ]


def test_follow_ups_count_in_their_section_and_a_finished_section_is_done():
    interview = InterviewFactory()
    answer(interview, "lavoro.descrizione", text=KITCHEN)
    answer(interview, "lavoro.patente", value="no")
    lavoro = interview_steps_list(interview=interview, current_section_id="lavoro")[0]
    # the kitchen answer asked two follow-ups: still to answer
    assert (lavoro.answered, lavoro.total, lavoro.state) == (2, 4, StepState.ACTIVE)
    answer(interview, "lavoro.cucina.preparazioni", text="Primi piatti per 200.")
    answer(interview, "lavoro.cucina.durata", text="Due anni.")
    lavoro, altro = interview_steps_list(interview=interview, current_section_id="altro")
    assert (lavoro.answered, lavoro.total, lavoro.state) == (4, 4, StepState.DONE)
    assert altro.state == StepState.ACTIVE


def test_a_skipped_question_keeps_its_section_to_do():
    interview = InterviewFactory()
    answer(interview, "lavoro.descrizione", text="Ho fatto il magazziniere.")
    answer(interview, "lavoro.patente", skipped=True)
    lavoro, altro = interview_steps_list(interview=interview, current_section_id="altro")
    assert (lavoro.answered, lavoro.skipped, lavoro.total) == (1, 1, 2)
    assert lavoro.state == StepState.TODO and altro.state == StepState.ACTIVE


def test_the_steps_add_up_to_the_interview_progress():
    interview = InterviewFactory()
    answer(interview, "lavoro.descrizione", text=KITCHEN)
    answer(interview, "altro.note", section="altro", skipped=True)
    steps = interview_steps_list(interview=interview, current_section_id="lavoro")
    progress = services.interview_progress(interview=interview)
    assert sum(step.answered for step in steps) == progress.answered
    assert sum(step.skipped for step in steps) == progress.skipped
    assert sum(step.total for step in steps) == progress.total
