"""Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential) for one validated or
certified competence. Pure: plain facts in, the JSON object (and its JWT claims) out.

The achievement is the framework concept, aligned to it and, where known, to its ESCO URI;
the issuer is the organisation that validated or certified it; the subject carries no name,
only a salted hash of it (identityType «name») that lets the holder prove it is theirs.
The evidence lists the method and the kinds of evidence, never their text (which may tell
where the work was done). docs/idvcc.md maps every field.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
LEVELS = ((1, "Base"), (2, "Intermedio"), (3, "Avanzato"), (4, "Esperto"))


@dataclass(frozen=True)
class Attestation:
    number: str
    date: datetime.date
    issuer: str
    standard: str


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str  # urn:uuid:...
    issuer_id: str
    issuer_name: str
    subject_id: str
    achievement_id: str
    name: str
    description: str
    framework: str
    concept_code: str
    esco_uri: str | None
    stage: str  # "validata" or "certificata"
    stage_label: str
    stage_explanation: str
    level: int
    valid_from: datetime.datetime
    method: str
    evidence_kinds: tuple[str, ...]
    status_list_url: str
    status_index: int
    attestation: Attestation | None = None
    name_hash: tuple[str, str] | None = None  # (salt, "sha256$...")


def name_identity_hash(full_name: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash of a name: sha256 of the name (lower case, single spaces)
    followed by the salt, as «sha256$<hex>»."""
    normalised = " ".join(full_name.lower().split())
    return "sha256$" + hashlib.sha256((normalised + salt).encode("utf-8")).hexdigest()


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _alignments(facts: CredentialFacts) -> list[dict[str, Any]]:
    aligned = [
        {
            "type": ["Alignment"],
            "targetName": facts.name,
            "targetUrl": facts.achievement_id,
            "targetFramework": facts.framework,
            "targetCode": facts.concept_code,
            "targetType": "ext:FrameworkConcept",
        }
    ]
    if facts.esco_uri:
        aligned.append(
            {
                "type": ["Alignment"],
                "targetName": facts.name,
                "targetUrl": facts.esco_uri,
                "targetFramework": "ESCO",
                "targetType": "ext:ESCOSkill",
            }
        )
    return aligned


def _achievement(facts: CredentialFacts) -> dict[str, Any]:
    levels = f"{facts.achievement_id}#livelli"
    return {
        "id": facts.achievement_id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": facts.name,
        "description": facts.description or facts.name,
        "criteria": {"narrative": f"{facts.stage_label}: {facts.stage_explanation}"},
        "alignment": _alignments(facts),
        "humanCode": facts.concept_code,
        "inLanguage": "it",
        "resultDescription": [
            {
                "id": levels,
                "type": ["ResultDescription"],
                "name": "Livello",
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {"id": f"{levels}-{value}", "type": ["RubricCriterionLevel"], "name": label}
                    for value, label in LEVELS
                ],
            }
        ],
    }


def _evidence(facts: CredentialFacts) -> list[dict[str, Any]]:
    evidence = [
        {
            "type": ["Evidence"],
            "name": f"{facts.stage_label} con metodo: {facts.method}",
            "description": "Evidenze esaminate: " + (", ".join(facts.evidence_kinds) or "nessuna"),
        }
    ]
    if facts.attestation is not None:
        attestation = facts.attestation
        evidence.append(
            {
                "type": ["Evidence"],
                "name": f"Attestazione n. {attestation.number} del {attestation.date:%d/%m/%Y}",
                "description": f"Rilasciata da {attestation.issuer}; standard di riferimento: "
                f"{attestation.standard}",
            }
        )
    return evidence


def _subject(facts: CredentialFacts) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "id": facts.subject_id,
        "type": ["AchievementSubject"],
        "achievement": _achievement(facts),
        "result": [
            {
                "type": ["Result"],
                "resultDescription": f"{facts.achievement_id}#livelli",
                "achievedLevel": f"{facts.achievement_id}#livelli-{facts.level}",
            }
        ],
    }
    if facts.name_hash is not None:
        salt, hashed = facts.name_hash
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": hashed,
                "identityType": "name",
                "hashed": True,
                "salt": salt,
            }
        ]
    return subject


def credential(facts: CredentialFacts) -> dict[str, Any]:
    """The OpenBadgeCredential as JSON-LD (no proof: the VC-JWT signs it)."""
    return {
        "@context": CONTEXT,
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": facts.issuer_id, "type": ["Profile"], "name": facts.issuer_name},
        "name": f"{facts.name} — competenza {facts.stage}",
        "validFrom": _iso(facts.valid_from),
        "credentialSubject": _subject(facts),
        "evidence": _evidence(facts),
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list_url,
        },
    }


def jwt_payload(document: dict[str, Any], issued_at: datetime.datetime) -> dict[str, Any]:
    """OB 3.0 §8.2: the credential's members at the top level, plus iss, jti, sub, nbf."""
    valid_from = datetime.datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
    return {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["id"],
        "nbf": int(valid_from.timestamp()),
        "iat": int(issued_at.timestamp()),
    }
