"""Guided interviews: versioned templates, answers, and the competences suggested from them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from competenze.models.people import Evidence, Person, SkillEntry


class InterviewTemplate(TimeStampedModel):
    """A questionnaire loaded from competenze/data/interviews; frozen once interviews use it."""

    code = models.SlugField(_("codice"), max_length=60)
    version = models.PositiveIntegerField(_("versione"))
    title = models.CharField(_("titolo"), max_length=200)
    definition = models.JSONField(_("definizione (sezioni e domande)"))
    is_active = models.BooleanField(_("in uso per i nuovi colloqui"), default=True)

    class Meta:
        verbose_name = _("modello di colloquio")
        verbose_name_plural = _("modelli di colloquio")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="interview_template_version",
                violation_error_message=_(
                    "Esiste già una traccia di colloquio con questo codice e questa versione."
                ),
            ),
            models.CheckConstraint(
                name="interview_template_version_positive",
                condition=models.Q(version__gte=1),
                violation_error_message=_("La versione della traccia parte da 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Interview(TimeStampedModel):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_corso", _("In corso")
        COMPLETED = "completato", _("Completato")
        CANCELLED = "annullato", _("Annullato")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interviews")
    template = models.ForeignKey(
        InterviewTemplate,
        verbose_name=_("modello"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("iniziato il"), default=timezone.now)
    completed_at = models.DateTimeField(_("concluso il"), null=True, blank=True)
    current_question_id = models.CharField(
        _("ultima domanda trattata"),
        max_length=100,
        blank=True,
        help_text=_("La prossima domanda si cerca da qui in avanti."),
    )
    meetings = models.PositiveSmallIntegerField(_("incontri"), default=1)
    last_activity_at = models.DateTimeField(_("ultima attività"), default=timezone.now)

    class Meta:
        verbose_name = _("colloquio guidato")
        verbose_name_plural = _("colloqui guidati")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "template"],
                condition=models.Q(status="in_corso"),
                name="interview_one_open_per_template",
                violation_error_message=_(
                    "C'è già un colloquio in corso con questa traccia per la persona."
                ),
            ),
            models.CheckConstraint(
                name="interview_completed_after_start",
                condition=models.Q(completed_at__isnull=True)
                | models.Q(completed_at__gte=models.F("started_at")),
                violation_error_message=_("Un colloquio non può finire prima di essere iniziato."),
            ),
            models.CheckConstraint(
                name="interview_completed_has_date",
                condition=~models.Q(status="completato") | models.Q(completed_at__isnull=False),
                violation_error_message=_(
                    "Un colloquio completato deve avere la data di completamento."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.person.pseudonym}: {self.template.code} v{self.template.version} "
            f"({self.status})"
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class InterviewAnswer(models.Model):
    class ExtractionStatus(models.TextChoices):
        NOT_REQUESTED = "non_richiesta", _("Non richiesta")
        PENDING = "in_attesa", _("In attesa")
        READY = "pronta", _("Pronta")
        ERROR = "errore", _("Errore")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(_("domanda"), max_length=100)
    section = models.CharField(_("sezione"), max_length=60)
    text = models.TextField(_("risposta (parole della persona)"), blank=True)
    value = models.JSONField(_("valore (scelta, data, scala)"), null=True, blank=True)
    language = models.CharField(
        _("lingua della risposta"),
        max_length=10,
        blank=True,
        help_text=_(
            "Codice ISO 639-1 della lingua in cui la persona ha risposto (italiano o la sua "
            "lingua); vuoto per le risposte registrate prima che si annotasse."
        ),
    )
    skipped = models.BooleanField(_("saltata"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("risposta il"), default=timezone.now)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)
    version = models.PositiveIntegerField(
        _("versione"),
        default=1,
        help_text=_(
            "Cresce a ogni salvataggio della risposta: chi la modifica indica la versione che "
            "ha letto, così una modifica fatta nel frattempo da altri non va persa."
        ),
    )
    extraction_status = models.CharField(
        _("riconoscimento delle competenze"),
        max_length=15,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.NOT_REQUESTED,
    )
    extraction_error = models.CharField(_("errore del riconoscimento"), max_length=300, blank=True)
    model_version = models.CharField(_("versione del modello"), max_length=60, blank=True)
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidenza nel profilo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Creata alla prima competenza accettata da questa risposta."),
    )

    class Meta:
        verbose_name = _("risposta al colloquio")
        verbose_name_plural = _("risposte al colloquio")
        ordering = ["interview", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "question_id"],
                name="interview_answer_unique",
                violation_error_message=_("Questa domanda ha già una risposta nel colloquio."),
            ),
            models.CheckConstraint(
                name="interview_answer_skipped_is_empty",
                condition=models.Q(skipped=False) | models.Q(text="", value__isnull=True),
                violation_error_message=_("Una domanda saltata non può avere una risposta."),
            ),
        ]

    def __str__(self) -> str:
        state = _("saltata") if self.skipped else self.get_extraction_status_display()
        return f"{self.interview.person.pseudonym} · {self.question_id} ({state})"


class SkillSuggestion(models.Model):
    """A competence the recogniser proposed for an answer, and the counsellor's decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposta", _("Proposta")
        ACCEPTED = "accettata", _("Accettata")
        MODIFIED = "modificata", _("Accettata con altro livello")
        REJECTED = "rifiutata", _("Rifiutata")

    answer = models.ForeignKey(
        InterviewAnswer, on_delete=models.CASCADE, related_name="suggestions"
    )
    concept = models.ForeignKey("competenze.Concept", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("punteggio"))
    start = models.PositiveIntegerField(_("inizio nel testo"))
    end = models.PositiveIntegerField(_("fine nel testo"))
    span = models.TextField(_("parole che la sostengono"))
    reason = models.TextField(_("motivo"), blank=True)
    negated = models.BooleanField(_("negata nella risposta"), default=False)
    hedged = models.BooleanField(_("detta con incertezza"), default=False)
    duration_months = models.PositiveIntegerField(_("durata (mesi)"), null=True, blank=True)
    status = models.CharField(
        _("decisione"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    level = models.PositiveSmallIntegerField(
        _("livello scelto"), choices=SkillEntry.Level.choices, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciso da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("deciso il"), null=True, blank=True)
    skill_entry = models.ForeignKey(
        SkillEntry,
        verbose_name=_("voce del profilo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    model_version = models.CharField(_("versione del modello"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    card = models.ForeignKey(
        "self",
        verbose_name=_("scheda a cui si aggiunge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joined",
        help_text=_(
            "La stessa competenza era già stata suggerita in questo colloquio: queste parole "
            "si aggiungono a quella scheda («detto anche in»)."
        ),
    )
    reopens = models.ForeignKey(
        "self",
        verbose_name=_("riapre la scheda rifiutata"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reopened_by",
        help_text=_("La competenza era stata rifiutata; torna perché detta con più forza."),
    )
    decision_batch = models.ForeignKey(
        "competenze.SuggestionBatch",
        verbose_name=_("decisione di gruppo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )

    class Meta:
        verbose_name = _("competenza suggerita")
        verbose_name_plural = _("competenze suggerite")
        ordering = ["answer", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "concept"],
                name="suggestion_unique",
                violation_error_message=_(
                    "Questa competenza è già stata suggerita per la risposta."
                ),
            ),
            models.CheckConstraint(
                name="suggestion_score_range",
                condition=models.Q(score__gte=0, score__lte=1),
                violation_error_message=_("Il punteggio del suggerimento va da 0 a 1."),
            ),
            models.CheckConstraint(
                name="suggestion_span_ordered",
                condition=models.Q(start__lte=models.F("end")),
                violation_error_message=_("Il brano del suggerimento non è valido."),
            ),
            models.CheckConstraint(
                name="suggestion_level_range",
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=4),
                violation_error_message=_("Il livello va da 1 a 4."),
            ),
            models.CheckConstraint(
                name="suggestion_decision_dated",
                condition=models.Q(status="proposta") | models.Q(decided_at__isnull=False),
                violation_error_message=_("Una decisione sul suggerimento deve avere la data."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concept.code} «{self.span[:40]}» ({self.status})"

    @property
    def is_decided(self) -> bool:
        return self.status != self.Status.PROPOSED

    @property
    def is_card(self) -> bool:
        """A card of the interview (not words joined to another card)."""
        return self.card_id is None


class SuggestionBatch(models.Model):
    """A decision taken on many cards at once («accetta le evidenti», «rifiuta le
    rimanenti»), kept so that it can be undone. `undo` records what each acceptance
    changed in the profile, to put it back."""

    class Action(models.TextChoices):
        ACCEPT = "accetta", _("Accettate le evidenti")
        REJECT = "rifiuta", _("Rifiutate le rimanenti")

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="suggestion_batches"
    )
    action = models.CharField(_("azione"), max_length=10, choices=Action.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciso da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("deciso il"), default=timezone.now)
    undo = models.JSONField(_("come annullare"), default=list, blank=True)
    undone_at = models.DateTimeField(_("annullata il"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annullata da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decisione di gruppo sulle competenze suggerite")
        verbose_name_plural = _("decisioni di gruppo sulle competenze suggerite")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class AnswerWish(models.Model):
    """A competence the person said they wish to do or learn («vorrei fare il cuoco»),
    as the recogniser heard it in an answer.

    Never a card and never a skill: a wish is not experience. Matching reads it as an
    interest in the competence's sector (competenze.selectors.interviews
    .person_wished_sectors_list). The extraction replaces an answer's wishes each time.
    """

    answer = models.ForeignKey(InterviewAnswer, on_delete=models.CASCADE, related_name="wishes")
    concept = models.ForeignKey("competenze.Concept", on_delete=models.PROTECT, related_name="+")
    span = models.TextField(_("parole che lo esprimono"))
    model_version = models.CharField(_("versione del modello"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("desiderio espresso nel colloquio")
        verbose_name_plural = _("desideri espressi nel colloquio")
        ordering = ["answer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "concept"], name="answer_wish_unique"),
        ]

    def __str__(self) -> str:
        return self.span
