"""Who may manage which opportunity, and who may act on a proposal. Pure rules.

- employers (role datore): only the Employer whose organisation is their organisation;
- host bodies (role ente_ospitante): only their HostBody's conventions and placements;
- training providers have no role of their own: their courses are managed by administrators
  and by users of the provider's organisation;
- administrators may manage (edit, publish, close) every opportunity, but the decision on a
  proposal to a job offer or a placement stays with the employer or host body;
- counsellors (role operatore) propose, send and withdraw proposals for the people followed by
  their own organisation;
- every authenticated user may list published opportunities.
"""

from common.models import User
from competenze.models import Person
from competenze.permissions import can_edit_person
from lavoro.models import (
    Convention,
    Course,
    Employer,
    HostBody,
    JobOffer,
    Placement,
    Proposal,
    TrainingProvider,
)

Role = User.Role


def _member_of(user: User, organisation_id: int | None) -> bool:
    return user.organisation_id is not None and user.organisation_id == organisation_id


def can_register_employer(user: User) -> bool:
    return user.has_role(Role.EMPLOYER)


def can_manage_employer(user: User, employer: Employer) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.EMPLOYER) and _member_of(user, employer.organisation_id)


def can_manage_offer(user: User, offer: JobOffer) -> bool:
    return can_manage_employer(user, offer.employer)


def can_manage_training_provider(user: User, provider: TrainingProvider) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    return not user.has_role(Role.TRAINEE) and _member_of(user, provider.organisation_id)


def can_manage_course(user: User, course: Course) -> bool:
    return can_manage_training_provider(user, course.provider)


def can_manage_host_body(user: User, host_body: HostBody) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.HOST_BODY) and _member_of(user, host_body.organisation_id)


def can_manage_convention(user: User, convention: Convention) -> bool:
    return can_manage_host_body(user, convention.host_body)


def can_manage_placement(user: User, placement: Placement) -> bool:
    return can_manage_host_body(user, placement.host_body)


def can_view_candidates(user: User) -> bool:
    """Administrators, and employers and host bodies whose organisation is registered as a
    company (Employer, with its checked partita IVA) or a host body: an account that has
    not registered its company yet sees no candidate."""
    if user.has_role(Role.ADMIN):
        return True
    if user.organisation_id is None:
        return False
    if user.has_role(Role.EMPLOYER):
        return Employer.objects.filter(organisation_id=user.organisation_id).exists()
    if user.has_role(Role.HOST_BODY):
        return HostBody.objects.filter(organisation_id=user.organisation_id).exists()
    return False


def can_propose(user: User, person: Person) -> bool:
    return user.has_role(Role.COUNSELLOR) and can_edit_person(user, person)


def can_send_proposal(user: User, proposal: Proposal) -> bool:
    """The sending side: a counsellor of the organisation that follows the person."""
    return can_propose(user, proposal.person)


def can_decide_proposal(user: User, proposal: Proposal) -> bool:
    """The receiving side: the employer, the host body, or the course's managers."""
    if proposal.offer is not None:
        employer = proposal.offer.employer
        return user.has_role(Role.EMPLOYER) and _member_of(user, employer.organisation_id)
    if proposal.placement is not None:
        host_body = proposal.placement.host_body
        return user.has_role(Role.HOST_BODY) and _member_of(user, host_body.organisation_id)
    return proposal.course is not None and can_manage_course(user, proposal.course)
