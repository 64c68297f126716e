"""What every page a browser journey visits must pass: axe-core (from node_modules, no
network) at zero serious or critical violations, plus our own DOM checks (labels, alt, one
<h1>, a <main>); and the screenshots of the main pages at desktop and phone width."""

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES_DIR = ROOT / "test-artifacts" / "pages"
FAILING_IMPACTS = ("serious", "critical")
# name -> viewport width; the height only sets the first screen, the shot is the full page
VIEWPORTS = {"desktop": 1280, "telefono": 360}
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}

# Every visible form control labelled, every image with alt, one <h1>, a <main>.
DOM_SCRIPT = """() => {
  const problems = [];
  // checkVisibility: also hidden inside a closed <details> (content-visibility)
  const visible = (el) => el.checkVisibility({visibilityProperty: true});
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type) || !visible(el)) continue;
    const labelled = (el.labels && el.labels.length > 0)
      || (el.getAttribute("aria-label") || "").trim() !== ""
      || (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
        .some((id) => id && document.getElementById(id));
    if (!labelled) problems.push("campo senza etichetta: " + describe(el));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("immagine senza alt: " + describe(img));
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push("la pagina ha " + h1 + " <h1> invece di uno");
  if (!document.querySelector("main")) problems.push("manca <main>");
  return problems;
}"""

# axe-core's own result, reduced to what a failure message needs.
AXE_RUN = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ") + " — " + (n.failureSummary || "")
        .replace(/\\s+/g, " ").slice(0, 200)),
    }));
}"""


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} non trovato: eseguire `make setup` (npm ci)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Serious and critical violations on the page as it is now. The script is evaluated
    through the browser's debugging protocol, which the page's Content-Security-Policy does
    not govern: nothing is added to the page's own resources."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN, list(FAILING_IMPACTS))


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    """The page passes our DOM checks and axe-core has no serious or critical violation."""
    problems = page.evaluate(DOM_SCRIPT)
    violations = axe_violations(page)
    message = "\n".join(problems)
    if violations:
        message += ("\n" if message else "") + "axe-core:\n" + format_violations(violations)
    assert not problems and not violations, f"{where} ({page.url}):\n{message}"


# What sticks out of the viewport sideways (wide tables scroll inside their own wrapper).
OVERFLOW_SCRIPT = """(width) => {
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1
      && !el.closest(".table-scroll, .table-wrap, .visually-hidden, .visually-hidden-focusable"))
    .slice(0, 5).map((el) => el.outerHTML.slice(0, 120));
}"""


def save_page_views(page, name: str) -> list[Path]:
    """A full-page screenshot of the page at each width in VIEWPORTS, in PAGES_DIR, after
    checking that nothing makes the page scroll sideways at that width; the viewport is set
    back afterwards. Returns the files written."""
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^\w.-]+", "_", name)
    written = []
    for label, width in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": 800})
        path = PAGES_DIR / f"{slug}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
        wide = page.evaluate(OVERFLOW_SCRIPT, width)
        assert not wide, f"{name} a {width} px scorre di lato ({page.url}):\n" + "\n".join(wide)
    page.set_viewport_size(DEFAULT_VIEWPORT)
    return written


def check_page(page, where: str, screenshot: str | None = None) -> None:
    """What a journey calls on each page it visits: the accessibility checks, then, for a
    main page, its screenshots (named `screenshot`)."""
    assert_accessible(page, where)
    if screenshot:
        save_page_views(page, screenshot)
