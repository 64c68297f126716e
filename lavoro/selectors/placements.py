from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import User
from lavoro import permissions
from lavoro.models import Convention, Placement
from lavoro.selectors._helpers import OpportunityFilters, opportunities_filter

PLACEMENT_NOT_FOUND = gettext_lazy("Posto MAP/LPU non trovato.")
CONVENTION_NOT_FOUND = gettext_lazy("Convenzione non trovata.")
PLACEMENT_MANAGE_DENIED = gettext_lazy("Non puoi gestire i posti di questo ente ospitante.")
PLACEMENT_TEXT_FIELDS = ("title", "description", "host_body__organisation__name")


@dataclass(frozen=True)
class PlacementFilters(OpportunityFilters):
    activity: str = ""
    measure: str = ""  # map, lpu or lsu


def _placements() -> QuerySet[Placement]:
    return Placement.objects.select_related(
        "host_body__organisation", "convention", "municipality__province", "profile"
    ).prefetch_related("skills")


def placement_list_open(*, filters: PlacementFilters | None = None) -> QuerySet[Placement]:
    """Published placements, newest first; `measure` keeps those that accept it."""
    placements = _placements().filter(status=Placement.Status.PUBLISHED)
    filters = filters or PlacementFilters()
    placements = opportunities_filter(placements, filters, text_fields=PLACEMENT_TEXT_FIELDS)
    if filters.activity:
        placements = placements.filter(activity=filters.activity)
    if filters.measure:
        # JSON "contains" is not portable (SQLite); the quoted value matches a list item.
        placements = placements.filter(eligible_measures__icontains=f'"{filters.measure}"')
    return placements.order_by("-created_at", "-id")


def placement_list_for_host(*, user: User) -> QuerySet[Placement]:
    """Every placement (draft, published, closed) of the user's own host body."""
    if not user.has_role(User.Role.HOST_BODY) or user.organisation_id is None:
        return Placement.objects.none()
    placements = _placements().filter(host_body__organisation_id=user.organisation_id)
    return placements.order_by("-created_at", "-id")


def placement_get_visible(*, user: User, placement_id: int) -> Placement:
    placement = _placements().filter(pk=placement_id).first()
    visible = placement is not None and (
        placement.status == Placement.Status.PUBLISHED
        or permissions.can_manage_placement(user, placement)
    )
    if not visible:
        raise Http404(PLACEMENT_NOT_FOUND)
    return placement  # type: ignore[return-value]


def placement_get_manageable(*, user: User, placement_id: int) -> Placement:
    placement = placement_get_visible(user=user, placement_id=placement_id)
    if not permissions.can_manage_placement(user, placement):
        raise AccessDenied(PLACEMENT_MANAGE_DENIED)
    return placement


def convention_get_manageable(*, user: User, convention_id: int) -> Convention:
    """A convention of a host body `user` manages; Http404 for any other."""
    convention = Convention.objects.select_related("host_body").filter(pk=convention_id).first()
    if convention is None or not permissions.can_manage_convention(user, convention):
        raise Http404(CONVENTION_NOT_FOUND)
    return convention
