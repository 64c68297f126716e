from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.models import User
from lavoro.models import Proposal, ProposalEvent

PROPOSAL_NOT_FOUND = gettext_lazy("Proposta non trovata.")

Role = User.Role


def _sent_ever() -> Exists:
    """The receiving side sees a proposal only once the counsellor has sent it."""
    return Exists(
        ProposalEvent.objects.filter(proposal=OuterRef("pk"), to_status=Proposal.Status.SENT)
    )


def _visible_filter(user: User) -> Q | None:
    """Which proposals `user` sees, as a filter; None means all of them."""
    org = user.organisation_id
    if user.has_role(Role.ADMIN):
        return None
    if user.has_role(Role.TRAINEE):
        return Q(person__user_id=user.pk)
    if org is None:
        return Q(pk__in=[])
    received = Q(course__provider__organisation_id=org)
    if user.has_role(Role.COUNSELLOR):
        return Q(person__organisation_id=org) | (Q(sent=True) & received)
    if user.has_role(Role.PROGRAMME_MANAGER):
        # a proposal to a MAP/LPU placement exists only for a person on MAP/LPU/LSU: the
        # manager, who may not see measures, counts them on the dashboard instead
        own = Q(person__organisation_id=org, placement__isnull=True)
        return own | (Q(sent=True) & received)
    if user.has_role(Role.EMPLOYER):
        received |= Q(offer__employer__organisation_id=org)
    elif user.has_role(Role.HOST_BODY):
        received |= Q(placement__host_body__organisation_id=org)
    return Q(sent=True) & received


def proposal_list_visible(*, user: User) -> QuerySet[Proposal]:
    """Counsellors: their organisation's people; programme managers: the same except those
    to MAP/LPU placements (they tell the measure); employers and host bodies: what was sent
    to them; course providers' users: what was sent to their courses; trainees: their own."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    proposals = Proposal.objects.select_related(
        "person",
        "offer__employer__organisation",
        "course__provider__organisation",
        "placement__host_body__organisation",
    ).prefetch_related("events")
    condition = _visible_filter(user)
    if condition is not None:
        proposals = proposals.annotate(sent=_sent_ever()).filter(condition)
    return proposals.order_by("-created_at", "-id")


def proposal_get_visible(*, user: User, proposal_id: int) -> Proposal:
    proposal = proposal_list_visible(user=user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(PROPOSAL_NOT_FOUND)
    return proposal
