from competenze.models.framework import (
    Concept,
    ConceptExternalCode,
    ConceptRelation,
    Framework,
    Sector,
)
from competenze.models.idvcc import IssuedCredential, StageRecord, StageRequest
from competenze.models.interviews import (
    Interview,
    InterviewAnswer,
    InterviewTemplate,
    SkillSuggestion,
    SuggestionBatch,
)
from competenze.models.people import (
    Consent,
    ConsentQuerySet,
    Evidence,
    Experience,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    PersonLanguage,
    SkillEntry,
)

__all__ = [
    "Concept",
    "ConceptExternalCode",
    "ConceptRelation",
    "Consent",
    "ConsentQuerySet",
    "Evidence",
    "Experience",
    "Framework",
    "Institute",
    "Interview",
    "InterviewAnswer",
    "InterviewTemplate",
    "IssuedCredential",
    "JudicialMeasure",
    "Person",
    "PersonIdentity",
    "PersonLanguage",
    "Sector",
    "SkillEntry",
    "SuggestionBatch",
    "SkillSuggestion",
    "StageRecord",
    "StageRequest",
]
