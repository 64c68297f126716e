"""Trainee pages (large type): my skills, recommended courses and why, «Mi interessa».

«Mi interessa» records a CourseInterest once (lavoro.services.interests): the counsellor gets
one e-mail (pseudonym and course only, no personal data) with a link to the page where they
answer; the person sees the state next to the course. Clicking again changes nothing.
"""

import logging
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import Message
from competenze.models import Person, SkillEntry
from competenze.selectors.people import person_list_visible, person_skills_list
from lavoro.selectors import course_get_visible
from lavoro.selectors.shortlists import course_interests_of_person
from lavoro.services.interests import course_interest_record
from portal.presenters.matching import course_recommendations
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    messages_add_error,
    trainee_view,
)

logger = logging.getLogger(__name__)

STAGE_WORDS: dict[str, Message] = {
    SkillEntry.Stage.IDENTIFIED: gettext_lazy(
        "L'abbiamo riconosciuta insieme, parlando di quello che hai fatto."
    ),
    SkillEntry.Stage.VALIDATED: gettext_lazy(
        "Un valutatore ha controllato le prove (attestati, dichiarazioni, lavori)."
    ),
    SkillEntry.Stage.CERTIFIED: gettext_lazy("Hai un certificato ufficiale che la riconosce."),
}
INTEREST_SENT = gettext_lazy(
    "Fatto! Abbiamo avvisato il tuo operatore che il corso «%(title)s» ti "
    "interessa: ne parlerete al prossimo incontro."
)
INTEREST_ALREADY = gettext_lazy(
    "Il tuo operatore sa già che il corso «%(title)s» ti interessa: trovi qui la sua risposta."
)
INTEREST_NO_COUNSELLOR = gettext_lazy(
    "Non riusciamo ad avvisare il tuo operatore per e-mail: parlagli "
    "del corso «%(title)s» al prossimo incontro."
)
INTEREST_SUBJECT = gettext_lazy("Ponte: interesse per un corso")
INTEREST_BODY = gettext_lazy(
    "%(pseudonym)s è interessato/a al corso «%(title)s» (%(provider)s, %(place)s).\n\n"
    "Rispondi su Ponte: %(url)s\n"
)


def _own_person(request: AuthedRequest) -> Person | None:
    return person_list_visible(user=request.user).select_related("counsellor").first()


@trainee_view
def home(request: AuthedRequest) -> HttpResponse:
    person = _own_person(request)
    groups = []
    if person is not None:
        entries = sorted(
            person_skills_list(person=person).prefetch_related("evidences"),
            key=lambda e: (
                e.concept.sector is None,
                e.concept.sector.label if e.concept.sector else "",
                e.concept.pref_label.lower(),
            ),
        )
        for entry in entries:
            entry.stage_words = STAGE_WORDS.get(entry.stage, "")  # type: ignore[attr-defined]
        groups = [
            {"label": label or _("Altre competenze"), "entries": list(items)}
            for label, items in groupby(
                entries, key=lambda e: e.concept.sector.label if e.concept.sector else ""
            )
        ]
    return render(
        request,
        "competenze/trainee/home.html",
        {
            "person": person,
            "groups": groups,
            "stages": STAGE_WORDS.items(),
        },
    )


@trainee_view
def courses(request: AuthedRequest) -> HttpResponse:
    person = _own_person(request)
    courses = course_recommendations(user=request.user, person=person) if person is not None else []
    interests = course_interests_of_person(person=person) if person is not None else {}
    for course in courses:
        course.interest = interests.get(course.id)  # type: ignore[attr-defined]
    return render(
        request, "competenze/trainee/courses.html", {"person": person, "courses": courses}
    )


@trainee_view
@require_POST
def course_interest(request: AuthedRequest, course_id: int) -> HttpResponse:
    course = course_get_visible(user=request.user, course_id=course_id)
    person = _own_person(request)
    if person is None:
        raise Http404
    try:
        interest, created = course_interest_record(person=person, course=course, user=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
        return redirect("competenze:trainee-courses")
    if not created:
        messages.info(request, INTEREST_ALREADY % {"title": course.title})
        return redirect("competenze:trainee-courses")
    counsellor = person.counsellor
    if counsellor is None or not counsellor.email:
        messages.warning(request, INTEREST_NO_COUNSELLOR % {"title": course.title})
        return redirect("competenze:trainee-courses")
    # the counsellor reads Italian, whatever language the person's page is in
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(INTEREST_SUBJECT)
        body = INTEREST_BODY % {
            "pseudonym": person.pseudonym,
            "title": course.title,
            "provider": course.provider.organisation.name,
            "place": course.municipality.name,
            "url": request.build_absolute_uri(
                reverse("competenze:interest-answer", args=[interest.pk])
            ),
        }
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [counsellor.email])
    except Exception:  # mail server down: the interest is recorded, the counsellor sees it
        logger.exception("Avviso di interesse non inviato (persona %s)", person.pseudonym)
    messages.success(request, INTEREST_SENT % {"title": course.title})
    return redirect("competenze:trainee-courses")
