"""Job offers: drafts, publication, closing, required skills."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.events import OPPORTUNITY_CHANGED, send_on_commit
from common.exceptions import AccessDenied, ApplicationError
from common.models import Municipality, User
from competenze.models import Concept
from competenze.models.people import MeasureType
from lavoro import permissions
from lavoro.kinds import OFFER
from lavoro.models import Employer, JobOffer, OfferSkill, Site
from lavoro.services._helpers import clean_and_save, field_error, fields_apply, prefetch_forget

OFFER_MANAGE_DENIED = gettext_lazy("Non puoi modificare le offerte di questa azienda.")
OFFER_CLOSED = gettext_lazy("L'offerta è chiusa e non si può più modificare.")
OFFER_NOT_DRAFT = gettext_lazy("Si può pubblicare solo un'offerta in bozza.")
OFFER_ALREADY_CLOSED = gettext_lazy("L'offerta è già chiusa.")
OFFER_INCOMPLETE = gettext_lazy("Per pubblicare l'offerta mancano: %(missing)s.")
OFFER_PUBLISHED_NEEDS_SKILL = gettext_lazy(
    "Un'offerta pubblicata deve indicare almeno una competenza."
)
EMPLOYER_INACTIVE = gettext_lazy("L'azienda non è attiva: non può pubblicare offerte.")
SITE_OF_OTHER_EMPLOYER = gettext_lazy("La sede indicata non appartiene a questa azienda.")
MEASURE_UNKNOWN = gettext_lazy("Misure sconosciute: %(values)s.")
MISSING_LABELS = {
    "title": gettext_lazy("titolo"),
    "municipality": gettext_lazy("comune"),
    "skills": gettext_lazy("almeno una competenza"),
}
OFFER_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "municipality",
        "site",
        "contract",
        "positions",
        "start_date",
        "weekly_hours",
        "shift_start",
        "shift_end",
        "profile",
        "compatible_measures",
        "smuraglia_eligible",
    }
)


def _require_manager(user: User, offer: JobOffer) -> None:
    if not permissions.can_manage_offer(user, offer):
        raise AccessDenied(OFFER_MANAGE_DENIED)


def _check_measures(measures: list[str]) -> None:
    unknown = sorted(set(measures) - set(MeasureType.values))
    if unknown:
        message = MEASURE_UNKNOWN % {"values": ", ".join(unknown)}
        raise field_error("compatible_measures", message)


def _check_site(offer: JobOffer) -> None:
    if offer.site is not None and offer.site.employer_id != offer.employer_id:
        raise field_error("site", SITE_OF_OTHER_EMPLOYER)


@transaction.atomic
def offer_skills_set(*, offer: JobOffer, skills: list[tuple[Concept, bool]]) -> JobOffer:
    """Replace the offer's skills with `skills` as (concept, essential) pairs.

    The caller checks who may edit the offer; a repeated concept keeps its last flag.
    """
    if offer.status == JobOffer.Status.CLOSED:
        raise ApplicationError(OFFER_CLOSED, code="closed")
    chosen = {concept.pk: (concept, essential) for concept, essential in skills}
    if offer.status == JobOffer.Status.PUBLISHED and not chosen:
        raise ApplicationError(OFFER_PUBLISHED_NEEDS_SKILL, code="skills_required")
    OfferSkill.objects.filter(offer=offer).delete()
    OfferSkill.objects.bulk_create(
        OfferSkill(offer=offer, concept=concept, essential=essential)
        for concept, essential in chosen.values()
    )
    prefetch_forget(offer, "offer_skills")
    send_on_commit(OPPORTUNITY_CHANGED, kind=OFFER.code, opportunity_id=offer.pk)
    return offer


@transaction.atomic
def offer_create(
    *,
    employer: Employer,
    created_by: User,
    title: str,
    municipality: Municipality,
    contract: str,
    skills: list[tuple[Concept, bool]] | None = None,
    site: Site | None = None,
    start_date: datetime.date | None = None,
    **fields: Any,
) -> JobOffer:
    """Create a draft offer; `fields` are other editable fields (description, positions...)."""
    offer = JobOffer(employer=employer, status=JobOffer.Status.DRAFT)
    _require_manager(created_by, offer)
    fields_apply(instance=offer, fields=fields, allowed=OFFER_EDITABLE_FIELDS)
    offer.title, offer.municipality, offer.contract = title, municipality, contract
    offer.site, offer.start_date = site, start_date
    _check_measures(offer.compatible_measures)
    _check_site(offer)
    clean_and_save(offer)
    offer_skills_set(offer=offer, skills=skills or [])
    send_on_commit(OPPORTUNITY_CHANGED, kind=OFFER.code, opportunity_id=offer.pk)
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: JobOffer,
    updated_by: User,
    skills: list[tuple[Concept, bool]] | None = None,
    **fields: Any,
) -> JobOffer:
    """Change a draft or published offer; `skills`, when given, replaces the skill list."""
    _require_manager(updated_by, offer)
    if offer.status == JobOffer.Status.CLOSED:
        raise ApplicationError(OFFER_CLOSED, code="closed")
    fields_apply(instance=offer, fields=fields, allowed=OFFER_EDITABLE_FIELDS)
    _check_measures(offer.compatible_measures)
    _check_site(offer)
    clean_and_save(offer)
    if skills is not None:
        offer_skills_set(offer=offer, skills=skills)
    send_on_commit(OPPORTUNITY_CHANGED, kind=OFFER.code, opportunity_id=offer.pk)
    return offer


def _offer_missing(offer: JobOffer) -> list[str]:
    missing = []
    if not offer.title.strip():
        missing.append("title")
    if offer.municipality_id is None:
        missing.append("municipality")
    if not OfferSkill.objects.filter(offer=offer).exists():
        missing.append("skills")
    return missing


@transaction.atomic
def offer_publish(*, offer: JobOffer, published_by: User) -> JobOffer:
    """Publish a draft: it needs a title, a municipality and at least one skill."""
    _require_manager(published_by, offer)
    if offer.status != JobOffer.Status.DRAFT:
        raise ApplicationError(OFFER_NOT_DRAFT, code="not_draft")
    if not offer.employer.organisation.is_active:
        raise ApplicationError(EMPLOYER_INACTIVE, code="employer_inactive")
    missing = _offer_missing(offer)
    if missing:
        labels = ", ".join(str(MISSING_LABELS[name]) for name in missing)
        raise ApplicationError(
            OFFER_INCOMPLETE % {"missing": labels}, code="incomplete", extra={"missing": missing}
        )
    offer.status = JobOffer.Status.PUBLISHED
    offer.published_at = timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    send_on_commit(OPPORTUNITY_CHANGED, kind=OFFER.code, opportunity_id=offer.pk)
    return offer


@transaction.atomic
def offer_close(*, offer: JobOffer, closed_by: User) -> JobOffer:
    _require_manager(closed_by, offer)
    if offer.status == JobOffer.Status.CLOSED:
        raise ApplicationError(OFFER_ALREADY_CLOSED, code="already_closed")
    offer.status = JobOffer.Status.CLOSED
    offer.save(update_fields=["status", "updated_at"])
    send_on_commit(OPPORTUNITY_CHANGED, kind=OFFER.code, opportunity_id=offer.pk)
    return offer
