"""The competences on an offer, as the offer form shows and takes them (the recogniser's
suggestions for an offer's text are ml.offers)."""

from dataclasses import dataclass

from competenze.models import Concept
from competenze.selectors.framework import framework_default
from lavoro.models import JobOffer


@dataclass(frozen=True)
class OfferSkillRow:
    """A competence already on the offer, as the form shows it."""

    code: str
    label: str
    essential: bool


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
