"""VC-JWT: a credential signed as a compact JWS with EdDSA (Ed25519), checked against a
JSON Web Key Set. Pure: keys and JSON in, verdicts out.

Open Badges 3.0 (§8.2) puts the credential itself in the JWT payload, with the registered
claims `iss` (issuer id), `jti` (credential id), `sub` (subject id) and `nbf` (validFrom).
Verification refuses any token whose parts are not canonical base64url, so no character
of a token can change without the verdict changing.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

import jwt

from competenze.credentials.keys import SigningKey

ALGORITHM = "EdDSA"
VALID, ALTERED, UNKNOWN_KEY, MALFORMED, EXPIRED = (
    "valida",
    "alterata",
    "chiave_sconosciuta",
    "illeggibile",
    "scaduta",
)


def sign(payload: dict[str, Any], key: SigningKey) -> str:
    token = jwt.encode(
        payload, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"}
    )
    return token


@dataclass(frozen=True)
class Decoded:
    verdict: str
    header: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)


def _canonical_part(part: str) -> bytes:
    """The bytes of one base64url part; ValueError unless it is the canonical spelling."""
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("base64url non valido") from error
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != part:
        raise ValueError("base64url non canonico")
    return raw


def _header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise ValueError("una credenziale VC-JWT ha tre parti separate da punti")
    raw = [_canonical_part(part) for part in parts]
    header = json.loads(raw[0])
    if not isinstance(header, dict):
        raise ValueError("intestazione non valida")
    return header


def verify(token: str, jwks: dict[str, Any]) -> Decoded:
    """Check the signature with the key of `jwks` named by the token's `kid`.

    MALFORMED: not a JWT at all; ALTERED: a JWT whose header or signature does not check
    out (one byte changed anywhere lands here); UNKNOWN_KEY: signed with a key not in the
    set; EXPIRED: past its `exp`. VALID carries the header and payload.
    """
    token = token.strip()
    if token.count(".") != 2:
        return Decoded(MALFORMED)
    try:
        header = _header(token)
    except (ValueError, UnicodeDecodeError):
        return Decoded(ALTERED)
    if header.get("alg") != ALGORITHM:
        return Decoded(ALTERED, header)
    key = next((k for k in jwks.get("keys", []) if k.get("kid") == header.get("kid")), None)
    if key is None:
        return Decoded(UNKNOWN_KEY, header)
    try:
        payload = jwt.decode(
            token,
            jwt.PyJWK(key).key,
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        return Decoded(EXPIRED, header)
    except jwt.PyJWTError:
        return Decoded(ALTERED, header)
    return Decoded(VALID, header, payload)
