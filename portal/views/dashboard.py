"""Pages of the common app: the programme manager's dashboard."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from common.models import User
from lavoro.selectors.dashboard import MonthFigures, ProgrammeFigures, programme_figures_get
from portal.views._helpers import AuthedRequest, role_required

CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 720, 260, 16, 40
SERIES = (
    ("profiles", gettext_lazy("Profili costruiti"), "s1"),
    ("validated_or_certified", gettext_lazy("Competenze validate o certificate"), "s2"),
    ("placements_started", gettext_lazy("Avvii MAP/LPU"), "s3"),
)


def _percent(value: int, top: int) -> int:
    return round(100 * value / top) if top else 0


def _series_value(month: MonthFigures, name: str) -> int:
    if name == "validated_or_certified":
        return month.validated + month.certified
    return int(getattr(month, name))


def _month_chart(months: list[MonthFigures]) -> dict[str, Any]:
    """Geometry of an SVG column chart: three series per month, scaled to the highest."""
    top = max([_series_value(m, name) for m in months for name, _l, _c in SERIES] or [0])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    group = CHART_WIDTH / max(1, len(months))
    bar = group / (len(SERIES) + 1)
    groups = []
    for index, month in enumerate(months):
        bars = []
        for position, (name, label, css) in enumerate(SERIES):
            value = _series_value(month, name)
            height = round(plot * value / top, 1) if top else 0
            bars.append(
                {
                    "x": round(index * group + bar / 2 + position * bar, 1),
                    "y": round(CHART_TOP + plot - height, 1),
                    "height": height,
                    "width": round(bar - 2, 1),
                    "css": css,
                    "value": value,
                    "label": label,
                }
            )
        groups.append(
            {"label": month.label, "x": round(index * group + group / 2, 1), "bars": bars}
        )
    return {
        "groups": groups,
        "top": top,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 18,
        "series": [(label, css) for _n, label, css in SERIES],
    }


def _context(figures: ProgrammeFigures) -> dict[str, Any]:
    status_top = max([count for _v, _l, count in figures.proposals_by_status] or [0])
    institute_top = max([row.people for row in figures.by_institute] or [0])
    stages = figures.skills_by_stage
    return {
        "figures": figures,
        "validated": stages.get("validata", 0),
        "certified": stages.get("certificata", 0),
        "identified": stages.get("individuata", 0),
        "proposals_total": sum(count for _v, _l, count in figures.proposals_by_status),
        "statuses": [
            (label, count, _percent(count, status_top))
            for _v, label, count in figures.proposals_by_status
        ],
        "institutes": [
            (row, _percent(row.people, institute_top), _percent(row.profiles, institute_top))
            for row in figures.by_institute
        ],
        "chart": _month_chart(figures.by_month),
    }


@role_required(User.Role.PROGRAMME_MANAGER, User.Role.ADMIN)
def dashboard(request: AuthedRequest) -> HttpResponse:
    figures = programme_figures_get(user=request.user)
    return render(request, "common/dashboard.html", _context(figures))
