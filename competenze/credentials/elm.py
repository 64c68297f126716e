"""Europass export: the validated and certified learning outcomes of one person in the
European Learning Model (ELM 3, European Digital Credential profile), as JSON-LD.

Pure: the same CredentialFacts as the Open Badges export in, one JSON-LD document out, one
LearningAchievement per competence. It is not sealed (Europass seals credentials with the
issuer's qualified e-seal in its own issuing tools): the person uploads it to their Europass
profile, or an issuer imports it. docs/idvcc.md has the field-by-field mapping.
"""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from competenze.credentials.openbadges import CredentialFacts

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "http://data.europa.eu/snb/model/context/edc-ap",
]
GENERIC_PROFILE = {
    "id": "http://data.europa.eu/snb/credential/e34929035b",
    "type": "Concept",
    "inScheme": {"id": "http://data.europa.eu/snb/credential/25831c2", "type": "ConceptScheme"},
    "prefLabel": {"en": "Generic"},
}
LEARNING_OUTCOME_SKILL = {
    "id": "http://data.europa.eu/snb/learning-outcome/skill",
    "type": "Concept",
}


def _it(text: str) -> dict[str, str]:
    return {"it": text}


def _urn(kind: str, *parts: str) -> str:
    return f"urn:epass:{kind}:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}"


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _organisation(facts: CredentialFacts) -> dict[str, Any]:
    return {"id": facts.issuer_id, "type": "Organisation", "legalName": _it(facts.issuer_name)}


def _outcome(facts: CredentialFacts) -> dict[str, Any]:
    outcome: dict[str, Any] = {
        "id": _urn("learningOutcome", facts.achievement_id),
        "type": "LearningOutcome",
        "title": _it(facts.name),
        "dcType": LEARNING_OUTCOME_SKILL,
        "relatedSkill": [
            {
                "id": facts.achievement_id,
                "type": "Concept",
                "prefLabel": _it(facts.name),
                "notation": facts.concept_code,
            }
        ],
    }
    if facts.esco_uri:
        outcome["relatedESCOSkill"] = [
            {"id": facts.esco_uri, "type": "Concept", "prefLabel": _it(facts.name)}
        ]
    return outcome


def _assessment(facts: CredentialFacts) -> dict[str, Any]:
    return {
        "id": _urn("learningAssessment", facts.credential_id),
        "type": "LearningAssessment",
        "title": _it(f"{facts.stage_label}: {facts.method}"),
        "awardedBy": {
            "id": _urn("awardingProcess", facts.credential_id, "assessment"),
            "type": "AwardingProcess",
            "awardingBody": [_organisation(facts)],
            "awardingDate": _iso(facts.valid_from),
        },
    }


def _achievement(facts: CredentialFacts) -> dict[str, Any]:
    note = f"{facts.stage_label} ai sensi del D.Lgs. 13/2013: {facts.stage_explanation}"
    if facts.attestation is not None:
        note += (
            f" Attestazione n. {facts.attestation.number} del "
            f"{facts.attestation.date:%d/%m/%Y}, rilasciata da {facts.attestation.issuer}, "
            f"standard: {facts.attestation.standard}."
        )
    outcome = _outcome(facts)
    return {
        "id": _urn("learningAchievement", facts.credential_id),
        "type": "LearningAchievement",
        "title": _it(facts.name),
        "description": _it(facts.description or facts.name),
        "learningOutcome": [outcome],
        "specifiedBy": {
            "id": _urn("learningAchievementSpec", facts.achievement_id),
            "type": "LearningAchievementSpecification",
            "title": _it(facts.name),
            "learningOutcome": [outcome],
        },
        "wasDerivedFrom": [_assessment(facts)],
        "awardedBy": {
            "id": _urn("awardingProcess", facts.credential_id),
            "type": "AwardingProcess",
            "awardingBody": [_organisation(facts)],
            "awardingDate": _iso(facts.valid_from),
        },
        "additionalNote": [
            {"id": _urn("note", facts.credential_id), "type": "Note", "noteLiteral": _it(note)}
        ],
    }


def learning_model_document(
    *,
    facts: Sequence[CredentialFacts],
    document_id: str,
    issuer_id: str,
    issuer_name: str,
    subject_id: str,
    given_name: str = "",
    family_name: str = "",
    issued: datetime.datetime,
) -> dict[str, Any]:
    """The EuropeanDigitalCredential listing every competence of `facts`."""
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": "Person",
        "hasClaim": [_achievement(item) for item in facts],
    }
    if given_name:
        subject["givenName"] = _it(given_name)
    if family_name:
        subject["familyName"] = _it(family_name)
    return {
        "@context": CONTEXT,
        "id": document_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [GENERIC_PROFILE],
        "issuer": {"id": issuer_id, "type": "Organisation", "legalName": _it(issuer_name)},
        "validFrom": _iso(issued),
        "issued": _iso(issued),
        "credentialSubject": subject,
    }
