"""Who may see what about a person. Pure rules; selectors and services enforce them.

- counsellors and programme managers: the people followed by their own organisation;
  programme managers see profiles and figures, never identity or judicial data;
- trainees: only themself, never judicial data;
- employers and host bodies: never a person record, only the pseudonymised candidate view;
- administrators: everything (every access is still audited).
"""

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


def can_view_identity(user: User, person: Person) -> bool:
    if user.has_role(Role.TRAINEE):
        return _is_self(user, person)
    return can_edit_person(user, person)


def can_view_judicial(user: User, person: Person) -> bool:
    return can_edit_person(user, person)
