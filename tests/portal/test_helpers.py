"""The view helpers every page shares (portal/views/_helpers.py) and the shared partials."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from common.exceptions import AccessDenied, ApplicationError
from common.models import User
from portal.views._helpers import (
    error_messages,
    form_add_service_error,
    messages_add_error,
    role_view,
    safe_next,
)
from tests.competenze.web_helpers import login
from tests.factories import CounsellorFactory, EmployerUserFactory


class NameForm(forms.Form):
    name = forms.CharField()


def _request(path: str = "/", **data):
    request = RequestFactory().post(path, data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_service_errors_become_their_italian_messages():
    assert error_messages(ApplicationError("Non si può.")) == ["Non si può."]
    assert error_messages(ValidationError(["Uno.", "Due."])) == ["Uno.", "Due."]


def test_any_other_error_is_raised_again_never_shown():
    error = KeyError("Mario Rossi")
    with pytest.raises(KeyError):
        error_messages(error)
    with pytest.raises(KeyError):
        messages_add_error(_request(), error)
    with pytest.raises(KeyError):
        form_add_service_error(NameForm({"name": "x"}), error)


def test_a_validation_error_lands_on_the_fields_it_names():
    form = NameForm({"name": "x"})
    form.is_valid()
    form_add_service_error(form, ValidationError({"name": "Nome già usato.", "other": "Altro."}))
    assert form.errors == {"name": ["Nome già usato."], "__all__": ["Altro."]}


def test_each_message_of_a_service_error_is_one_message():
    request = _request()
    messages_add_error(request, ValidationError(["Uno.", "Due."]))
    assert [str(m) for m in get_messages(request)] == ["Uno.", "Due."]


def test_next_only_points_into_this_site():
    assert safe_next(_request(next="/operatore/"), "/") == "/operatore/"
    assert safe_next(_request(next="https://example.org/"), "/casa/") == "/casa/"


@pytest.mark.django_db
def test_a_role_view_turns_a_services_access_denied_into_403():
    @role_view(User.Role.COUNSELLOR)
    def view(request):
        raise AccessDenied("Non puoi.")

    request = RequestFactory().get("/")
    request.user = CounsellorFactory()
    with pytest.raises(PermissionDenied, match="Non puoi."):
        view(request)
    assert (
        role_view(User.Role.COUNSELLOR)(lambda request: HttpResponse())(request).status_code == 200
    )
    request.user = EmployerUserFactory()
    with pytest.raises(PermissionDenied):  # other roles never reach the view
        role_view(User.Role.COUNSELLOR)(lambda request: HttpResponse())(request)


@pytest.mark.django_db
def test_form_errors_take_the_focus_and_required_fields_are_marked():
    counsellor = CounsellorFactory()
    response = login(counsellor).post(reverse("competenze:person-new"), {"first_name": ""})
    html = response.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1">' in html
    assert 'Nome <span class="muted">(obbligatorio)</span></label>' in html
