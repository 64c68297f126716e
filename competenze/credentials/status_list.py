"""The revocation list as a W3C Bitstring Status List: bit i set = credential i revoked.

131,072 bits (16 KiB, the minimum the specification asks, so a list says little about how
many credentials exist), gzip-compressed, base64url without padding, multibase prefix "u".
Index 0 is the most significant bit of the first byte.
"""

import base64
import gzip
from collections.abc import Iterable

SIZE = 131_072


def encode(revoked: Iterable[int], size: int = SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"indice fuori dalla lista: {index}")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList deve iniziare con «u» (multibase base64url)")
    body = encoded[1:]
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return gzip.decompress(packed)


def is_set(encoded: str, index: int) -> bool:
    bits = decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"indice fuori dalla lista: {index}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, url: str, issuer_id: str, issuer_name: str, encoded: str, valid_from: str
) -> dict[str, object]:
    """The BitstringStatusListCredential that publishes the list (signed as a VC-JWT)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id, "name": issuer_name},
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#lista",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
