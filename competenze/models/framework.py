"""A generic skills framework: QRSP-like schemes, ESCO, or our own shipped one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Framework(TimeStampedModel):
    class Source(models.TextChoices):
        SHIPPED = "shipped", _("Fornito con Ponte")
        ESCO = "esco", _("ESCO")
        QRSP = "qrsp", _("QRSP Lombardia")

    code = models.SlugField(_("codice"), max_length=60)
    version = models.CharField(_("versione"), max_length=30)
    name = models.CharField(_("nome"), max_length=200)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    description = models.TextField(_("descrizione"), blank=True)
    licence = models.CharField(_("licenza"), max_length=200, blank=True)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    is_default = models.BooleanField(_("predefinito"), default=False)

    class Meta:
        verbose_name = _("quadro delle competenze")
        verbose_name_plural = _("quadri delle competenze")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="framework_code_version",
                violation_error_message=_(
                    "Esiste già un quadro delle competenze con questo codice e questa versione."
                ),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="framework_single_default",
                violation_error_message=_(
                    "Può esserci un solo quadro delle competenze predefinito."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Sector(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(_("codice"), max_length=20)
    label = models.CharField(_("nome"), max_length=200)

    class Meta:
        verbose_name = _("settore")
        verbose_name_plural = _("settori")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="sector_code_unique",
                violation_error_message=_("Esiste già un settore con questo codice nel quadro."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Concept(models.Model):
    class Kind(models.TextChoices):
        PROFILE = "profilo", _("Profilo professionale")
        COMPETENCE = "competenza", _("Competenza")
        SKILL = "abilita", _("Abilità")
        KNOWLEDGE = "conoscenza", _("Conoscenza")
        TRANSVERSAL = "trasversale", _("Competenza trasversale")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="concepts")
    code = models.CharField(_("codice"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="concepts"
    )
    pref_label = models.CharField(_("etichetta preferita"), max_length=300)
    alt_labels = models.JSONField(_("etichette alternative"), default=list, blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("concetto padre"),
    )
    eqf_level = models.PositiveSmallIntegerField(_("livello EQF"), null=True, blank=True)

    class Meta:
        verbose_name = _("concetto")
        verbose_name_plural = _("concetti")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="concept_code_unique",
                violation_error_message=_("Esiste già un concetto con questo codice nel quadro."),
            ),
            models.CheckConstraint(
                name="concept_eqf_level_range",
                condition=models.Q(eqf_level__isnull=True)
                | models.Q(eqf_level__gte=1, eqf_level__lte=8),
                violation_error_message=_("Il livello EQF va da 1 a 8."),
            ),
            models.CheckConstraint(
                name="concept_not_own_parent",
                condition=~models.Q(parent=models.F("id")),
                violation_error_message=_("Un concetto non può essere il padre di se stesso."),
            ),
        ]
        indexes = [models.Index(fields=["framework", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.pref_label}"

    @property
    def labels(self) -> list[str]:
        return [self.pref_label, *self.alt_labels]


class ConceptExternalCode(models.Model):
    class System(models.TextChoices):
        ESCO = "esco", _("ESCO URI")
        ISCO = "isco", _("ISCO-08")
        CP2011 = "cp2011", _("CP2011 ISTAT")
        ATECO = "ateco", _("ATECO")
        ADA = "ada", _("Atlante del Lavoro (ADA)")
        QRSP = "qrsp", _("QRSP")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="external_codes")
    system = models.CharField(_("classificazione"), max_length=10, choices=System.choices)
    code = models.CharField(_("codice"), max_length=255)

    class Meta:
        verbose_name = _("codice esterno")
        verbose_name_plural = _("codici esterni")
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "system", "code"],
                name="external_code_unique",
                violation_error_message=_("Questo codice esterno è già associato al concetto."),
            ),
        ]
        indexes = [models.Index(fields=["system", "code"])]

    def __str__(self) -> str:
        return f"{self.system}:{self.code}"


class ConceptRelation(models.Model):
    """A profile (or occupation) requires a competence, essentially or optionally."""

    class Kind(models.TextChoices):
        ESSENTIAL = "essential", _("essenziale")
        OPTIONAL = "optional", _("facoltativa")

    source = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="requires")
    target = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="required_by")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("relazione tra concetti")
        verbose_name_plural = _("relazioni tra concetti")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="relation_unique",
                violation_error_message=_("Questa relazione tra concetti esiste già."),
            ),
            models.CheckConstraint(
                name="relation_not_self",
                condition=~models.Q(source=models.F("target")),
                violation_error_message=_("Un concetto non può essere in relazione con se stesso."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code} ({self.kind})"
