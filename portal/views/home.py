"""The address "/": each role's own home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from common.models import User

Role = User.Role
ROLE_HOME: dict[str, str] = {
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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # login_required
    return redirect(role_home_url(request.user))
