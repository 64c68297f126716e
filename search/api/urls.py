"""Matching and candidate search, mounted under /api/v1/ (namespace "search").

Include it before lavoro's urls: lavoro's "candidates/<pseudonym>/" would otherwise
answer "candidates/search/".
"""

from django.urls import path

from search.api import views

PERSON = "matches/people/<str:pseudonym>/"

urlpatterns = [
    path(
        PERSON + "opportunities/",
        views.PersonOpportunityMatchApi.as_view(),
        name="person-opportunities",
    ),
    path(PERSON + "gap/", views.PersonGapApi.as_view(), name="person-gap"),
    path(PERSON + "near-misses/", views.PersonNearMissApi.as_view(), name="person-near-misses"),
    path(PERSON + "what-if/", views.PersonWhatIfApi.as_view(), name="person-what-if"),
    path("candidates/search/", views.CandidateSearchApi.as_view(), name="candidate-search"),
    path(
        "matches/offers/<int:offer_id>/candidates/",
        views.OfferCandidateMatchApi.as_view(),
        name="offer-candidates",
    ),
]
