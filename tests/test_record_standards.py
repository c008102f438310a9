"""The record page passes the Nu Html Checker and axe-core with nothing to report, as
the essay does: the page of the small tables with hostile text in every field, and the
page of the whole record (axe-core on the whole record is in the slow tier: it checks
every one of its thousands of cells at two widths, about a minute).

Without the checkers (``make standards`` installs them) these tests skip, except in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize

from helpers.paths import ROOT
from helpers.record import hostile_raw, package
from helpers.standards import axe_violations, require_vnu, vnu_messages
from ukreport.report.record import write_record

pytestmark = pytest.mark.standards

VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("record-standards")
    data = package(hostile_raw(folder / "raw"), folder / "processed")
    [html] = write_record(data, folder / "site", pdf=False)
    return html


@pytest.fixture(scope="module")
def whole_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("record-standards-whole")
    [html] = write_record(ROOT / "data" / "processed", out, pdf=False)
    return html


def _shown(page: Path, messages: list[dict[str, object]]) -> list[str]:
    return [
        f"{page.name}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
        f"{m['type']}{'/' + str(m['subType']) if 'subType' in m else ''}: {m['message']}"
        for m in messages
    ]


@pytest.mark.parametrize("which", ["hostile_page", "whole_page"])
def test_nu_html_checker_reports_nothing(which: str, request: pytest.FixtureRequest) -> None:
    page: Path = request.getfixturevalue(which)
    shown = _shown(page, vnu_messages(require_vnu(), page))
    assert not shown, "the Nu Html Checker reports:\n" + "\n".join(shown[:50])


def _assert_no_violation(browser: Browser, page: Path, viewport: str) -> None:
    violations = axe_violations(browser, page, VIEWPORTS[viewport])
    shown = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
    ]
    assert not shown, f"axe-core, {viewport}:\n" + "\n".join(shown)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_violation(browser: Browser, hostile_page: Path, viewport: str) -> None:
    _assert_no_violation(browser, hostile_page, viewport)


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_violation_in_the_whole_record(
    browser: Browser, whole_page: Path, viewport: str
) -> None:
    _assert_no_violation(browser, whole_page, viewport)
