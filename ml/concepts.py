"""How framework concepts roll up to the competences the recogniser suggests."""

from collections import defaultdict
from dataclasses import dataclass

from ml.types import ConceptText

SUGGESTED_KINDS = frozenset({"competenza", "trasversale"})


@dataclass(frozen=True)
class Target:
    """A competence that can be suggested, and the texts that describe it."""

    code: str
    label: str
    kind: str
    sector: str
    document: str  # labels of the competence and of its abilities and knowledge


class ConceptCatalogue:
    """Maps every concept code to the competence(s) a mention of it supports."""

    def __init__(self, concepts: list[ConceptText]):
        by_code = {c.code: c for c in concepts}
        self.concepts = by_code
        self.targets_of: dict[str, tuple[str, ...]] = {}
        texts: dict[str, list[str]] = defaultdict(list)
        for concept in concepts:
            targets = self._targets(concept, by_code)
            self.targets_of[concept.code] = targets
            if concept.kind != "profilo":
                for code in targets:
                    texts[code].extend([concept.pref_label, *concept.alt_labels])
        self.targets = {
            code: Target(
                code=code,
                label=by_code[code].pref_label,
                kind=by_code[code].kind,
                sector=by_code[code].sector,
                document=" . ".join([*texts[code], by_code[code].description]),
            )
            for code in texts
            if code in by_code
        }
        self.order = sorted(self.targets)

    @staticmethod
    def _targets(concept: ConceptText, by_code: dict[str, ConceptText]) -> tuple[str, ...]:
        if concept.kind in SUGGESTED_KINDS:
            return (concept.code,)
        if concept.kind == "profilo":
            return tuple(code for code in concept.implies if code in by_code)
        parent = by_code.get(concept.parent_code or "")
        if parent is not None and parent.kind in SUGGESTED_KINDS:
            return (parent.code,)
        return ()

    def labels(self) -> list[tuple[str, str, bool]]:
        """Every (concept code, label, preferred?) worth matching."""
        rows = []
        for concept in self.concepts.values():
            if not self.targets_of.get(concept.code):
                continue
            rows.append((concept.code, concept.pref_label, True))
            rows.extend((concept.code, label, False) for label in concept.alt_labels)
        return rows
