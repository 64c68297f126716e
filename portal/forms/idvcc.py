"""Forms of the IDVCC pages: requests, assessments, certifications, revocations, evidence
added by assessors, credential verification, document choices. They check the shape of the
input only: every rule (who may, what is needed) is the services' and comes back as their
Italian error."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.models import Organisation
from competenze.documents.content import AUDIENCES, EMPLOYER, KINDS, PERSON, TRANSPARENCY
from competenze.models import Evidence, SkillEntry, StageRecord
from competenze.services.evidence import evidence_file_validate

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TOKEN_BYTES = 64 * 1024


class StageRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Ente a cui chiederla"),
        queryset=Organisation.objects.none(),
        empty_label=_("— scegli l'ente —"),
    )
    note = forms.CharField(
        label=_("Nota per chi valuta (facoltativa)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def _evidence_choices(evidences: list[Evidence]) -> list[tuple[int, str]]:
    choices = []
    for evidence in evidences:
        label = str(evidence.get_kind_display())
        if evidence.description:
            label += f": {evidence.description[:80]}"
        if evidence.file:
            label += f" ({_('con file')})"
        choices.append((evidence.pk, label))
    return choices


class AssessmentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Metodo"),
        choices=[("", _("— scegli il metodo —")), *StageRecord.Method.choices],
        required=False,
    )
    evidences = forms.TypedMultipleChoiceField(
        label=_("Evidenze usate"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(
        label=_("Esito"),
        choices=StageRecord.Outcome.choices,
        initial=StageRecord.Outcome.POSITIVE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Nota"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, evidences: list[Evidence] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.evidence_objects = {evidence.pk: evidence for evidence in evidences}
        self.fields["evidences"].choices = _evidence_choices(list(evidences))  # type: ignore[attr-defined]

    def chosen_evidences(self) -> list[Evidence]:
        return [self.evidence_objects[pk] for pk in self.cleaned_data.get("evidences") or []]


class ValidationForm(AssessmentForm):
    pass


class CertificationForm(AssessmentForm):
    attestation_number = forms.CharField(
        label=_("Numero dell'attestazione"), required=False, max_length=60
    )
    attestation_date = forms.DateField(
        label=_("Data dell'attestazione"), required=False, widget=DATE_INPUT
    )
    attestation_issuer = forms.CharField(label=_("Rilasciata da"), required=False, max_length=200)
    attestation_standard = forms.CharField(
        label=_("Qualificazione o standard di riferimento"),
        required=False,
        max_length=300,
        help_text=_("Per esempio il profilo del QRSP o la qualificazione regionale."),
    )


class AssessmentEvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo di evidenza"),
        choices=[(k, label) for k, label in Evidence.Kind.choices if k != Evidence.Kind.INTERVIEW],
        initial=Evidence.Kind.OBSERVATION,
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

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file:
            evidence_file_validate(file)
        return file or None


class RevokeForm(forms.Form):
    note = forms.CharField(
        label=_("Motivo della revoca"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Incolla qui la credenziale (il contenuto del file .jwt)"),
        required=False,
        max_length=MAX_TOKEN_BYTES,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Oppure carica il file .jwt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.txt"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size and upload.size > MAX_TOKEN_BYTES:
                raise forms.ValidationError(
                    _("Il file è troppo grande per essere una credenziale.")
                )
            try:
                data["token"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    _("Il file non è un testo: carica il file .jwt.")
                ) from error
        if not (data.get("token") or "").strip():
            raise forms.ValidationError(_("Incolla la credenziale o carica il suo file."))
        return data


class DocumentChoiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Documento"),
        initial=TRANSPARENCY,
        choices=[
            (k, label)
            for k, label in (
                ("trasparenza", _("Documento di trasparenza delle competenze")),
                ("validazione", _("Documento di validazione")),
            )
            if k in KINDS
        ],
    )
    audience = forms.ChoiceField(
        label=_("Versione"),
        initial=PERSON,
        choices=[
            (a, label)
            for a, label in (
                (PERSON, _("per la persona (completa)")),
                (
                    EMPLOYER,
                    _("per un datore di lavoro (parole che rivelano la detenzione escluse)"),
                ),
            )
            if a in AUDIENCES
        ],
    )


def entry_quote_fields(entry: SkillEntry) -> tuple[str, str, str]:
    """Names of the three preview fields of one entry: include, text, allow flagged."""
    return f"include_{entry.pk}", f"quote_{entry.pk}", f"allow_{entry.pk}"
