"""A trainee's «Mi interessa» for a course: recorded once, answered by the counsellor.

The person's own account records it (CourseInterest); a second click changes nothing and
sends no second e-mail. The counsellor answers on Ponte: the course is proposed to the person
(then sent as a proposal from the person's opportunities, as any other), or not now, with a
few words the person reads.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Person
from competenze.permissions import person_editor_require
from lavoro.models import Course, CourseInterest

INTEREST_DENIED = gettext_lazy("Solo la persona stessa dice che un corso le interessa.")
COURSE_CLOSED = gettext_lazy("Il corso non è più aperto alle iscrizioni.")
ANSWER_DENIED = gettext_lazy("Solo gli operatori che seguono la persona rispondono.")
ALREADY_ANSWERED = gettext_lazy("A questo interesse hai già risposto.")
ANSWER_MISSING = gettext_lazy("Scrivi due parole per la persona: perché non ora.")
DATA_CATEGORY = "interesse_corso"


def course_interest_record(
    *, person: Person, course: Course, user: User
) -> tuple[CourseInterest, bool]:
    """Record that the person (the user's own record) is interested in a published course.

    Returns (interest, created): created is False when it was recorded already, so the
    caller tells the counsellor only once. Raises AccessDenied, ApplicationError.
    """
    if person.user_id != user.pk:
        raise AccessDenied(INTEREST_DENIED)
    if course.status != Course.Status.PUBLISHED:
        raise ApplicationError(COURSE_CLOSED, code="closed")
    found = CourseInterest.objects.filter(person=person, course=course).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            interest = CourseInterest.objects.create(person=person, course=course)
    except IntegrityError:  # a second click won the race: it is recorded once
        return CourseInterest.objects.get(person=person, course=course), False
    return interest, True


def course_interest_answer(
    *, interest: CourseInterest, answered_by: User, propose: bool, answer: str = ""
) -> CourseInterest:
    """The counsellor answers: propose the course, or not now (with words for the person).

    Raises AccessDenied (not a counsellor of the person), ApplicationError (answered
    already, or «not now» without a word).
    """
    person_editor_require(answered_by, interest.person, ANSWER_DENIED)
    answer = answer.strip()
    with transaction.atomic():
        interest = CourseInterest.objects.select_for_update().get(pk=interest.pk)
        if interest.status != CourseInterest.Status.WAITING:
            raise ApplicationError(ALREADY_ANSWERED, code="answered")
        if not propose and not answer:
            raise ApplicationError(ANSWER_MISSING, code="answer")
        interest.status = (
            CourseInterest.Status.PROPOSED if propose else CourseInterest.Status.DECLINED
        )
        interest.answer = answer
        interest.answered_by = answered_by
        interest.answered_at = timezone.now()
        interest.save(
            update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"]
        )
        access_log_record(
            actor=answered_by,
            action=AccessLog.Action.UPDATE,
            subject=interest.person.pseudonym,
            data_category=DATA_CATEGORY,
            purpose=f"corso {interest.course_id}",
        )
    return interest
