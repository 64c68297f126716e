"""HTML to PDF on the server with WeasyPrint (Debian: libpango-1.0-0, libpangoft2-1.0-0).

The documents reference no external resource and the fetcher refuses every URL but
`data:`, so rendering never reaches the network whatever a quote contains (quotes are
HTML-escaped by the templates anyway). The style sheet is competenze/static/css/documents.css.
"""

from pathlib import Path

from django.contrib.staticfiles import finders

STYLESHEET = "css/documents.css"


def _stylesheet_text() -> str:
    found = finders.find(STYLESHEET)
    path = Path(found if isinstance(found, str) else found[0])  # type: ignore[index]
    return path.read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html` (a complete document), printed with documents.css."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[CSS(string=_stylesheet_text(), url_fetcher=fetcher)])
    assert isinstance(pdf, bytes)
    return pdf
