"""The HTML standards checkers the report must pass: the Nu Html Checker (``vnu.jar``,
run with Java) and axe-core (injected into Debian's Chromium).

Both come from npm, pinned in ``tests/standards/package-lock.json`` and installed by
``make standards`` (``npm ci --prefix tests/standards``); Java and Chromium come from
Debian. A check whose tool is missing skips, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Route, ViewportSize

from helpers.paths import ROOT

TOOLS = ROOT / "tests" / "standards" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
INSTALL = "make standards (or: npm ci --prefix tests/standards --ignore-scripts)"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the standards checks must run)")
    pytest.skip(reason)


def require_vnu() -> list[str]:
    """The command that runs the Nu Html Checker: ``java -jar vnu.jar``."""
    java = shutil.which("java")
    if java is None:
        _missing("java not found: apt-get install default-jre-headless")
    if not VNU_JAR.is_file():
        _missing(f"{VNU_JAR.relative_to(ROOT)} not found: {INSTALL}")
    return [str(java), "-jar", str(VNU_JAR)]


def require_axe() -> Path:
    """axe-core's script, to inject into the page."""
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS.relative_to(ROOT)} not found: {INSTALL}")
    return AXE_JS


def vnu_messages(command: list[str], page: Path) -> list[dict[str, Any]]:
    """Every message the Nu Html Checker (``command``) gives on ``page``."""
    done = subprocess.run(
        [*command, "--format", "json", "--stdout", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu printed no JSON (exit {done.returncode}): {done.stderr[-2000:]}")
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def axe_violations(
    browser: Browser, page_path: Path, viewport: ViewportSize
) -> list[dict[str, Any]]:
    """axe-core's violations on the page, opened offline at ``viewport``: every rule it
    runs by default (WCAG 2.x A and AA, best practices)."""
    axe = require_axe()
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()

        def offline(route: Route) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", offline)
        page.goto(page_path.as_uri(), wait_until="load")
        page.add_script_tag(path=str(axe))
        result: dict[str, Any] = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
    finally:
        context.close()
    violations: list[dict[str, Any]] = result["violations"]
    return violations
