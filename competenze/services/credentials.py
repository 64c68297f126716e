"""Verifiable credentials of validated and certified competences: issue (Open Badges 3.0 as
VC-JWT), the revocation list, verification, and the Europass (ELM) export.

One credential per stage record: exporting twice gives the same signed token; when the
stage is revoked the credential's bit in the revocation list is set
(competenze.services.idvcc). Signing keys: competenze.credentials.keys.
"""

import datetime
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from common.exceptions import AccessDenied
from common.models import AccessLog, Organisation, User
from common.services import access_log_record
from competenze import permissions
from competenze.credentials import elm, keys, openbadges, status_list, vcjwt
from competenze.models import (
    ConceptExternalCode,
    IssuedCredential,
    Person,
    PersonIdentity,
    SkillEntry,
    StageRecord,
)
from competenze.selectors.idvcc import supported_stages, supporting_record
from competenze.selectors.people import person_identity_get, person_skills_list
from competenze.stages import stage_explanation, stage_label

Stage = SkillEntry.Stage
EXPORT_DENIED = _("Solo chi segue la persona, o la persona stessa, può esportarne le credenziali.")
IDENTITY_PURPOSE = "identificativo cifrato nelle credenziali"
PORTAL_NAME = "Ponte"
ASSESSED = (Stage.VALIDATED, Stage.CERTIFIED)
FREE_SLOT_TRIES = 32

VERDICT_MESSAGES = {
    vcjwt.VALID: _("Credenziale valida: firmata da Ponte, integra e non revocata."),
    "revocata": _("Credenziale revocata: chi l'ha rilasciata l'ha ritirata; non vale più."),
    vcjwt.ALTERED: _(
        "Credenziale alterata: la firma non corrisponde al contenuto. Non fidarti di quello "
        "che dice."
    ),
    vcjwt.UNKNOWN_KEY: _("Credenziale non riconosciuta: non è firmata con una chiave di Ponte."),
    vcjwt.MALFORMED: _(
        "Il testo non è una credenziale leggibile: incolla l'intero contenuto del file .jwt."
    ),
    vcjwt.EXPIRED: _("Credenziale scaduta."),
}


def public_url(path: str) -> str:
    base: str = settings.PONTE_PUBLIC_URL
    return base.rstrip("/") + path


def issuer_url(organisation_id: int) -> str:
    return public_url(reverse("credentials:issuer", args=[organisation_id]))


def status_list_url(number: int) -> str:
    return public_url(reverse("credentials:status-list", args=[number]))


def portal_issuer_url() -> str:
    return public_url(reverse("credentials:jwks"))


def subject_id(person: Person) -> str:
    """A stable identifier of the person in credentials that reveals nothing (not even the
    pseudonym): derived from it with the portal's secret."""
    digest = salted_hmac("competenze.credentials.subject", person.pseudonym).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def _esco_uri(entry: SkillEntry) -> str | None:
    codes = ConceptExternalCode.objects.filter(
        concept_id=entry.concept_id, system=ConceptExternalCode.System.ESCO
    ).values_list("code", flat=True)
    return next((code for code in codes if code.startswith("http")), None)


def _achievement_id(entry: SkillEntry) -> str:
    framework = entry.concept.framework
    return f"urn:ponte:concetto:{framework.code}:{framework.version}:{entry.concept.code}"


def _name_hash(identity: PersonIdentity | None) -> tuple[str, str] | None:
    if identity is None:
        return None
    salt = secrets.token_hex(8)
    full_name = f"{identity.first_name} {identity.last_name}"
    return salt, openbadges.name_identity_hash(full_name, salt)


def _facts(
    entry: SkillEntry,
    record: StageRecord,
    credential_id: str,
    slot: tuple[int, int],
    identity: PersonIdentity | None,
) -> openbadges.CredentialFacts:
    organisation = record.organisation
    attestation = None
    if record.is_attested and record.attestation_date is not None:
        attestation = openbadges.Attestation(
            record.attestation_number,
            record.attestation_date,
            record.attestation_issuer,
            record.attestation_standard,
        )
    return openbadges.CredentialFacts(
        credential_id=credential_id,
        issuer_id=issuer_url(organisation.pk) if organisation else portal_issuer_url(),
        issuer_name=organisation.name if organisation else PORTAL_NAME,
        subject_id=subject_id(entry.person),
        achievement_id=_achievement_id(entry),
        name=entry.concept.pref_label,
        description=entry.concept.description,
        framework=entry.concept.framework.name,
        concept_code=entry.concept.code,
        esco_uri=_esco_uri(entry),
        stage=record.stage_after,
        stage_label=stage_label(record.stage_after),
        stage_explanation=stage_explanation(record.stage_after),
        level=entry.level,
        valid_from=record.at,
        method=str(record.get_method_display()),
        evidence_kinds=tuple(
            dict.fromkeys(str(e.get_kind_display()).lower() for e in record.evidences.all())
        ),
        status_list_url=status_list_url(slot[0]),
        status_index=slot[1],
        attestation=attestation,
        name_hash=_name_hash(identity),
    )


