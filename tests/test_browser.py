"""The rendered HTML essay in a real browser (headless Chromium driven by Playwright).

The page is opened from a file:// URL with the network cut off, so the tests also
prove the file is self-contained. By default the fixture essay is rendered; point
UKREPORT_HTML at a built report to check that instead::

    UKREPORT_HTML=reports/_build/essay.html pytest -m browser

Full-page screenshots (desktop and phone) and a print preview PDF go to
``test-artifacts/`` at the repository root, for CI to keep.

Chromium is Debian's (``apt-get install chromium``), not Playwright's download. The
tests skip when it is missing, except in CI (``CI`` set), where they fail instead.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    PdfMargins,
    Request,
    Route,
    ViewportSize,
)
from pypdf import PdfReader

from helpers.paths import ROOT
from helpers.pdf import pdf_text
from helpers.render import render_sample

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}

# The cells of tests/data/render/hostile.qmd, as the reader must see them. The last one
# holds a newline, which HTML shows as a space.
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold**",
    "[x](javascript:alert(1))",
    "#set page(width: 1cm)",
    "$x$ and \\ backslash | pipe",
    "@fig-x and line break",
]


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def essay_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page under test: UKREPORT_HTML if set, else the fixture essay rendered now."""
    given = os.environ.get("UKREPORT_HTML", "").strip()
    if given:
        path = Path(given).resolve()
        if not path.is_file():
            pytest.fail(f"UKREPORT_HTML={given!r}: no such file")
        return path
    out = tmp_path_factory.mktemp("browser-essay")
    [html] = render_sample("essay.qmd", out, formats=("html",))
    return html


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-hostile")
    [html] = render_sample("hostile.qmd", out, formats=("html",))
    return html


