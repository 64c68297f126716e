"""IDVCC (D.Lgs. 13/2013) as records: requests to an assessor or a certifying body, the
append-only record of every stage change, and the credentials issued from those records.

A profile entry's `stage` is a cache of its latest StageRecord (`stage_after`); what others
are shown comes from the records (competenze.selectors.idvcc.supported_stages), so a stage
written any other way is never shown as reached. Writes go through competenze.services.idvcc.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competenze.models.people import Evidence, SkillEntry

Stage = SkillEntry.Stage

RECORDS_APPEND_ONLY = _("I registri delle fasi IDVCC non si modificano né si cancellano.")


class StageRequest(models.Model):
    """A counsellor asks an assessing or certifying organisation to look at one entry.

    Open requests make up the work list of that organisation's assessors (validation) or
    certifying-body users (certification): they see the entry only while it is theirs to
    assess, or after they recorded a stage change on it.
    """

    class Status(models.TextChoices):
        OPEN = "aperta", _("In attesa")
        DONE = "conclusa", _("Conclusa")
        WITHDRAWN = "ritirata", _("Ritirata")

    entry = models.ForeignKey(SkillEntry, on_delete=models.CASCADE, related_name="stage_requests")
    stage = models.CharField(
        _("fase richiesta"),
        max_length=12,
        choices=[
            (Stage.VALIDATED, Stage.VALIDATED.label),
            (Stage.CERTIFIED, Stage.CERTIFIED.label),
        ],
    )
    organisation = models.ForeignKey(
        "common.Organisation",
        verbose_name=_("ente a cui è rivolta"),
        on_delete=models.PROTECT,
        related_name="stage_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("richiesta da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("richiesta il"), default=timezone.now, db_index=True)
    note = models.TextField(_("nota per chi valuta"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chiusa da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("richiesta di validazione o certificazione")
        verbose_name_plural = _("richieste di validazione o certificazione")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "stage"],
                condition=models.Q(status="aperta"),
                name="stage_request_one_open",
            ),
            models.CheckConstraint(
                name="stage_request_closed_when_not_open",
                condition=models.Q(status="aperta", closed_at__isnull=True)
                | (~models.Q(status="aperta") & models.Q(closed_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.stage} ({self.get_status_display()})"


class StageRecord(models.Model):
    """One stage change of a profile entry (or an assessment that changed nothing).

    Append-only: rows are only ever added (save() refuses updates, delete() refuses), and each
    addition is audited. `actor` is None for changes made by the system (the data migration
    that demoted unsupported stages); `actor_username`/`actor_role` keep who it was even if
    the user is deleted later.
    """

    class Kind(models.TextChoices):
        IDENTIFICATION = "individuazione", _("Individuazione")
        VALIDATION = "validazione", _("Validazione")
        CERTIFICATION = "certificazione", _("Certificazione")
        REVOCATION = "revoca", _("Revoca")
        DEMOTION = "declassamento", _("Declassamento d'ufficio")

    class Method(models.TextChoices):
        DOCUMENTARY = "documentale", _("Analisi documentale")
        OBSERVATION = "osservazione", _("Osservazione sul lavoro")
        PRACTICAL_TEST = "prova_pratica", _("Prova pratica")
        TECHNICAL_INTERVIEW = "colloquio_tecnico", _("Colloquio tecnico")

    class Outcome(models.TextChoices):
        POSITIVE = "positivo", _("Positivo")
        NEGATIVE = "negativo", _("Negativo")

    entry = models.ForeignKey(SkillEntry, on_delete=models.CASCADE, related_name="stage_records")
    kind = models.CharField(_("tipo"), max_length=15, choices=Kind.choices)
    outcome = models.CharField(
        _("esito"), max_length=10, choices=Outcome.choices, default=Outcome.POSITIVE
    )
    stage_before = models.CharField(_("fase prima"), max_length=12, choices=Stage.choices)
    stage_after = models.CharField(_("fase dopo"), max_length=12, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(_("nome utente"), max_length=150, blank=True)
    actor_name = models.CharField(_("nome e cognome"), max_length=300, blank=True)
    actor_role = models.CharField(_("ruolo"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        "common.Organisation",
        verbose_name=_("ente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_records",
    )
    method = models.CharField(_("metodo"), max_length=20, choices=Method.choices, blank=True)
    evidences = models.ManyToManyField(
        Evidence, verbose_name=_("evidenze usate"), blank=True, related_name="stage_records"
    )
    note = models.TextField(_("nota"), blank=True)
    request = models.ForeignKey(
        StageRequest,
        verbose_name=_("richiesta"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    attestation_number = models.CharField(_("numero dell'attestazione"), max_length=60, blank=True)
    attestation_date = models.DateField(_("data dell'attestazione"), null=True, blank=True)
    attestation_issuer = models.CharField(_("rilasciata da"), max_length=200, blank=True)
    attestation_standard = models.CharField(
        _("qualificazione o standard di riferimento"), max_length=300, blank=True
    )
    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("registro di fase IDVCC")
        verbose_name_plural = _("registri delle fasi IDVCC")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["entry", "at"], name="stage_record_entry_at")]
        constraints = [
            models.CheckConstraint(
                name="stage_record_assessment_has_method",
                condition=~models.Q(kind__in=["validazione", "certificazione"])
                | ~models.Q(method=""),
            ),
            models.CheckConstraint(
                name="stage_record_certification_attested",
                condition=~models.Q(kind="certificazione", outcome="positivo")
                | (
                    ~models.Q(attestation_number="")
                    & models.Q(attestation_date__isnull=False)
                    & ~models.Q(attestation_issuer="")
                    & ~models.Q(attestation_standard="")
                ),
            ),
            models.CheckConstraint(
                name="stage_record_downgrade_explained",
                condition=~models.Q(kind__in=["revoca", "declassamento"]) | ~models.Q(note=""),
            ),
            models.CheckConstraint(
                name="stage_record_negative_changes_nothing",
                condition=~models.Q(outcome="negativo")
                | models.Q(stage_after=models.F("stage_before")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_kind_display()} → {self.stage_after}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise ValidationError(RECORDS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError(RECORDS_APPEND_ONLY)

    @property
    def is_attested(self) -> bool:
        return self.kind == self.Kind.CERTIFICATION and self.outcome == self.Outcome.POSITIVE


class IssuedCredential(models.Model):
    """An Open Badges 3.0 credential signed for one stage record (one per record).

    The signed token is kept so a second export gives the same credential. `status_index`
    is its bit in the revocation list (Bitstring Status List, docs/idvcc.md); a credential
    whose entry was deleted counts as revoked.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(
        SkillEntry, null=True, on_delete=models.SET_NULL, related_name="credentials"
    )
    record = models.OneToOneField(
        StageRecord, null=True, on_delete=models.SET_NULL, related_name="credential"
    )
    status_list = models.PositiveIntegerField(_("lista di revoca"), default=1)
    status_index = models.PositiveIntegerField(_("posizione nella lista di revoca"))
    kid = models.CharField(_("chiave di firma"), max_length=100)
    token = models.TextField(_("credenziale firmata (VC-JWT)"))
    issued_at = models.DateTimeField(_("emessa il"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)
    revocation_reason = models.CharField(_("motivo della revoca"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("credenziale emessa")
        verbose_name_plural = _("credenziali emesse")
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"urn:uuid:{self.id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.entry_id is None
