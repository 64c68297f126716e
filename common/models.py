"""Shared models: organisations, users and roles, territory, access audit, outbox."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        abstract = True


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        SERVICE = "servizio", _("Servizio di orientamento / ente del terzo settore")
        UEPE = "uepe", _("UEPE")
        EMPLOYER = "datore", _("Datore di lavoro")
        HOST_BODY = "ente_ospitante", _("Ente ospitante MAP/LPU")
        TRAINING_PROVIDER = "ente_formazione", _("Ente di formazione")

    name = models.CharField(_("nome"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "common.Municipality",
        verbose_name=_("comune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("attiva"), default=True)

    class Meta:
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        COUNSELLOR = "operatore", _("Operatore / orientatore")
        EMPLOYER = "datore", _("Datore di lavoro")
        HOST_BODY = "ente_ospitante", _("Ente ospitante")
        TRAINEE = "beneficiario", _("Beneficiario")
        PROGRAMME_MANAGER = "responsabile", _("Responsabile di programma")
        ASSESSOR = "valutatore", _("Valutatore (esperto di valutazione)")
        CERTIFIER = "ente_titolato", _("Ente titolato (certificazione)")
        ADMIN = "amministratore", _("Amministratore")

    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizzazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        constraints = [
            models.CheckConstraint(
                name="user_role_needs_organisation",
                condition=models.Q(role__in=["beneficiario", "amministratore"])
                | models.Q(organisation__isnull=False),
                violation_error_message=_(
                    "Un utente con questo ruolo deve appartenere a un'organizzazione."
                ),
            ),
        ]

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.role in roles


class Province(models.Model):
    code = models.CharField(_("sigla"), max_length=2, unique=True)
    name = models.CharField(_("nome"), max_length=100)
    region = models.CharField(_("regione"), max_length=100, default="Lombardia")

    class Meta:
        verbose_name = _("provincia")
        verbose_name_plural = _("province")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    name = models.CharField(_("nome"), max_length=100, db_index=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("provincia"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    latitude = models.FloatField(_("latitudine"))
    longitude = models.FloatField(_("longitudine"))

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="municipality_coordinates_valid",
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                violation_error_message=_("Le coordinate del comune non sono valide."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.province.code})"


class AccessLog(models.Model):
    """One row per read or write of personal or judicial data (GDPR art. 30, 32).

    Holds the pseudonym and the kind of data touched, never the data itself. Who did it is
    kept as a snapshot (username and role, written with the row) besides the link to the
    user, so deleting a user leaves their trail readable. Write rows through
    common.services.access_log_record / access_log_build, which fill the snapshot.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("consultazione")
        CREATE = "create", _("creazione")
        UPDATE = "update", _("modifica")
        DELETE = "delete", _("cancellazione")
        EXPORT = "export", _("esportazione")
        DENIED = "denied", _("accesso negato")

    actor = models.ForeignKey(
        User, verbose_name=_("utente"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(
        _("nome utente"),
        max_length=150,
        blank=True,
        help_text=_("Copiato alla scrittura: resta anche se l'utente viene cancellato."),
    )
    actor_role = models.CharField(_("ruolo"), max_length=20, blank=True)
    action = models.CharField(_("azione"), max_length=10, choices=Action.choices)
    subject = models.CharField(_("persona (pseudonimo)"), max_length=40, db_index=True)
    data_category = models.CharField(_("categoria di dati"), max_length=40)
    purpose = models.CharField(_("finalità"), max_length=200, blank=True)
    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("accesso ai dati personali")
        verbose_name_plural = _("registro degli accessi")
        ordering = ["-at"]

    def __str__(self) -> str:
        who = self.actor_username or self.actor_role
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.subject}"


class ApiToken(models.Model):
    """A key for the API, shown once when created; only its SHA-256 is stored.

    It expires (`expires_at`) and dies when its user's password changes: it keeps a
    fingerprint of the password hash it was made under (common/auth/tokens.py).
    """

    user = models.ForeignKey(
        User, verbose_name=_("utente"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("nome"),
        max_length=100,
        blank=True,
        help_text=_("A che cosa serve, per riconoscerlo (es. «gestionale»)."),
    )
    prefix = models.CharField(_("inizio del token"), max_length=16, unique=True)
    key_hash = models.CharField(_("impronta SHA-256 del token"), max_length=64, unique=True)
    password_fingerprint = models.CharField(_("impronta della password"), max_length=64)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    expires_at = models.DateTimeField(_("scade il"))
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("token dell'API")
        verbose_name_plural = _("token dell'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.get_username()})"


class OutboxMessage(models.Model):
    """Work that must follow a commit (reindex, recognise skills), written in the same
    transaction as the change: a dead broker or a killed worker delays it, never loses it.

    `topic` names the receiver's handler (common.outbox), `payload` its keyword arguments:
    ids only, never personal data. `due_at` is when the sweeper may send it (again).
    """

    topic = models.CharField(_("argomento"), max_length=100)
    payload = models.JSONField(_("dati (solo identificativi)"), default=dict)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    due_at = models.DateTimeField(_("da inviare dal"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("tentativi"), default=0)
    last_error = models.CharField(_("ultimo errore"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("eseguito il"), null=True, blank=True)

    class Meta:
        verbose_name = _("lavoro in coda")
        verbose_name_plural = _("lavori in coda (outbox)")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(done_at__isnull=True), name="outbox_pending"
            ),
            models.Index(fields=["done_at"], name="outbox_done"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
