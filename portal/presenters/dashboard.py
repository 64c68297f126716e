"""The programme dashboard's tables as shown: small cells suppressed, the same for the page
and the CSV export, and the chart's geometry written without the locale.

A cell counting 1 to 4 (fewer than SMALL_CELL) is never shown: it reads «< 5». When a column
has a shown total (the summary), one suppressed cell alone could be recomputed from the
total and the other cells, so the smallest other non-zero cell is hidden too («n.d.»).
Institutes with fewer than SMALL_CELL people are grouped into one row first.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lavoro.kinds import kind_from_code
from lavoro.selectors.dashboard import InstituteFigures, MonthFigures, ProgrammeFigures
from search.coverage import Coverage

SMALL_CELL = 5
SUPPRESSED = "< 5"
HIDDEN = "n.d."
SMALL_GROUPS = _("Altri istituti (meno di 5 persone ciascuno)")
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 720, 260, 16, 40
SERIES = (
    ("profiles", _("Profili costruiti"), "s1"),
    ("validated_or_certified", _("Competenze validate o certificate"), "s2"),
    ("placements_started", _("Avvii MAP/LPU"), "s3"),
)
INSTITUTE_COLUMNS = (
    ("people", _("Persone")),
    ("profiles", _("Profili costruiti")),
    ("validated", _("Competenze validate")),
    ("certified", _("Competenze certificate")),
    ("proposals", _("Proposte")),
    ("placements_started", _("Avvii MAP/LPU")),
)
MONTH_COLUMNS = INSTITUTE_COLUMNS[1:]


def is_small(value: int) -> bool:
    return 0 < value < SMALL_CELL


def cell(value: int) -> str:
    """One figure as shown: «< 5» for 1–4."""
    return SUPPRESSED if is_small(value) else str(value)


def column_cells(values: Sequence[int], *, total_shown: bool) -> list[str]:
    """A column's cells; with a shown total, a lone suppressed cell takes another with it."""
    cells = [cell(value) for value in values]
    small = [index for index, value in enumerate(values) if is_small(value)]
    if total_shown and len(small) == 1:
        others = [(v, i) for i, v in enumerate(values) if v >= SMALL_CELL]
        if others:
            cells[min(others)[1]] = HIDDEN
    return cells


@dataclass
class Table:
    """Rows of (label, cells): what the page and the CSV show."""

    title: str
    head: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


def _grouped(rows: Sequence[InstituteFigures]) -> list[InstituteFigures]:
    """Institutes with fewer than SMALL_CELL people become one row, after the others."""
    kept = [row for row in rows if not is_small(row.people)]
    small = [row for row in rows if is_small(row.people)]
    if not small:
        return kept
    merged = InstituteFigures(label=str(SMALL_GROUPS))
    for row in small:
        for name, _label in INSTITUTE_COLUMNS:
            setattr(merged, name, getattr(merged, name) + getattr(row, name))
    return [*kept, merged]


def _columns(rows: Sequence[Any], names: Sequence[str], *, total_shown: bool) -> list[list[str]]:
    """Cells row by row, suppressed column by column."""
    columns = [
        column_cells([getattr(row, name) for row in rows], total_shown=total_shown)
        for name in names
    ]
    return [list(cells) for cells in zip(*columns, strict=True)] if rows else []


def institute_table(figures: ProgrammeFigures) -> Table:
    rows = _grouped(figures.by_institute)
    names = [name for name, _label in INSTITUTE_COLUMNS]
    table = Table(
        gettext("Per istituto"),
        [gettext("Istituto")] + [str(label) for _n, label in INSTITUTE_COLUMNS],
    )
    cells = _columns(rows, names, total_shown=True)
    table.rows = [(row.label, row_cells) for row, row_cells in zip(rows, cells, strict=True)]
    return table


