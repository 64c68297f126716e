"""The kinds of opportunity: one registry, used by services, events, search, forms, views and
templates. A fifth kind is one more entry here (and its model, pages and index fields).

Each kind has a `code` (English, for events, search documents and the API's values; also
the name of its foreign key on Proposal), a `slug` (Italian, what users see in addresses,
query strings and page anchors), an `anchor` for the page section that lists its kind, and
Italian labels.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lavoro.models import Course, JobOffer, Placement


@dataclass(frozen=True, eq=False)  # equal and hashed as itself: labels are lazy
class OpportunityKind:
    code: str
    slug: str
    anchor: str
    label: Promise
    plural: Promise
    model: type[models.Model]
    owner: str  # the row's field naming who offers it (its organisation receives proposals)

    @property
    def is_offer(self) -> bool:
        return self is OFFER

    @property
    def is_course(self) -> bool:
        return self is COURSE

    @property
    def is_placement(self) -> bool:
        return self is PLACEMENT

    def __str__(self) -> str:
        return self.code


OFFER = OpportunityKind(
    code="offer",
    slug="offerta",
    anchor="offerte",
    label=_("Offerta di lavoro"),
    plural=_("Offerte di lavoro"),
    model=JobOffer,
    owner="employer",
)
COURSE = OpportunityKind(
    code="course",
    slug="corso",
    anchor="corsi",
    label=_("Corso di formazione"),
    plural=_("Corsi di formazione"),
    model=Course,
    owner="provider",
)
PLACEMENT = OpportunityKind(
    code="placement",
    slug="posto",
    anchor="posti",
    label=_("Posto MAP/LPU"),
    plural=_("Posti MAP/LPU"),
    model=Placement,
    owner="host_body",
)
KINDS = (OFFER, COURSE, PLACEMENT)
CODES = tuple(kind.code for kind in KINDS)
SLUGS = tuple(kind.slug for kind in KINDS)
_BY_CODE = {kind.code: kind for kind in KINDS}
_BY_SLUG = {kind.slug: kind for kind in KINDS}


def kind_from_code(code: str) -> OpportunityKind:
    """The kind with this code; KeyError for an unknown one."""
    return _BY_CODE[code]


def kind_from_slug(slug: str) -> OpportunityKind:
    """The kind with this slug; KeyError for an unknown one."""
    return _BY_SLUG[slug]
