"""Employers, training providers and host bodies, and what they offer."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.validators import validate_partita_iva
from competenze.models.people import MeasureType

if TYPE_CHECKING:
    from competenze.models import Concept


class Employer(TimeStampedModel):
    organisation = models.OneToOneField(
        "common.Organisation", on_delete=models.PROTECT, related_name="employer"
    )
    partita_iva = models.CharField(
        _("partita IVA"), max_length=11, unique=True, validators=[validate_partita_iva]
    )
    ateco_code = models.CharField(_("codice ATECO"), max_length=10, blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    smuraglia_interest = models.BooleanField(
        _("interessato agli sgravi della legge Smuraglia"), default=False
    )

    class Meta:
        verbose_name = _("datore di lavoro")
        verbose_name_plural = _("datori di lavoro")

    def __str__(self) -> str:
        return self.organisation.name


class Site(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("nome della sede"), max_length=200)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "common.Municipality", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"


SHIFT_BOTH_OR_NEITHER = models.Q(shift_start__isnull=True, shift_end__isnull=True) | models.Q(
    shift_start__isnull=False, shift_end__isnull=False
)
"""A daily shift is stated whole (start and end) or not at all."""
SHIFT_INCOMPLETE = _("Indica l'orario per intero, inizio e fine, oppure lascialo vuoto.")


class Opportunity(TimeStampedModel):
    """Fields every opportunity shares: what, where, when, for how many."""

    class Status(models.TextChoices):
        DRAFT = "bozza", _("Bozza")
        PUBLISHED = "pubblicata", _("Pubblicata")
        CLOSED = "chiusa", _("Chiusa")

    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    municipality = models.ForeignKey(
        "common.Municipality",
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(_("ore settimanali"), null=True, blank=True)
    shift_start = models.TimeField(_("orario: dalle"), null=True, blank=True)
    shift_end = models.TimeField(
        _("orario: alle"),
        null=True,
        blank=True,
        help_text=_("Un orario che finisce dopo la mezzanotte ha la fine prima dell'inizio."),
    )
    profile = models.ForeignKey(
        "competenze.Concept",
        verbose_name=_("profilo professionale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "profilo"},
    )

    class Meta:
        abstract = True


class JobOffer(Opportunity):
    class Contract(models.TextChoices):
        PERMANENT = "indeterminato", _("Tempo indeterminato")
        FIXED_TERM = "determinato", _("Tempo determinato")
        APPRENTICESHIP = "apprendistato", _("Apprendistato")
        INTERNSHIP = "tirocinio", _("Tirocinio")
        TEMPORARY = "somministrazione", _("Somministrazione")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="offers")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL)
    contract = models.CharField(_("contratto"), max_length=16, choices=Contract.choices)
    positions = models.PositiveSmallIntegerField(_("posti"), default=1)
    compatible_measures = models.JSONField(
        _("misure compatibili"),
        default=list,
        blank=True,
        help_text=_(
            "Misure con cui l'orario e il luogo sono compatibili (es. art21, affidamento)."
        ),
    )
    smuraglia_eligible = models.BooleanField(_("applica la legge Smuraglia"), default=False)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    skills: "models.ManyToManyField[Concept, OfferSkill]" = models.ManyToManyField(
        "competenze.Concept", through="OfferSkill", related_name="offers"
    )

    class Meta:
        verbose_name = _("offerta di lavoro")
        verbose_name_plural = _("offerte di lavoro")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="offer_positions_positive",
                condition=models.Q(positions__gte=1),
                violation_error_message=_("Serve almeno un posto disponibile."),
            ),
            models.CheckConstraint(
                name="offer_weekly_hours_range",
                condition=models.Q(weekly_hours__isnull=True) | models.Q(weekly_hours__lte=48),
                violation_error_message=_("Al massimo 48 ore settimanali."),
            ),
            models.CheckConstraint(
                name="offer_shift_whole",
                condition=SHIFT_BOTH_OR_NEITHER,
                violation_error_message=SHIFT_INCOMPLETE,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OfferSkill(models.Model):
    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="offer_skills")
    concept = models.ForeignKey("competenze.Concept", on_delete=models.PROTECT, related_name="+")
    essential = models.BooleanField(_("essenziale"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "concept"],
                name="offer_skill_unique",
                violation_error_message=_("Questa competenza è già nell'offerta."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}:{self.concept_id}"


class TrainingProvider(TimeStampedModel):
    organisation = models.OneToOneField(
        "common.Organisation", on_delete=models.PROTECT, related_name="training_provider"
    )
    accreditation_code = models.CharField(_("codice di accreditamento"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("ente di formazione")
        verbose_name_plural = _("enti di formazione")

    def __str__(self) -> str:
        return self.organisation.name


class Course(Opportunity):
    class Certificate(models.TextChoices):
        ATTENDANCE = "frequenza", _("Attestato di frequenza")
        COMPETENCES = "competenze", _("Certificazione delle competenze")
        QUALIFICATION = "qualifica", _("Qualifica regionale")
        LICENCE = "abilitazione", _("Abilitazione / patentino")

    provider = models.ForeignKey(TrainingProvider, on_delete=models.CASCADE, related_name="courses")
    institute = models.ForeignKey(
        "competenze.Institute",
        verbose_name=_("svolto nell'istituto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_date = models.DateField(_("fine"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("posti"))
    seats_taken = models.PositiveSmallIntegerField(_("posti occupati"), default=0)
    total_hours = models.PositiveSmallIntegerField(_("durata (ore)"))
    certificate = models.CharField(
        _("attestazione rilasciata"), max_length=12, choices=Certificate.choices
    )
    skills: "models.ManyToManyField[Concept, CourseSkill]" = models.ManyToManyField(
        "competenze.Concept", through="CourseSkill", related_name="courses"
    )

    class Meta:
        verbose_name = _("corso di formazione")
        verbose_name_plural = _("corsi di formazione")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                name="course_seats_not_exceeded",
                condition=models.Q(seats_taken__lte=models.F("seats")),
                violation_error_message=_("I posti del corso sono esauriti."),
            ),
            models.CheckConstraint(
                name="course_dates_ordered",
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                violation_error_message=_(
                    "La data di fine del corso non può precedere la data di inizio."
                ),
            ),
            models.CheckConstraint(
                name="course_shift_whole",
                condition=SHIFT_BOTH_OR_NEITHER,
                violation_error_message=SHIFT_INCOMPLETE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_available(self) -> int:
        return self.seats - self.seats_taken


class CourseSkill(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_skills")
    concept = models.ForeignKey("competenze.Concept", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "concept"],
                name="course_skill_unique",
                violation_error_message=_("Questa competenza è già nel corso."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.concept_id}"


class HostBody(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "comune", _("Comune o ente pubblico")
        ASSOCIATION = "associazione", _("Associazione / ODV / APS")
        COOPERATIVE = "cooperativa", _("Cooperativa sociale")
        OTHER = "altro", _("Altro ente")

    organisation = models.OneToOneField(
        "common.Organisation", on_delete=models.PROTECT, related_name="host_body"
    )
    kind = models.CharField(_("tipo di ente"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("ente ospitante")
        verbose_name_plural = _("enti ospitanti")

    def __str__(self) -> str:
        return self.organisation.name


class Convention(models.Model):
    host_body = models.ForeignKey(HostBody, on_delete=models.CASCADE, related_name="conventions")
    court = models.CharField(_("tribunale"), max_length=200)
    reference = models.CharField(_("numero / protocollo"), max_length=100)
    valid_from = models.DateField(_("valida dal"))
    valid_to = models.DateField(_("valida fino al"), null=True, blank=True)
    total_places = models.PositiveSmallIntegerField(_("posti convenzionati"))

    class Meta:
        verbose_name = _("convenzione")
        verbose_name_plural = _("convenzioni")
        constraints = [
            models.CheckConstraint(
                name="convention_dates_ordered",
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("La fine della convenzione non può precedere l'inizio."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.reference}"


class Placement(Opportunity):
    class Activity(models.TextChoices):
        SOCIAL = "assistenza", _("Assistenza sociale e sanitaria")
        CIVIL_PROTECTION = "protezione_civile", _("Protezione civile")
        ENVIRONMENT = "ambiente", _("Tutela dell'ambiente e del verde")
        HERITAGE = "patrimonio", _("Patrimonio culturale e biblioteche")
        MAINTENANCE = "manutenzione", _("Manutenzione di beni pubblici")
        ANIMALS = "animali", _("Tutela degli animali")
        OTHER = "altro", _("Altre attività di utilità sociale")

    host_body = models.ForeignKey(HostBody, on_delete=models.CASCADE, related_name="placements")
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="placements")
    activity = models.CharField(_("attività"), max_length=20, choices=Activity.choices)
    places = models.PositiveSmallIntegerField(_("posti"))
    places_taken = models.PositiveSmallIntegerField(_("posti occupati"), default=0)
    min_weekly_hours = models.PositiveSmallIntegerField(_("ore settimanali minime"), default=2)
    eligible_measures = models.JSONField(
        _("misure ammesse"),
        default=list,
        help_text=_("Tra: map, lpu, lsu."),
    )
    skills = models.ManyToManyField("competenze.Concept", blank=True, related_name="placements")

    class Meta:
        verbose_name = _("posto MAP/LPU")
        verbose_name_plural = _("posti MAP/LPU")
        constraints = [
            models.CheckConstraint(
                name="placement_places_not_exceeded",
                condition=models.Q(places_taken__lte=models.F("places")),
                violation_error_message=_("I posti disponibili sono esauriti."),
            ),
            models.CheckConstraint(
                name="placement_shift_whole",
                condition=SHIFT_BOTH_OR_NEITHER,
                violation_error_message=SHIFT_INCOMPLETE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_available(self) -> int:
        return self.places - self.places_taken


PLACEMENT_MEASURES = (MeasureType.MAP, MeasureType.LPU, MeasureType.LSU)
