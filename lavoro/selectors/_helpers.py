"""Filters the opportunity lists share."""

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class OpportunityFilters:
    """Filters for the public lists; empty strings mean "no filter"."""

    municipality: str = ""  # ISTAT code
    province: str = ""  # two-letter code, e.g. MI
    profile: str = ""  # concept code of a professional profile
    sector: str = ""  # framework sector code
    text: str = ""


TEXT_FIELDS = ("title", "description")

M = TypeVar("M", bound=Model)


def opportunities_filter(
    queryset: QuerySet[M],
    filters: OpportunityFilters,
    *,
    text_fields: tuple[str, ...] = TEXT_FIELDS,
) -> QuerySet[M]:
    if filters.municipality:
        queryset = queryset.filter(municipality__istat_code=filters.municipality)
    if filters.province:
        queryset = queryset.filter(municipality__province__code=filters.province.upper())
    if filters.profile:
        queryset = queryset.filter(profile__code=filters.profile)
    if filters.sector:
        code = filters.sector.upper()
        queryset = queryset.filter(
            Q(profile__sector__code=code) | Q(skills__sector__code=code)
        ).distinct()
    if filters.text:
        text = filters.text.strip()
        matches = Q()
        for field in text_fields:
            matches |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(matches)
    return queryset
