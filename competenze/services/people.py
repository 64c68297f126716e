"""Writes on people's records. Each write of personal or judicial data is audited."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.events import PERSON_CHANGED, PERSON_UNSHARED, send_now, send_on_commit
from common.exceptions import AccessDenied, ApplicationError, ConflictError
from common.models import AccessLog, Municipality, Organisation, User
from common.services import access_log_record
from common.validators import normalise_codice_fiscale
from competenze import permissions
from competenze.models import (
    Concept,
    Consent,
    Experience,
    JudicialMeasure,
    Person,
    PersonIdentity,
    SkillEntry,
)
from competenze.services.idvcc import skill_entry_identify

CREATE_DENIED = gettext_lazy("Solo gli operatori possono registrare nuove persone.")
CF_TAKEN = gettext_lazy("Esiste già una persona con questo codice fiscale.")
CONSENT_ALREADY_REVOKED = gettext_lazy("Il consenso è già stato revocato.")
CONSENT_RECIPIENT_UNKNOWN = gettext_lazy("Il destinatario indicato non esiste.")
CONSENT_RENEWAL_DONE = gettext_lazy("Questo consenso è già stato rinnovato o archiviato.")
CONSENT_RENEWED_NOTE = gettext_lazy(
    "Rinnovo del consenso del %(date)s, annullato perché senza un destinatario valido."
)
EDIT_DENIED = gettext_lazy("Non puoi modificare i dati di questa persona.")
SKILL_ALREADY_IN_PROFILE = gettext_lazy("Questa competenza è già nel profilo.")
SKILL_REMOVE_ASSESSED = gettext_lazy(
    "Una competenza validata o certificata non si toglie dal profilo: chiedi prima a chi l'ha "
    "validata o certificata di revocarla."
)


def _reindex(person: Person) -> None:
    """The candidate profile and the matches change with the person's data."""
    send_on_commit(PERSON_CHANGED, person_id=person.pk)


def _audit(user: User, person: Person, action: str, category: str) -> None:
    access_log_record(actor=user, action=action, subject=person.pseudonym, data_category=category)


def _codice_fiscale_taken(code: str) -> bool:
    return PersonIdentity.objects.filter(codice_fiscale=code).exists()


def _identity_save(identity: PersonIdentity) -> None:
    """Insert the identity; a codice fiscale taken meanwhile by a concurrent request is a
    ConflictError. The database's unique index decides: the check before the insert cannot
    see a row another transaction has not committed yet."""
    identity.full_clean(validate_unique=False)
    code = identity.codice_fiscale
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError:
        if code and _codice_fiscale_taken(code):
            # not chained: the database's message quotes the code, and tracebacks are logged
            raise ConflictError(CF_TAKEN, code="duplicate") from None
        raise


@transaction.atomic
def person_create(
    *,
    created_by: User,
    first_name: str,
    last_name: str,
    codice_fiscale: str = "",
    birth_date: datetime.date | None = None,
    domicile: Municipality | None = None,
    weekly_hours_available: int | None = None,
    phone: str = "",
    email: str = "",
) -> Person:
    """Register a person in the counsellor's organisation, identity kept apart.

    Raises ConflictError (409) when the codice fiscale belongs to someone already, also when
    a concurrent request registered it a moment earlier; nothing is written then.
    """
    organisation_id = created_by.organisation_id
    if not created_by.has_role(User.Role.COUNSELLOR) or organisation_id is None:
        raise AccessDenied(CREATE_DENIED)
    code = normalise_codice_fiscale(codice_fiscale) or None
    if code and _codice_fiscale_taken(code):
        raise ConflictError(CF_TAKEN, code="duplicate")
    person = Person.objects.create(
        organisation_id=organisation_id,
        counsellor=created_by,
        domicile=domicile,
        birth_year=birth_date.year if birth_date else None,
        weekly_hours_available=weekly_hours_available,
    )
    identity = PersonIdentity(
        person=person,
        first_name=first_name,
        last_name=last_name,
        codice_fiscale=code,
        birth_date=birth_date,
        phone=phone,
        email=email,
    )
    _identity_save(identity)
    _audit(created_by, person, AccessLog.Action.CREATE, "identita")
    _reindex(person)
    return person


@transaction.atomic
def judicial_measure_create(
    *,
    person: Person,
    recorded_by: User,
    allowed_municipalities: list[Municipality] | None = None,
    **fields: Any,
) -> JudicialMeasure:
    permissions.person_editor_require(recorded_by, person, EDIT_DENIED)
    measure = JudicialMeasure(person=person, **fields)
    measure.full_clean()
    measure.save()
    if allowed_municipalities:
        measure.allowed_municipalities.set(allowed_municipalities)
    _audit(recorded_by, person, AccessLog.Action.CREATE, "giudiziari")
    _reindex(person)
    return measure


