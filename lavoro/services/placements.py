"""MAP/LPU placements of host bodies, under a convention with the court."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from common.events import OPPORTUNITY_CHANGED, send_on_commit
from common.exceptions import AccessDenied, ApplicationError
from common.models import Municipality, User
from competenze.models import Concept
from lavoro import permissions
from lavoro.kinds import PLACEMENT
from lavoro.models import Convention, HostBody, Placement, Proposal, ProposalEvent
from lavoro.models.opportunities import PLACEMENT_MEASURES
from lavoro.services._helpers import clean_and_save, field_error, fields_apply, prefetch_forget

HOST_BODY_MANAGE_DENIED = gettext_lazy("Non puoi gestire i posti e le convenzioni di questo ente.")
CONVENTION_OF_OTHER_HOST = gettext_lazy("La convenzione indicata non appartiene a questo ente.")
CONVENTION_EXPIRED = gettext_lazy("La convenzione è scaduta il %(date)s.")
PLACES_OVER_CONVENTION = gettext_lazy(
    "I posti (%(places)d) superano quelli della convenzione (%(total)d)."
)
PLACES_BELOW_TAKEN = gettext_lazy(
    "I posti non possono essere meno di quelli già occupati (%(taken)d)."
)
MEASURES_REQUIRED = gettext_lazy("Indica almeno una misura ammessa tra MAP, LPU e LSU.")
MEASURES_INVALID = gettext_lazy(
    "Misure non ammesse per un posto MAP/LPU: %(values)s (ammesse: map, lpu, lsu)."
)
PLACEMENT_CLOSED = gettext_lazy("Il posto è chiuso e non si può più modificare.")
PLACEMENT_NOT_DRAFT = gettext_lazy("Si può pubblicare solo un posto in bozza.")
HOURS_NOT_PLACEMENT = gettext_lazy("Le ore si registrano solo per le proposte su un posto MAP/LPU.")
HOURS_WRONG_STATUS = gettext_lazy(
    "Le ore si registrano solo per un percorso avviato: uno concluso o interrotto è chiuso."
)
HOURS_INVALID = gettext_lazy(
    "Indica un numero di ore tra 0,25 e %(max)d, in quarti d'ora (per esempio 2,75)."
)
HOURS_DENIED = gettext_lazy("Solo l'ente ospitante può confermare le ore svolte.")
HOURS_RECORDED_NOTE = gettext_lazy("Ore svolte confermate: %(hours)s.")
MAX_HOURS_PER_RECORD = 24 * 31
QUARTER = Decimal("0.25")


def hours_valid(hours: Decimal) -> bool:
    """Between a quarter hour and MAX_HOURS_PER_RECORD, in quarter hours."""
    return QUARTER <= hours <= MAX_HOURS_PER_RECORD and hours % QUARTER == 0


PLACEMENT_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "municipality",
        "activity",
        "places",
        "eligible_measures",
        "min_weekly_hours",
        "weekly_hours",
        "start_date",
        "profile",
    }
)


def _require_host_manager(user: User, host_body: HostBody) -> None:
    if not permissions.can_manage_host_body(user, host_body):
        raise AccessDenied(HOST_BODY_MANAGE_DENIED)


def convention_create(
    *,
    host_body: HostBody,
    created_by: User,
    court: str,
    reference: str,
    valid_from: datetime.date,
    total_places: int,
    valid_to: datetime.date | None = None,
) -> Convention:
    _require_host_manager(created_by, host_body)
    convention = Convention(
        host_body=host_body,
        court=court,
        reference=reference,
        valid_from=valid_from,
        valid_to=valid_to,
        total_places=total_places,
    )
    clean_and_save(convention)
    return convention


def _placement_check(placement: Placement) -> None:
    """The rules a placement keeps: its convention, the allowed measures, the places."""
    convention = placement.convention
    if convention.host_body_id != placement.host_body_id:
        raise field_error("convention", CONVENTION_OF_OTHER_HOST)
    measures = placement.eligible_measures
    if not measures:
        raise field_error("eligible_measures", MEASURES_REQUIRED)
    invalid = sorted(set(measures) - set(PLACEMENT_MEASURES))
    if invalid:
        raise field_error("eligible_measures", MEASURES_INVALID % {"values": ", ".join(invalid)})
    if placement.places > convention.total_places:
        message = PLACES_OVER_CONVENTION % {
            "places": placement.places,
            "total": convention.total_places,
        }
        raise field_error("places", message)
    if placement.places < placement.places_taken:
        raise field_error("places", PLACES_BELOW_TAKEN % {"taken": placement.places_taken})


def _convention_check_valid(convention: Convention) -> None:
    if convention.valid_to is not None and convention.valid_to < timezone.localdate():
        date = convention.valid_to.strftime("%d/%m/%Y")
        raise ApplicationError(CONVENTION_EXPIRED % {"date": date}, code="convention_expired")


@transaction.atomic
def placement_create(
    *,
    host_body: HostBody,
    convention: Convention,
    created_by: User,
    title: str,
    municipality: Municipality,
    activity: str,
    places: int,
    eligible_measures: list[str],
    skills: list[Concept] | None = None,
    **fields: Any,
) -> Placement:
    """Create a draft placement under one of the host body's conventions."""
    _require_host_manager(created_by, host_body)
    placement = Placement(host_body=host_body, convention=convention, status=Placement.Status.DRAFT)
    fields_apply(instance=placement, fields=fields, allowed=PLACEMENT_EDITABLE_FIELDS)
    placement.title, placement.municipality, placement.activity = title, municipality, activity
    placement.places, placement.eligible_measures = places, list(eligible_measures)
    _placement_check(placement)
    _convention_check_valid(convention)
    clean_and_save(placement)
    placement.skills.set(skills or [])
    send_on_commit(OPPORTUNITY_CHANGED, kind=PLACEMENT.code, opportunity_id=placement.pk)
    return placement


