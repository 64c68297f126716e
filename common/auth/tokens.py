"""API tokens: created for a user who proves their password, shown once, stored hashed.

A token reads `pnt_<prefix>_<secret>`. The database keeps the prefix (to recognise it in
lists) and the SHA-256 of the whole token: the secret is random (256 bits), so a fast hash
is enough and a stolen database yields no usable token. A token stops working when it
expires, when it is revoked (deleted), when its user is deactivated, and when its user's
password changes (it keeps a keyed fingerprint of the password hash it was made under).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from common.models import ApiToken, User

TOKEN_PREFIX = "pnt_"
TOKEN_UNKNOWN = _("Token non valido.")
TOKEN_EXPIRED = _("Il token è scaduto: creane uno nuovo.")
TOKEN_PASSWORD_CHANGED = _("Il token non vale più perché la password è cambiata: creane uno nuovo.")
TOKEN_USER_INACTIVE = _("L'utente del token è disattivato.")
TOKEN_NOT_FOUND = _("Token non trovato.")
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class TokenRefused(ApplicationError):
    """The presented token does not authenticate anyone; the message says why."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password_fingerprint(user: User) -> str:
    return salted_hmac("ponte.api-token", user.password, algorithm="sha256").hexdigest()


def api_token_prepare(*, row: ApiToken, days: int | None = None) -> str:
    """Give the unsaved `row` (user and name set) a new token and return it in clear: the
    caller saves the row and shows the token once. It lasts `days` (at most, and by
    default, settings.PONTE_API_TOKEN_DAYS)."""
    limit = settings.PONTE_API_TOKEN_DAYS
    lifetime = datetime.timedelta(days=min(days or limit, limit))
    row.prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{row.prefix}_{secrets.token_urlsafe(32)}"
    row.key_hash = _digest(token)
    row.password_fingerprint = _password_fingerprint(row.user)
    row.expires_at = timezone.now() + lifetime
    return token


def api_token_create(
    *, user: User, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`: (the stored row, the token in clear, to show once only)."""
    row = ApiToken(user=user, name=name)
    token = api_token_prepare(row=row, days=days)
    row.save()
    return row, token


def api_token_user(*, token: str) -> tuple[User, ApiToken]:
    """Who `token` authenticates; TokenRefused (with an Italian message) otherwise.

    Marks the token as used (at most every few minutes, to spare the database a write
    on every request).
    """
    row = ApiToken.objects.select_related("user").filter(key_hash=_digest(token)).first()
    if row is None:
        raise TokenRefused(str(TOKEN_UNKNOWN), code="token_unknown")
    now = timezone.now()
    if row.expires_at <= now:
        raise TokenRefused(str(TOKEN_EXPIRED), code="token_expired")
    if not row.user.is_active:
        raise TokenRefused(str(TOKEN_USER_INACTIVE), code="user_inactive")
    if not constant_time_compare(row.password_fingerprint, _password_fingerprint(row.user)):
        raise TokenRefused(str(TOKEN_PASSWORD_CHANGED), code="token_password_changed")
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, row


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Delete one of `user`'s own tokens; another user's token is not found (404)."""
    deleted, _count = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise Http404(TOKEN_NOT_FOUND)
