"""Django's own error responses: JSON in the API's shape under /api/, Italian pages elsewhere."""

import pytest
from django.test import RequestFactory

from common.errors import server_error
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_request_django_refuses_before_the_api_is_an_italian_json_400(counsellor):
    too_many = "&".join(f"f{n}=1" for n in range(1100))  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client_for(counsellor).get(f"/api/v1/people/?{too_many}")
    assert response.status_code == 400
    assert response.json() == {
        "message": "La richiesta non è valida e non può essere elaborata.",
        "code": "bad_request",
        "extra": {},
    }


def test_an_unexpected_failure_under_the_api_is_an_italian_json_500():
    response = server_error(RequestFactory().get("/api/v1/people/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "errore interno" in response.content.decode()


def test_an_unexpected_failure_on_a_page_is_an_italian_page():
    response = server_error(RequestFactory().get("/operatore/"))
    assert response.status_code == 500
    assert "Errore interno" in response.content.decode()
