"""The skill recogniser reads an offer's text: competences to suggest, and the words why."""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from competenze.models import Concept
from competenze.selectors.framework import framework_default
from lavoro.models import JobOffer

logger = logging.getLogger(__name__)

TOP_K = 10
MIN_SCORE = 0.2
CONTEXT_CHARS = 50
RECOGNIZER_UNAVAILABLE = _(
    "Il suggerimento delle competenze non è disponibile ora: aggiungile con la ricerca."
)


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


@dataclass(frozen=True)
class OfferSkillRow:
    """A competence already on the offer, as the form shows it."""

    code: str
    label: str
    essential: bool


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
) -> list[OfferSkillSuggestion] | None:
    """Competences the recogniser reads in the offer text (negated mentions dropped).

    `exclude` holds codes already on the offer. Returns None when the recogniser cannot run
    (no default framework); the caller shows RECOGNIZER_UNAVAILABLE then.
    """
    from ml.services import get_recognizer

    text = offer_text(title=title, description=description)
    if not text:
        return []
    try:
        suggestions = get_recognizer().suggest(text, top_k=TOP_K, min_score=MIN_SCORE)
    except RuntimeError:
        logger.warning("Riconoscitore non disponibile per le offerte")
        return None
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


def offer_skill_rows(*, offer: JobOffer | None) -> list[OfferSkillRow]:
    if offer is None:
        return []
    skills = offer.offer_skills.select_related("concept").order_by("-essential", "concept__code")
    return [
        OfferSkillRow(code=s.concept.code, label=s.concept.pref_label, essential=s.essential)
        for s in skills
    ]


def concepts_by_code(codes: list[str]) -> dict[str, Concept]:
    """Competences of the default framework with these codes (unknown codes are left out)."""
    if not codes:
        return {}
    concepts = Concept.objects.filter(framework=framework_default(), code__in=codes)
    return {concept.code: concept for concept in concepts}
