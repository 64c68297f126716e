"""The portal's Ed25519 signing keys, kept as PEM files outside git (settings.
PONTE_CREDENTIALS_KEY_DIR, by default var/keys), one file per key.

A file is named `<UTC timestamp>-<kid>.pem`; the newest signs, every key in the folder is
published in /.well-known/jwks.json so credentials signed before a rotation still verify.
`kid` is the key's RFC 7638 thumbprint. A key is generated at first use, or with
`manage.py credentials_keys --rotate`; to retire one, move its file out of the folder (its
credentials then stop verifying).
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

SUFFIX = ".pem"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(public_key: Ed25519PublicKey) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, no spaces."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(public_key))}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def public_jwk(key: SigningKey) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(_raw_public(key.public_key)),
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }


def key_dir() -> Path:
    return Path(settings.PONTE_CREDENTIALS_KEY_DIR)


def _load(path: Path) -> SigningKey:
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{path.name}: non è una chiave Ed25519")
    created, _sep, _kid = path.stem.partition("-")
    return SigningKey(thumbprint(private_key.public_key()), created, private_key)


def keys_list() -> list[SigningKey]:
    """Every key in the folder, oldest first."""
    folder = key_dir()
    if not folder.is_dir():
        return []
    return [_load(path) for path in sorted(folder.glob(f"*{SUFFIX}"))]


def key_generate() -> SigningKey:
    """A new key, written with mode 0600; it signs from now on."""
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_key = Ed25519PrivateKey.generate()
    kid = thumbprint(private_key.public_key())
    created = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = folder / f"{created}-{kid}{SUFFIX}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return SigningKey(kid, created, private_key)


def key_current() -> SigningKey:
    """The key that signs: the newest one, generated at first use."""
    keys = keys_list()
    return keys[-1] if keys else key_generate()


def jwks() -> dict[str, list[dict[str, str]]]:
    """The JSON Web Key Set of every key (the public parts only)."""
    return {"keys": [public_jwk(key) for key in reversed(keys_list())]}