@transaction.atomic
def consent_give(
    *,
    person: Person,
    purpose: str,
    recorded_by: User,
    recipient_id: int | None = None,
    note: str = "",
) -> Consent:
    """Record a consent. Raises ValidationError (Italian, on "recipient") for an unknown
    recipient and for identity disclosure not naming one employer or host body."""
    permissions.person_editor_require(recorded_by, person, EDIT_DENIED)
    if recipient_id is not None and not Organisation.objects.filter(pk=recipient_id).exists():
        raise ValidationError({"recipient": CONSENT_RECIPIENT_UNKNOWN})
    consent = Consent(
        person=person,
        purpose=purpose,
        recorded_by=recorded_by,
        recipient_id=recipient_id,
        note=note,
    )
    consent.full_clean()
    consent.save()
    _audit(recorded_by, person, AccessLog.Action.CREATE, "consensi")
    _reindex(person)
    return consent


def _renewal_close(consent: Consent, closed_by: User) -> None:
    consent.needs_renewal = False
    consent.save(update_fields=["needs_renewal"])
    _audit(closed_by, consent.person, AccessLog.Action.UPDATE, "consensi")


def _renewal_check(consent: Consent, user: User) -> None:
    permissions.person_editor_require(user, consent.person, EDIT_DENIED)
    if not consent.needs_renewal:
        raise ApplicationError(str(CONSENT_RENEWAL_DONE), code="renewal_done")


@transaction.atomic
def consent_renew(
    *, consent: Consent, recipient_id: int | None, recorded_by: User, note: str = ""
) -> Consent:
    """Redo a voided identity consent for one named employer or host body: records the
    new consent and closes the renewal, or neither (ValidationError as consent_give)."""
    _renewal_check(consent, recorded_by)
    given = f"{timezone.localtime(consent.given_at):%d/%m/%Y}"
    renewed = consent_give(
        person=consent.person,
        purpose=Consent.Purpose.DISCLOSE_IDENTITY,
        recorded_by=recorded_by,
        recipient_id=recipient_id,
        note=note or str(CONSENT_RENEWED_NOTE) % {"date": given},
    )
    _renewal_close(consent, recorded_by)
    return renewed


def consent_renewal_dismiss(*, consent: Consent, dismissed_by: User) -> Consent:
    """Close a renewal without a new consent (the person does not give it again)."""
    _renewal_check(consent, dismissed_by)
    _renewal_close(consent, dismissed_by)
    return consent


@transaction.atomic
def consent_revoke(*, consent: Consent, revoked_by: User) -> Consent:
    permissions.person_editor_require(revoked_by, consent.person, EDIT_DENIED)
    if consent.revoked_at is not None:
        raise ApplicationError(CONSENT_ALREADY_REVOKED, code="already_revoked")
    consent.revoked_at = timezone.now()
    consent.revoked_by = revoked_by
    consent.save(update_fields=["revoked_at", "revoked_by"])
    _audit(revoked_by, consent.person, AccessLog.Action.UPDATE, "consensi")
    if consent.purpose == Consent.Purpose.SHARE_PROFILE:
        send_now(PERSON_UNSHARED, person_id=consent.person_id)  # hidden from employers now
    else:
        _reindex(consent.person)
    return consent


def experience_create(*, person: Person, recorded_by: User, **fields: Any) -> Experience:
    permissions.person_editor_require(recorded_by, person, EDIT_DENIED)
    experience = Experience(person=person, **fields)
    experience.full_clean()
    experience.save()
    return experience


@transaction.atomic
def skill_entry_add(
    *,
    person: Person,
    concept: Concept,
    recorded_by: User,
    source: str,
    level: int = SkillEntry.Level.BASIC,
    confidence: float | None = None,
    evidence_text: str = "",
    experience: Experience | None = None,
) -> SkillEntry:
    """Add a competence at stage «individuata», with the identification record (the one
    way an entry starts: promotion goes through competenze.services.idvcc)."""
    permissions.person_editor_require(recorded_by, person, EDIT_DENIED)
    if SkillEntry.objects.filter(person=person, concept=concept).exists():
        raise ApplicationError(SKILL_ALREADY_IN_PROFILE, code="duplicate")
    entry = SkillEntry(
        person=person,
        concept=concept,
        recorded_by=recorded_by,
        source=source,
        level=level,
        confidence=confidence,
        evidence_text=evidence_text,
        experience=experience,
    )
    entry.full_clean()
    entry.save()
    skill_entry_identify(entry=entry, identified_by=recorded_by)
    _reindex(person)
    return entry


@transaction.atomic
def skill_entry_set_level(*, entry: SkillEntry, level: int, changed_by: User) -> SkillEntry:
    permissions.person_editor_require(changed_by, entry.person, EDIT_DENIED)
    entry.level = level
    entry.full_clean()
    entry.save(update_fields=["level", "updated_at"])
    _reindex(entry.person)
    return entry


@transaction.atomic
def skill_entry_remove(*, entry: SkillEntry, removed_by: User) -> None:
    """Take an identified entry out of the profile (audited). Validated and certified
    entries stay until whoever assessed them revokes the stage."""
    permissions.person_editor_require(removed_by, entry.person, EDIT_DENIED)
    if entry.stage != SkillEntry.Stage.IDENTIFIED:
        raise ApplicationError(str(SKILL_REMOVE_ASSESSED), code="assessed")
    entry.delete()
    _audit(removed_by, entry.person, AccessLog.Action.DELETE, "competenze")
    _reindex(entry.person)
