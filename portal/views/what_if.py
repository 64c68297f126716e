"""«Se si allentasse un vincolo»: what relaxing one constraint of the person's measure or
availability would open (search.near_misses). A simulation: nothing changes on the person.

For the counsellors of the person (the measure is shown: it is theirs to see).
"""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competenze.models.people import MeasureType
from competenze.selectors.people import person_get_editable
from lavoro.kinds import KINDS
from portal.presenters.matching import opportunity_view
from portal.views._helpers import AuthedRequest, counsellor_view
from search import matching
from search.near_misses import (
    MAX_RADIUS_KM,
    MAX_WEEKLY_HOURS,
    Relaxation,
    what_if_context,
    what_if_for_context,
    what_if_overview,
)
from search.queries import PersonContext
from search.types import HardConstraints

RELAX_LABELS = {
    matching.AREA: gettext_lazy("Territorio consentito"),
    matching.INSTITUTE: gettext_lazy("Corsi solo nell'istituto"),
    matching.HOURS: gettext_lazy("Ore settimanali massime"),
    matching.SHIFT: gettext_lazy("Fascia oraria consentita"),
    matching.MEASURE: gettext_lazy("Misura ammessa dall'opportunità"),
    matching.SECTORS: gettext_lazy("Settori da evitare"),
    matching.DATES: gettext_lazy("Disponibile dal"),
    matching.MEASURE_END: gettext_lazy("Fine della misura"),
}
RESULTS_PER_KIND = 10


class WhatIfForm(forms.Form):
    vincolo = forms.ChoiceField(label=gettext_lazy("Vincolo da allentare"))
    km = forms.IntegerField(
        label=gettext_lazy("Nuovo raggio dal domicilio (km, per il territorio)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
    )
    ore = forms.IntegerField(
        label=gettext_lazy("Nuove ore settimanali massime (per le ore)"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKLY_HOURS,
    )

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vincolo"].choices = [(code, RELAX_LABELS[code]) for code in codes]  # type: ignore[attr-defined]

    def relaxation(self) -> Relaxation:
        data = self.cleaned_data
        code = data["vincolo"]
        return Relaxation(
            code,
            radius_km=data.get("km") if code == matching.AREA else None,
            max_weekly_hours=data.get("ore") if code == matching.HOURS else None,
        )


def _hour(minutes: int | None) -> str:
    return "—" if minutes is None else f"{minutes // 60}:{minutes % 60:02d}"


def _current(code: str, c: HardConstraints) -> str:
    """The constraint as the person's measure or availability sets it, in words."""
    if code == matching.AREA:
        if c.allowed_municipalities:
            return _("%(n)d comuni consentiti") % {"n": len(c.allowed_municipalities)}
        return _("entro %(km)s km dal domicilio") % {"km": f"{c.radius_km:g}"}
    if code == matching.HOURS:
        return _("%(h)s ore a settimana") % {"h": c.max_weekly_hours}
    if code == matching.SHIFT:
        return f"{_hour(c.daily_start)}–{_hour(c.daily_end)}"
    if code == matching.MEASURE:
        return str(dict(MeasureType.choices).get(c.measure_type, c.measure_type))
    if code == matching.SECTORS:
        return ", ".join(sorted(c.avoid_sectors))
    if code == matching.DATES and c.available_from:
        return date_format(c.available_from, "j/n/Y")
    if code == matching.MEASURE_END and c.measure_end:
        return date_format(c.measure_end, "j/n/Y")
    return ""


def _results(context: PersonContext, relaxation: Relaxation) -> list[dict[str, Any]]:
    found = []
    for kind in KINDS:
        page = what_if_for_context(context, relaxation, kinds=(kind.code,), limit=RESULTS_PER_KIND)
        items = [opportunity_view(match) for match in page.results]
        found.append({"kind": kind, "total": page.total, "items": items})
    return found


@counsellor_view
def person_what_if(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = person_get_editable(user=request.user, pseudonym=pseudonym)
    context = what_if_context(request.user, person.pseudonym, None)
    overview = what_if_overview(context)
    rows = [
        (code, RELAX_LABELS[code], _current(code, context.constraints), count)
        for code, count in overview.items()
    ]
    form = WhatIfForm(request.GET or None, codes=list(overview))
    results = _results(context, form.relaxation()) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "competenze/what_if.html",
        {"person": person, "rows": rows, "form": form, "results": results},
    )
