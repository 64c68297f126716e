"""Training data for the outcome ranker, read from proposals, and the training run.

Features are computed from today's profiles and opportunities (past snapshots are not
kept): a known approximation, fine for ranking ingredients that change slowly.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from competenze.models import Person, SkillEntry
from competenze.selectors.idvcc import supported_stages
from lavoro.models import Proposal
from search import ranking, sources
from search.concepts import ConceptCache
from search.matching import HeldSkill, credits_for, haversine_km
from search.types import COURSE, OFFER, PLACEMENT, Credit, OpportunityDoc


def ranker_path() -> Path:
    default = Path(settings.PONTE_ML_ARTIFACT_DIR) / "search" / "ranker.json"
    return Path(getattr(settings, "PONTE_SEARCH_RANKER_PATH", default))


@dataclass(frozen=True)
class TrainResult:
    trained: bool
    outcomes: int
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {"trained": self.trained, "outcomes": self.outcomes, "path": self.path}


def _targets(rows: list[tuple[Any, ...]]) -> dict[tuple[str, int], OpportunityDoc]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for _person, offer, course, placement, _status in rows:
        for kind, pk in ((OFFER, offer), (COURSE, course), (PLACEMENT, placement)):
            if pk is not None:
                wanted[kind].add(pk)
    cache = ConceptCache()
    found = {}
    for kind, ids in wanted.items():
        for chunk in sources.chunked(sorted(ids)):
            docs, _gone = sources.opportunity_docs(kind, chunk, cache, published_only=False)
            found.update({(doc.kind, doc.id): doc for doc in docs})
    return found


def _credits(person_ids: set[int]) -> dict[int, dict[int, Credit]]:
    held: dict[int, list[HeldSkill]] = defaultdict(list)
    entries = list(
        SkillEntry.objects.filter(person_id__in=person_ids).values_list(
            "pk", "person_id", "concept_id", "concept__parent_id"
        )
    )
    stages = supported_stages(entry_ids=[row[0] for row in entries])  # what records support
    for pk, person, concept, parent in entries:
        held[person].append(HeldSkill(concept, stages[pk], parent))
    cache = ConceptCache()
    children = cache.children(skill.concept_id for skills in held.values() for skill in skills)
    return {person: credits_for(skills, children) for person, skills in held.items()}


def outcomes_dataset() -> tuple[list[list[float]], list[int]]:
    """One feature row per decided proposal: label 1 for a good outcome, 0 for a bad one."""
    statuses = ranking.POSITIVE | ranking.NEGATIVE
    rows = list(
        Proposal.objects.filter(status__in=statuses).values_list(
            "person_id", "offer_id", "course_id", "placement_id", "status"
        )
    )
    targets = _targets(rows)
    people = {row[0] for row in rows}
    credits = _credits(people)
    places = dict(
        (pk, (lat, lon))
        for pk, lat, lon in Person.objects.filter(
            pk__in=people, domicile__isnull=False
        ).values_list("pk", "domicile__latitude", "domicile__longitude")
    )
    features, labels = [], []
    for person, offer, course, placement, status in rows:
        kind, pk = next(
            (k, v) for k, v in ((OFFER, offer), (COURSE, course), (PLACEMENT, placement)) if v
        )
        doc = targets.get((kind, pk))
        if doc is None:
            continue
        origin = places.get(person)
        distance = haversine_km(*origin, doc.latitude, doc.longitude) if origin else None
        features.append(ranking.features_for(doc, credits.get(person, {}), distance))
        labels.append(int(status in ranking.POSITIVE))
    return features, labels


def ranker_train() -> TrainResult:
    """Train and store the model if there are enough outcomes; otherwise keep the formula."""
    features, labels = outcomes_dataset()
    model = ranking.train(features, labels)
    path = ranker_path()
    if model is not None:
        ranking.model_save(model, path)
    return TrainResult(trained=model is not None, outcomes=len(labels), path=str(path))
