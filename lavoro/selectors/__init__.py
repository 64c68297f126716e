from lavoro.selectors._helpers import OpportunityFilters
from lavoro.selectors.candidates import CandidateProfile, candidate_profile_get
from lavoro.selectors.courses import course_get_manageable, course_get_visible, course_list_open
from lavoro.selectors.employers import (
    employer_get_for_user,
    host_body_get_for_user,
    training_provider_get,
)
from lavoro.selectors.offers import (
    offer_get_manageable,
    offer_get_visible,
    offer_list_for_employer,
    offer_list_open,
)
from lavoro.selectors.placements import (
    PlacementFilters,
    convention_get_manageable,
    placement_get_manageable,
    placement_get_visible,
    placement_list_for_host,
    placement_list_open,
)
from lavoro.selectors.proposals import proposal_get_visible, proposal_list_visible

__all__ = [
    "CandidateProfile",
    "OpportunityFilters",
    "PlacementFilters",
    "candidate_profile_get",
    "convention_get_manageable",
    "course_get_manageable",
    "course_get_visible",
    "course_list_open",
    "employer_get_for_user",
    "host_body_get_for_user",
    "offer_get_manageable",
    "offer_get_visible",
    "offer_list_for_employer",
    "offer_list_open",
    "placement_get_manageable",
    "placement_get_visible",
    "placement_list_for_host",
    "placement_list_open",
    "proposal_get_visible",
    "proposal_list_visible",
    "training_provider_get",
]
