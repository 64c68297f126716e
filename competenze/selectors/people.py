"""Reads of people's data. Every read of identity or judicial data is audited."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import (
    Consent,
    ConsentQuerySet,
    Experience,
    JudicialMeasure,
    Person,
    PersonIdentity,
    SkillEntry,
)

PERSON_NOT_FOUND = gettext_lazy("Persona non trovata.")
IDENTITY_DENIED = gettext_lazy("Non puoi vedere i dati identificativi di questa persona.")
JUDICIAL_DENIED = gettext_lazy("Non puoi vedere i dati giudiziari di questa persona.")
EDIT_DENIED = gettext_lazy("Non puoi modificare i dati di questa persona.")

Role = User.Role


def person_list_visible(*, user: User, search: str = "") -> QuerySet[Person]:
    """The people `user` may see, as a queryset (never identity or judicial data)."""
    people = Person.objects.select_related("domicile", "counsellor")
    if user.has_role(Role.ADMIN):
        visible = people
    elif user.has_role(Role.COUNSELLOR, Role.PROGRAMME_MANAGER):
        visible = (
            people.filter(organisation_id=user.organisation_id)
            if user.organisation_id is not None
            else people.none()
        )
    elif user.has_role(Role.TRAINEE):
        visible = people.filter(user=user)
    else:
        visible = people.none()
    if search:
        visible = visible.filter(
            Q(pseudonym__icontains=search) | Q(domicile__name__istartswith=search)
        )
    return visible.order_by("pseudonym")


def person_get_visible(*, user: User, pseudonym: str) -> Person:
    """The person, or Http404 when it does not exist or `user` may not see it.

    Both cases answer the same, so the API does not reveal who is in the records.
    """
    person = (
        Person.objects.select_related("domicile", "organisation")
        .filter(pseudonym=pseudonym)
        .first()
    )
    if person is None or not permissions.can_view_person(user, person):
        if person is not None:
            access_log_record(
                actor=user,
                action=AccessLog.Action.DENIED,
                subject=pseudonym,
                data_category="persona",
            )
        raise Http404(PERSON_NOT_FOUND)
    return person


def person_get_editable(*, user: User, pseudonym: str) -> Person:
    person = person_get_visible(user=user, pseudonym=pseudonym)
    if not permissions.can_edit_person(user, person):
        raise AccessDenied(EDIT_DENIED)
    return person


def person_identity_get(*, user: User, person: Person, purpose: str = "") -> PersonIdentity:
    if not permissions.can_view_identity(user, person):
        access_log_record(
            actor=user,
            action=AccessLog.Action.DENIED,
            subject=person.pseudonym,
            data_category="identita",
        )
        raise AccessDenied(IDENTITY_DENIED)
    identity = PersonIdentity.objects.filter(person=person).first()
    if identity is None:
        raise Http404(_("Dati identificativi non ancora inseriti."))
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category="identita",
        purpose=purpose,
    )
    return identity


def person_measures_list(*, user: User, person: Person) -> QuerySet[JudicialMeasure]:
    if not permissions.can_view_judicial(user, person):
        access_log_record(
            actor=user,
            action=AccessLog.Action.DENIED,
            subject=person.pseudonym,
            data_category="giudiziari",
        )
        raise AccessDenied(JUDICIAL_DENIED)
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category="giudiziari",
    )
    return (
        JudicialMeasure.objects.filter(person=person)
        .select_related("institute")
        .prefetch_related("allowed_municipalities")
    )


def person_skills_list(*, person: Person) -> QuerySet[SkillEntry]:
    return (
        SkillEntry.objects.filter(person=person)
        .select_related("concept", "concept__sector")
        .order_by("concept__code")
    )


def person_experiences_list(*, person: Person) -> QuerySet[Experience]:
    return Experience.objects.filter(person=person).order_by("-start_date", "-id")


def person_consents_list(*, person: Person) -> ConsentQuerySet:
    return Consent.objects.filter(person=person).select_related("recipient")


def consent_is_active(*, person: Person, purpose: str, recipient_id: int | None) -> bool:
    """True if a consent of the person for `purpose` covers the organisation `recipient_id`
    (None: a viewer outside any organisation). The rule: Consent.objects.covering."""
    consents = Consent.objects.filter(person=person)
    return consents.covering(purpose=purpose, organisation_id=recipient_id).exists()


def consent_renewals_list(*, person: Person) -> QuerySet[Consent]:
    """The person's voided identity consents a counsellor still has to redo or dismiss."""
    return (
        Consent.objects.filter(person=person)
        .renewals_pending()
        .select_related("recipient")
        .order_by("given_at", "pk")
    )
