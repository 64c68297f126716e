"""Presentation helpers for answers and suggestions: highlighted words, scores in words."""

from collections.abc import Iterable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from competenze.models import SkillSuggestion
from competenze.services.interview_suggestions import answer_sentence_around


def score_words(score: float) -> str:
    """How sure the recogniser is, in words a counsellor reads at a glance."""
    if score >= 0.8:
        return _("molto probabile")
    if score >= 0.6:
        return _("probabile")
    if score >= 0.4:
        return _("possibile")
    return _("poco probabile")


def _locate(text: str, start: int, end: int, span: str) -> tuple[int, int] | None:
    """The span's offsets in `text`, found again by its words if the offsets are stale."""
    if 0 <= start <= end <= len(text) and text[start:end] == span and start < end:
        return start, end
    found = text.find(span) if span else -1
    return (found, found + len(span)) if found >= 0 else None


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> SafeString:
    """`text` escaped, with <mark> around each (start, end, span); overlaps are merged."""
    ranges = sorted(r for s in spans if (r := _locate(text, *s)) is not None)
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    cursor = 0
    for start, end in merged:
        parts.append(str(conditional_escape(text[cursor:start])))
        parts.append(f"<mark>{conditional_escape(text[start:end])}</mark>")
        cursor = end
    parts.append(str(conditional_escape(text[cursor:])))
    return mark_safe("".join(parts))  # every piece escaped above


def suggestion_context(suggestion: SkillSuggestion, text: str) -> SafeString:
    """The sentence of the answer holding the supporting words, those words marked."""
    sentence = answer_sentence_around(text, suggestion.start, suggestion.end, suggestion.span)
    located = _locate(sentence, 0, 0, suggestion.span)
    if located is None:
        return highlight(sentence, [])
    return highlight(sentence, [(located[0], located[1], suggestion.span)])


def decorate_suggestions(suggestions: Iterable[SkillSuggestion], text: str) -> list:
    """Attach what the templates show: score words and the highlighted sentence."""
    rows = []
    for suggestion in suggestions:
        suggestion.score_words = score_words(suggestion.score)  # type: ignore[attr-defined]
        suggestion.context_html = suggestion_context(suggestion, text)  # type: ignore[attr-defined]
        rows.append(suggestion)
    return rows


def answer_highlighted(text: str, suggestions: Iterable[SkillSuggestion]) -> SafeString:
    """The whole answer with the words of every suggestion not rejected marked."""
    return highlight(
        text,
        [
            (s.start, s.end, s.span)
            for s in suggestions
            if s.status != SkillSuggestion.Status.REJECTED
        ],
    )
