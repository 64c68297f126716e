"""The recogniser reads an offer's text: competences to suggest, and the words why (the
offer form shows them as the employer types)."""

from dataclasses import dataclass

from ml.services import get_recognizer

TOP_K = 10
MIN_SCORE = 0.2
CONTEXT_CHARS = 50


@dataclass(frozen=True)
class OfferSkillSuggestion:
    code: str
    label: str
    score: float
    reason: str
    before: str  # text before the supporting words, shortened
    span: str  # the supporting words, shown in <mark>
    after: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def offer_text(*, title: str, description: str) -> str:
    return f"{title.strip()}\n{description.strip()}".strip()


def _context(text: str, start: int, end: int) -> tuple[str, str, str]:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if end + CONTEXT_CHARS < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    return before.replace("\n", " "), text[start:end].replace("\n", " "), after.replace("\n", " ")


def offer_skill_suggestions(
    *, title: str, description: str, exclude: frozenset[str] = frozenset()
) -> list[OfferSkillSuggestion]:
    """Competences the recogniser reads in the offer text (negated mentions dropped).

    `exclude` holds codes already on the offer. Raises RecognizerUnavailable when the
    recogniser cannot run (no default framework).
    """
    text = offer_text(title=title, description=description)
    if not text:
        return []
    suggestions = get_recognizer().suggest(text, top_k=TOP_K, min_score=MIN_SCORE)
    result = []
    for suggestion in suggestions:
        if suggestion.negated or suggestion.code in exclude:
            continue
        before, span, after = _context(text, suggestion.start, suggestion.end)
        result.append(
            OfferSkillSuggestion(
                code=suggestion.code,
                label=suggestion.label,
                score=suggestion.score,
                reason=suggestion.reason,
                before=before,
                span=span,
                after=after,
            )
        )
    return result
