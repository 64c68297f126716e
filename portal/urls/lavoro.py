"""Pages of namespace "lavoro" (employers, host bodies, opportunities); the API has its own
URLs in lavoro/api/urls.py."""

from django.urls import path

from portal.views import candidates, employer, host, opportunity_list, proposals

OFFER = "azienda/offerte/<int:offer_id>/"
CANDIDATE = "azienda/candidati/<str:pseudonym>/"
PLACEMENT = "ente/posti/<int:placement_id>/"

urlpatterns = [
    path("azienda/", employer.employer_home, name="employer-home"),
    path("azienda/offerte/nuova/", employer.offer_new, name="offer-new"),
    path("azienda/offerte/suggerimenti/", employer.offer_suggestions, name="offer-suggestions"),
    path(OFFER, employer.offer_edit, name="offer-edit"),
    path(OFFER + "pubblica/", employer.offer_publish_view, name="offer-publish"),
    path(OFFER + "chiudi/", employer.offer_close_view, name="offer-close"),
    path(
        "azienda/selezione/<int:entry_id>/rimuovi/",
        employer.shortlist_remove_view,
        name="shortlist-remove",
    ),
    path("azienda/candidati/", candidates.candidate_search, name="candidate-search"),
    path(CANDIDATE, candidates.candidate_detail, name="candidate-detail"),
    path(CANDIDATE + "selezione/", candidates.shortlist_add_view, name="shortlist-add"),
    path(CANDIDATE + "contatto/", candidates.contact_request_view, name="contact-request"),
    path("ente/", host.host_home, name="host-home"),
    path("ente/convenzioni/nuova/", host.convention_new, name="convention-new"),
    path("ente/posti/nuovo/", host.placement_new, name="placement-new"),
    path(PLACEMENT, host.placement_edit, name="placement-edit"),
    path(PLACEMENT + "pubblica/", host.placement_publish_view, name="placement-publish"),
    path(
        "proposte/<int:proposal_id>/stato/",
        proposals.proposal_transition_view,
        name="proposal-transition",
    ),
    path(
        "ente/proposte/<int:proposal_id>/ore/", proposals.proposal_hours_view, name="proposal-hours"
    ),
    path(
        "proposte/<int:proposal_id>/persona/",
        proposals.proposed_person_view,
        name="proposed-person",
    ),
    path("opportunita/", opportunity_list.opportunity_list, name="opportunities"),
]