@transaction.atomic
def placement_update(
    *, placement: Placement, updated_by: User, skills: list[Concept] | None = None, **fields: Any
) -> Placement:
    """Change a draft or published placement; `skills`, when given, replaces the list."""
    _require_host_manager(updated_by, placement.host_body)
    if placement.status == Placement.Status.CLOSED:
        raise ApplicationError(PLACEMENT_CLOSED, code="closed")
    fields_apply(instance=placement, fields=fields, allowed=PLACEMENT_EDITABLE_FIELDS)
    _placement_check(placement)
    clean_and_save(placement)
    if skills is not None:
        placement.skills.set(skills)
        prefetch_forget(placement, "skills")
    send_on_commit(OPPORTUNITY_CHANGED, kind=PLACEMENT.code, opportunity_id=placement.pk)
    return placement


@transaction.atomic
def placement_publish(*, placement: Placement, published_by: User) -> Placement:
    _require_host_manager(published_by, placement.host_body)
    if placement.status != Placement.Status.DRAFT:
        raise ApplicationError(PLACEMENT_NOT_DRAFT, code="not_draft")
    _placement_check(placement)
    _convention_check_valid(placement.convention)
    placement.status = Placement.Status.PUBLISHED
    placement.save(update_fields=["status", "updated_at"])
    send_on_commit(OPPORTUNITY_CHANGED, kind=PLACEMENT.code, opportunity_id=placement.pk)
    return placement


@transaction.atomic
def placement_hours_record(*, proposal: Proposal, hours: Decimal | int, actor: User) -> Proposal:
    """Add hours the host body confirms as done, in quarter hours (2.75), to a started
    placement (a concluded or interrupted one is locked); a ProposalEvent is the trail."""
    hours = Decimal(hours)
    if proposal.placement_id is None:
        raise ApplicationError(HOURS_NOT_PLACEMENT, code="not_placement")
    if not permissions.can_decide_proposal(actor, proposal):
        raise AccessDenied(HOURS_DENIED)
    proposal.refresh_from_db(from_queryset=Proposal.objects.select_for_update())
    if proposal.status != Proposal.Status.STARTED:
        raise ApplicationError(HOURS_WRONG_STATUS, code="wrong_status")
    if not hours_valid(hours):
        raise field_error("hours", HOURS_INVALID % {"max": MAX_HOURS_PER_RECORD})
    proposal.hours_done += hours
    proposal.save(update_fields=["hours_done", "updated_at"])
    ProposalEvent.objects.create(
        proposal=proposal,
        from_status=proposal.status,
        to_status=proposal.status,
        actor=actor,
        note=HOURS_RECORDED_NOTE % {"hours": formats.number_format(hours.normalize())},
    )
    return proposal
