"""Browser tests: one headless Chromium per session, a fresh context and page per test,
a full-page screenshot in test-artifacts/screenshots/ when a browser test fails. Every test
fails if a page asked any host but the test server for anything (fonts, styles and icons
are the site's own static files), or if the Content-Security-Policy blocked something."""

import os

# Playwright's sync API runs an event loop in this thread: let the ORM run here anyway.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "password-di-prova"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Chromium's own language, from the environment (Debian's chromium-l10n holds it): date
# fields follow it (day first in Italian), not the context's locale, which sets only
# navigator.language, Intl and Accept-Language.
CHROMIUM_LANGUAGE = "it"
CHROMIUM_ITALIAN = Path("/usr/lib/chromium/locales/it.pak")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} non trovato: niente test nel browser")
    sync_api = pytest.importorskip("playwright.sync_api")
    # as long as actions may take: the first answer loads the recogniser in the request,
    # which takes several seconds on a busy machine
    sync_api.expect.set_options(timeout=20_000)
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=LAUNCH_ARGS,
        env={**os.environ, "LANGUAGE": CHROMIUM_LANGUAGE},
    )
    yield browser
    browser.close()
    playwright.stop()


# Every page reports what its Content-Security-Policy blocked (an inline script or style,
# an event handler, an outside resource) to the test, which then fails.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " on "
    + event.documentURI + (event.sample ? " «" + event.sample + "»" : ""));
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What the Content-Security-Policy blocked during the test; must stay empty."""
    return []


@pytest.fixture
def foreign_requests() -> list[str]:
    """Requests of the test's pages to any host but the test server; must stay empty."""
    return []


@pytest.fixture
def page(request, browser, live_server, csp_violations, foreign_requests):
    context = browser.new_context(base_url=live_server.url, locale="it-IT")
    context.set_default_timeout(20_000)
    context.expose_function("reportCspViolation", lambda text: csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    server = urlsplit(live_server.url).netloc
    context.on("request", lambda req: _record_foreign(req, server, foreign_requests))
    page = context.new_page()
    page.on("console", lambda message: _console_csp(message, csp_violations))
    request.node._browser_page = page
    yield page
    context.close()
    assert not csp_violations, "Content-Security-Policy violata:\n" + "\n".join(csp_violations)
    assert not foreign_requests, "Richieste ad altri host:\n" + "\n".join(foreign_requests)


def _record_foreign(req, server: str, foreign: list[str]) -> None:
    parts = urlsplit(req.url)
    if parts.scheme in ("data", "blob", "about"):
        return
    if parts.netloc != server:
        try:
            origin = req.frame.url
        except Exception:  # a service worker's request has no frame
            origin = "?"
        foreign.append(f"{req.method} {req.url} ({req.resource_type}, da {origin})")


def _console_csp(message, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"console: {message.text}")


@pytest.fixture
def login(page):
    """Log `user` in through the real login page; returns the page."""

    def do_login(user, next_url: str = "/"):
        from playwright.sync_api import expect

        page.goto(f"/accounts/login/?next={next_url}")
        page.get_by_label("Nome utente").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Accedi").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return do_login


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    page = getattr(item, "_browser_page", None)
    if page is None or page.is_closed():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", item.name)
    path = SCREENSHOTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # a broken page must not hide the real failure
        report.sections.append(("screenshot", f"non salvato: {error}"))
    else:
        report.sections.append(("screenshot", str(path)))


def pytest_terminal_summary(terminalreporter):
    from tests.browser.checks import PAGES_DIR

    if PAGES_DIR.is_dir() and any(PAGES_DIR.glob("*.png")):
        terminalreporter.write_line(f"Immagini delle pagine (desktop e telefono): {PAGES_DIR}")