@dataclass
class Visit:
    """An open page and everything it did that it should not have."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        """Fail listing every outside fetch, failed request, console message and dialog."""
        problems = {
            "fetched from outside the file": self.blocked,
            "failed requests": self.failed,
            "console errors and warnings": self.console,
            "uncaught page errors": self.errors,
            "dialogs": self.dialogs,
        }
        found = {kind: items for kind, items in problems.items() if items}
        assert not found, f"the page misbehaved: {found}"


class Opener(Protocol):
    def __call__(self, path: Path, viewport: ViewportSize = ...) -> Visit: ...


@pytest.fixture
def visit(browser: Browser) -> Iterator[Opener]:
    """``visit(path, viewport)`` opens ``path`` offline; every context is closed after."""
    contexts: list[BrowserContext] = []

    def open_page(path: Path, viewport: ViewportSize = DESKTOP) -> Visit:
        context = browser.new_context(viewport=viewport, java_script_enabled=True)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)

        def route(r: Route) -> None:
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                seen.blocked.append(url)
                r.abort()

        def on_console(message: ConsoleMessage) -> None:
            if message.type in {"error", "warning"}:
                seen.console.append(f"{message.type}: {message.text}")

        def on_dialog(dialog: Dialog) -> None:
            seen.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_failed(request: Request) -> None:
            if request.url not in seen.blocked:
                seen.failed.append(f"{request.url}: {request.failure}")

        context.route("**/*", route)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
        page.on("dialog", on_dialog)
        page.on("requestfailed", on_failed)
        page.goto(path.as_uri(), wait_until="load")
        return seen

    yield open_page
    for context in contexts:
        context.close()


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _no_horizontal_scroll(page: Page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"the page scrolls sideways: {width}px content in {inner}px"


# -- tests --------------------------------------------------------------------------------


def test_page_loads_offline_without_errors(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html)
    seen.assert_quiet()
    page = seen.page
    assert page.title()
    assert page.locator("main").count() == 1
    # Nothing refers to the outside world in a way the browser would fetch.
    external = page.evaluate(
        """() => [...document.querySelectorAll('[src], link[href]')]
              .map(e => e.getAttribute('src') ?? e.getAttribute('href'))
              .filter(u => u && !u.startsWith('data:') && !u.startsWith('#'))"""
    )
    assert external == []
    seen.assert_quiet()


def test_images_load_and_have_alt_text(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html)
    images = seen.page.evaluate(
        """() => [...document.images].map(i => ({
              src: i.currentSrc.slice(0, 40), complete: i.complete,
              width: i.naturalWidth, alt: (i.getAttribute('alt') || '').trim()}))"""
    )
    if not os.environ.get("UKREPORT_HTML"):
        assert len(images) == 1  # the fixture essay has exactly one figure
    for image in images:
        assert image["complete"], f"image did not finish loading: {image}"
        assert image["width"] > 0, f"image is broken: {image}"
        assert image["alt"], f"image has no alt text: {image}"
    # a figure drawn as SVG is inline: the drawing is named by its alt text, and each of
    # its marks that stands for events by a title or a link's title
    drawings = seen.page.evaluate(
        """() => [...document.querySelectorAll('main svg.figure')].map(s => ({
              label: (s.getAttribute('aria-label') || '').trim(),
              unnamed: [...s.querySelectorAll('a')].filter(a =>
                  !(a.querySelector(':scope > title')?.textContent || '').trim()).length}))"""
    )
    for drawing in drawings:
        assert drawing["label"] and drawing["unnamed"] == 0, drawing
    seen.assert_quiet()


def test_figures_and_tables_are_captioned(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html)
    page = seen.page
    figures = page.evaluate(
        """() => [...document.querySelectorAll('main figure')].map(f => ({
              id: f.id, caption: f.querySelector('figcaption')?.innerText ?? null}))"""
    )
    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => ({
              id: t.id, caption: t.caption?.innerText ?? null}))"""
    )
    assert figures, "no figures"
    assert tables, "no tables"
    for figure in figures:
        assert figure["caption"] and "Figure" in figure["caption"], figure
    for table in tables:
        assert table["caption"] and "Table" in table["caption"], table
    if not os.environ.get("UKREPORT_HTML"):
        assert figures == [{"id": "fig-trend", "caption": "Figure 1: Events per year"}]
        assert tables == [{"id": "tbl-events", "caption": "Table 1: Recorded events"}]
    # Cross-references point at things that exist.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="#"]')]
              .map(a => a.getAttribute('href').slice(1))
              .filter(id => !document.getElementById(decodeURIComponent(id)))"""
    )
    assert broken == [], f"links to missing ids: {broken}"
    seen.assert_quiet()


def test_table_of_contents_links_resolve(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html)
    page = seen.page
    toc = page.locator("nav#TOC")
    assert toc.count() == 1
    assert toc.is_visible()
    targets = page.evaluate(
        """() => [...document.querySelectorAll('nav#TOC a')].map(a => {
              const id = decodeURIComponent((a.getAttribute('href') || '').slice(1));
              const target = document.getElementById(id);
              return {href: a.getAttribute('href'), text: a.innerText.trim(),
                      found: !!target && !a.contains(target) && !!target.closest('main')};
          })"""
    )
    assert targets, "the table of contents has no links"
    for target in targets:
        assert target["href"].startswith("#"), target
        assert target["found"], f"TOC link to a missing heading: {target}"
    headings = page.locator("main :is(h1, h2, h3)[id]:not(.unlisted)").count()
    assert len(targets) == headings, "every section heading is in the table of contents"
    # Following a link scrolls to the heading.
    last = page.locator("nav#TOC a").last
    href = last.get_attribute("href")
    last.click()
    assert page.evaluate("location.hash") == href
    top = page.evaluate(
        "id => document.getElementById(id).getBoundingClientRect().top",
        (href or "#")[1:],
    )
    # (a page scrolls by whole pixels; the inline figures' heights are fractional)
    assert -1 < top < DESKTOP["height"], "the heading was not scrolled into view"
    seen.assert_quiet()


def test_phone_layout_does_not_scroll_sideways(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html, PHONE)
    page = seen.page
    _no_horizontal_scroll(page)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('main :is(p, li, td, th, figcaption, caption)')]
              .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert min(sizes) >= 12, f"text too small to read on a phone: {min(sizes)}px"
    for image in page.locator("main img, main svg.figure").all():
        box = image.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"] + 1
    # Every cell of every table is led by its column's heading ...
    cells = page.evaluate(
        """() => [...document.querySelectorAll('main table td')].map(td =>
             [td.dataset.label || '', getComputedStyle(td, '::before').content])"""
    )
    assert cells and all(label and before not in {"none", "normal"} for label, before in cells)
    # ... and a table with more columns than the screen holds stacks each row's cells:
    # every cell is on the screen, none is scrolled out of sight.
    page.evaluate(
        """() => {
          const t = document.querySelector('main table').cloneNode(true);
          t.id = 'wide-test-table';
          for (const row of t.rows)
            for (let i = 0; i < 12; i++)
              row.insertCell().textContent = 'Very-long-unbreakable-cell-' + i;
          document.querySelector('main').append(t);
        }"""
    )
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#wide-test-table td')].map(td => {
                   const r = td.getBoundingClientRect(); return [r.left, r.right]; })"""
    )
    assert len(boxes) > 12
    assert all(left >= 0 and right <= PHONE["width"] + 1 for left, right in boxes), boxes
    _no_horizontal_scroll(page)
    seen.assert_quiet()


