"""Verifiable credentials: where the signing keys live and the address credentials name."""

from config.env import BASE_DIR, env

# Ed25519 signing keys (private: outside git, never served). One PEM file per key.
PONTE_CREDENTIALS_KEY_DIR = env.path("PONTE_CREDENTIALS_KEY_DIR", default=BASE_DIR / "var" / "keys")
# The public address of the portal: issuer, status list and key URLs in credentials use it.
PONTE_PUBLIC_URL = env.str("PONTE_PUBLIC_URL", default="http://127.0.0.1:8000")
