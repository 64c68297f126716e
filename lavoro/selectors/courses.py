from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import User
from lavoro import permissions
from lavoro.models import Course
from lavoro.selectors._helpers import OpportunityFilters, opportunities_filter

COURSE_NOT_FOUND = gettext_lazy("Corso non trovato.")
COURSE_MANAGE_DENIED = gettext_lazy("Non puoi gestire i corsi di questo ente di formazione.")
COURSE_TEXT_FIELDS = ("title", "description", "provider__organisation__name")


def _courses() -> QuerySet[Course]:
    return Course.objects.select_related(
        "provider__organisation", "municipality__province", "profile", "institute"
    ).prefetch_related("skills")


def course_list_open(*, filters: OpportunityFilters | None = None) -> QuerySet[Course]:
    """Published courses, soonest first, filtered by place, profile, sector and text."""
    courses = _courses().filter(status=Course.Status.PUBLISHED)
    filters = filters or OpportunityFilters()
    courses = opportunities_filter(courses, filters, text_fields=COURSE_TEXT_FIELDS)
    return courses.order_by("start_date", "id")


def course_get_visible(*, user: User, course_id: int) -> Course:
    course = _courses().filter(pk=course_id).first()
    visible = course is not None and (
        course.status == Course.Status.PUBLISHED or permissions.can_manage_course(user, course)
    )
    if not visible:
        raise Http404(COURSE_NOT_FOUND)
    return course  # type: ignore[return-value]


def course_get_manageable(*, user: User, course_id: int) -> Course:
    course = course_get_visible(user=user, course_id=course_id)
    if not permissions.can_manage_course(user, course):
        raise AccessDenied(COURSE_MANAGE_DENIED)
    return course
