"""Forms of the employer, host-body and counsellor pages. Validation messages are Italian."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.exceptions import ApplicationError
from common.models import Municipality, Province
from common.validators import ATECO_CODE, ATECO_INVALID, validate_partita_iva
from competenze.models import Concept, PersonLanguage, Sector
from competenze.models.people import MeasureType
from competenze.selectors.framework import framework_default
from lavoro.kinds import KINDS
from lavoro.models import Convention, Employer, HostBody, JobOffer, Placement, Proposal, Site
from lavoro.models.opportunities import SHIFT_INCOMPLETE

MUNICIPALITY_UNKNOWN = _lazy(
    "Comune non trovato: scrivi il nome come nell'elenco, ad esempio «Bergamo (BG)»."
)
MUNICIPALITY_AMBIGUOUS = _lazy(
    "Ci sono più comuni con questo nome: aggiungi la provincia, ad esempio «%(example)s»."
)
WEEKLY_HOURS_RANGE = _lazy("Le ore settimanali vanno da 1 a 48.")
PLACE_REQUIRED = _lazy("Indica il comune oppure scegli una sede.")
DATES_ORDER = _lazy("La data di fine non può precedere quella di inizio.")

# Neutral words for an employer: what the schedule and the place allow, no judgement.
OFFER_MEASURE_CHOICES = [
    (MeasureType.ART21, _lazy("Disponibile a valutare persone in lavoro esterno (art. 21)")),
    (MeasureType.SEMI_LIBERTY, _lazy("Disponibile a valutare persone in semilibertà")),
    (MeasureType.PROBATION, _lazy("Disponibile a valutare persone in affidamento in prova")),
    (
        MeasureType.HOME_DETENTION,
        _lazy("Disponibile a valutare persone in detenzione domiciliare (orari concordati)"),
    ),
    (MeasureType.DETENTION, _lazy("Lavoro che si può svolgere anche all'interno di un istituto")),
    (MeasureType.RELEASED, _lazy("Aperta anche a chi ha concluso la pena")),
]
PLACEMENT_MEASURE_CHOICES = [
    (MeasureType.MAP, _lazy("Messa alla prova (MAP)")),
    (MeasureType.LPU, _lazy("Lavoro di pubblica utilità (LPU)")),
    (MeasureType.LSU, _lazy("Lavori socialmente utili (LSU)")),
]
MUNICIPALITY_DATALIST = "elenco-comuni"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceErrorsMixin:
    """Puts errors raised by services on the form, and marks invalid inputs for screen readers."""

    error_fields: dict[str, str] = {}  # ApplicationError code -> field it belongs to

    def service_error(self, error: Exception) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        if isinstance(error, ValidationError):
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        elif isinstance(error, ApplicationError):
            target = self.error_fields.get(error.code)
            form.add_error(target if target in form.fields else None, error.message)
        else:
            raise error
        self.mark_invalid()

    def keep_input_without_errors(self) -> None:
        """Show what was typed without validating it (the form was posted to do something
        else than saving, e.g. ask for suggestions): no error is shown."""
        form: forms.Form = self  # type: ignore[assignment]
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # Django's "already cleaned" marker
        form.cleaned_data = {}

    def mark_invalid(self) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs["aria-invalid"] = "true"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_invalid()


class MunicipalityField(forms.CharField):
    """A municipality typed by name (autocompleted as «Nome (PR)») or by ISTAT code."""

    PATTERN = re.compile(r"^(?P<name>.+?)\s*\((?P<province>[A-Za-z]{2})\)$")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _lazy("Comune"))
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "list": MUNICIPALITY_DATALIST,
                "autocomplete": "off",
                "data-municipality": "true",
            }
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Municipality):
            return f"{value.name} ({value.province.code})"
        if isinstance(value, int):
            found = Municipality.objects.select_related("province").filter(pk=value).first()
            return f"{found.name} ({found.province.code})" if found else ""
        return value

    def clean(self, value: Any) -> Municipality | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        municipalities = Municipality.objects.select_related("province")
        if text.isdigit():
            found = municipalities.filter(istat_code=text).first()
            if found is None:
                raise ValidationError(MUNICIPALITY_UNKNOWN, code="unknown")
            return found
        match = self.PATTERN.match(text)
        if match:
            municipalities = municipalities.filter(
                name__iexact=match["name"], province__code=match["province"].upper()
            )
        else:
            municipalities = municipalities.filter(name__iexact=text)
        found_list = list(municipalities[:2])
        if not found_list:
            raise ValidationError(MUNICIPALITY_UNKNOWN, code="unknown")
        if len(found_list) > 1:
            example = f"{found_list[0].name} ({found_list[0].province.code})"
            raise ValidationError(
                MUNICIPALITY_AMBIGUOUS, code="ambiguous", params={"example": example}
            )
        return found_list[0]


def _profile_queryset():
    return Concept.objects.filter(
        framework=framework_default(), kind=Concept.Kind.PROFILE
    ).order_by("pref_label")


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label


class EmployerRegisterForm(ServiceErrorsMixin, forms.Form):
    error_fields = {"duplicate": "partita_iva"}

    name = forms.CharField(label=_lazy("Ragione sociale"), max_length=200)
    partita_iva = forms.CharField(
        label=_lazy("Partita IVA"),
        max_length=20,
        help_text=_lazy("11 cifre, senza il prefisso IT."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ateco_code = forms.CharField(
        label=_lazy("Codice ATECO dell'attività principale"),
        max_length=10,
        required=False,
        help_text=_lazy("Ad esempio 56.10 (ristorazione) o 81.21 (pulizie)."),
    )
    description = forms.CharField(
        label=_lazy("Descrizione dell'azienda"), required=False, widget=forms.Textarea
    )
    smuraglia_interest = forms.BooleanField(
        label=_lazy("Mi interessano gli sgravi fiscali e contributivi della legge Smuraglia"),
        required=False,
        help_text=_lazy(
            "La legge 193/2000 prevede crediti d'imposta per chi assume persone detenute o "
            "in semilibertà: l'operatore vi darà le informazioni."
        ),
    )
    site_name = forms.CharField(
        label=_lazy("Nome della prima sede"),
        max_length=200,
        required=False,
        help_text=_lazy("Ad esempio «Sede operativa» o «Stabilimento di Lodi»."),
    )
    site_address = forms.CharField(
        label=_lazy("Indirizzo della sede"), max_length=200, required=False
    )
    municipality = MunicipalityField(label=_lazy("Comune della sede"))

    def clean_partita_iva(self) -> str:
        code = re.sub(r"\s+", "", self.cleaned_data["partita_iva"])
        if code.upper().startswith("IT"):
            code = code[2:]
        validate_partita_iva(code)
        return code

    def clean_ateco_code(self) -> str:
        code = self.cleaned_data["ateco_code"].strip()
        if code and not ATECO_CODE.fullmatch(code):
            raise ValidationError(ATECO_INVALID, code="ateco")
        return code


class OfferForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_lazy("Titolo dell'offerta"), max_length=200)
    description = forms.CharField(
        label=_lazy("Descrizione del lavoro"),
        required=False,
        widget=forms.Textarea,
        help_text=_lazy(
            "Descrivi compiti, strumenti e ambiente: Ponte legge il testo e suggerisce le "
            "competenze."
        ),
    )
    site: "forms.ModelChoiceField[Site]" = forms.ModelChoiceField(
        label=_lazy("Sede"), queryset=None, required=False, empty_label=_lazy("— nessuna —")
    )
    municipality = MunicipalityField(
        label=_lazy("Comune di lavoro"),
        required=False,
        help_text=_lazy("Se lo lasci vuoto vale il comune della sede."),
    )
    contract = forms.ChoiceField(label=_lazy("Contratto"), choices=JobOffer.Contract.choices)
    weekly_hours = forms.IntegerField(
        label=_lazy("Ore settimanali"),
        required=False,
        min_value=1,
        max_value=48,
        error_messages={"min_value": WEEKLY_HOURS_RANGE, "max_value": WEEKLY_HOURS_RANGE},
    )
    positions = forms.IntegerField(
        label=_lazy("Posti disponibili"), min_value=1, initial=1, max_value=999
    )
    start_date = forms.DateField(label=_lazy("Data di inizio"), required=False, widget=DATE_INPUT)
    shift_start = forms.TimeField(label=_lazy("Orario: dalle"), required=False, widget=TIME_INPUT)
    shift_end = forms.TimeField(
        label=_lazy("Orario: alle"),
        required=False,
        widget=TIME_INPUT,
        help_text=_lazy(
            "Facoltativo. Chi ha orari di uscita e rientro stabiliti dalla misura vede solo le "
            "offerte con un orario compatibile; per un turno di notte indica una fine minore "
            "dell'inizio."
        ),
    )
    compatible_measures = forms.MultipleChoiceField(
        label=_lazy("Situazioni compatibili con orari e luogo"),
        choices=OFFER_MEASURE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    smuraglia_eligible = forms.BooleanField(
        label=_lazy("Per questa offerta chiedo le agevolazioni della legge Smuraglia"),
        required=False,
    )
    profile = ProfileChoiceField(
        label=_lazy("Profilo professionale"),
        queryset=None,
        required=False,
        empty_label=_lazy("— nessuno —"),
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = employer.sites.select_related("municipality")  # type: ignore[attr-defined]
        self.fields["profile"].queryset = _profile_queryset()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("municipality"):
            site = data.get("site")
            if site is not None:
                data["municipality"] = site.municipality
            elif "municipality" not in self.errors:
                self.add_error("municipality", PLACE_REQUIRED)
        if (data.get("shift_start") is None) != (data.get("shift_end") is None):
            self.add_error("shift_end", SHIFT_INCOMPLETE)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        data["compatible_measures"] = list(data.get("compatible_measures") or [])
        return data


SKILL_DECISIONS = ("essenziale", "facoltativa", "scarta")
SKILL_FIELD = re.compile(r"^skill__(?P<code>.+)$")


def skill_decisions_parse(data: Any) -> dict[str, str]:
    """{concept code: decision} from the inputs named skill__<code> of the offer form."""
    decisions: dict[str, str] = {}
    for key in data:
        match = SKILL_FIELD.match(key)
        if match and data.get(key) in SKILL_DECISIONS:
            decisions[match["code"]] = data.get(key)
    return decisions


def skill_search(text: str, *, limit: int = 10) -> list[Concept]:
    """Competences of the default framework whose label (or code) matches `text`."""
    text = text.strip()
    if len(text) < 2:
        return []
    concepts = Concept.objects.filter(
        framework=framework_default(),
        kind__in=[Concept.Kind.COMPETENCE, Concept.Kind.TRANSVERSAL],
    ).filter(Q(pref_label__icontains=text) | Q(code__iexact=text) | Q(alt_labels__icontains=text))
    return list(concepts.order_by("pref_label")[:limit])


class ConventionForm(ServiceErrorsMixin, forms.Form):
    court = forms.CharField(
        label=_lazy("Tribunale"),
        max_length=200,
        help_text=_lazy("Ad esempio «Tribunale di Bergamo»."),
    )
    reference = forms.CharField(
        label=_lazy("Numero o protocollo della convenzione"), max_length=100
    )
    valid_from = forms.DateField(label=_lazy("Valida dal"), widget=DATE_INPUT)
    valid_to = forms.DateField(label=_lazy("Valida fino al"), required=False, widget=DATE_INPUT)
    total_places = forms.IntegerField(
        label=_lazy("Posti convenzionati"), min_value=1, max_value=999
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", DATES_ORDER)
        return data


class ConventionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Convention) -> str:
        until = obj.valid_to.strftime("%d/%m/%Y") if obj.valid_to else _("senza scadenza")
        return _("%(court)s, n. %(ref)s (%(places)d posti, fino a: %(until)s)") % {
            "court": obj.court,
            "ref": obj.reference,
            "places": obj.total_places,
            "until": until,
        }


class PlacementForm(ServiceErrorsMixin, forms.Form):
    convention = ConventionChoiceField(label=_lazy("Convenzione"), queryset=None)
    title = forms.CharField(label=_lazy("Titolo del posto"), max_length=200)
    description = forms.CharField(
        label=_lazy("Descrizione delle attività"), required=False, widget=forms.Textarea
    )
    activity = forms.ChoiceField(
        label=_lazy("Tipo di attività"), choices=Placement.Activity.choices
    )
    places = forms.IntegerField(label=_lazy("Posti"), min_value=1, max_value=999)
    min_weekly_hours = forms.IntegerField(
        label=_lazy("Ore settimanali minime"), min_value=1, max_value=48, initial=2
    )
    weekly_hours = forms.IntegerField(
        label=_lazy("Ore settimanali previste"), required=False, min_value=1, max_value=48
    )
    eligible_measures = forms.MultipleChoiceField(
        label=_lazy("Misure ammesse"),
        choices=PLACEMENT_MEASURE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = MunicipalityField(label=_lazy("Comune dove si svolge"))
    start_date = forms.DateField(label=_lazy("Disponibile dal"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, host_body: HostBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = host_body.conventions.order_by("-valid_from")  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["eligible_measures"] = list(data["eligible_measures"])
        return data


class ProposalTransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=[
            (Proposal.Status.ACCEPTED, Proposal.Status.ACCEPTED.label),
            (Proposal.Status.REJECTED, Proposal.Status.REJECTED.label),
            (Proposal.Status.STARTED, Proposal.Status.STARTED.label),
            (Proposal.Status.COMPLETED, Proposal.Status.COMPLETED.label),
            (Proposal.Status.INTERRUPTED, Proposal.Status.INTERRUPTED.label),
        ]
    )
    note = forms.CharField(label=_lazy("Nota (facoltativa)"), required=False, max_length=500)


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_lazy("Ore svolte da aggiungere (in quarti d'ora: 2,75 sono due ore e tre quarti)"),
        min_value=Decimal("0.25"),
        max_value=744,
        max_digits=5,
        decimal_places=2,
        step_size=Decimal("0.25"),
        localize=True,
        error_messages={
            "min_value": _lazy("Indica almeno un quarto d'ora (0,25)."),
            "max_value": _lazy("Indica al massimo 744 ore per volta."),
            "invalid": _lazy("Indica un numero di ore, per esempio 3 o 2,75."),
            "step_size": _lazy("Indica le ore in quarti d'ora: 2, 2,25, 2,5 o 2,75."),
            "max_decimal_places": _lazy("Indica le ore in quarti d'ora: 2, 2,25, 2,5 o 2,75."),
            "required": _lazy("Indica quante ore sono state svolte."),
        },
    )


def offer_choice_label(offer: JobOffer) -> str:
    """An offer in a select: offers of one company often share a title, so the status, the
    start date (or the day it was created) and the number tell them apart."""
    day = offer.start_date or offer.created_at.date()
    when = _("dal %(day)s") if offer.start_date else _("creata il %(day)s")
    return _("%(title)s · %(status)s · %(when)s · n. %(pk)d") % {
        "title": offer.title,
        "status": offer.get_status_display().lower(),
        "when": when % {"day": f"{day.day}/{day.month}/{day.year}"},
        "pk": offer.pk,
    }


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: JobOffer) -> str:
        return offer_choice_label(obj)


class ShortlistForm(ServiceErrorsMixin, forms.Form):
    offer = OfferChoiceField(label=_lazy("Per l'offerta"), queryset=JobOffer.objects.none())
    note = forms.CharField(
        label=_lazy("Nota per la tua selezione (non la vede nessun altro)"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, offers: list[JobOffer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = JobOffer.objects.filter(pk__in=[o.pk for o in offers])  # type: ignore[attr-defined]


class ContactRequestForm(ServiceErrorsMixin, forms.Form):
    offer = OfferChoiceField(label=_lazy("Per l'offerta"), queryset=JobOffer.objects.none())
    message = forms.CharField(
        label=_lazy("Messaggio per l'operatore"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy(
            "Lo legge l'operatore che segue la persona, non la persona: indica orari, "
            "modalità del colloquio e un tuo recapito aziendale."
        ),
    )

    def __init__(self, *args: Any, offers: list[JobOffer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = JobOffer.objects.filter(pk__in=[o.pk for o in offers])  # type: ignore[attr-defined]


def province_choices() -> list[tuple[str, str]]:
    provinces = Province.objects.order_by("name").values_list("code", "name")
    return [("", _("Tutte"))] + [(code, f"{name} ({code})") for code, name in provinces]


LANGUAGE_NAMES = {
    "it": _lazy("italiano"),
    "en": _lazy("inglese"),
    "fr": _lazy("francese"),
    "es": _lazy("spagnolo"),
    "de": _lazy("tedesco"),
    "ar": _lazy("arabo"),
    "ro": _lazy("romeno"),
    "sq": _lazy("albanese"),
    "zh": _lazy("cinese"),
    "uk": _lazy("ucraino"),
    "ru": _lazy("russo"),
    "pt": _lazy("portoghese"),
    "wo": _lazy("wolof"),
    "ur": _lazy("urdu"),
    "bn": _lazy("bengalese"),
    "hi": _lazy("hindi"),
    "tl": _lazy("tagalog"),
    "pl": _lazy("polacco"),
}


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


class CodeListField(forms.MultipleChoiceField):
    """Concept codes picked from facets that change with every search: any well-formed code."""

    CODE = re.compile(r"^[A-Za-z0-9._:/-]{1,120}$")

    def valid_value(self, value: str) -> bool:
        return bool(self.CODE.match(str(value)))


AVAILABILITY_CHOICES = [
    ("", _lazy("Qualsiasi")),
    ("subito", _lazy("Subito")),
    ("entro_1_mese", _lazy("Entro un mese")),
    ("entro_3_mesi", _lazy("Entro tre mesi")),
]


class CandidateSearchForm(forms.Form):
    q = forms.CharField(
        label=_lazy("Cerca nelle competenze e nella presentazione"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    skills = CodeListField(
        label=_lazy("Competenze"), required=False, widget=forms.CheckboxSelectMultiple
    )
    province = forms.ChoiceField(label=_lazy("Provincia di domicilio"), required=False)
    availability = forms.ChoiceField(
        label=_lazy("Disponibilità"), required=False, choices=AVAILABILITY_CHOICES
    )
    min_hours = forms.IntegerField(
        label=_lazy("Almeno ore settimanali disponibili"), required=False, min_value=1, max_value=60
    )
    language = forms.ChoiceField(label=_lazy("Lingua conosciuta"), required=False)
    offer = forms.TypedChoiceField(
        label=_lazy("Compatibile con la mia offerta"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, offers: list[JobOffer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("Qualsiasi"))] + [  # type: ignore[attr-defined]
            (code, str(name).capitalize())
            for code, name in sorted(LANGUAGE_NAMES.items(), key=lambda item: str(item[1]))
        ]
        self.fields["offer"].choices = [("", _("— nessuna —"))] + [  # type: ignore[attr-defined]
            (offer.pk, offer_choice_label(offer)) for offer in offers
        ]


class OpportunityFilterForm(forms.Form):
    KIND_CHOICES = [("", _lazy("Tutte")), *((kind.slug, kind.plural) for kind in KINDS)]
    kind = forms.ChoiceField(label=_lazy("Tipo"), choices=KIND_CHOICES, required=False)
    province = forms.ChoiceField(label=_lazy("Provincia"), required=False)
    sector = forms.ChoiceField(label=_lazy("Settore"), required=False)
    q = forms.CharField(label=_lazy("Testo"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        sectors = Sector.objects.filter(framework=framework_default()).order_by("label")
        self.fields["sector"].choices = [("", _("Tutti"))] + [  # type: ignore[attr-defined]
            (sector.code, sector.label) for sector in sectors
        ]


LANGUAGE_LEVELS = dict(PersonLanguage.Level.choices)
