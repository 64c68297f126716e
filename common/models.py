"""Shared models: organisations, users and roles, territory, access audit."""

from django.contrib.auth.models import AbstractUser
from django.db import models
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
