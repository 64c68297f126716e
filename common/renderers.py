"""The API's JSON renderer: never fails on text it echoes back.

An error message may quote the input (an unknown choice, a code that does not exist). A
lone surrogate in that input cannot be encoded as UTF-8, and DRF's renderer, which writes
raw UTF-8, would fail with a 500 after the view had answered. Such a body is written with
every non-ASCII character escaped (still valid JSON, the same data); any other body is
unchanged.
"""

from typing import Any

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            rendered: bytes = super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            rendered = _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)
        return rendered


class _AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True
