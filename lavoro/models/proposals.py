"""Proposals of a person to an opportunity, with a status workflow and an audit trail."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Proposal(TimeStampedModel):
    """A counsellor proposes a person for exactly one offer, course or placement."""

    class Status(models.TextChoices):
        DRAFT = "bozza", _("In preparazione")
        SENT = "inviata", _("Inviata")
        ACCEPTED = "accettata", _("Accettata")
        REJECTED = "rifiutata", _("Non accolta")
        STARTED = "avviata", _("Avviata")
        COMPLETED = "conclusa", _("Conclusa")
        INTERRUPTED = "interrotta", _("Interrotta")
        WITHDRAWN = "ritirata", _("Ritirata")

    person = models.ForeignKey(
        "competenze.Person", on_delete=models.CASCADE, related_name="proposals"
    )
    offer = models.ForeignKey(
        "lavoro.JobOffer", null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    course = models.ForeignKey(
        "lavoro.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    placement = models.ForeignKey(
        "lavoro.Placement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    consent = models.ForeignKey(
        "competenze.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("messaggio per l'ente"), blank=True)
    hours_done = models.DecimalField(
        _("ore svolte"), max_digits=7, decimal_places=2, default=Decimal(0)
    )  # in quarter hours

    class Meta:
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="proposal_exactly_one_target",
                condition=(
                    models.Q(offer__isnull=False, course__isnull=True, placement__isnull=True)
                    | models.Q(offer__isnull=True, course__isnull=False, placement__isnull=True)
                    | models.Q(offer__isnull=True, course__isnull=True, placement__isnull=False)
                ),
                violation_error_message=_(
                    "Una proposta riguarda una sola opportunità: un'offerta, un corso o un posto."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "offer"],
                condition=models.Q(offer__isnull=False),
                name="proposal_unique_offer",
                violation_error_message=_("La persona è già stata proposta per questa offerta."),
            ),
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=models.Q(course__isnull=False),
                name="proposal_unique_course",
                violation_error_message=_("La persona è già stata proposta per questo corso."),
            ),
            models.UniqueConstraint(
                fields=["person", "placement"],
                condition=models.Q(placement__isnull=False),
                name="proposal_unique_placement",
                violation_error_message=_("La persona è già stata proposta per questo posto."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym} → {self.target}"

    @property
    def target(self) -> models.Model:
        return self.offer or self.course or self.placement  # type: ignore[return-value]


class ProposalEvent(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evento della proposta")
        verbose_name_plural = _("storico delle proposte")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
