"""Forms of the counsellor and trainee pages. They check input shape and give Italian messages;
the services still enforce every business rule (their errors are added back to the form)."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.models import Municipality, Organisation
from common.selectors import municipality_search
from common.validators import (
    DATES_REVERSED,
    TIMES_REVERSED,
    normalise_codice_fiscale,
    validate_birth_date,
    validate_codice_fiscale,
)
from competenze.models import (
    Consent,
    Evidence,
    Experience,
    Institute,
    SkillEntry,
)
from competenze.models.people import IDENTITY_RECIPIENT_KINDS, MeasureType
from competenze.services.evidence import evidence_file_validate
from competenze.services.interview_templates import (
    CHOICE,
    DATE,
    MULTICHOICE,
    SCALE,
    SCALE_POINTS,
    TEXT,
    Question,
    TemplateTranslation,
    date_value_parse,
)
from lavoro.kinds import SLUGS
from portal.presenters.bilingual import labelled, language_name

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

MUNICIPALITY_UNKNOWN = _("Comune non trovato: «%(name)s». Scrivi il nome del comune lombardo.")
MUNICIPALITY_AMBIGUOUS = _(
    "Ci sono più comuni chiamati «%(name)s»: aggiungi la provincia, per esempio «%(example)s»."
)
HOURS_TOO_MANY = _("Al massimo 60 ore settimanali.")
CHOICE_MISSING = _("Scegli una risposta, oppure salta la domanda.")
MULTI_MISSING = _("Scegli almeno una voce, oppure salta la domanda.")
SCALE_MISSING = _("Scegli un valore da 1 a 5, oppure salta la domanda.")
DATE_INVALID = _("Data non valida: scrivi AAAA-MM-GG, AAAA-MM oppure solo l'anno AAAA.")
PROPOSAL_CONSENT_REQUIRED = _(
    "Per proporre la persona serve il suo consenso alla candidatura: spunta la casella solo "
    "se la persona l'ha dato."
)


def municipality_from_name(raw: str) -> Municipality | None:
    """«Bergamo» or «Bergamo (BG)» → the Municipality; ValidationError if unknown/ambiguous."""
    text = " ".join((raw or "").split())
    if not text:
        return None
    province = ""
    match = re.fullmatch(r"(.+?)\s*\(([A-Za-z]{2})\)", text)
    if match:
        text, province = match.group(1), match.group(2)
    found = list(municipality_search(query=text, province=province).filter(name__iexact=text)[:2])
    if not found:
        raise ValidationError(MUNICIPALITY_UNKNOWN % {"name": raw.strip()}, code="unknown")
    if len(found) > 1:
        example = f"{found[0].name} ({found[0].province.code})"
        raise ValidationError(
            MUNICIPALITY_AMBIGUOUS % {"name": text, "example": example}, code="ambiguous"
        )
    return found[0]


class MunicipalityField(forms.CharField):
    """A municipality typed by name (with a datalist of suggestions in the template)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "comuni", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Municipality):
            return f"{value.name} ({value.province.code})"
        return value

    def clean(self, value: Any) -> Municipality | None:  # type: ignore[override]
        text = super().clean(value)
        return municipality_from_name(text)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cerca per pseudonimo o comune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class PersonCreateForm(forms.Form):
    first_name = forms.CharField(label=_("Nome"), max_length=100)
    last_name = forms.CharField(label=_("Cognome"), max_length=100)
    codice_fiscale = forms.CharField(
        label=_("Codice fiscale"),
        max_length=20,
        required=False,
        help_text=_("16 caratteri; si può lasciare vuoto e aggiungerlo dopo."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Data di nascita"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_birth_date],
    )
    domicile = MunicipalityField(label=_("Comune di domicilio"), required=False)
    weekly_hours_available = forms.IntegerField(
        label=_("Ore settimanali disponibili"), required=False, min_value=0, max_value=60
    )
    phone = forms.CharField(label=_("Telefono"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean_codice_fiscale(self) -> str:
        code = normalise_codice_fiscale(self.cleaned_data.get("codice_fiscale", ""))
        if code:
            validate_codice_fiscale(code)
        return code


class PersonLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Lingua della persona"),
        required=False,
        help_text=_(
            "Le pagine della persona si aprono in questa lingua e nel colloquio ogni domanda "
            "compare anche in questa lingua, accanto all'italiano."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, label) for code, label in settings.LANGUAGES
        ]


class JudicialMeasureForm(forms.Form):
    measure_type = forms.ChoiceField(label=_("Misura"), choices=MeasureType.choices)
    institute = forms.ModelChoiceField(
        label=_("Istituto penitenziario"),
        queryset=Institute.objects.none(),
        required=False,
        empty_label=_("— nessuno —"),
    )
    start_date = forms.DateField(label=_("Inizio"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Fine prevista"), required=False, widget=DATE_INPUT)
    allowed_municipalities = forms.CharField(
        label=_("Comuni consentiti"),
        required=False,
        help_text=_("Separati da virgola, per esempio «Milano, Sesto San Giovanni»."),
    )
    allowed_radius_km = forms.IntegerField(
        label=_("Raggio consentito dal domicilio (km)"),
        required=False,
        min_value=0,
        max_value=500,
    )
    max_weekly_hours = forms.IntegerField(
        label=_("Ore settimanali massime"),
        required=False,
        min_value=0,
        max_value=60,
        error_messages={"max_value": HOURS_TOO_MANY},
    )
    daily_start = forms.TimeField(
        label=_("Uscita consentita dalle"), required=False, widget=TIME_INPUT
    )
    daily_end = forms.TimeField(label=_("Rientro entro le"), required=False, widget=TIME_INPUT)
    avoid_sectors = forms.CharField(
        label=_("Settori da evitare"),
        required=False,
        help_text=_("Codici o nomi separati da virgola."),
    )
    notes = forms.CharField(label=_("Note riservate"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institute"].queryset = Institute.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_allowed_municipalities(self) -> list[Municipality]:
        names = [
            n for n in self.cleaned_data.get("allowed_municipalities", "").split(",") if n.strip()
        ]
        found, errors = [], []
        for name in names:
            try:
                municipality = municipality_from_name(name)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            if municipality is not None:
                found.append(municipality)
        if errors:
            raise ValidationError(errors)
        return found

    def clean_avoid_sectors(self) -> list[str]:
        raw = self.cleaned_data.get("avoid_sectors", "")
        return [item.strip() for item in raw.split(",") if item.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", DATES_REVERSED)
        leave, back = data.get("daily_start"), data.get("daily_end")
        if leave and back and back <= leave:
            self.add_error("daily_end", TIMES_REVERSED)
        return data


def _recipient_queryset() -> Any:
    return Organisation.objects.filter(
        is_active=True,
        kind__in=[
            Organisation.Kind.EMPLOYER,
            Organisation.Kind.HOST_BODY,
            Organisation.Kind.TRAINING_PROVIDER,
        ],
    ).order_by("name")


class ConsentForm(forms.Form):
    """Who may receive which consent is the model's rule (Consent.clean): the service's
    ValidationError lands on the "recipient" field."""

    purpose = forms.ChoiceField(label=_("Finalità"), choices=Consent.Purpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Destinatario"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— generale, nessun destinatario —"),
        help_text=_(
            "Il datore o l'ente a cui si riferisce il consenso. Per comunicare nome e "
            "contatti è obbligatorio: un datore di lavoro o un ente ospitante."
        ),
    )
    note = forms.CharField(label=_("Nota"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _recipient_queryset()  # type: ignore[attr-defined]


class ConsentRenewForm(forms.Form):
    """Redo a voided identity consent: one employer or host body, chosen with the person."""

    recipient = forms.ModelChoiceField(
        label=_("Datore di lavoro o ente ospitante"),
        queryset=Organisation.objects.none(),
        empty_label=_("— scegli il destinatario —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True, kind__in=IDENTITY_RECIPIENT_KINDS
        ).order_by("name")


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di apprendimento"), choices=Experience.Kind.choices)
    category = forms.ChoiceField(label=_("Ambito"), choices=Experience.Category.choices)
    title = forms.CharField(
        label=_("Titolo"), max_length=200, help_text=_("Per esempio «Aiuto cuoco in mensa».")
    )
    organisation_name = forms.CharField(label=_("Presso"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Dal"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Al"), required=False, widget=DATE_INPUT)
    description = forms.CharField(
        label=_("Descrizione (con le parole della persona)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", DATES_REVERSED)
        return data


class SkillLevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Livello"), choices=SkillEntry.Level.choices, coerce=int)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo di evidenza"),
        choices=[c for c in Evidence.Kind.choices if c[0] != Evidence.Kind.INTERVIEW],
    )
    description = forms.CharField(
        label=_("Descrizione"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("File (PDF, JPG o PNG, al massimo 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    skill_entry = forms.TypedChoiceField(
        label=_("Competenza a cui si riferisce"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, entries: list[SkillEntry] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["skill_entry"].choices = [("", _("— tutto il profilo —"))] + [  # type: ignore[attr-defined]
            (entry.pk, entry.concept.pref_label) for entry in entries
        ]

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file:
            evidence_file_validate(file)
        return file or None


# --- guided interview -------------------------------------------------------------------------

SCALE_CHOICES = [(str(n), str(n)) for n in range(1, SCALE_POINTS + 1)]


class AnswerForm(forms.Form):
    """The answer box of one question, shaped by its kind. Optional note for non-text ones."""

    def __init__(
        self,
        *args: Any,
        question: Question,
        translation: TemplateTranslation | None = None,
        **kwargs: Any,
    ) -> None:
        """`translation`: the person's language, shown beside each choice, and offered as
        the language of the answer beside Italian."""
        super().__init__(*args, **kwargs)
        self.question = question
        if translation is not None:
            self.fields["language"] = forms.ChoiceField(
                label=_("La persona ha risposto in"),
                choices=[
                    (settings.LANGUAGE_CODE, _("italiano")),
                    (translation.language, language_name(translation.language)),
                ],
                required=False,
                widget=forms.RadioSelect,
            )
        # The version of the answer shown (0: none yet), checked when saving: see
        # competenze.services.interviews.interview_answer.
        self.fields["version"] = forms.IntegerField(
            label=_("versione della risposta"),
            required=False,
            min_value=0,
            widget=forms.HiddenInput,
        )
        kind = question.kind
        if kind == TEXT:
            self.fields["text"] = forms.CharField(
                label=_("Risposta (con le parole della persona)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 7, "dir": "auto"}),
                strip=False,
            )
            return
        options = [(o.value, self._beside(o.label, o.value, translation)) for o in question.options]
        if kind == CHOICE:
            field: forms.Field = forms.ChoiceField(
                label=_("Risposta"), choices=options, required=False, widget=forms.RadioSelect
            )
        elif kind == MULTICHOICE:
            field = forms.MultipleChoiceField(
                label=_("Risposte (una o più)"),
                choices=options,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        elif kind == SCALE:
            labels = list(question.labels) or []
            others = list(translation.scale_labels(question.id)) if translation else []
            choices = [
                (
                    value,
                    labelled(
                        f"{value} – {labels[int(value) - 1]}" if labels else value,
                        others[int(value) - 1] if len(others) >= int(value) else "",
                        translation.language if translation else "",
                    ),
                )
                for value, _label in SCALE_CHOICES
            ]
            field = forms.ChoiceField(
                label=_("Valore da 1 a 5"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
        else:
            assert kind == DATE
            field = forms.CharField(
                label=_("Data (AAAA-MM-GG, AAAA-MM oppure AAAA)"),
                required=False,
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "AAAA-MM-GG"}),
            )
        self.fields["value"] = field
        self.fields["text"] = forms.CharField(
            label=_("Note (facoltative)"),
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        )

    def _beside(self, label: str, value: str, translation: TemplateTranslation | None) -> str:
        if translation is None:
            return label
        other = translation.option_label(self.question.id, value)
        return labelled(label, other, translation.language)

    def clean_value(self) -> Any:
        value = self.cleaned_data.get("value")
        kind = self.question.kind
        if kind == CHOICE and not value:
            raise ValidationError(CHOICE_MISSING)
        if kind == MULTICHOICE and not value:
            raise ValidationError(MULTI_MISSING)
        if kind == SCALE:
            if not value:
                raise ValidationError(SCALE_MISSING)
            return int(value)
        if kind == DATE:
            value = (value or "").strip()
            if date_value_parse(value) is None:
                raise ValidationError(DATE_INVALID)
        return value

    def has_content(self) -> bool:
        """Did the counsellor type or pick anything (used by «Torna più tardi»)?"""
        data = self.data
        return bool(
            (data.get("text") or "").strip()
            or data.get("value")
            or (hasattr(data, "getlist") and data.getlist("value"))
        )


class SuggestionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("accetta", _("Accetta")),
            ("rifiuta", _("Rifiuta")),
            ("livello", _("Cambia livello")),
        ]
    )
    level = forms.TypedChoiceField(
        label=_("Livello"),
        choices=SkillEntry.Level.choices,
        coerce=int,
        required=False,
        empty_value=None,
    )


# --- proposals --------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(slug, slug) for slug in SLUGS],
        widget=forms.HiddenInput,
    )
    target = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    consent_given = forms.BooleanField(
        label=_("La persona ha dato il consenso"),
        required=False,
        help_text=_("Registra il consenso alla candidatura per questo ente, se manca."),
    )
    send_now = forms.BooleanField(label=_("Invia subito all'ente"), required=False, initial=True)
    message = forms.CharField(
        label=_("Messaggio per l'ente (facoltativo)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CardsBulkForm(forms.Form):
    """A decision on many cards of an interview: every evident one, or every one left, of
    one sector group (`gruppo`) or of the whole interview (no group)."""

    ALL = ""
    NO_SECTOR = "-"
    decision = forms.ChoiceField(
        choices=[
            ("accetta", _("Accetta le evidenti")),
            ("rifiuta", _("Rifiuta le rimanenti")),
        ]
    )
    gruppo = forms.CharField(required=False, max_length=20)

    def sector_code(self) -> str | None:
        """The sector to decide on: None for the whole interview, "" for no sector."""
        group = self.cleaned_data.get("gruppo") or self.ALL
        if group == self.ALL:
            return None
        return "" if group == self.NO_SECTOR else group
