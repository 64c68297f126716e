"""Size limits of request bodies, and how to say them to a person."""

from django.conf import settings

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""The largest file a person may upload (evidence: PDF, JPG, PNG)."""
MULTIPART_ENVELOPE_BYTES = 256 * 1024
"""Room for the other form fields and the multipart boundaries around the file."""
MAX_JSON_DEPTH = 32
"""Nesting of arrays and objects in an API body; ours use three levels at most."""


def max_request_bytes() -> int:
    """Any request body above this is refused before a byte of it is read."""
    return MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES


def max_json_bytes() -> int:
    """An API body (JSON) above this is refused before it is read."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def megabytes(size: int) -> str:
    """`size` bytes the way a person reads it: "10 MB", "2,5 MB"."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{text} MB"
