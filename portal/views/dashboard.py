"""Pages of the common app: the programme manager's dashboard, its CSV export and the
matching coverage of the people followed."""

import csv
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.models import User
from lavoro.selectors.dashboard import ProgrammeFigures, dashboard_people, programme_figures_get
from portal.presenters.dashboard import (
    Table,
    coverage_table,
    institute_table,
    month_chart,
    month_table,
    status_table,
    summary_cells,
)
from portal.views._helpers import AuthedRequest, role_required
from search.coverage import matching_coverage

MANAGERS = (User.Role.PROGRAMME_MANAGER, User.Role.ADMIN)


def _tables(figures: ProgrammeFigures) -> list[Table]:
    return [month_table(figures), status_table(figures), institute_table(figures)]


def _context(figures: ProgrammeFigures) -> dict[str, Any]:
    months, statuses, institutes = _tables(figures)
    return {
        "figures": figures,
        "summary": summary_cells(figures),
        "months": months,
        "statuses": statuses,
        "institutes": institutes,
        "chart": month_chart(figures.by_month),
    }


@role_required(*MANAGERS)
def dashboard(request: AuthedRequest) -> HttpResponse:
    figures = programme_figures_get(user=request.user)
    return render(request, "common/dashboard.html", _context(figures))


@role_required(*MANAGERS)
def dashboard_csv(request: AuthedRequest) -> HttpResponse:
    """The aggregated tables of the page, suppressed the same way, one after the other."""
    figures = programme_figures_get(user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"cruscotto-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    for table in _tables(figures):
        writer.writerow([table.title])
        writer.writerow(table.head)
        for label, cells in table.rows:
            writer.writerow([label, *cells])
        writer.writerow([])
    return response


@role_required(*MANAGERS)
def dashboard_coverage(request: AuthedRequest) -> HttpResponse:
    """How many of the people followed have a match, only near misses, nothing, per kind:
    index searches for every person (seconds on a large caseload), so a page of its own."""
    people = dashboard_people(user=request.user).filter(is_active=True)
    coverage = matching_coverage(people=people, actor=request.user)
    return render(
        request,
        "common/dashboard_coverage.html",
        {"table": coverage_table(coverage), "people": coverage.people},
    )
