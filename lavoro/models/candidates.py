"""What an employer does with a candidate it found: keep them on a shortlist, ask to meet them.

The employer never contacts the person: a contact request goes to the person's counsellor.
Both rows point to the pseudonymous Person; no identity field is copied here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class ShortlistEntry(TimeStampedModel):
    """A candidate the employer keeps in mind for one of its offers, with a private note."""

    offer = models.ForeignKey(
        "lavoro.JobOffer",
        verbose_name=_("offerta"),
        on_delete=models.CASCADE,
        related_name="shortlist",
    )
    person = models.ForeignKey(
        "competenze.Person",
        verbose_name=_("candidato"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("nota dell'azienda"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("candidato in selezione")
        verbose_name_plural = _("candidati in selezione")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "person"],
                name="shortlist_unique",
                violation_error_message=_("Il candidato è già nella selezione di questa offerta."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym} → {self.offer}"


class ContactRequest(TimeStampedModel):
    """An employer asks the counsellor who follows a candidate to put them in touch."""

    class Status(models.TextChoices):
        SENT = "inviata", _("Inviata all'operatore")
        IN_PROGRESS = "in_corso", _("Presa in carico")
        ACCEPTED = "accolta", _("Accolta: la persona è interessata")
        DECLINED = "declinata", _("Non accolta")

    employer = models.ForeignKey(
        "lavoro.Employer",
        verbose_name=_("azienda"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    offer = models.ForeignKey(
        "lavoro.JobOffer",
        verbose_name=_("offerta"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    person = models.ForeignKey(
        "competenze.Person",
        verbose_name=_("candidato"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore destinatario"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("messaggio dell'azienda"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    reason = models.TextField(
        _("motivo"),
        blank=True,
        help_text=_("Perché la richiesta non è accolta, come l'operatore lo scrive all'azienda."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risposta di"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)

    class Meta:
        verbose_name = _("richiesta di contatto")
        verbose_name_plural = _("richieste di contatto")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "person"],
                name="contact_request_unique",
                violation_error_message=_(
                    "Hai già chiesto di contattare questo candidato per questa offerta."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} → {self.person.pseudonym} ({self.offer})"


class CourseInterest(TimeStampedModel):
    """The person said «Mi interessa» for a course: once per course, until the counsellor
    answers (proposing the course, or saying why not now). The person sees the state."""

    class Status(models.TextChoices):
        WAITING = "in_attesa", _("In attesa della risposta dell'operatore")
        PROPOSED = "proposta", _("L'operatore ti propone il corso")
        DECLINED = "non_ora", _("L'operatore ha risposto: non ora")

    person = models.ForeignKey(
        "competenze.Person",
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="course_interests",
    )
    course = models.ForeignKey(
        "lavoro.Course",
        verbose_name=_("corso"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    answer = models.TextField(_("risposta dell'operatore"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risposta di"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)

    class Meta:
        verbose_name = _("interesse per un corso")
        verbose_name_plural = _("interessi per i corsi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                name="course_interest_unique",
                violation_error_message=_("Hai già detto che questo corso ti interessa."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym} → {self.course}"
