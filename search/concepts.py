"""Concepts, their children and profile requirements, read once per run and remembered:
what sources, profiles and relevance share."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from competenze.models import Concept, ConceptRelation
from search.matching import HeldSkill, held_credits
from search.types import Credit, IndexedSkill, Requirement


@dataclass(frozen=True)
class ConceptInfo:
    code: str
    label: str
    alt_labels: tuple[str, ...]
    sector: str
    parent_id: int | None

    @cached_property
    def text(self) -> str:
        """The words a search finds the concept by: its label and alternative labels."""
        return " ".join((self.label, *self.alt_labels))


class ConceptCache:
    """Concepts, profile requirements and children, fetched once per run and remembered,
    and what a rebuild derives from them a million times (credits, requirements, skills)."""

    def __init__(self) -> None:
        self._info: dict[int, ConceptInfo] = {}
        self._children: dict[int, tuple[int, ...]] = {}
        self._relations: dict[int, tuple[tuple[int, bool], ...]] = {}
        self._held: dict[tuple[int, str], tuple[Credit, ...]] = {}
        self._requirements: dict[tuple[int, bool], Requirement] = {}
        self._skills: dict[tuple[int, str, int], IndexedSkill] = {}

    @property
    def known(self) -> Mapping[int, ConceptInfo]:
        """Every concept read so far (by `info`), without reading more."""
        return self._info

    def info(self, ids: Iterable[int]) -> Mapping[int, ConceptInfo]:
        """Every concept read so far, `ids` among them (read now if new)."""
        known = self._info
        missing = {pk for pk in ids if pk not in known}  # not set - keys(): that walks every key
        if not missing:
            return self._info
        rows = Concept.objects.filter(pk__in=missing).values_list(
            "pk", "code", "pref_label", "alt_labels", "sector__code", "parent_id"
        )
        for pk, code, label, alt, sector, parent in rows:
            self._info[pk] = ConceptInfo(code, label, tuple(alt or ()), sector or "", parent)
        return self._info

    def children(self, ids: Iterable[int]) -> Mapping[int, tuple[int, ...]]:
        missing = {pk for pk in ids if pk not in self._children}
        found: dict[int, list[int]] = defaultdict(list)
        rows = Concept.objects.filter(parent_id__in=missing).values_list("pk", "parent_id")
        for pk, parent in rows:
            found[parent].append(pk)
        self._children.update({pk: tuple(found.get(pk, ())) for pk in missing})
        return self._children

    def held_credits(self, concept_id: int, stage: str) -> tuple[Credit, ...]:
        """matching.held_credits of a skill held at `stage`, worked out once per run (a
        rebuild asks for the same few thousand concepts a million times)."""
        key = (concept_id, stage)
        found = self._held.get(key)
        if found is None:
            parent = self.info([concept_id])[concept_id].parent_id
            skill = HeldSkill(concept_id, stage, parent)
            found = self._held[key] = held_credits(skill, self.children([concept_id]))
        return found

    def requirement(self, concept_id: int, essential: bool) -> Requirement | None:
        """The requirement of a concept read with `info` (None for another), made once per
        run and shared by every opportunity asking for it."""
        key = (concept_id, essential)
        found = self._requirements.get(key)
        if found is None and (info := self._info.get(concept_id)) is not None:
            found = Requirement(concept_id, info.code, info.label, essential, info.sector)
            self._requirements[key] = found
        return found

    def indexed_skill(self, concept_id: int, stage: str, level: int) -> IndexedSkill:
        """A held skill as a profile document shows it (the concept read with `info`), made
        once per run and shared by every profile holding it so."""
        key = (concept_id, stage, level)
        found = self._skills.get(key)
        if found is None:
            info = self._info[concept_id]
            found = IndexedSkill(concept_id, info.code, info.label, stage, level, info.sector)
            self._skills[key] = found
        return found

    def relations(self, profile_ids: Iterable[int]) -> Mapping[int, tuple[tuple[int, bool], ...]]:
        missing = {pk for pk in profile_ids if pk not in self._relations}
        found: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        rows = ConceptRelation.objects.filter(source_id__in=missing).order_by("target__code")
        for source, target, kind in rows.values_list("source_id", "target_id", "kind"):
            found[source].append((target, kind == ConceptRelation.Kind.ESSENTIAL))
        self._relations.update({pk: tuple(found.get(pk, ())) for pk in missing})
        return self._relations