def _free_slot() -> tuple[int, int]:
    """A random free position in the revocation list (random, so the position says nothing
    about when or for whom the credential was issued); a new list when one is full."""
    current = IssuedCredential.objects.aggregate(n=Max("status_list"))["n"] or 1
    taken = set(
        IssuedCredential.objects.filter(status_list=current).values_list("status_index", flat=True)
    )
    if len(taken) >= status_list.SIZE // 2:
        return current + 1, secrets.randbelow(status_list.SIZE)
    for _try in range(FREE_SLOT_TRIES):
        index = secrets.randbelow(status_list.SIZE)
        if index not in taken:
            return current, index
    return current, next(i for i in range(status_list.SIZE) if i not in taken)


def _credential_issue(
    entry: SkillEntry, record: StageRecord, user: User | None, identity: PersonIdentity | None
) -> IssuedCredential:
    existing = IssuedCredential.objects.filter(record=record).first()
    if existing is not None:
        return existing
    key = keys.key_current()
    credential_id = uuid.uuid4()
    for _attempt in range(3):  # a concurrent issue may take the same slot: draw again
        slot = _free_slot()
        facts = _facts(entry, record, f"urn:uuid:{credential_id}", slot, identity)
        document = openbadges.credential(facts)
        token = vcjwt.sign(openbadges.jwt_payload(document, timezone.now()), key)
        try:
            with transaction.atomic():
                return IssuedCredential.objects.create(
                    id=credential_id,
                    entry=entry,
                    record=record,
                    status_list=slot[0],
                    status_index=slot[1],
                    kid=key.kid,
                    token=token,
                    issued_by=user,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Nessuna posizione libera nella lista di revoca dopo tre tentativi")


def _identity(user: User | None, person: Person) -> PersonIdentity | None:
    """The identity to hash into the credentials (audited); None if the user may not see it.
    `user` None is the system (manage.py credentials_export)."""
    if user is None:
        identity = PersonIdentity.objects.filter(person=person).first()
        if identity is not None:
            access_log_record(
                actor=None,
                action=AccessLog.Action.VIEW,
                subject=person.pseudonym,
                data_category="identita",
                purpose=IDENTITY_PURPOSE,
            )
        return identity
    if not permissions.can_view_identity(user, person):
        return None
    try:
        return person_identity_get(user=user, person=person, purpose=IDENTITY_PURPOSE)
    except Http404:
        return None


def _check_export(user: User | None, person: Person) -> None:
    if user is not None and not permissions.can_export_credentials(user, person):
        raise AccessDenied(str(EXPORT_DENIED))


def _assessed_entries(person: Person) -> list[tuple[SkillEntry, StageRecord]]:
    entries = list(person_skills_list(person=person).select_related("concept__framework"))
    stages = supported_stages(entry_ids=[entry.pk for entry in entries])
    pairs = []
    for entry in entries:
        if stages[entry.pk] in ASSESSED:
            record = supporting_record(entry=entry)
            if record is not None:
                pairs.append((entry, record))
    return pairs


@transaction.atomic
def person_credentials_issue(*, person: Person, user: User | None) -> list[IssuedCredential]:
    """One credential per validated or certified competence of the person (the ones issued
    before are given again, unchanged). Audited as an export of «credenziali». `user` None
    is the system (the management command): no permission to check, audited without actor."""
    _check_export(user, person)
    pairs = _assessed_entries(person)
    identity = _identity(user, person) if pairs else None
    issued = [_credential_issue(entry, record, user, identity) for entry, record in pairs]
    access_log_record(
        actor=user,
        action=AccessLog.Action.EXPORT,
        subject=person.pseudonym,
        data_category="credenziali",
        purpose=f"{len(issued)} credenziali Open Badges",
    )
    return issued


def person_learning_model_export(*, person: Person, user: User | None) -> dict[str, Any]:
    """The Europass (ELM) JSON-LD of the person's validated and certified competences
    (`user` None: the system, as in person_credentials_issue)."""
    _check_export(user, person)
    pairs = _assessed_entries(person)
    identity = _identity(user, person)
    facts = [
        _facts(
            entry,
            record,
            f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(record.pk))}",
            (0, 0),
            None,
        )
        for entry, record in pairs
    ]
    access_log_record(
        actor=user,
        action=AccessLog.Action.EXPORT,
        subject=person.pseudonym,
        data_category="credenziali",
        purpose="Europass (ELM)",
    )
    return elm.learning_model_document(
        facts=facts,
        document_id=f"urn:uuid:{uuid.uuid4()}",
        issuer_id=issuer_url(person.organisation_id),
        issuer_name=person.organisation.name,
        subject_id=subject_id(person),
        given_name=identity.first_name if identity else "",
        family_name=identity.last_name if identity else "",
        issued=timezone.now(),
    )


