"""The lockout backend, first in AUTHENTICATION_BACKENDS."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes has no types
    """django-axes' check, for logins that come with a request (every login over HTTP: the
    login page, the admin's, the token endpoint). A call without a request (a management
    command, a script) has no address to count and is left to the next backend, where axes
    would refuse it outright."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
