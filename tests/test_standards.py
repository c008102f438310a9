"""The built HTML passes the Nu Html Checker and axe-core with nothing to report: no
error, no warning, no notice from the one, no violation from the other.

The pages checked are the report built from the real data and the one built with
hostile text in it (conftest.py), or, with UKREPORT_HTML set, that file alone::

    make standards     # installs the checkers, builds the report, checks reports/_build/essay.html

The checkers come from npm (``tests/standards/package.json``, pinned in its lock file),
Java and Chromium from Debian; without them these tests skip, except in CI (``CI``
set), where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize

from helpers.standards import axe_violations, require_vnu, vnu_messages

pytestmark = pytest.mark.standards

PAGES = ("report", "hostile_report")
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=PAGES)
def page_path(request: pytest.FixtureRequest) -> Path:
    """A built report's HTML: each fixture report, or UKREPORT_HTML in their stead."""
    given = os.environ.get("UKREPORT_HTML", "").strip()
    if given:
        if request.param != PAGES[0]:
            pytest.skip("UKREPORT_HTML is set: only that page is checked")
        path = Path(given).resolve()
        if not path.is_file():
            pytest.fail(f"UKREPORT_HTML={given!r}: no such file")
        return path
    built: Path = request.getfixturevalue(request.param).html_path
    return built


def test_nu_html_checker_reports_nothing(page_path: Path) -> None:
    messages = vnu_messages(require_vnu(), page_path)
    shown = [
        f"{page_path.name}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
        f"{m['type']}{'/' + m['subType'] if 'subType' in m else ''}: {m['message']}"
        for m in messages
    ]
    assert not shown, "the Nu Html Checker reports:\n" + "\n".join(shown[:50])


def test_vnu_check_can_fail(tmp_path: Path) -> None:
    """The checker runs for real: the very faults the report once had are reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title><style type="text/css"></style>'
        '</head><body><img role="img" alt="x" src="data:," /><p><div></div></p></body></html>',
        encoding="utf-8",
    )
    kinds = {(m["type"], m.get("subType")) for m in vnu_messages(require_vnu(), page)}
    assert ("error", None) in kinds and ("info", "warning") in kinds and ("info", None) in kinds


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_violation(browser: Browser, page_path: Path, viewport: str) -> None:
    violations = axe_violations(browser, page_path, VIEWPORTS[viewport])
    shown = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in violations
    ]
    assert not shown, f"axe-core, {viewport}:\n" + "\n".join(shown)


def test_axe_check_can_fail(browser: Browser, tmp_path: Path) -> None:
    """axe runs for real: an image without alt text and a nameless button are found."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:,"><button></button></main></body></html>',
        encoding="utf-8",
    )
    found = {v["id"] for v in axe_violations(browser, page, VIEWPORTS["desktop"])}
    assert {"image-alt", "button-name"} <= found, found
