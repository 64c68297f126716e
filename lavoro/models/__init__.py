from lavoro.models.candidates import ContactRequest, CourseInterest, ShortlistEntry
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
    "CourseInterest",
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
