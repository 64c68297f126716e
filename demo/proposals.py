"""The demo beneficiary and proposals in every status for the dashboards."""

from itertools import pairwise

from django.db import models

from competenze.models import (
    Consent,
    JudicialMeasure,
    Person,
)
from competenze.models.people import MeasureType
from demo.context import Context, EmployerRef, HostRef, PersonPlan, aware, bulk
from demo.opportunities import PLACEMENT_KINDS
from lavoro.kinds import COURSE, OFFER, PLACEMENT, OpportunityKind
from lavoro.models import (
    Course,
    JobOffer,
    Placement,
    Proposal,
    ProposalEvent,
)

S = Proposal.Status
M = MeasureType
STATUS_PATH: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.DRAFT,),
    S.SENT: (S.DRAFT, S.SENT),
    S.ACCEPTED: (S.DRAFT, S.SENT, S.ACCEPTED),
    S.REJECTED: (S.DRAFT, S.SENT, S.REJECTED),
    S.STARTED: (S.DRAFT, S.SENT, S.ACCEPTED, S.STARTED),
    S.COMPLETED: (S.DRAFT, S.SENT, S.ACCEPTED, S.STARTED, S.COMPLETED),
}
TRAINEE_MEASURES = (M.PROBATION, M.RELEASED, M.SEMI_LIBERTY, M.ART21)


def link_beneficiary(context: Context) -> None:
    """Give the `beneficiario` login a person of `operatore`'s caseload who serves the
    measure outside (so courses can fit the demo), with room for a course in the week."""
    user = context.users["beneficiario"]
    Person.objects.filter(user=user).update(user=None)
    chosen = next(
        (p for p in context.dashboard if p.measure_type in TRAINEE_MEASURES), context.dashboard[0]
    )
    Person.objects.filter(pk=chosen.pk).update(user=user, weekly_hours_available=30)
    measures = JudicialMeasure.objects.filter(person_id=chosen.pk)
    measures.update(max_weekly_hours=None, allowed_radius_km=None)
    JudicialMeasure.allowed_municipalities.through.objects.filter(
        judicialmeasure__in=measures
    ).delete()


OFFER_STATUSES = (S.SENT, S.ACCEPTED, S.STARTED, S.REJECTED, S.DRAFT, S.SENT)
PLACEMENT_STATUSES = (S.SENT, S.STARTED, S.COMPLETED, S.DRAFT)
COURSE_STATUSES = (S.ACCEPTED, S.SENT, S.DRAFT)
HOURS_DONE: dict[str, int] = {S.STARTED: 24, S.COMPLETED: 120}


Target = tuple[OpportunityKind, int, str, int, str]


def _targets(
    kind: OpportunityKind, queryset: models.QuerySet, statuses: tuple[str, ...]
) -> list[Target]:
    """(kind, target id, title, recipient organisation id, status) for the first targets."""
    organisation = f"{kind.owner}__organisation_id"
    rows = queryset.order_by("pk").values_list("pk", "title", organisation)[: len(statuses)]
    return [(kind, *row, status) for row, status in zip(rows, statuses, strict=False)]


def create_proposals(context: Context, employer: EmployerRef, host: HostRef) -> None:
    """A handful of proposals in every status, for `operatore`, `azienda` and `ente`:
    offers of the first employer, places of the first host body, the first courses."""
    targets = [
        *_targets(
            OFFER,
            JobOffer.objects.filter(employer_id=employer.id, status=JobOffer.Status.PUBLISHED),
            OFFER_STATUSES,
        ),
        *_targets(PLACEMENT, Placement.objects.filter(host_body_id=host.id), PLACEMENT_STATUSES),
        *_targets(COURSE, Course.objects.filter(status=Course.Status.PUBLISHED), COURSE_STATUSES),
    ]
    community = [p for p in context.dashboard if p.measure_type in PLACEMENT_KINDS]
    others = [p for p in context.dashboard if p.measure_type not in PLACEMENT_KINDS]
    pairs = []
    for number, target in enumerate(targets):
        people = (community if target[0] is PLACEMENT else others) or context.dashboard
        pairs.append(_proposal(context, people[number % len(people)], target))
    bulk(context, [consent for _proposal, consent in pairs if consent], "Consensi")
    for proposal, consent in pairs:
        proposal.consent = consent
    saved = bulk(context, [proposal for proposal, _consent in pairs], "Proposte")
    events = [
        ProposalEvent(
            proposal_id=proposal.pk,
            from_status=before,
            to_status=after,
            actor_id=proposal.proposed_by_id,
        )
        for proposal in saved
        for before, after in pairwise(("", *STATUS_PATH[proposal.status]))
    ]
    bulk(context, events, "Eventi delle proposte")


def _proposal(
    context: Context, plan: PersonPlan, target: Target
) -> tuple[Proposal, Consent | None]:
    kind, pk, title, recipient, status = target
    counsellor = plan.person["counsellor_id"]
    consent = None
    if status != S.DRAFT:  # sending a proposal needs the person's consent
        consent = Consent(
            person_id=plan.pk,
            purpose=Consent.Purpose.PROPOSAL,
            recipient_id=recipient,
            note=title[:200],
            given_at=aware(context.today),
            recorded_by_id=counsellor,
        )
    proposal = Proposal(
        person_id=plan.pk,
        status=status,
        proposed_by_id=counsellor,
        message="Proposta dimostrativa: persona motivata, disponibile da subito.",
        hours_done=HOURS_DONE.get(status, 0),
        **{f"{kind.code}_id": pk},
    )
    return proposal, consent
