"""Reads behind the employer's pages: its offers with counts, shortlists, contact requests."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied
from common.models import User
from competenze.models import Person
from lavoro import permissions
from lavoro.models import ContactRequest, CourseInterest, JobOffer, Proposal, ShortlistEntry
from lavoro.selectors.candidates import CANDIDATES_DENIED, _candidate_person
from lavoro.selectors.offers import offer_list_for_employer

CONTACT_NOT_FOUND = gettext_lazy("Richiesta di contatto non trovata.")
INTEREST_NOT_FOUND = gettext_lazy("Interesse per il corso non trovato.")

SHORTLIST_NOT_FOUND = gettext_lazy("Candidato non presente nella selezione.")


def candidate_person_get(*, user: User, pseudonym: str) -> Person:
    """The Person behind a candidate `user` may see (shared profile), for writes only.

    Same rules and same 404 as candidate_profile_get; the caller never shows the row.
    """
    if not permissions.can_view_candidates(user):
        raise AccessDenied(CANDIDATES_DENIED)
    return _candidate_person(user=user, pseudonym=pseudonym)


def offer_list_with_counts(*, user: User) -> QuerySet[JobOffer]:
    """The employer's offers with how many proposals, selected candidates and requests."""
    sent = ~Q(proposals__status__in=[Proposal.Status.DRAFT])
    return offer_list_for_employer(user=user).annotate(
        proposals_count=Count("proposals", filter=sent, distinct=True),
        shortlist_count=Count("shortlist", distinct=True),
        contact_count=Count("contact_requests", distinct=True),
    )


def offer_choices_for_employer(*, user: User) -> list[JobOffer]:
    """Offers a candidate can still be selected or requested for (not closed)."""
    offers = offer_list_for_employer(user=user).exclude(status=JobOffer.Status.CLOSED)
    offers = offers.select_related(None).prefetch_related(None)
    return list(offers.only("id", "title", "status", "start_date", "created_at"))


def shortlist_list_for_offer(*, offer: JobOffer) -> QuerySet[ShortlistEntry]:
    """The offer's shortlist; rows carry the pseudonym only (callers check the offer)."""
    return (
        ShortlistEntry.objects.filter(offer=offer)
        .select_related("person")
        .only("id", "note", "created_at", "offer_id", "person__pseudonym")
        .order_by("-created_at", "-id")
    )


def shortlist_entry_get(*, user: User, entry_id: int) -> ShortlistEntry:
    entry = (
        ShortlistEntry.objects.select_related("offer__employer", "person")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or not permissions.can_manage_offer(user, entry.offer):
        raise Http404(SHORTLIST_NOT_FOUND)
    return entry


def contact_requests_for_offer(*, offer: JobOffer) -> QuerySet[ContactRequest]:
    return (
        ContactRequest.objects.filter(offer=offer)
        .select_related("person")
        .only("id", "status", "reason", "created_at", "offer_id", "person__pseudonym")
        .order_by("-created_at", "-id")
    )


def candidate_employer_links(
    *, user: User, pseudonym: str
) -> tuple[dict[int, ShortlistEntry], dict[int, ContactRequest]]:
    """For one candidate: in which of the user's offers they are shortlisted, or requested.

    Returns ({offer_id: shortlist entry}, {offer_id: contact request}).
    """
    organisation = user.organisation_id
    if organisation is None:
        return {}, {}
    shortlist = ShortlistEntry.objects.filter(
        person__pseudonym=pseudonym, offer__employer__organisation_id=organisation
    ).select_related("offer")
    contacts = ContactRequest.objects.filter(
        person__pseudonym=pseudonym, employer__organisation_id=organisation
    ).select_related("offer")
    return (
        {entry.offer_id: entry for entry in shortlist},
        {request.offer_id: request for request in contacts},
    )


def contact_requests_for_counsellor(*, user: User) -> QuerySet[ContactRequest]:
    """Open contact requests about the people of the counsellor's organisation: the
    counsellor talks to the person, who decides whether to meet the employer."""
    if not user.has_role(User.Role.COUNSELLOR) or user.organisation_id is None:
        return ContactRequest.objects.none()
    return (
        ContactRequest.objects.filter(
            person__organisation_id=user.organisation_id,
            status__in=[ContactRequest.Status.SENT, ContactRequest.Status.IN_PROGRESS],
        )
        .select_related("employer__organisation", "offer", "person")
        .order_by("-created_at", "-id")
    )


def contact_request_for_counsellor_get(*, user: User, request_id: int) -> ContactRequest:
    """One contact request about a person of the counsellor's organisation (any status);
    Http404 otherwise, so nobody learns that a request exists."""
    if user.organisation_id is None:
        raise Http404(CONTACT_NOT_FOUND)
    found = (
        ContactRequest.objects.filter(pk=request_id, person__organisation_id=user.organisation_id)
        .select_related("employer__organisation", "offer", "person", "answered_by")
        .first()
    )
    if found is None:
        raise Http404(CONTACT_NOT_FOUND)
    return found


def course_interests_for_counsellor(*, user: User) -> QuerySet[CourseInterest]:
    """Interests in courses waiting for an answer, of the people of the counsellor's
    organisation."""
    if not user.has_role(User.Role.COUNSELLOR) or user.organisation_id is None:
        return CourseInterest.objects.none()
    return (
        CourseInterest.objects.filter(
            person__organisation_id=user.organisation_id,
            status=CourseInterest.Status.WAITING,
        )
        .select_related("course", "person")
        .order_by("-created_at", "-id")
    )


def course_interest_for_counsellor_get(*, user: User, interest_id: int) -> CourseInterest:
    if user.organisation_id is None:
        raise Http404(INTEREST_NOT_FOUND)
    found = (
        CourseInterest.objects.filter(pk=interest_id, person__organisation_id=user.organisation_id)
        .select_related("course__provider__organisation", "course__municipality", "person")
        .first()
    )
    if found is None:
        raise Http404(INTEREST_NOT_FOUND)
    return found


def course_interests_of_person(*, person: Person) -> dict[int, CourseInterest]:
    """{course id: interest} of one person (their own page shows the state)."""
    return {i.course_id: i for i in CourseInterest.objects.filter(person=person)}
