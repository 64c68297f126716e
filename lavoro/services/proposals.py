"""Proposals of a person to an opportunity, and the workflow they go through.

Every change of status writes a ProposalEvent (from, to, actor, note).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.events import OPPORTUNITY_CHANGED, send_on_commit
from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Consent, JudicialMeasure, Person
from competenze.selectors.people import person_consents_list
from lavoro import permissions
from lavoro.kinds import COURSE, PLACEMENT
from lavoro.models import Course, JobOffer, Placement, Proposal, ProposalEvent

Status = Proposal.Status

PROPOSE_DENIED = gettext_lazy("Puoi proporre solo le persone seguite dalla tua organizzazione.")
TARGET_REQUIRED = gettext_lazy(
    "Indica una sola opportunità: un'offerta, un corso o un posto MAP/LPU."
)
TARGET_NOT_OPEN = gettext_lazy(
    "L'opportunità non è pubblicata: non si possono inviare candidature."
)
PERSON_INACTIVE = gettext_lazy("Il percorso di questa persona non è attivo.")
CONSENT_MISSING = gettext_lazy(
    "Manca il consenso della persona alla candidatura per questo ente: registralo prima."
)
CONSENT_REVOKED = gettext_lazy(
    "Il consenso alla candidatura è stato revocato: la proposta non può partire."
)
ALREADY_PROPOSED = gettext_lazy("Questa persona è già stata proposta per questa opportunità.")
NO_CURRENT_MEASURE = gettext_lazy(
    "La persona non ha una misura in corso: il posto è riservato a MAP/LPU/LSU."
)
MEASURE_NOT_ELIGIBLE = gettext_lazy(
    "La misura in corso della persona non è tra quelle ammesse dal posto."
)
PLACEMENT_FULL = gettext_lazy("Non ci sono più posti disponibili presso l'ente ospitante.")
COURSE_FULL = gettext_lazy("Il corso non ha più posti disponibili.")
TRANSITION_INVALID = gettext_lazy(
    "Passaggio non consentito da «%(from)s» a «%(to)s». Stati possibili: %(allowed)s."
)
TRANSITION_FINAL = gettext_lazy("nessuno (la proposta è in uno stato finale)")
TRANSITION_DENIED = gettext_lazy("Non puoi portare questa proposta allo stato «%(to)s».")
PROPOSAL_DENIED = gettext_lazy("Non puoi agire su questa proposta.")

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SENT, Status.WITHDRAWN}),
    Status.SENT: frozenset({Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.STARTED, Status.WITHDRAWN}),
    Status.STARTED: frozenset({Status.COMPLETED, Status.INTERRUPTED}),
}
"""Allowed targets from each status; statuses not listed are final."""

SENDER_TARGETS = frozenset({Status.SENT, Status.WITHDRAWN, Status.INTERRUPTED})
"""What the proposing counsellor may do; the receiving side does the rest."""
RECEIVER_TARGETS = frozenset(
    {Status.ACCEPTED, Status.REJECTED, Status.STARTED, Status.COMPLETED, Status.INTERRUPTED}
)


def _target_organisation_id(
    *, offer: JobOffer | None, course: Course | None, placement: Placement | None
) -> int:
    if offer is not None:
        return offer.employer.organisation_id
    if course is not None:
        return course.provider.organisation_id
    assert placement is not None
    return placement.host_body.organisation_id


def _proposal_consent(*, person: Person, recipient_id: int) -> Consent:
    """The "candidatura" consent covering this recipient (Consent.objects.covering), newest
    first; ApplicationError when there is none."""
    consent = (
        person_consents_list(person=person)
        .covering(purpose=Consent.Purpose.PROPOSAL, organisation_id=recipient_id)
        .order_by("-given_at", "-pk")
        .first()
    )
    if not isinstance(consent, Consent):
        raise ApplicationError(CONSENT_MISSING, code="consent_missing")
    return consent


def _current_measure_type(*, person: Person, actor: User) -> str | None:
    today = timezone.localdate()
    measure = (
        JudicialMeasure.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date", "-id")
        .first()
    )
    access_log_record(
        actor=actor,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category="giudiziari",
        purpose="verifica misure ammesse per un posto MAP/LPU",
    )
    return measure.measure_type if measure is not None else None


def _placement_check_eligible(*, placement: Placement, person: Person, actor: User) -> None:
    measure_type = _current_measure_type(person=person, actor=actor)
    if measure_type is None:
        raise ApplicationError(NO_CURRENT_MEASURE, code="no_measure")
    if measure_type not in placement.eligible_measures:
        raise ApplicationError(MEASURE_NOT_ELIGIBLE, code="measure_not_eligible")
    if placement.places_available <= 0:
        raise ApplicationError(PLACEMENT_FULL, code="full")


def _target_check_open(
    *, offer: JobOffer | None, course: Course | None, placement: Placement | None
) -> None:
    targets = [target for target in (offer, course, placement) if target is not None]
    if len(targets) != 1:
        raise ApplicationError(TARGET_REQUIRED, code="target_required")
    if targets[0].status != JobOffer.Status.PUBLISHED:
        raise ApplicationError(TARGET_NOT_OPEN, code="target_not_open")
    if course is not None and course.seats_available <= 0:
        raise ApplicationError(COURSE_FULL, code="full")


def _event_record(
    *, proposal: Proposal, from_status: str, to_status: str, actor: User, note: str = ""
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal, from_status=from_status, to_status=to_status, actor=actor, note=note
    )


def _proposal_insert(proposal: Proposal) -> Proposal:
    """Save a new proposal, its first event and its audit row; refuse the same pair twice."""
    same_target = Q(offer=proposal.offer, course=proposal.course, placement=proposal.placement)
    duplicate = Proposal.objects.filter(same_target, person=proposal.person)
    if duplicate.exists():
        raise ApplicationError(ALREADY_PROPOSED, code="duplicate")
    try:
        with transaction.atomic():
            proposal.save()
            _event_record(
                proposal=proposal,
                from_status="",
                to_status=Status.DRAFT,
                actor=proposal.proposed_by,
            )
            access_log_record(
                actor=proposal.proposed_by,
                action=AccessLog.Action.CREATE,
                subject=proposal.person.pseudonym,
                data_category="candidatura",
            )
    except IntegrityError as error:  # a concurrent request won the race
        raise ApplicationError(ALREADY_PROPOSED, code="duplicate") from error
    return proposal


def proposal_create(
    *,
    person: Person,
    proposed_by: User,
    offer: JobOffer | None = None,
    course: Course | None = None,
    placement: Placement | None = None,
    message: str = "",
) -> Proposal:
    """A draft proposal of `person` to exactly one opportunity.

    Needs an active "candidatura" consent (general or for the receiving organisation),
    recorded in `proposal.consent`; for a placement, a current MAP/LPU/LSU measure the
    placement accepts and a free place; for a course, a free seat. The checks run outside
    the write transaction so that the audit row of the measure read stays when refused.
    """
    if not permissions.can_propose(proposed_by, person):
        raise AccessDenied(PROPOSE_DENIED)
    if not person.is_active:
        raise ApplicationError(PERSON_INACTIVE, code="person_inactive")
    _target_check_open(offer=offer, course=course, placement=placement)
    recipient_id = _target_organisation_id(offer=offer, course=course, placement=placement)
    consent = _proposal_consent(person=person, recipient_id=recipient_id)
    if placement is not None:
        _placement_check_eligible(placement=placement, person=person, actor=proposed_by)
    proposal = _proposal_insert(
        Proposal(
            person=person,
            offer=offer,
            course=course,
            placement=placement,
            consent=consent,
            proposed_by=proposed_by,
            message=message,
        )
    )
    return proposal


def _transition_check(*, proposal: Proposal, to_status: str, actor: User) -> None:
    sender = permissions.can_send_proposal(actor, proposal)
    receiver = permissions.can_decide_proposal(actor, proposal)
    if not (sender or receiver):
        raise AccessDenied(PROPOSAL_DENIED)
    allowed = TRANSITIONS.get(proposal.status, frozenset())
    if to_status not in allowed:
        labels = ", ".join(f"«{Status(s).label}»" for s in sorted(allowed)) or TRANSITION_FINAL
        target = Status(to_status).label if to_status in Status.values else to_status
        current = Status(proposal.status).label
        message = TRANSITION_INVALID % {"from": current, "to": target, "allowed": labels}
        raise ApplicationError(
            message, code="invalid_transition", extra={"allowed": sorted(allowed)}
        )
    if not (
        (sender and to_status in SENDER_TARGETS) or (receiver and to_status in RECEIVER_TARGETS)
    ):
        label = Status(to_status).label
        raise AccessDenied(TRANSITION_DENIED % {"to": label})


def _send_check(proposal: Proposal) -> None:
    consent = proposal.consent
    if consent is None or consent.revoked_at is not None:
        raise ApplicationError(CONSENT_REVOKED, code="consent_revoked")
    if proposal.target.status != JobOffer.Status.PUBLISHED:  # type: ignore[attr-defined]
        raise ApplicationError(TARGET_NOT_OPEN, code="target_not_open")


def _places_take(proposal: Proposal) -> None:
    """Take a place or a seat when the path starts; refuse when none is left."""
    if proposal.placement_id is not None:
        placement = Placement.objects.select_for_update().get(pk=proposal.placement_id)
        if placement.places_available <= 0:
            raise ApplicationError(PLACEMENT_FULL, code="full")
        placement.places_taken += 1
        placement.save(update_fields=["places_taken", "updated_at"])
    elif proposal.course_id is not None:
        course = Course.objects.select_for_update().get(pk=proposal.course_id)
        if course.seats_available <= 0:
            raise ApplicationError(COURSE_FULL, code="full")
        course.seats_taken += 1
        course.save(update_fields=["seats_taken", "updated_at"])


def _places_release(proposal: Proposal) -> None:
    """A placement that ends frees its place; a course seat stays taken for the edition."""
    if proposal.placement_id is None:
        return
    placement = Placement.objects.select_for_update().get(pk=proposal.placement_id)
    if placement.places_taken > 0:
        placement.places_taken -= 1
        placement.save(update_fields=["places_taken", "updated_at"])


@transaction.atomic
def proposal_transition(
    *, proposal: Proposal, to_status: str, actor: User, note: str = ""
) -> Proposal:
    """Move a proposal along TRANSITIONS, if `actor`'s side may.

    The counsellor sends and withdraws; the employer, host body or course managers accept,
    reject, start and complete; either side may interrupt. Starting takes a place or a seat.
    """
    proposal.refresh_from_db(from_queryset=Proposal.objects.select_for_update())
    _transition_check(proposal=proposal, to_status=to_status, actor=actor)
    if to_status == Status.SENT:
        _send_check(proposal)
    elif to_status == Status.STARTED:
        _places_take(proposal)
    elif proposal.status == Status.STARTED:
        _places_release(proposal)
    from_status = proposal.status
    proposal.status = to_status
    proposal.save(update_fields=["status", "updated_at"])
    _event_record(
        proposal=proposal, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    _target_changed(proposal)
    return proposal


def _target_changed(proposal: Proposal) -> None:
    """Seats and places shown by the search index follow the proposal's start and end."""
    if proposal.course_id is not None:
        send_on_commit(OPPORTUNITY_CHANGED, kind=COURSE.code, opportunity_id=proposal.course_id)
    elif proposal.placement_id is not None:
        send_on_commit(
            OPPORTUNITY_CHANGED, kind=PLACEMENT.code, opportunity_id=proposal.placement_id
        )


MESSAGE_NOT_DRAFT = gettext_lazy(
    "Il messaggio si cambia solo mentre la proposta è in preparazione: una volta inviata, "
    "l'ente l'ha già letto."
)
MESSAGE_MAX = 2000
MESSAGE_TOO_LONG = gettext_lazy("Il messaggio può avere al massimo %(max)d caratteri.")


@transaction.atomic
def proposal_message_update(*, proposal: Proposal, actor: User, message: str) -> Proposal:
    """Edit the message of a draft proposal (the counsellor's side only)."""
    proposal.refresh_from_db(from_queryset=Proposal.objects.select_for_update())
    if not permissions.can_send_proposal(actor, proposal):
        raise AccessDenied(PROPOSAL_DENIED)
    if proposal.status != Status.DRAFT:
        raise ApplicationError(MESSAGE_NOT_DRAFT, code="not_draft")
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise ApplicationError(MESSAGE_TOO_LONG % {"max": MESSAGE_MAX}, code="too_long")
    proposal.message = message
    proposal.save(update_fields=["message", "updated_at"])
    return proposal