# --- public: revocation list, issuer profiles, verification --------------------------------


def status_list_encoded(*, number: int) -> str:
    revoked = IssuedCredential.objects.filter(status_list=number).filter(
        revoked_at__isnull=False
    ) | IssuedCredential.objects.filter(status_list=number, entry__isnull=True)
    return status_list.encode(revoked.values_list("status_index", flat=True))


def status_list_token(*, number: int) -> str:
    """The revocation list `number` as a signed BitstringStatusListCredential (VC-JWT)."""
    if number < 1 or (
        number > 1 and not IssuedCredential.objects.filter(status_list=number).exists()
    ):
        raise Http404(_("Lista di revoca non trovata."))
    now = timezone.now()
    url = status_list_url(number)
    document = status_list.status_list_credential(
        url=url,
        issuer_id=portal_issuer_url(),
        issuer_name=PORTAL_NAME,
        encoded=status_list_encoded(number=number),
        valid_from=now.astimezone(datetime.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
    )
    payload = {
        **document,
        "iss": portal_issuer_url(),
        "jti": url,
        "nbf": int(now.timestamp()),
        "iat": int(now.timestamp()),
    }
    return vcjwt.sign(payload, keys.key_current())


def issuer_profile(*, organisation_id: int) -> dict[str, Any]:
    """The public Open Badges Profile of an organisation that issued credentials."""
    organisation = Organisation.objects.filter(
        pk=organisation_id,
        stage_records__kind__in=[StageRecord.Kind.VALIDATION, StageRecord.Kind.CERTIFICATION],
    ).first()
    if organisation is None:
        raise Http404(_("Ente non trovato."))
    return {
        "@context": openbadges.CONTEXT,
        "id": issuer_url(organisation.pk),
        "type": ["Profile"],
        "name": organisation.name,
    }


@dataclass(frozen=True)
class Verification:
    verdict: str
    message: str
    credential: dict[str, Any] | None = None
    revoked_at: datetime.datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.verdict == vcjwt.VALID

    @property
    def achievement(self) -> str:
        subject = (self.credential or {}).get("credentialSubject", {})
        return str(subject.get("achievement", {}).get("name", ""))

    @property
    def issuer(self) -> str:
        return str((self.credential or {}).get("issuer", {}).get("name", ""))

    @property
    def valid_from(self) -> datetime.datetime | None:
        value = (self.credential or {}).get("validFrom")
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    @property
    def evidence(self) -> list[str]:
        items = (self.credential or {}).get("evidence", [])
        return [f"{item.get('name', '')} — {item.get('description', '')}" for item in items]


def _status_list_number(url: str) -> int | None:
    """The number of one of our revocation lists from its URL, or None."""
    if not url.startswith(settings.PONTE_PUBLIC_URL.rstrip("/") + "/"):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "credentials:status-list":
        return None
    return int(match.kwargs["number"])


def _revocation(payload: dict[str, Any]) -> tuple[bool, datetime.datetime | None]:
    status = payload.get("credentialStatus") or {}
    url, index = str(status.get("statusListCredential", "")), status.get("statusListIndex")
    number = _status_list_number(url)
    if number is None or index is None or not str(index).isdigit():
        return True, None  # not a list of ours: it cannot be trusted as standing
    revoked = status_list.is_set(status_list_encoded(number=number), int(index))
    row = IssuedCredential.objects.filter(status_list=number, status_index=int(index)).first()
    return revoked, row.revoked_at if row is not None else None


def credential_verify(*, token: str) -> Verification:
    """Check a VC-JWT credential against the portal's published keys and revocation list.
    Public: it reads nothing about people, and its answer only concerns the token given."""
    decoded = vcjwt.verify(token, keys.jwks())
    if decoded.verdict != vcjwt.VALID:
        return Verification(decoded.verdict, str(VERDICT_MESSAGES[decoded.verdict]))
    revoked, revoked_at = _revocation(decoded.payload)
    if revoked:
        return Verification(
            "revocata", str(VERDICT_MESSAGES["revocata"]), decoded.payload, revoked_at
        )
    return Verification(vcjwt.VALID, str(VERDICT_MESSAGES[vcjwt.VALID]), decoded.payload)
