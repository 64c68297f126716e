"""People in penal execution, kept pseudonymous: identity and judicial data stand apart."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import Organisation, TimeStampedModel
from common.validators import validate_codice_fiscale

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    """A random, non-derivable pseudonym such as P-7KQ2-M9XD."""
    body = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))
    return f"P-{body[:4]}-{body[4:]}"


class Institute(models.Model):
    class Kind(models.TextChoices):
        CC = "cc", _("Casa Circondariale")
        CR = "cr", _("Casa di Reclusione")
        IPM = "ipm", _("Istituto Penale per i Minorenni")

    name = models.CharField(_("nome"), max_length=200, unique=True)
    kind = models.CharField(_("tipo"), max_length=3, choices=Kind.choices)
    municipality = models.ForeignKey(
        "common.Municipality", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("istituto penitenziario")
        verbose_name_plural = _("istituti penitenziari")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """The pseudonymous record every other table points to. No identity data here."""

    pseudonym = models.CharField(
        _("pseudonimo"), max_length=20, unique=True, default=new_pseudonym, editable=False
    )
    organisation = models.ForeignKey(
        "common.Organisation",
        verbose_name=_("ente che segue la persona"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore di riferimento"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account del beneficiario"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    domicile = models.ForeignKey(
        "common.Municipality",
        verbose_name=_("comune di domicilio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(_("anno di nascita"), null=True, blank=True)
    weekly_hours_available = models.PositiveSmallIntegerField(
        _("ore settimanali disponibili"), null=True, blank=True
    )
    available_from = models.DateField(_("disponibile dal"), null=True, blank=True)
    summary = models.TextField(_("presentazione (visibile ai datori con consenso)"), blank=True)
    is_active = models.BooleanField(_("percorso attivo"), default=True)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        ordering = ["pseudonym"]
        constraints = [
            models.CheckConstraint(
                name="person_weekly_hours_range",
                condition=models.Q(weekly_hours_available__isnull=True)
                | models.Q(weekly_hours_available__lte=60),
                violation_error_message=_("Al massimo 60 ore settimanali."),
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class PersonIdentity(TimeStampedModel):
    """Directly identifying data. Read only through selectors that audit the access."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity")
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_codice_fiscale],
    )
    birth_date = models.DateField(_("data di nascita"), null=True, blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("dati identificativi")
        verbose_name_plural = _("dati identificativi")

    def __str__(self) -> str:
        return f"{_('Identità di')} {self.person.pseudonym}"


class MeasureType(models.TextChoices):
    DETENTION = "detenzione", _("Detenzione in istituto")
    ART21 = "art21", _("Lavoro all'esterno (art. 21 O.P.)")
    SEMI_LIBERTY = "semiliberta", _("Semilibertà")
    PROBATION = "affidamento", _("Affidamento in prova ai servizi sociali")
    HOME_DETENTION = "domiciliare", _("Detenzione domiciliare")
    MAP = "map", _("Messa alla prova (MAP)")
    LPU = "lpu", _("Lavoro di pubblica utilità (LPU)")
    LSU = "lsu", _("Lavori socialmente utili (LSU)")
    RELEASED = "fine_pena", _("Fine pena / libero")


class JudicialMeasure(TimeStampedModel):
    """Judicial data (GDPR art. 10): never shown to employers, audited on every read."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="measures")
    measure_type = models.CharField(_("misura"), max_length=12, choices=MeasureType.choices)
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("istituto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine prevista"), null=True, blank=True)
    allowed_municipalities = models.ManyToManyField(
        "common.Municipality", verbose_name=_("comuni consentiti"), blank=True, related_name="+"
    )
    allowed_radius_km = models.PositiveSmallIntegerField(
        _("raggio consentito dal domicilio (km)"), null=True, blank=True
    )
    max_weekly_hours = models.PositiveSmallIntegerField(
        _("ore settimanali massime"), null=True, blank=True
    )
    daily_start = models.TimeField(_("uscita consentita dalle"), null=True, blank=True)
    daily_end = models.TimeField(_("rientro entro le"), null=True, blank=True)
    avoid_sectors = models.JSONField(_("settori da evitare"), default=list, blank=True)
    notes = models.TextField(_("note riservate"), blank=True)

    class Meta:
        verbose_name = _("misura giudiziaria")
        verbose_name_plural = _("misure giudiziarie")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                name="measure_dates_ordered",
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                violation_error_message=_(
                    "La data di fine della misura non può precedere la data di inizio."
                ),
            ),
            models.CheckConstraint(
                name="measure_weekly_hours_range",
                condition=models.Q(max_weekly_hours__isnull=True)
                | models.Q(max_weekly_hours__lte=60),
                violation_error_message=_("Al massimo 60 ore settimanali."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym}: {self.get_measure_type_display()}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class PersonLanguage(models.Model):
    class Level(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        NATIVE = "madrelingua", _("madrelingua")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("lingua (ISO 639-1)"), max_length=3)
    level = models.CharField(_("livello"), max_length=12, choices=Level.choices)

    class Meta:
        verbose_name = _("lingua conosciuta")
        verbose_name_plural = _("lingue conosciute")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "language"],
                name="person_language_unique",
                violation_error_message=_("Questa lingua è già nel profilo della persona."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


IDENTITY_RECIPIENT_KINDS = (Organisation.Kind.EMPLOYER, Organisation.Kind.HOST_BODY)
"""Who may receive a person's name and contacts: one named employer or host body."""
IDENTITY_RECIPIENT_NEEDED = _(
    "Per comunicare nome e contatti indica a quale datore di lavoro o ente ospitante si "
    "riferisce il consenso: un consenso generale non è ammesso."
)
IDENTITY_RECIPIENT_WRONG_KIND = _(
    "Nome e contatti si possono comunicare solo a un datore di lavoro o a un ente ospitante."
)


class ConsentQuerySet(models.QuerySet):
    """The one place that says which consents count (every reader goes through here)."""

    def in_force(self, purpose: str) -> "ConsentQuerySet":
        """The consents of `purpose` that count today, each for its audience.

        Revoked consents never count. A consent with a recipient counts for that
        organisation only; one without a recipient counts for every organisation, except
        for identity disclosure ("identita_datori"): name and contacts go only to one named
        employer or host body, so a consent without recipient, or naming an organisation of
        another kind, counts for nobody (the rows recorded before this rule are voided and
        listed for renewal, see `needs_renewal`). Callers that need the audience read
        `recipient_id` of the rows: None means "every organisation".
        """
        consents = self.filter(purpose=purpose, revoked_at__isnull=True)
        if purpose == Consent.Purpose.DISCLOSE_IDENTITY:
            consents = consents.filter(recipient__kind__in=IDENTITY_RECIPIENT_KINDS)
        return consents

    def covering(self, *, purpose: str, organisation_id: int | None) -> "ConsentQuerySet":
        """The consents in force (see `in_force`) that cover the organisation
        `organisation_id`: those naming it, and those without recipient where they count.
        A viewer without an organisation (`None`) is covered only by the latter."""
        consents = self.in_force(purpose)
        general = models.Q(recipient__isnull=True)
        if organisation_id is None:
            return consents.filter(general)
        return consents.filter(general | models.Q(recipient_id=organisation_id))

    def renewals_pending(self) -> "ConsentQuerySet":
        """Identity consents voided because they named no (valid) recipient, not yet redone
        or dismissed by a counsellor."""
        return self.filter(purpose=Consent.Purpose.DISCLOSE_IDENTITY, needs_renewal=True)


class Consent(models.Model):
    class Purpose(models.TextChoices):
        PROCESSING = "trattamento", _("Trattamento dei dati per l'orientamento")
        SHARE_PROFILE = "profilo_datori", _("Profilo pseudonimo visibile a datori ed enti")
        DISCLOSE_IDENTITY = "identita_datori", _("Comunicare nome e contatti a un datore")
        PROPOSAL = "candidatura", _("Candidatura a un'opportunità")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalità"), max_length=20, choices=Purpose.choices)
    recipient = models.ForeignKey(
        "common.Organisation",
        verbose_name=_("destinatario"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Il datore o l'ente a cui si riferisce; vuoto se generale."),
    )
    note = models.CharField(_("nota"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("dato il"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrato da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocato da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    needs_renewal = models.BooleanField(
        _("da rinnovare"),
        default=False,
        help_text=_(
            "Consenso a comunicare l'identità annullato perché non indicava un datore o un "
            "ente ospitante: l'operatore deve raccoglierlo di nuovo, per un destinatario."
        ),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                name="consent_revoked_after_given",
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("given_at")),
                violation_error_message=_("La revoca non può precedere il consenso."),
            ),
            models.CheckConstraint(
                name="consent_identity_names_recipient",
                condition=~models.Q(purpose="identita_datori")
                | models.Q(recipient__isnull=False)
                | models.Q(revoked_at__isnull=False),
                violation_error_message=IDENTITY_RECIPIENT_NEEDED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym}: {self.get_purpose_display()}"

    @classmethod
    def recipient_problem(cls, *, purpose: str, recipient_id: int | None) -> str | None:
        """Why `recipient_id` cannot receive a consent for `purpose` (Italian), or None.

        Identity disclosure names one existing employer or host body; other purposes take
        any recipient, or none (then the consent is general).
        """
        if purpose != cls.Purpose.DISCLOSE_IDENTITY:
            return None
        if recipient_id is None:
            return str(IDENTITY_RECIPIENT_NEEDED)
        kind = Organisation.objects.filter(pk=recipient_id).values_list("kind", flat=True)
        if kind.first() not in IDENTITY_RECIPIENT_KINDS:
            return str(IDENTITY_RECIPIENT_WRONG_KIND)
        return None

    def clean(self) -> None:
        if self.revoked_at is not None:
            return
        problem = self.recipient_problem(purpose=self.purpose, recipient_id=self.recipient_id)
        if problem is not None:
            raise ValidationError({"recipient": problem})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Experience(TimeStampedModel):
    class Kind(models.TextChoices):
        FORMAL = "formale", _("Formale")
        NON_FORMAL = "non_formale", _("Non formale")
        INFORMAL = "informale", _("Informale")

    class Category(models.TextChoices):
        SCHOOL = "scuola", _("Istruzione")
        COURSE = "corso", _("Corso di formazione")
        JOB = "lavoro", _("Lavoro")
        PRISON_WORK = "lavoro_carcere", _("Lavoro in istituto")
        VOLUNTEERING = "volontariato", _("Volontariato")
        FAMILY_CARE = "cura_famiglia", _("Cura della famiglia")
        HOBBY = "hobby", _("Hobby e apprendimento informale")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("tipo di apprendimento"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("ambito"), max_length=15, choices=Category.choices)
    title = models.CharField(_("titolo"), max_length=200)
    organisation_name = models.CharField(_("presso"), max_length=200, blank=True)
    start_date = models.DateField(_("dal"), null=True, blank=True)
    end_date = models.DateField(_("al"), null=True, blank=True)
    description = models.TextField(_("descrizione"), blank=True)

    class Meta:
        verbose_name = _("esperienza")
        verbose_name_plural = _("esperienze")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                name="experience_dates_ordered",
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                violation_error_message=_(
                    "La data di fine dell'esperienza non può precedere la data di inizio."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    return f"evidenze/{instance.person.pseudonym}/{secrets.token_hex(8)}-{filename}"


class Evidence(TimeStampedModel):
    class Kind(models.TextChoices):
        CERTIFICATE = "attestato", _("Attestato o certificato")
        EMPLOYER_STATEMENT = "dichiarazione", _("Dichiarazione del datore")
        WORK_SAMPLE = "prodotto", _("Prodotto o campione di lavoro")
        INTERVIEW = "colloquio", _("Risposta al colloquio")
        OBSERVATION = "osservazione", _("Scheda di osservazione del valutatore")
        PRACTICAL_TEST = "prova", _("Esito di una prova pratica")
        OTHER = "altro", _("Altro")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evidences")
    experience = models.ForeignKey(
        Experience, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidences"
    )
    kind = models.CharField(_("tipo"), max_length=15, choices=Kind.choices)
    description = models.TextField(_("descrizione"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("evidenza")
        verbose_name_plural = _("evidenze")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.person.pseudonym})"


class SkillEntry(TimeStampedModel):
    """One competence in a person's profile, with how far IDVCC has taken it."""

    class Stage(models.TextChoices):
        IDENTIFIED = "individuata", _("Individuata")
        VALIDATED = "validata", _("Validata")
        CERTIFIED = "certificata", _("Certificata")

    class Level(models.IntegerChoices):
        BASIC = 1, _("Base")
        INTERMEDIATE = 2, _("Intermedio")
        ADVANCED = 3, _("Avanzato")
        EXPERT = 4, _("Esperto")

    class Source(models.TextChoices):
        INTERVIEW = "colloquio", _("Colloquio guidato")
        COUNSELLOR = "operatore", _("Inserita dall'operatore")
        EXPERIENCE = "esperienza", _("Da un'esperienza")
        CERTIFICATE = "certificato", _("Da un certificato")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    concept = models.ForeignKey(
        "competenze.Concept", on_delete=models.PROTECT, related_name="skill_entries"
    )
    level = models.PositiveSmallIntegerField(
        _("livello"), choices=Level.choices, default=Level.BASIC
    )
    stage = models.CharField(
        _("fase IDVCC"), max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    source = models.CharField(_("origine"), max_length=12, choices=Source.choices)
    confidence = models.FloatField(_("affidabilità del suggerimento"), null=True, blank=True)
    evidence_text = models.TextField(_("parole della persona"), blank=True)
    evidences = models.ManyToManyField(Evidence, blank=True, related_name="skill_entries")
    experience = models.ForeignKey(
        Experience, null=True, blank=True, on_delete=models.SET_NULL, related_name="skills"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("competenza della persona")
        verbose_name_plural = _("profilo delle competenze")
        ordering = ["concept__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "concept"],
                name="skill_entry_unique",
                violation_error_message=_("Questa competenza è già nel profilo."),
            ),
            models.CheckConstraint(
                name="skill_entry_confidence_range",
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0, confidence__lte=1),
                violation_error_message=_("La confidenza va da 0 a 1."),
            ),
            models.CheckConstraint(
                name="skill_entry_level_range",
                condition=models.Q(level__gte=1, level__lte=4),
                violation_error_message=_("Il livello va da 1 a 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.pseudonym}: {self.concept.code} ({self.stage})"
