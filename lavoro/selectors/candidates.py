"""The pseudonymised candidate view employers and host bodies get.

It never carries codice fiscale, birth date, judicial data, institute, domicile municipality
(only its province), counsellor or notes. Name and contacts appear only with an active
"identita_datori" consent naming the viewer's organisation (never a general one: see
Consent.objects.covering).
"""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Consent, Person, PersonIdentity
from competenze.selectors.idvcc import supported_stages
from competenze.selectors.people import consent_is_active, person_skills_list
from lavoro import permissions

CANDIDATE_NOT_FOUND = gettext_lazy("Candidato non trovato.")
CANDIDATES_DENIED = gettext_lazy(
    "Solo datori di lavoro, enti ospitanti e amministratori vedono i candidati."
)
DATA_PROFILE = "profilo_pseudonimo"
DATA_IDENTITY = "identita"


@dataclass(frozen=True)
class CandidateSkill:
    code: str
    label: str
    level: int
    stage: str


@dataclass(frozen=True)
class CandidateLanguage:
    language: str
    level: str


@dataclass(frozen=True)
class CandidateIdentity:
    first_name: str
    last_name: str
    phone: str
    email: str


@dataclass(frozen=True)
class CandidateProfile:
    pseudonym: str
    province: str | None
    skills: tuple[CandidateSkill, ...]
    languages: tuple[CandidateLanguage, ...]
    weekly_hours_available: int | None
    available_from: datetime.date | None
    summary: str
    identity: CandidateIdentity | None


def _candidate_person(*, user: User, pseudonym: str) -> Person:
    person = Person.objects.select_related("domicile__province").filter(pseudonym=pseudonym)
    found = person.first()
    allowed = found is not None and (
        user.has_role(User.Role.ADMIN)
        or consent_is_active(
            person=found,
            purpose=Consent.Purpose.SHARE_PROFILE,
            recipient_id=user.organisation_id,
        )
    )
    if not allowed:
        if found is not None:
            access_log_record(
                actor=user,
                action=AccessLog.Action.DENIED,
                subject=pseudonym,
                data_category=DATA_PROFILE,
            )
        raise Http404(CANDIDATE_NOT_FOUND)
    return found  # type: ignore[return-value]


def _candidate_identity(*, user: User, person: Person) -> CandidateIdentity | None:
    if not consent_is_active(
        person=person,
        purpose=Consent.Purpose.DISCLOSE_IDENTITY,
        recipient_id=user.organisation_id,
    ):
        return None
    identity = PersonIdentity.objects.filter(person=person).first()
    if identity is None:
        return None
    return CandidateIdentity(
        first_name=identity.first_name,
        last_name=identity.last_name,
        phone=identity.phone,
        email=identity.email,
    )


def _candidate_skills(person: Person) -> tuple[CandidateSkill, ...]:
    """The skills with the stage their records support (never a stage written otherwise)."""
    entries = list(person_skills_list(person=person))
    stages = supported_stages(entry_ids=[entry.pk for entry in entries])
    return tuple(
        CandidateSkill(
            code=entry.concept.code,
            label=entry.concept.pref_label,
            level=entry.level,
            stage=stages[entry.pk],
        )
        for entry in entries
    )


def _candidate_languages(person: Person) -> tuple[CandidateLanguage, ...]:
    return tuple(
        CandidateLanguage(language=item.language, level=item.level)
        for item in person.languages.order_by("language")
    )


def candidate_profile_get(*, user: User, pseudonym: str) -> CandidateProfile:
    """The pseudonymised profile of a person who shared it; every view is audited.

    Raises AccessDenied for roles other than employer, host body and administrator, and
    Http404 both when the person does not exist and when they have not shared their profile.
    """
    if not permissions.can_view_candidates(user):
        raise AccessDenied(CANDIDATES_DENIED)
    person = _candidate_person(user=user, pseudonym=pseudonym)
    identity = _candidate_identity(user=user, person=person)
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category=DATA_IDENTITY if identity else DATA_PROFILE,
        purpose="profilo del candidato",
    )
    return candidate_profile_of(person, identity)


def candidate_profile_of(
    person: Person, identity: CandidateIdentity | None = None
) -> CandidateProfile:
    """The pseudonymised profile of `person` (callers check access and audit the read)."""
    return CandidateProfile(
        pseudonym=person.pseudonym,
        province=person.domicile.province.code if person.domicile else None,
        skills=_candidate_skills(person),
        languages=_candidate_languages(person),
        weekly_hours_available=person.weekly_hours_available,
        available_from=person.available_from,
        summary=person.summary,
        identity=identity,
    )
