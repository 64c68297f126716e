"""An employer keeps candidates on a shortlist and asks their counsellor for a contact.

The employer never reaches the person: a ContactRequest goes to the counsellor who follows
them, with an e-mail that carries the pseudonym, the company and the offer, nothing else.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied, ApplicationError
from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Consent, Person
from competenze.permissions import person_editor_require
from lavoro import permissions
from lavoro.models import ContactRequest, JobOffer, ShortlistEntry
from lavoro.selectors.shortlists import candidate_person_get

logger = logging.getLogger(__name__)

OFFER_DENIED = gettext_lazy("Puoi selezionare candidati solo per le offerte della tua azienda.")
OFFER_CLOSED = gettext_lazy("L'offerta è chiusa: non si possono più selezionare candidati.")
ALREADY_SHORTLISTED = gettext_lazy("Il candidato è già nella selezione per questa offerta.")
ALREADY_REQUESTED = gettext_lazy(
    "Hai già chiesto un contatto per questo candidato per questa offerta."
)
NOTE_TOO_LONG = gettext_lazy("La nota può avere al massimo %(max)d caratteri.")
PERSON_INACTIVE = gettext_lazy("Il percorso di questo candidato non è più attivo.")
MAIL_SUBJECT = gettext_lazy("Ponte: richiesta di contatto per %(pseudonym)s")
MAIL_BODY = gettext_lazy(
    "L'azienda %(company)s chiede un contatto per %(pseudonym)s per l'offerta «%(offer)s».\n\n"
    "Il messaggio dell'azienda e lo stato della richiesta sono su Ponte:\n%(link)s\n\n"
    "Parla con la persona prima di rispondere: l'azienda non riceve nomi né contatti "
    "senza il suo consenso."
)
ANSWER_DENIED = gettext_lazy(
    "Solo gli operatori che seguono la persona rispondono alle richieste di contatto."
)
ALREADY_ANSWERED = gettext_lazy("Hai già risposto a questa richiesta di contatto.")
CONSENT_MISSING = gettext_lazy(
    "Per accogliere la richiesta registra prima, con la persona, il consenso a comunicare "
    "nome e contatti a %(company)s: solo quell'azienda li vedrà."
)
REASON_MISSING = gettext_lazy("Scrivi all'azienda perché la richiesta non è accolta.")
ANSWER_SUBJECT = gettext_lazy("Ponte: risposta alla richiesta di contatto per %(pseudonym)s")
ACCEPTED_BODY = gettext_lazy(
    "La richiesta di contatto per %(pseudonym)s (offerta «%(offer)s») è stata accolta: "
    "nome e contatti della persona sono nella sua scheda su Ponte.\n%(link)s"
)
DECLINED_BODY = gettext_lazy(
    "La richiesta di contatto per %(pseudonym)s (offerta «%(offer)s») non è stata accolta.\n"
    "Motivo: %(reason)s\n\nLo stato delle richieste è su Ponte:\n%(link)s"
)
DATA_CATEGORY = "richiesta_contatto"
NOTE_MAX = 500  # ShortlistEntry.note max_length


def _offer_check(*, offer: JobOffer, user: User) -> None:
    if not permissions.can_manage_offer(user, offer):
        raise AccessDenied(OFFER_DENIED)
    if offer.status == JobOffer.Status.CLOSED:
        raise ApplicationError(OFFER_CLOSED, code="closed")


def _candidate(*, user: User, pseudonym: str) -> Person:
    person = candidate_person_get(user=user, pseudonym=pseudonym)
    if not person.is_active:
        raise ApplicationError(PERSON_INACTIVE, code="person_inactive")
    return person


def shortlist_add(
    *, offer: JobOffer, pseudonym: str, added_by: User, note: str = ""
) -> ShortlistEntry:
    """Put a candidate who shared their profile on the shortlist of one of the user's offers.

    Raises AccessDenied (not the user's offer), Http404 (unknown or not shared candidate),
    ApplicationError (closed offer, already there, note too long).
    """
    _offer_check(offer=offer, user=added_by)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(NOTE_TOO_LONG % {"max": NOTE_MAX}, code="note_too_long")
    person = _candidate(user=added_by, pseudonym=pseudonym)
    if ShortlistEntry.objects.filter(offer=offer, person=person).exists():
        raise ApplicationError(ALREADY_SHORTLISTED, code="duplicate")
    try:
        with transaction.atomic():
            entry = ShortlistEntry.objects.create(
                offer=offer, person=person, note=note, added_by=added_by
            )
    except IntegrityError as error:  # a concurrent request won the race
        raise ApplicationError(ALREADY_SHORTLISTED, code="duplicate") from error
    return entry


def shortlist_remove(*, entry: ShortlistEntry, removed_by: User) -> None:
    if not permissions.can_manage_offer(removed_by, entry.offer):
        raise AccessDenied(OFFER_DENIED)
    entry.delete()


def _counsellor_emails(person: Person) -> list[str]:
    """The person's counsellor, or else the counsellors of the organisation that follows them."""
    counsellor = person.counsellor
    if counsellor is not None and counsellor.is_active and counsellor.email:
        return [counsellor.email]
    others = User.objects.filter(
        organisation_id=person.organisation_id, role=User.Role.COUNSELLOR, is_active=True
    ).exclude(email="")
    return sorted(others.values_list("email", flat=True))


def _contact_mail_send(*, request: ContactRequest, site_url: str) -> None:
    recipients = _counsellor_emails(request.person)
    if not recipients:
        logger.warning("Richiesta di contatto %s: nessun operatore con e-mail", request.pk)
        return
    path = reverse("competenze:contact-answer", args=[request.pk])
    values = {
        "company": request.employer.organisation.name,
        "pseudonym": request.person.pseudonym,
        "offer": request.offer.title,
        "link": f"{site_url.rstrip('/')}{path}",
    }
    try:
        send_mail(
            subject=MAIL_SUBJECT % values,
            message=MAIL_BODY % values,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except Exception:  # the request is saved: the counsellor still finds it on Ponte
        logger.exception("Richiesta di contatto %s: invio dell'e-mail fallito", request.pk)


def contact_request_create(
    *, offer: JobOffer, pseudonym: str, requested_by: User, message: str = "", site_url: str = ""
) -> ContactRequest:
    """Ask the counsellor of a candidate for a contact about one of the user's offers.

    Saves the request (audited), then e-mails the counsellor the company, the pseudonym and
    the offer title, never personal data; a mail failure is logged, not raised.
    """
    _offer_check(offer=offer, user=requested_by)
    person = _candidate(user=requested_by, pseudonym=pseudonym)
    if ContactRequest.objects.filter(offer=offer, person=person).exists():
        raise ApplicationError(ALREADY_REQUESTED, code="duplicate")
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(
                employer=offer.employer,
                offer=offer,
                person=person,
                counsellor=person.counsellor,
                requested_by=requested_by,
                message=message.strip(),
            )
            access_log_record(
                actor=requested_by,
                action=AccessLog.Action.CREATE,
                subject=person.pseudonym,
                data_category=DATA_CATEGORY,
                purpose=f"offerta {offer.pk}",
            )
    except IntegrityError as error:
        raise ApplicationError(ALREADY_REQUESTED, code="duplicate") from error
    _contact_mail_send(request=request, site_url=site_url)
    return request


def _identity_consent(request: ContactRequest) -> Consent | None:
    """The person's consent in force to disclose name and contacts to this very employer
    (one named recipient: a consent without recipient never counts for identity)."""
    organisation = request.employer.organisation_id
    covering = Consent.objects.filter(person=request.person).covering(
        purpose=Consent.Purpose.DISCLOSE_IDENTITY, organisation_id=organisation
    )
    return covering.filter(recipient_id=organisation).first()


def contact_request_answer(
    *,
    request: ContactRequest,
    answered_by: User,
    accept: bool,
    reason: str = "",
    site_url: str = "",
) -> ContactRequest:
    """The counsellor answers an employer's contact request, after talking to the person.

    Accepting needs the person's «identita_datori» consent naming the employer: then the
    employer, and only it, sees name and contacts on the candidate page. Declining needs a
    reason, which the employer reads. Raises AccessDenied (not a counsellor of the person),
    ApplicationError (answered already, consent or reason missing). The employer's user is
    e-mailed the outcome with a link to their offer page; a mail failure is logged.
    """
    person_editor_require(answered_by, request.person, ANSWER_DENIED)
    reason = reason.strip()
    with transaction.atomic():
        request = ContactRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in (ContactRequest.Status.SENT, ContactRequest.Status.IN_PROGRESS):
            raise ApplicationError(ALREADY_ANSWERED, code="answered")
        if accept and _identity_consent(request) is None:
            company = request.employer.organisation.name
            raise ApplicationError(CONSENT_MISSING % {"company": company}, code="no_consent")
        if not accept and not reason:
            raise ApplicationError(REASON_MISSING, code="reason")
        request.status = (
            ContactRequest.Status.ACCEPTED if accept else ContactRequest.Status.DECLINED
        )
        request.reason = "" if accept else reason
        request.answered_by = answered_by
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "reason", "answered_by", "answered_at", "updated_at"])
        access_log_record(
            actor=answered_by,
            action=AccessLog.Action.UPDATE,
            subject=request.person.pseudonym,
            data_category=DATA_CATEGORY,
            purpose=f"risposta alla richiesta {request.pk}",
        )
    _answer_mail_send(request=request, site_url=site_url)
    return request


def _answer_mail_send(*, request: ContactRequest, site_url: str) -> None:
    recipient = request.requested_by
    if not recipient.is_active or not recipient.email:
        return
    accepted = request.status == ContactRequest.Status.ACCEPTED
    if accepted:
        path = reverse("lavoro:candidate-detail", args=[request.person.pseudonym])
    else:
        path = reverse("lavoro:offer-edit", args=[request.offer_id]) + "#contacts-title"
    values = {
        "pseudonym": request.person.pseudonym,
        "offer": request.offer.title,
        "reason": request.reason,
        "link": f"{site_url.rstrip('/')}{path}",
    }
    try:
        send_mail(
            subject=ANSWER_SUBJECT % values,
            message=(ACCEPTED_BODY if accepted else DECLINED_BODY) % values,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    except Exception:
        logger.exception("Richiesta di contatto %s: invio della risposta fallito", request.pk)
