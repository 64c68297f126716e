"""The language of each page: the person's own for the people Ponte serves, Italian for staff.

LocaleMiddleware has already picked a language from the language cookie (the menu of
portal/_language_menu.html, through Django's set_language) or the browser's preferences.
Here, once the user is known:

- a trainee reads the language chosen in the menu during this browser session, else the
  language recorded on their record by the counsellor (`Person.language`), else Italian;
  the browser's preferences do not count (a shared computer may be set to anything);
- every other signed-in user (counsellors, employers, host bodies, assessors, managers,
  admins) and the API read Italian whatever the browser asks: their screens, records and
  messages are in Italian only;
- anonymous pages (login, errors) keep LocaleMiddleware's choice, so a person can read the
  login page in their language before signing in.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from common.errors import is_api
from common.models import User
from competenze.models import Person


def supported_language(code: str | None) -> str | None:
    """`code` if it is one of settings.LANGUAGES, else None."""
    if code and code in dict(settings.LANGUAGES):
        return code
    return None


def trainee_language(request: HttpRequest, user: User) -> str:
    """The menu's choice for this session, else the language on the person's record."""
    chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen is not None:
        return chosen
    recorded = Person.objects.filter(user=user).values_list("language", flat=True).first()
    return supported_language(recorded) or settings.LANGUAGE_CODE


class AudienceLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if is_api(request):
            language = settings.LANGUAGE_CODE
        elif not isinstance(user, User) or not user.is_authenticated:
            language = translation.get_language()
        elif user.role == User.Role.TRAINEE:
            language = trainee_language(request, user)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
