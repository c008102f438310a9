"""The record page in a real browser (Debian's Chromium through Playwright), offline:
search, filters, sorting, the view in the address, a deep link, keyboard and phone.

What the page shows is checked against the rows the data package holds, computed here
in Python, not against numbers written into the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize

from helpers.paths import ROOT
from helpers.record import SCRIPT, hostile_raw, package
from ukreport.report.record import write_record
from ukreport.report.record.rows import Record, Row, read_record

pytestmark = pytest.mark.browser

PROCESSED = ROOT / "data" / "processed"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def record() -> Record:
    return read_record(PROCESSED)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    [html] = write_record(PROCESSED, tmp_path_factory.mktemp("record-page"), pdf=False)
    return html


@dataclass
class Visit:
    page: Page
    outside: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert self.outside == [], f"requests outside the file: {self.outside}"
        assert self.problems == [], f"the page misbehaved: {self.problems}"


class Opener(Protocol):
    def __call__(self, url: str, viewport: ViewportSize = ...) -> Visit: ...


@pytest.fixture
def visit(browser: Browser) -> Iterator[Opener]:
    contexts: list[BrowserContext] = []

    def open_page(url: str, viewport: ViewportSize = DESKTOP) -> Visit:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)

        def route(r: Route) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                seen.outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: seen.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen.problems.append(f"error: {e}"))
        page.on("dialog", lambda d: (seen.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(url, wait_until="load")
        page.wait_for_function("!document.getElementById('filters').hidden")
        return seen

    yield open_page
    for context in contexts:
        context.close()


def _shown(page: Page, table: str = "events") -> list[str]:
    return page.evaluate(
        """table => [...document.querySelectorAll(`table.t-${table} tbody tr`)]
              .filter(tr => !tr.hidden).map(tr => tr.id)""",
        table,
    )


def _status(page: Page) -> str:
    return page.locator("#status").inner_text()


def _matches(row: Row, actors: set[str], kind: str, first: int, last: int) -> bool:
    years = row.years
    return (
        actors <= set(row.actors)
        and row.kind == kind
        and years is not None
        and years[1] >= first
        and years[0] <= last
    )


def test_search_narrows_to_the_rows_holding_every_word(
    visit: Opener, page_path: Path, record: Record
) -> None:
    seen = visit(page_path.as_uri())
    page = seen.page
    assert _status(page).startswith("Showing 515 of 515 events")
    page.locator("#q").press_sequentially("alaska summit", delay=20)
    page.wait_for_function("document.getElementById('status').textContent.includes('of 515')")
    shown = _shown(page)
    assert shown, "nothing matched"
    rows = page.evaluate(
        """() => [...document.querySelectorAll('table.t-events tbody tr')].map(tr => [
              !tr.hidden, /alaska/i.test(tr.textContent) && /summit/i.test(tr.textContent)])"""
    )
    assert all(visible == holds for visible, holds in rows), "a row is shown iff it holds both"
    assert len(rows) == len(record.tables["events"])
    assert f"Showing {len(shown)} of 515 events" in _status(page)
    assert "q=alaska+summit" in page.url
    seen.assert_quiet()


def test_filters_sorting_and_a_link_that_reproduces_the_view(
    visit: Opener, page_path: Path, record: Record
) -> None:
    seen = visit(page_path.as_uri())
    page = seen.page
    page.locator("#actors summary").click()
    page.get_by_label("US", exact=True).check()
    page.get_by_label("RU", exact=True).check()
    page.select_option("#kind", "call")
    page.fill("#from", "2025")
    page.fill("#to", "2025")
    page.select_option("#sort", "-date")
    expected = [r for r in record.tables["events"] if _matches(r, {"US", "RU"}, "call", 2025, 2025)]
    assert expected, "the data hold US–Russia calls in 2025"
    shown = _shown(page)
    assert set(shown) == {r.id for r in expected}
    starts = {r.id: r.start for r in expected}
    assert [starts[i] for i in shown] == sorted((starts[i] for i in shown), reverse=True)
    assert page.locator("table.t-events th[data-key=date]").get_attribute("aria-sort") == (
        "descending"
    )
    assert f"Showing {len(expected)} of 515 events" in _status(page)
    assert "0 of 15 initiatives" in _status(page)  # no initiative is a "call"
    assert (
        page.locator("table.t-initiatives caption")
        .inner_text()
        .endswith("showing none of 15 initiatives")
    )
    assert page.locator("table.t-initiatives thead").is_hidden()  # no headings over nothing
    link = page.url
    for part in ("actor=US", "actor=RU", "kind=call", "from=2025", "to=2025", "sort=-date"):
        assert part in link

    # The address alone brings the same view back, in a fresh page.
    again = visit(link).page
    assert _shown(again) == shown
    assert again.locator("#kind").input_value() == "call"
    assert again.get_by_label("US", exact=True).is_checked()
    assert again.locator("#actors").get_attribute("open") is not None
    assert again.locator("#sort").input_value() == "-date"

    # A link to a row the filters hide shows that row too, and says so.
    hidden = next(r.id for r in record.tables["events"] if r.id not in shown)
    deep = visit(f"{link}#{hidden}").page
    assert hidden in _shown(deep)
    assert deep.locator(f"[id='{hidden}']").is_visible()
    assert f"The row {hidden} is shown because the address points to it" in _status(deep)
    top = deep.evaluate("id => document.getElementById(id).getBoundingClientRect().top", hidden)
    assert 0 <= top < DESKTOP["height"]

    # Clear brings back every row and a bare address.
    page.click("#clear")
    page.wait_for_function("document.getElementById('status').textContent.includes('515 of 515')")
    assert len(_shown(page)) == 515
    assert "?" not in page.url
    seen.assert_quiet()


def test_keyboard_reaches_the_filters_with_a_visible_focus(visit: Opener, page_path: Path) -> None:
    seen = visit(page_path.as_uri())
    page = seen.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator(".skip").is_visible()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2
    page.keyboard.type("kellogg")
    page.wait_for_function("!document.getElementById('status').textContent.includes('515 of')")
    assert 0 < len(_shown(page)) < 515
    seen.assert_quiet()


def test_phone_shows_cards_without_sideways_scroll(visit: Opener, page_path: Path) -> None:
    seen = visit(page_path.as_uri(), PHONE)
    page = seen.page
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    row = page.locator("table.t-events tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    for caption in page.locator("caption").all():
        assert caption.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        box = caption.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = page.locator("table.t-events tbody td").first
    assert label.evaluate("td => getComputedStyle(td, '::before').content").startswith('"Kind"')
    seen.assert_quiet()


def test_hostile_rows_do_nothing_in_the_browser(
    visit: Opener, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("hostile-browser")
    data = package(hostile_raw(folder / "raw"), folder / "processed")
    [html] = write_record(data, folder / "site", pdf=False)
    seen = visit(html.as_uri())
    page = seen.page
    page.wait_for_timeout(200)  # an injected handler would have fired by now
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.getElementById('evil')") is None
    page.fill("#q", "alert")
    assert SCRIPT in page.locator("table.t-events tbody tr:not([hidden])").first.inner_text()
    seen.assert_quiet()
