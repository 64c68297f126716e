"""Who may see what about a person. Pure rules; selectors and services enforce them
(`person_editor_require` raises the AccessDenied they all raise).

- counsellors and programme managers: the people followed by their own organisation;
  programme managers see profiles and figures, never identity or judicial data;
- trainees: only themself, never judicial data;
- employers and host bodies: never a person record, only the pseudonymised candidate view;
- administrators: everything (every access is still audited);
- assessors (valutatori) and certifying-body users (enti titolati): never a person record;
  only the entries their own organisation was asked to assess or certify (or has assessed),
  with their quotes and evidence, never identity or judicial data.

IDVCC stages follow D.Lgs. 13/2013: a counsellor identifies and asks; only an assessor of the
organisation asked validates, and not an entry they recorded; only a user of the certifying
body asked certifies. Administrators see the records but change no stage.

Judicial data must not leak through what is computed from it either: whoever may not see a
person's measure gets results that do not depend on it (can_match_on_judicial), and figures
computed from many people's measures go only to who may see them all (can_view_all_judicial).
"""

from common.exceptions import AccessDenied, Message
from common.models import User
from competenze.models import Person

Role = User.Role


def _same_organisation(user: User, person: Person) -> bool:
    return user.organisation_id is not None and user.organisation_id == person.organisation_id


def _is_self(user: User, person: Person) -> bool:
    return person.user_id is not None and person.user_id == user.pk


def can_view_person(user: User, person: Person) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role in (Role.COUNSELLOR, Role.PROGRAMME_MANAGER):
        return _same_organisation(user, person)
    if user.role == Role.TRAINEE:
        return _is_self(user, person)
    return False


def can_edit_person(user: User, person: Person) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.COUNSELLOR) and _same_organisation(user, person)


def person_editor_require(user: User, person: Person, message: Message) -> None:
    """AccessDenied with `message` (what the refused action was) unless `user` may edit
    `person`'s record (can_edit_person)."""
    if not can_edit_person(user, person):
        raise AccessDenied(message)


def can_view_identity(user: User, person: Person) -> bool:
    if user.has_role(Role.TRAINEE):
        return _is_self(user, person)
    return can_edit_person(user, person)


def can_view_judicial(user: User, person: Person) -> bool:
    return can_edit_person(user, person)


def can_match_on_judicial(user: User, person: Person) -> bool:
    """Whether what `user` is shown about `person` may depend on the person's judicial
    measure (opportunities filtered by its constraints, MAP/LPU placements).

    Those who may see the measure, and the person themself: they know their own measure and
    are spared opportunities they could not take, while the measure and the judicial checks
    stay hidden from them. For everyone else (programme managers) results are computed as if
    there were no measure, so they are the same whatever the measure is.
    """
    return can_view_judicial(user, person) or (
        user.has_role(Role.TRAINEE) and _is_self(user, person)
    )


def can_view_all_judicial(user: User) -> bool:
    """Figures computed from many people's judicial data (how many candidates an offer's
    hard constraints admit): only who may see anyone's. A count, even rounded, can be
    narrowed by filters until it tells one person's measure."""
    return user.has_role(Role.ADMIN)


def can_request_stage(user: User, person: Person) -> bool:
    """Asking for validation or certification is the counsellor's part of IDVCC."""
    return user.has_role(Role.COUNSELLOR) and _same_organisation(user, person)


def can_validate_for(user: User, organisation_id: int | None) -> bool:
    """An assessor acts for their own organisation only (the one a request was sent to)."""
    return (
        user.has_role(Role.ASSESSOR)
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def can_certify_for(user: User, organisation_id: int | None) -> bool:
    return (
        user.has_role(Role.CERTIFIER)
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def can_export_credentials(user: User, person: Person) -> bool:
    """The person's counsellors and the person themself take the credentials away."""
    if user.has_role(Role.TRAINEE):
        return _is_self(user, person)
    return can_edit_person(user, person)
