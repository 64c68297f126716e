"""Counsellors' list of open opportunities: job offers, courses and MAP/LPU placements."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from common.models import User
from common.paging import page_get
from lavoro.kinds import COURSE, KINDS, OFFER, PLACEMENT, SLUGS, OpportunityKind, kind_from_slug
from lavoro.selectors import OpportunityFilters, PlacementFilters
from lavoro.selectors.courses import course_list_open
from lavoro.selectors.offers import offer_list_open
from lavoro.selectors.placements import placement_list_open
from portal.forms.lavoro import OpportunityFilterForm
from portal.views._helpers import PER_PAGE, AuthedRequest, role_required

Role = User.Role


@dataclass(frozen=True)
class OpportunityRow:
    kind: OpportunityKind
    item: Any


def _querysets(filters: dict[str, str]) -> dict[OpportunityKind, Any]:
    common = OpportunityFilters(
        province=filters.get("province", ""),
        sector=filters.get("sector", ""),
        text=filters.get("q", ""),
    )
    placement_filters = PlacementFilters(
        province=common.province, sector=common.sector, text=common.text
    )
    return {
        OFFER: offer_list_open(filters=common),
        COURSE: course_list_open(filters=common),
        PLACEMENT: placement_list_open(filters=placement_filters),
    }


def _page_rows(request: AuthedRequest, filters: dict[str, str]) -> tuple[Any, list[OpportunityRow]]:
    """Page through the three lists merged by newest first, loading full rows for one page."""
    querysets = _querysets(filters)
    kinds = [kind_from_slug(filters["kind"])] if filters.get("kind") in SLUGS else list(KINDS)
    keys: list[tuple[Any, OpportunityKind, int]] = []
    for kind in kinds:
        for pk, created in querysets[kind].order_by().values_list("pk", "created_at"):
            keys.append((created, kind, pk))
    keys.sort(key=lambda key: (key[0], key[2]), reverse=True)
    page = page_get(keys, request.GET.get("pagina"), per_page=PER_PAGE)
    wanted: dict[OpportunityKind, list[int]] = {}
    for _created, kind, pk in page.object_list:
        wanted.setdefault(kind, []).append(pk)
    loaded = {
        (kind, item.pk): item
        for kind, pks in wanted.items()
        for item in querysets[kind].filter(pk__in=pks)
    }
    rows = [
        OpportunityRow(kind, loaded[(kind, pk)])
        for _c, kind, pk in page.object_list
        if (kind, pk) in loaded
    ]
    return page, rows


@role_required(Role.COUNSELLOR, Role.PROGRAMME_MANAGER, Role.ADMIN)
def opportunity_list(request: AuthedRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, rows = _page_rows(request, filters)
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "lavoro/opportunities.html", context)