def month_table(figures: ProgrammeFigures) -> Table:
    names = [name for name, _label in MONTH_COLUMNS]
    table = Table(
        gettext("Dati mensili"), [gettext("Mese")] + [str(label) for _n, label in MONTH_COLUMNS]
    )
    cells = _columns(figures.by_month, names, total_shown=False)
    table.rows = [(m.label, c) for m, c in zip(figures.by_month, cells, strict=True)]
    return table


def status_table(figures: ProgrammeFigures) -> Table:
    counts = [count for _value, _label, count in figures.proposals_by_status]
    cells = column_cells(counts, total_shown=True)
    table = Table(gettext("Proposte per stato"), [gettext("Stato"), gettext("Proposte")])
    table.rows = [
        (label, [shown])
        for (_value, label, _count), shown in zip(figures.proposals_by_status, cells, strict=True)
    ]
    return table


def summary_cells(figures: ProgrammeFigures) -> dict[str, str]:
    return {
        "people": cell(figures.people),
        "profiles": cell(figures.profiles),
        "validated": cell(figures.validated),
        "certified": cell(figures.certified),
        "proposals": cell(figures.proposals),
        "placements_started": cell(figures.placements_started),
    }


def coverage_table(coverage: Coverage) -> Table:
    """Per kind: people with a match, with near misses only, with nothing (suppressed)."""
    table = Table(
        gettext("Copertura degli abbinamenti"),
        [
            gettext("Tipo di opportunità"),
            gettext("Con almeno un abbinamento"),
            gettext("Solo esclusioni per un vincolo"),
            gettext("Nessuna"),
        ],
    )
    for code, row in coverage.kinds.items():
        values = [row.matched, row.near_only, row.nothing]
        shown = column_cells(values, total_shown=True)  # the people total is on the page
        table.rows.append((str(kind_from_code(code).plural), shown))
    overall = [coverage.matched, coverage.near_only, coverage.nothing]
    table.rows.append((gettext("Almeno un tipo"), column_cells(overall, total_shown=True)))
    return table


def _number(value: float) -> str:
    """An SVG coordinate: a dot for decimals whatever the language (never «7,5»)."""
    return f"{value:.1f}".removesuffix(".0")


def _series_value(month: MonthFigures, name: str) -> int:
    if name == "validated_or_certified":
        return month.validated + month.certified
    return int(getattr(month, name))


def month_chart(months: Sequence[MonthFigures]) -> dict[str, Any]:
    """Geometry of an SVG column chart: three series per month, scaled to the highest.

    Every number is a string formatted here, so the template's localisation cannot write a
    comma; a suppressed value (1–4) is drawn as an empty bar and titled «< 5».
    """
    values = [[_series_value(m, name) for name, _l, _c in SERIES] for m in months]
    top = max([value for row in values for value in row if not is_small(value)] or [0])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    group = CHART_WIDTH / max(1, len(months))
    bar = group / (len(SERIES) + 1)
    groups = []
    for index, (month, row) in enumerate(zip(months, values, strict=True)):
        bars = []
        for position, ((_name, label, css), value) in enumerate(zip(SERIES, row, strict=True)):
            height = 0.0 if is_small(value) or not top else plot * value / top
            bars.append(
                {
                    "x": _number(index * group + bar / 2 + position * bar),
                    "y": _number(CHART_TOP + plot - height),
                    "height": _number(height),
                    "width": _number(bar - 2),
                    "css": css,
                    "value": cell(value),
                    "label": label,
                }
            )
        groups.append({"label": month.label, "x": _number(index * group + group / 2), "bars": bars})
    return {
        "groups": groups,
        "width": _number(CHART_WIDTH),
        "height": _number(CHART_HEIGHT),
        "baseline": _number(CHART_HEIGHT - CHART_BOTTOM),
        "label_y": _number(CHART_HEIGHT - CHART_BOTTOM + 18),
        "series": [(label, css) for _n, label, css in SERIES],
        # drawn when there is anything to draw (small values are drawn as empty bars)
        "top": any(value for row in values for value in row),
    }
