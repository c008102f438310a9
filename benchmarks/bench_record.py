"""How fast the record page answers a reader at 10⁴ events: keystroke to result.

A synthetic data package of ``--rows`` events (``generate.py``: the real rows, then
synthetic ones drawn from their vocabulary) is processed and written as a record page,
which is opened offline in Debian's Chromium (Playwright). Each measured action starts
at the browser's ``keydown`` (or ``click``) and ends when the frame after the script
has narrowed or sorted the rows has been painted (the next task after
``requestAnimationFrame``): what a reader waits for. The figures are medians over
every action of ``--repeat`` runs, each run in a freshly loaded page.

    python benchmarks/bench_record.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
CHROMIUM = "/usr/bin/chromium"
QUERY = "putin call"
"""Typed one key at a time: the first keys match many rows, the later ones few."""

_ARM = """kind => {
  window.__took = undefined;
  const input = document.getElementById('q');
  const start = () => { window.__start = performance.now(); };
  const done = () => requestAnimationFrame(() => setTimeout(() => {
    window.__took = performance.now() - window.__start; }, 0));
  if (kind === 'key') {
    input.addEventListener('keydown', start, {once: true});
    input.addEventListener('input', done, {once: true});
  } else {
    document.addEventListener('pointerdown', start, {once: true, capture: true});
    document.getElementById('filters').addEventListener('change', done, {once: true});
  }
}"""


def record_page(rows: int) -> Path:
    """The record page of a synthetic package of ``rows`` events (the package is kept
    between runs, the page written anew)."""
    from ukreport.process import process
    from ukreport.report.record import write_record

    folder = DATA / f"record-{rows}"
    if not (folder / "processed" / "datapackage.json").exists():
        generate.write(rows, folder / "raw")
        process(folder / "raw", folder / "processed")
    [page] = write_record(folder / "processed", folder / "site", pdf=False)  # today's code
    return page


def _offline(route: Route) -> None:
    """Let the page read its own file and nothing else."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def _wait(page: Page) -> float:
    page.wait_for_function("window.__took !== undefined")
    return float(page.evaluate("window.__took"))


def measure(rows: int, repeat: int) -> dict[str, list[float]]:
    """Milliseconds per action, by kind of action, over ``repeat`` fresh page loads."""
    from playwright.sync_api import sync_playwright

    path = record_page(rows)
    took: dict[str, list[float]] = {"load": [], "key": [], "filter": [], "sort": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.route("**/*", _offline)
                started = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function("!document.getElementById('filters').hidden")
                took["load"].append((time.perf_counter() - started) * 1000)
                page.focus("#q")
                for key in QUERY:
                    page.evaluate(_ARM, "key")
                    page.keyboard.press("Space" if key == " " else key)
                    took["key"].append(_wait(page))
                for _ in QUERY:
                    page.evaluate(_ARM, "key")
                    page.keyboard.press("Backspace")
                    took["key"].append(_wait(page))
                page.locator("#actors summary").click()
                for actor in ("US", "RU", "US", "RU"):
                    page.evaluate(_ARM, "click")
                    page.locator(f'input[name="actor"][value="{actor}"]').click()
                    took["filter"].append(_wait(page))
                for order in ("-date", "publisher", ""):
                    took["sort"].append(float(page.evaluate(_SORT, order)))
                context.close()
        finally:
            browser.close()
    return took


_SORT = """order => new Promise(resolve => {
  const select = document.getElementById('sort');
  select.value = order;
  const start = performance.now();
  select.dispatchEvent(new Event('change', {bubbles: true}));
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
})"""
"""A new order chosen in the sort list, from its ``change`` event to the painted frame."""


def ready() -> bool:
    """Whether Chromium is here to measure with."""
    return Path(CHROMIUM).is_file()


_LABELS = {
    "load": "open the page until its filters are ready",
    "key": "keystroke to result",
    "filter": "click an actor to result",
    "sort": "choose another order to result",
}


def rows(count: int, took: dict[str, list[float]]) -> list[tuple[str, float, str]]:
    """The table rows ``make bench`` prints: label, median seconds, the worst case."""
    return [
        (
            f"record page, {count:,} events: {label}",
            statistics.median(took[kind]) / 1000,
            f"max {max(took[kind]) / 1000:.3f} s of {len(took[kind])}",
        )
        for kind, label in _LABELS.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not ready():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    took = measure(args.rows, args.repeat)
    print(f"Chromium, medians over {args.repeat} page loads (keys: typing then deleting {QUERY!r})")
    for label, seconds, note in rows(args.rows, took):
        print(f"| {label:<58} | {seconds * 1000:6.0f} ms | {note:<24} |")


if __name__ == "__main__":
    main()
