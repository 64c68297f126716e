"""API tokens: created with username and password and shown once, stored as a hash only,
expiring, dying with a password change or a deactivation, revocable; DRF's own clear-text
tokens are gone. API throttling: anonymous, per user, and stricter where a password is
checked, answered with 429 in Italian."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.auth.tokens import api_token_create
from common.models import ApiToken
from tests.factories import CounsellorFactory
from tests.factories.extra_lavoro import AdminUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "password-di-prova"
CREATE = reverse("api:auth:token-create")
LIST = reverse("api:auth:tokens")
ME = reverse("api:competenze:me")


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _create(user, **extra):
    body = {"username": user.username, "password": PASSWORD, "name": "gestionale", **extra}
    return APIClient().post(CREATE, body, format="json")


def test_a_token_is_shown_once_and_then_authenticates():
    user = CounsellorFactory()
    response = _create(user)
    assert response.status_code == 201
    token = response.json()["token"]
    assert re.fullmatch(r"pnt_[0-9a-f]{12}_[\w-]{43}", token)
    assert response["Cache-Control"] == "no-store"
    me = _bearer(token).get(ME)
    assert me.status_code == 200 and me.json()["username"] == user.username
    listed = _bearer(token).get(LIST).json()
    assert [row["name"] for row in listed] == ["gestionale"]
    assert token not in str(listed) and "token" not in listed[0]


def test_only_the_hash_is_stored():
    user = CounsellorFactory()
    row, token = api_token_create(user=user)
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token not in str(stored)
    assert stored["key_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"pnt_{stored['prefix']}_")


def test_wrong_password_creates_no_token():
    user = CounsellorFactory()
    response = APIClient().post(
        CREATE, {"username": user.username, "password": "no"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_a_token_expires(settings):
    settings.PONTE_API_TOKEN_DAYS = 30
    row, token = api_token_create(user=CounsellorFactory(), days=90)
    assert row.expires_at - timezone.now() < datetime.timedelta(days=30, minutes=1)  # capped
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    response = _bearer(token).get(ME)
    assert response.status_code == 401
    assert response.json()["message"] == "Il token è scaduto: creane uno nuovo."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_dies_when_the_password_changes():
    user = CounsellorFactory()
    _row, token = api_token_create(user=user)
    user.set_password("un'altra-password-lunga")
    user.save()
    response = _bearer(token).get(ME)
    assert response.status_code == 401
    assert "la password è cambiata" in response.json()["message"]


def test_a_token_dies_with_its_deactivated_user():
    user = CounsellorFactory()
    _row, token = api_token_create(user=user)
    user.is_active = False
    user.save()
    assert _bearer(token).get(ME).status_code == 401


def test_revoking_a_token_and_not_someone_elses():
    user, other = CounsellorFactory(), CounsellorFactory()
    row, token = api_token_create(user=user)
    others_row, _others = api_token_create(user=other)
    client = _bearer(token)
    url = reverse("api:auth:token-revoke", kwargs={"token_id": others_row.pk})
    assert client.delete(url).status_code == 404
    assert ApiToken.objects.filter(pk=others_row.pk).exists()
    url = reverse("api:auth:token-revoke", kwargs={"token_id": row.pk})
    assert client.delete(url).status_code == 204
    assert _bearer(token).get(ME).status_code == 401


def test_unknown_tokens_and_drf_token_keyword_are_refused():
    assert _bearer("pnt_000000000000_inventato").get(ME).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert client.get(ME).status_code in (401, 403)
    assert "rest_framework.authtoken" not in django_settings.INSTALLED_APPS


def test_the_admin_shows_a_token_once_and_never_again():
    admin = AdminUserFactory(is_staff=True, is_superuser=True)
    user = CounsellorFactory()
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:common_apitoken_add"), {"user": user.pk, "name": "integrazione", "days": "7"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"pnt_[0-9a-f]{12}_[\w-]{43}", html).group(0)
    assert "non sarà più mostrato" in html
    assert _bearer(token).get(ME).json()["username"] == user.username
    row = ApiToken.objects.get()
    for url in (
        reverse("admin:common_apitoken_changelist"),
        reverse("admin:common_apitoken_change", args=[row.pk]),
    ):
        page = client.get(url).content.decode()
        assert row.prefix in page
        assert token not in page and row.key_hash not in page


# --- throttling -------------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    def set_rates(**values: str) -> None:
        base = {"anon": "1000/min", "user": "1000/min", "auth": "1000/min"}
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**base, **values},
        }

    return set_rates


def test_anonymous_requests_are_throttled_per_address_in_italian(rates):
    """On what anonymous clients may call (the API documentation, here)."""
    rates(anon="3/min")
    client = APIClient()
    docs = reverse("api-docs")
    assert [client.get(docs).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(docs)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # a forged X-Forwarded-For does not make a new client
    assert client.get(docs, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    assert APIClient(REMOTE_ADDR="10.9.9.9").get(docs).status_code == 200


def test_each_user_has_a_rate(rates):
    rates(user="3/min")
    user, other = CounsellorFactory(), CounsellorFactory()
    client = APIClient()
    client.force_authenticate(user=user)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(ME).status_code == 429
    colleague = APIClient()
    colleague.force_authenticate(user=other)
    assert colleague.get(ME).status_code == 200


def test_the_token_endpoint_has_the_stricter_rate_even_with_the_right_password(rates):
    rates(auth="2/min")
    user = CounsellorFactory()
    assert [_create(user).status_code for _ in range(2)] == [201, 201]
    response = _create(user)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["message"].startswith("Troppe richieste: riprova tra")
    assert int(response["Retry-After"]) > 0
    assert ApiToken.objects.count() == 2


def test_the_configured_rates_are_stricter_for_password_checks():
    from config.settings import base

    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    per_minute = {scope: int(rate.split("/")[0]) for scope, rate in rates.items()}
    assert per_minute["auth"] < per_minute["anon"] < per_minute["user"]
