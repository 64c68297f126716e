from django.urls import path

from lavoro.api import candidates, courses, employers, offers, placements, proposals

OFFER = "offers/<int:offer_id>/"
COURSE = "courses/<int:course_id>/"
PLACEMENT = "placements/<int:placement_id>/"
PROPOSAL = "proposals/<int:proposal_id>/"

urlpatterns = [
    path("employers/", employers.EmployerRegisterApi.as_view(), name="employer-register"),
    path("employers/me/", employers.EmployerMeApi.as_view(), name="employer-me"),
    path("employers/me/sites/", employers.SiteCreateApi.as_view(), name="employer-sites"),
    path("offers/", offers.OfferListApi.as_view(), name="offers"),
    path("offers/mine/", offers.OfferMineApi.as_view(), name="offers-mine"),
    path(OFFER, offers.OfferDetailApi.as_view(), name="offer-detail"),
    path(OFFER + "publish/", offers.OfferPublishApi.as_view(), name="offer-publish"),
    path(OFFER + "close/", offers.OfferCloseApi.as_view(), name="offer-close"),
    path("courses/", courses.CourseListApi.as_view(), name="courses"),
    path(COURSE, courses.CourseDetailApi.as_view(), name="course-detail"),
    path(COURSE + "publish/", courses.CoursePublishApi.as_view(), name="course-publish"),
    path("placements/", placements.PlacementListApi.as_view(), name="placements"),
    path(PLACEMENT, placements.PlacementDetailApi.as_view(), name="placement-detail"),
    path(
        PLACEMENT + "publish/", placements.PlacementPublishApi.as_view(), name="placement-publish"
    ),
    path("conventions/", placements.ConventionCreateApi.as_view(), name="conventions"),
    path("proposals/", proposals.ProposalListApi.as_view(), name="proposals"),
    path(PROPOSAL, proposals.ProposalDetailApi.as_view(), name="proposal-detail"),
    path(
        PROPOSAL + "transition/",
        proposals.ProposalTransitionApi.as_view(),
        name="proposal-transition",
    ),
    path(PROPOSAL + "hours/", proposals.ProposalHoursApi.as_view(), name="proposal-hours"),
    path(
        "candidates/<str:pseudonym>/",
        candidates.CandidateDetailApi.as_view(),
        name="candidate-detail",
    ),
]
