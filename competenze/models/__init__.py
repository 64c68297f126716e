from competenze.models.framework import (
    Concept,
    ConceptExternalCode,
    ConceptRelation,
    Framework,
    Sector,
)
from competenze.models.people import (
    Consent,
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
    "Evidence",
    "Experience",
    "Framework",
    "Institute",
    "JudicialMeasure",
    "Person",
    "PersonIdentity",
    "PersonLanguage",
    "Sector",
    "SkillEntry",
]
