from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import SkillEntry
from lavoro import permissions
from lavoro.models import Proposal, ProposalEvent
from lavoro.selectors.candidates import (
    DATA_PROFILE,
    CandidateProfile,
    candidate_profile_of,
)

PROPOSAL_NOT_FOUND = gettext_lazy("Proposta non trovata.")
DECIDE_DENIED = gettext_lazy("Il profilo proposto lo vede chi riceve la proposta.")

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


@dataclass(frozen=True)
class ProposedPerson:
    """What the receiving side reads before deciding on a proposal: the pseudonymised
    profile (skills with the stage their records support, languages, availability) and why
    the person fits, never identity, measure or domicile (the province only)."""

    proposal: Proposal
    profile: CandidateProfile
    matched: tuple[str, ...]  # labels of the asked skills the person holds
    missing: tuple[str, ...]  # labels of the asked skills the person does not hold
    same_province: bool


def _asked(proposal: Proposal) -> dict[int, str]:
    """The skills the opportunity asks: its own, and those of its professional profile."""
    target = proposal.target
    if proposal.offer is not None:
        links = proposal.offer.offer_skills.select_related("concept")
        concepts = [link.concept for link in links]
    elif proposal.course is not None:
        taught = proposal.course.course_skills.select_related("concept")
        concepts = [link.concept for link in taught]
    elif proposal.placement is not None:
        concepts = list(proposal.placement.skills.all())
    else:
        concepts = []
    asked = {concept.pk: concept.pref_label for concept in concepts}
    profile = getattr(target, "profile", None)
    if profile is not None:
        for relation in profile.requires.select_related("target"):
            asked.setdefault(relation.target_id, relation.target.pref_label)
    return asked


def proposed_person_get(*, user: User, proposal_id: int) -> ProposedPerson:
    """The proposed person's pseudonymised profile for the side that decides (audited).

    Http404 when the user does not see the proposal; AccessDenied when they see it but do
    not decide on it (the counsellor has the person's own pages).
    """
    proposal = proposal_get_visible(user=user, proposal_id=proposal_id)
    if not permissions.can_decide_proposal(user, proposal):
        raise AccessDenied(DECIDE_DENIED)
    person = proposal.person
    held: dict[int, int | None] = dict(
        SkillEntry.objects.filter(person=person).values_list("concept_id", "concept__parent_id")
    )
    covered = set(held) | {parent for parent in held.values() if parent}
    asked = _asked(proposal)
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category=DATA_PROFILE,
        purpose=f"proposta {proposal.pk}",
    )
    province = person.domicile.province_id if person.domicile else None
    return ProposedPerson(
        proposal=proposal,
        profile=candidate_profile_of(person),
        matched=tuple(sorted(label for pk, label in asked.items() if pk in covered)),
        missing=tuple(sorted(label for pk, label in asked.items() if pk not in covered)),
        same_province=province is not None and province == proposal.target.municipality.province_id,  # type: ignore[attr-defined]
    )
