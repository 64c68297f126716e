"""The accessibility statement (dichiarazione di accessibilità, AgID's model): public, no login."""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# When the statement was last reviewed against the checks it describes: change it with them.
STATEMENT_DATE = datetime.date(2026, 11, 30)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "common/accessibility.html",
        {
            "statement_date": STATEMENT_DATE,
            "contact_email": settings.PONTE_ACCESSIBILITY_EMAIL,
        },
    )