def test_print_media(visit: Opener, essay_html: Path) -> None:
    seen = visit(essay_html)
    page = seen.page
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    style = page.evaluate(
        """() => {
          const css = (sel, prop) => {
            const e = document.querySelector(sel);
            return e ? getComputedStyle(e)[prop] : null;
          };
          return {
            bodyMaxWidth: css('body', 'maxWidth'),
            bodyColor: css('body', 'color'),
            tocDisplay: css('nav#TOC', 'display'),
            tocBorder: css('nav#TOC', 'borderTopWidth'),
            linkColor: css('main a', 'color'),
            linkDecoration: css('main a', 'textDecorationLine'),
            tableDisplay: css('main table', 'display'),
            tableBreak: css('main table', 'breakInside'),
            headingBreak: css('main h2', 'breakAfter'),
          };
        }"""
    )
    # What style.css's @media print says; it keeps the table of contents.
    assert style["bodyMaxWidth"] == "none"
    assert style["bodyColor"] == "rgb(0, 0, 0)"
    assert style["tocDisplay"] != "none"
    assert style["tocBorder"] == "0px"
    assert style["linkDecoration"] in {"none", None}
    assert style["linkColor"] in {style["bodyColor"], None}
    assert style["tableDisplay"] in {"table", None}
    assert style["tableBreak"] in {"avoid", None}
    assert style["headingBreak"] in {"avoid", None}
    for image in page.locator("img").all():
        assert image.is_visible()
    # The browser's own print: a PDF that holds the essay, kept as an artefact.
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{essay_html.stem}-print.pdf"
    # Playwright prints edge to edge; a browser's print dialog leaves about 1 cm.
    margin: PdfMargins = {"top": "1cm", "right": "1cm", "bottom": "1cm", "left": "1cm"}
    page.pdf(path=pdf, format="A4", margin=margin, print_background=True)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    text = pdf_text(reader)
    assert page.title().split()[0] in text
    seen.assert_quiet()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(visit: Opener, essay_html: Path, name: str, viewport: ViewportSize) -> None:
    seen = visit(essay_html, viewport)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{essay_html.stem}-{name}.png"
    shot.unlink(missing_ok=True)
    seen.page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 1000
    width, height = _png_size(shot)
    assert width == viewport["width"], f"the page is {width}px wide, wider than the screen"
    assert height >= viewport["height"]
    seen.assert_quiet()


def test_hostile_text_stays_text(visit: Opener, hostile_html: Path) -> None:
    seen = visit(hostile_html)
    page = seen.page
    page.wait_for_timeout(200)  # give an injected onerror handler the chance to fire
    dom = page.evaluate(
        """() => ({
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img').length,
          handlers: [...document.querySelectorAll('*')].flatMap(e =>
              [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
          jsLinks: [...document.querySelectorAll('[href], [src]')]
              .map(e => e.getAttribute('href') ?? e.getAttribute('src'))
              .filter(u => /^\\s*javascript:/i.test(u)),
          strong: document.querySelectorAll('main strong, main b').length,
          maths: document.querySelectorAll('main math').length,
        })"""
    )
    assert dom == {
        "scripts": 0,
        "images": 0,
        "handlers": [],
        "jsLinks": [],
        "strong": 0,
        "maths": 0,
    }
    text = page.inner_text("main")
    for value in HOSTILE:
        assert value in text, f"not shown literally: {value!r}"
    cells = page.locator("#tbl-hostile tbody tr td:first-child").all_inner_texts()
    assert cells == HOSTILE
    assert "Table 1: Hostile cells" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "hostile-desktop.png", full_page=True)
    seen.assert_quiet()
