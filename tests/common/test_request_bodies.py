"""Request bodies the API and the pages refuse: malformed, too deep, too large.

Every refusal is an Italian 4xx, JSON under /api/, and nothing is read past the limit.
"""

import io
import json

import pytest
from django.test import Client

from common.limits import MAX_JSON_DEPTH, MAX_UPLOAD_BYTES, max_request_bytes, megabytes
from common.parsers import json_depth_check
from competenze.models import Person
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.lavoro.web_helpers import login

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/people/"
VALID = {"first_name": "Luca", "last_name": "Bianchi"}


def post_raw(client, body: bytes | str, content_type: str = "application/json", **extra):
    return client.generic("POST", PEOPLE, body, content_type=content_type, **extra)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_a_thousand_deep_is_an_italian_400_not_a_crash(counsellor, depth):
    response = post_raw(client_for(counsellor), nested(depth))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    message = f"Il JSON è annidato troppo in profondità (al massimo {MAX_JSON_DEPTH} livelli)."
    assert response.json() == {
        "message": message,
        "code": "parse_error",
        "extra": {},
    }


def test_json_one_level_too_deep_inside_an_object_is_refused(counsellor):
    body = {**VALID, "first_name": json.loads(nested(MAX_JSON_DEPTH))}
    response = post_raw(client_for(counsellor), json.dumps(body))
    assert response.status_code == 400
    assert "annidato troppo" in response.json()["message"]
    assert not Person.objects.exists()


def test_depth_check_counts_arrays_and_objects_alike():
    json_depth_check({"a": [{"b": []}]}, maximum=4)
    with pytest.raises(Exception, match="annidato"):
        json_depth_check({"a": [{"b": []}]}, maximum=3)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('{"first_name": "Luca",', "non è JSON valido: errore alla riga 1, colonna 23"),
        ("{'first_name': 'Luca'}", "non è JSON valido"),
        ('{"weekly_hours_available": NaN}', "valore non ammesso (NaN)"),
        ('{"weekly_hours_available": Infinity}', "valore non ammesso (Infinity)"),
        (b'{"first_name": "\xff"}', "non è JSON valido (UTF-8)"),
        ("", None),  # an empty body is an empty form: field errors, not a parse error
    ],
)
def test_every_parse_error_is_an_italian_json_400(counsellor, body, fragment):
    response = post_raw(client_for(counsellor), body)
    assert response.status_code == 400
    message = response.json()["message"]
    if fragment is None:
        assert message.startswith("Alcuni dati non sono validi")
    else:
        assert fragment in message
        assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_json_is_an_italian_415(counsellor, content_type):
    response = post_raw(client_for(counsellor), "first_name=Luca", content_type=content_type)
    assert response.status_code == 415
    assert response.json()["message"] == (
        "Il corpo della richiesta deve essere JSON (Content-Type: application/json)."
    )


def test_a_json_body_above_the_limit_is_refused_unread(counsellor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({**VALID, "first_name": "a" * (1024 * 1024)})
    response = post_raw(client_for(counsellor), body)
    assert response.status_code == 413
    assert response.json()["message"] == "Il corpo della richiesta supera il limite di 1 MB."


class ExplodingStream(io.RawIOBase):
    """A request body that fails the test if more than `allowed` bytes are read from it."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.read_so_far += len(buffer)
        assert self.read_so_far <= self.allowed, "the body was read past the limit"
        buffer[: len(buffer)] = b"x" * len(buffer)
        return len(buffer)


def test_a_60_mb_upload_is_refused_before_a_byte_is_read(counsellor):
    person = PersonFactory(organisation=counsellor.organisation, counsellor=counsellor)
    stream = ExplodingStream(allowed=0)
    client = login(counsellor)
    response = client.generic(
        "POST",
        f"/operatore/persone/{person.pseudonym}/evidenze/",
        b"",
        content_type="multipart/form-data; boundary=X",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": stream},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "un file caricato può pesare al massimo 10 MB" in html
    assert stream.read_so_far == 0


def test_an_oversized_api_body_is_an_italian_json_413(counsellor):
    response = post_raw(client_for(counsellor), b"{}", CONTENT_LENGTH=str(max_request_bytes() + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "10 MB" in response.json()["message"]


def test_the_limit_leaves_room_for_a_10_mb_file_and_its_form():
    assert MAX_UPLOAD_BYTES < max_request_bytes() <= MAX_UPLOAD_BYTES + 1024 * 1024
    assert megabytes(MAX_UPLOAD_BYTES) == "10 MB"
    assert megabytes(int(2.5 * 1024 * 1024)) == "2,5 MB"


def test_anonymous_oversized_posts_are_refused_too():
    response = Client().generic(
        "POST",
        "/accounts/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(max_request_bytes() + 1),
    )
    assert response.status_code == 413
