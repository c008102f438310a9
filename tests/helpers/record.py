"""Data packages for the record's tests: the small valid tables, with hostile text in
every field a reader sees."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.paths import VALID
from helpers.tables import edit_table, read_rows, set_cell

SCRIPT = "<script>alert(1)</script>"
MARKUP = '<img src=x onerror=alert(1)> "double" \'single\' & </td></tr><tr id="evil"> <!--'
TYPST = "#set page(width: 1cm) $x$ *bold* <label> @ref \\ ]"
RTL = (
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 "
    + "\u05e9\u05dc\u05d5\u05dd"
)
"""Arabic and Hebrew: "hello world", "peace"."""
LONG_WORD = "Unbreakable" * 30
HOSTILE_URL = 'https://www.reuters.com/page?q=%3Cscript%3E&x="><script>alert(1)</script>'

HOSTILE = {
    "events": {
        "description": f"{SCRIPT} {MARKUP}",
        "key_theme": TYPST,
        "participants": f"{RTL}; {LONG_WORD}",
        "location": SCRIPT,
        "source_title": f"{TYPST} {SCRIPT}",
        "source_url": HOSTILE_URL,
        "verification_note": f"{RTL} then English {MARKUP}",
    },
    "initiatives": {"name": f"{SCRIPT} initiative", "outcome": LONG_WORD},
    "claims": {"quote": f"{MARKUP} quote", "reasoning": f"{TYPST} {RTL}"},
}
"""Per table, the fields of its first row and the text each is given."""


def hostile_raw(target: Path) -> Path:
    """A copy of the small valid raw tables with :data:`HOSTILE` written into them."""
    shutil.copytree(VALID, target)
    for table, cells in HOSTILE.items():
        path = target / f"{table}.csv"
        header = read_rows(path)[0]
        edit_table(
            path, *(set_cell(1, column, text) for column, text in cells.items() if column in header)
        )
    return target


def package(raw: Path, out: Path) -> Path:
    """The data package ``ukreport process`` writes from ``raw`` into ``out``."""
    from ukreport.process import process

    process(raw, out)
    return out
