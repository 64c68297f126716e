"""Training courses: managed by administrators and by the provider's own users."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.events import OPPORTUNITY_CHANGED, send_on_commit
from common.exceptions import AccessDenied, ApplicationError
from common.models import Municipality, User
from competenze.models import Concept
from lavoro import permissions
from lavoro.kinds import COURSE
from lavoro.models import Course, CourseSkill, TrainingProvider
from lavoro.services._helpers import clean_and_save, fields_apply, prefetch_forget

COURSE_MANAGE_DENIED = gettext_lazy("Non puoi gestire i corsi di questo ente di formazione.")
COURSE_NOT_DRAFT = gettext_lazy("Si può pubblicare solo un corso in bozza.")
COURSE_CLOSED = gettext_lazy("Il corso è chiuso e non si può più modificare.")
COURSE_ENDED = gettext_lazy("Il corso è già terminato: non si può pubblicare.")
COURSE_NO_SEATS = gettext_lazy("Un corso pubblicato deve avere almeno un posto.")
COURSE_EDITABLE_FIELDS = frozenset(
    {
        "description",
        "start_date",
        "end_date",
        "weekly_hours",
        "profile",
        "institute",
    }
)


def _require_manager(user: User, course: Course) -> None:
    if not permissions.can_manage_course(user, course):
        raise AccessDenied(COURSE_MANAGE_DENIED)


@transaction.atomic
def course_skills_set(*, course: Course, skills: list[Concept]) -> Course:
    """Replace the skills the course teaches; the caller checks who may edit the course."""
    if course.status == Course.Status.CLOSED:
        raise ApplicationError(COURSE_CLOSED, code="closed")
    CourseSkill.objects.filter(course=course).delete()
    unique = {concept.pk: concept for concept in skills}
    CourseSkill.objects.bulk_create(
        CourseSkill(course=course, concept=concept) for concept in unique.values()
    )
    prefetch_forget(course, "skills")
    send_on_commit(OPPORTUNITY_CHANGED, kind=COURSE.code, opportunity_id=course.pk)
    return course


@transaction.atomic
def course_create(
    *,
    provider: TrainingProvider,
    created_by: User,
    title: str,
    municipality: Municipality,
    seats: int,
    total_hours: int,
    certificate: str,
    skills: list[Concept] | None = None,
    **fields: Any,
) -> Course:
    """Create a draft course; `fields` are optional ones (dates, institute, description...)."""
    course = Course(provider=provider, status=Course.Status.DRAFT)
    _require_manager(created_by, course)
    fields_apply(instance=course, fields=fields, allowed=COURSE_EDITABLE_FIELDS)
    course.title, course.municipality, course.certificate = title, municipality, certificate
    course.seats, course.total_hours = seats, total_hours
    clean_and_save(course)
    course_skills_set(course=course, skills=skills or [])
    send_on_commit(OPPORTUNITY_CHANGED, kind=COURSE.code, opportunity_id=course.pk)
    return course


@transaction.atomic
def course_publish(*, course: Course, published_by: User) -> Course:
    _require_manager(published_by, course)
    if course.status != Course.Status.DRAFT:
        raise ApplicationError(COURSE_NOT_DRAFT, code="not_draft")
    if course.seats < 1:
        raise ApplicationError(COURSE_NO_SEATS, code="no_seats")
    if course.end_date is not None and course.end_date < timezone.localdate():
        raise ApplicationError(COURSE_ENDED, code="ended")
    course.status = Course.Status.PUBLISHED
    course.save(update_fields=["status", "updated_at"])
    send_on_commit(OPPORTUNITY_CHANGED, kind=COURSE.code, opportunity_id=course.pk)
    return course
