"""Guessing passwords: after a few failures an account, or an address, is locked out for a
while on the login page, on the admin's and on the token endpoint; the right password does
not get in meanwhile. Answers are 429 in Italian and say nothing of whether the account
exists."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CounsellorFactory
from tests.factories.extra_lavoro import AdminUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "password-di-prova"
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
TOKEN = reverse("api:auth:token-create")
LOCKED = "Troppi tentativi di accesso non riusciti"


def _login(url: str, username: str, password: str, address: str = "10.0.0.1"):
    """Log in through a page (a form) or through the API's token endpoint (JSON only)."""
    client = Client(REMOTE_ADDR=address)
    credentials = {"username": username, "password": password}
    if url.startswith("/api/"):
        return client, client.post(url, credentials, content_type="application/json")
    return client, client.post(url, credentials)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_fifty_wrong_passwords_then_the_right_one_does_not_get_in():
    user = CounsellorFactory()
    for attempt in range(50):
        # from many addresses: the account itself is locked, not just one address
        _login(LOGIN, user.username, f"sbagliata-{attempt}", address=f"10.0.1.{attempt}")
    client, response = _login(LOGIN, user.username, PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_the_account_is_locked_at_the_limit_not_before():
    user = CounsellorFactory()
    for attempt in range(4):
        _login(LOGIN, user.username, f"sbagliata-{attempt}")
    client, response = _login(LOGIN, user.username, PASSWORD)
    assert response.status_code == 302 and _logged_in(client)
    for attempt in range(5):  # the success reset the count: five more are needed
        _login(LOGIN, user.username, f"sbagliata-{attempt}")
    client, response = _login(LOGIN, user.username, PASSWORD)
    assert response.status_code == 429 and not _logged_in(client)


def test_one_address_trying_many_accounts_is_locked_out():
    victims = [CounsellorFactory() for _ in range(5)]
    for victim in victims:
        _login(LOGIN, victim.username, "sbagliata", address="10.0.3.3")
    other = CounsellorFactory()
    client, response = _login(LOGIN, other.username, PASSWORD, address="10.0.3.3")
    assert response.status_code == 429 and not _logged_in(client)
    client, response = _login(LOGIN, other.username, PASSWORD, address="10.0.3.4")
    assert response.status_code == 302 and _logged_in(client)


def test_an_unknown_account_gets_the_same_lockout_as_a_real_one():
    for attempt in range(5):
        _login(LOGIN, "nessuno-si-chiama-cosi", f"sbagliata-{attempt}", address="10.0.4.1")
    _client, response = _login(LOGIN, "nessuno-si-chiama-cosi", PASSWORD, address="10.0.4.2")
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_the_admin_login_is_locked_too():
    admin = AdminUserFactory(is_staff=True, is_superuser=True)
    for attempt in range(5):
        _login(ADMIN_LOGIN, admin.username, f"sbagliata-{attempt}", address=f"10.0.5.{attempt}")
    client, response = _login(ADMIN_LOGIN, admin.username, PASSWORD, address="10.0.5.9")
    assert response.status_code == 429 and not _logged_in(client)


def test_the_token_endpoint_is_locked_with_an_italian_json_429():
    user = CounsellorFactory()
    for attempt in range(4):
        _client, response = _login(TOKEN, user.username, f"sbagliata-{attempt}")
        assert response.status_code == 400
        assert response.json()["message"] == "Nome utente o password non corretti."
    _client, response = _login(TOKEN, user.username, "sbagliata-4")
    assert response.status_code == 429  # the failure that reaches the limit is refused too
    _client, response = _login(TOKEN, user.username, PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and body["message"].startswith(LOCKED)


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(settings):
    settings.PONTE_PROXY_COUNT = 1
    victims = [CounsellorFactory() for _ in range(5)]
    for victim in victims:  # all through the same proxy, from one client
        Client(REMOTE_ADDR="192.168.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
            LOGIN, {"username": victim.username, "password": "sbagliata"}
        )
    other = CounsellorFactory()
    colleague = Client(REMOTE_ADDR="192.168.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    response = colleague.post(LOGIN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302  # another client behind the same proxy is not locked
    spoofed = Client(
        REMOTE_ADDR="192.168.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )  # forged left part
    response = spoofed.post(LOGIN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 429


def test_a_session_lasts_a_working_day():
    user = CounsellorFactory()
    client, response = _login(LOGIN, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 8 * 3600
