from lavoro.models.candidates import ContactRequest, ShortlistEntry
from lavoro.models.opportunities import (
    Convention,
    Course,
    CourseSkill,
    Employer,
    HostBody,
    JobOffer,
    OfferSkill,
    Placement,
    Site,
    TrainingProvider,
)
from lavoro.models.proposals import Proposal, ProposalEvent

__all__ = [
    "ContactRequest",
    "Convention",
    "Course",
    "CourseSkill",
    "Employer",
    "HostBody",
    "JobOffer",
    "OfferSkill",
    "Placement",
    "Proposal",
    "ProposalEvent",
    "ShortlistEntry",
    "Site",
    "TrainingProvider",
]
