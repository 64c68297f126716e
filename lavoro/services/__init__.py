from lavoro.services.courses import course_create, course_publish, course_skills_set
from lavoro.services.employers import employer_register, site_create
from lavoro.services.offers import (
    offer_close,
    offer_create,
    offer_publish,
    offer_skills_set,
    offer_update,
)
from lavoro.services.placements import (
    convention_create,
    placement_create,
    placement_hours_record,
    placement_publish,
    placement_update,
)
from lavoro.services.proposals import proposal_create, proposal_transition

__all__ = [
    "convention_create",
    "course_create",
    "course_publish",
    "course_skills_set",
    "employer_register",
    "offer_close",
    "offer_create",
    "offer_publish",
    "offer_skills_set",
    "offer_update",
    "placement_create",
    "placement_hours_record",
    "placement_publish",
    "placement_update",
    "proposal_create",
    "proposal_transition",
    "site_create",
]
