"""The HTML standards checkers the report must pass: the Nu Html Checker (``vnu.jar``,
run with Java) and axe-core (injected into Debian's Chromium).

Both come from npm, pinned in ``tests/standards/package-lock.json`` and installed by
``make standards`` (``npm ci --prefix tests/standards``); Java and Chromium come from
Debian. A check whose tool is missing skips, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
