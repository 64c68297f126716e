"""Helpers for the server-rendered pages: role checks and the role's home page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from common.models import User

Role = User.Role
ROLE_HOME = {
    Role.COUNSELLOR: "competenze:caseload",
    Role.TRAINEE: "competenze:trainee-home",
    Role.EMPLOYER: "lavoro:employer-home",
    Role.HOST_BODY: "lavoro:host-home",
    Role.PROGRAMME_MANAGER: "common:dashboard",
    Role.ASSESSOR: "competenze:idvcc-worklist",
    Role.CERTIFIER: "competenze:idvcc-worklist",
    Role.ADMIN: "admin:index",
}


def role_home_url(user: User) -> str:
    return reverse(ROLE_HOME.get(user.role, "common:home"))


def role_required(*roles: str) -> Callable[..., Any]:
    """Logged-in users of these roles only; any other role gets 403, never the page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(role_home_url(request.user))
