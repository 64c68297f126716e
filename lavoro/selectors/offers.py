from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import User
from lavoro import permissions
from lavoro.models import JobOffer
from lavoro.selectors._helpers import OpportunityFilters, opportunities_filter

OFFER_NOT_FOUND = gettext_lazy("Offerta non trovata.")
OFFER_MANAGE_DENIED = gettext_lazy("Non puoi modificare le offerte di questa azienda.")
OFFER_TEXT_FIELDS = ("title", "description", "employer__organisation__name")


def _offers() -> QuerySet[JobOffer]:
    return JobOffer.objects.select_related(
        "employer__organisation", "municipality__province", "profile", "site"
    ).prefetch_related("offer_skills__concept")


def offer_list_open(*, filters: OpportunityFilters | None = None) -> QuerySet[JobOffer]:
    """Published offers of active employers, newest first, filtered by place, profile, text."""
    offers = _offers().filter(
        status=JobOffer.Status.PUBLISHED, employer__organisation__is_active=True
    )
    filters = filters or OpportunityFilters()
    offers = opportunities_filter(offers, filters, text_fields=OFFER_TEXT_FIELDS)
    return offers.order_by("-published_at", "-id")


def offer_list_for_employer(*, user: User) -> QuerySet[JobOffer]:
    """Every offer (draft, published, closed) of the user's own employer."""
    if not user.has_role(User.Role.EMPLOYER) or user.organisation_id is None:
        return JobOffer.objects.none()
    offers = _offers().filter(employer__organisation_id=user.organisation_id)
    return offers.order_by("-created_at", "-id")


def offer_get_visible(*, user: User, offer_id: int) -> JobOffer:
    """A published offer, or any offer `user` manages; Http404 otherwise."""
    offer = _offers().filter(pk=offer_id).first()
    visible = offer is not None and (
        offer.status == JobOffer.Status.PUBLISHED or permissions.can_manage_offer(user, offer)
    )
    if not visible:
        raise Http404(OFFER_NOT_FOUND)
    return offer  # type: ignore[return-value]


def offer_get_manageable(*, user: User, offer_id: int) -> JobOffer:
    offer = offer_get_visible(user=user, offer_id=offer_id)
    if not permissions.can_manage_offer(user, offer):
        raise AccessDenied(OFFER_MANAGE_DENIED)
    return offer
