"""The text rules every cell is held to, as patterns, and the words for the patterns.

A rule is written once, here: the pandera checks (:mod:`.checks`) run it with RE2, the
explanations (:mod:`ukreport.validation.explain`) with Python's ``re``, and the Table
Schemas (:mod:`ukreport.tableschema`) and the codebook publish it as a pattern.
"""

from __future__ import annotations

import re

from ukreport.characters import INVISIBLE, INVISIBLE_CLASS, SPACE_CLASS, SPACES, char_class
from ukreport.dates import DATE_PATTERN, PERIOD_PATTERN
from ukreport.glyphs import DRAWABLE

__all__ = [
    "CLEAN_LIST_PATTERN",
    "CLEAN_TEXT_PATTERN",
    "DATE_HINT",
    "LIST_SEPARATOR",
    "OTHER_SPACE_CLASS",
    "PATTERN_HINTS",
    "PERIOD_HINT",
    "UNDRAWABLE",
    "UNSAFE_ITEMS",
    "UNSAFE_TEXT",
    "re2_pattern",
]

UNSAFE_TEXT = rf"^[=+\-@{SPACE_CLASS}]|[{SPACE_CLASS}]$|[{INVISIBLE_CLASS}]"
"""Leading formula characters (``= + - @``, tab, CR), edge whitespace of any kind, or an
invisible character anywhere: what a spreadsheet would run, or what hides in a cell
unseen. Read alike by RE2 (the checks) and Python's ``re`` (the explanations)."""
_SP_ESC, _BAD_ESC = char_class(SPACES, escaped=True), char_class(INVISIBLE, escaped=True)
CLEAN_TEXT_PATTERN = rf"(?:[^=+\-@{_SP_ESC}{_BAD_ESC}](?:[^{_BAD_ESC}]*[^{_SP_ESC}{_BAD_ESC}])?)?"
"""The same rule as a whole-cell pattern, for tools that only know patterns (Frictionless):
a cell matches it exactly when ``UNSAFE_TEXT`` finds nothing in it."""
OTHER_SPACE_CLASS = char_class(((0x09, 0x0D), (0x1C, 0x1F), *SPACES[2:]))
UNSAFE_ITEMS = rf"^; |; (?:[=+\-@{SPACE_CLASS}]|; )|[{SPACE_CLASS}]; |;[{OTHER_SPACE_CLASS}]"
"""In a ``; ``-separated list, an item that is empty or starts or ends unsafely where
it meets a separator: the rules of a cell, applied to each item (``Bill Clinton;
=HYPERLINK(…)``), and a separator typed with another space (``;`` and a no-break
space). The cell's own edges are ``UNSAFE_TEXT``'s."""
_SEMI = rf";(?![{_SP_ESC}])"
"""A semicolon inside an item: one not followed by a space of any kind."""
_ITEM_CHAR = rf"(?:[^{_BAD_ESC};]|{_SEMI})"
_ITEM = (
    rf"(?:[^=+\-@{_SP_ESC}{_BAD_ESC};]|{_SEMI})"
    rf"(?:{_ITEM_CHAR}*(?:[^{_SP_ESC}{_BAD_ESC};]|{_SEMI}))?"
)
CLEAN_LIST_PATTERN = rf"(?:{_ITEM}(?:; {_ITEM})*)?"
"""A list whose every item is clean text, as a whole-cell pattern (Frictionless)."""
LIST_SEPARATOR = "; "
UNDRAWABLE = f"[^{char_class(DRAWABLE + INVISIBLE)}]"
"""A character the PDF's fonts or the figures' font cannot draw (:mod:`ukreport.glyphs`):
a Chinese character, an emoji, a private-use or unassigned code point. Invisible
characters are ``UNSAFE_TEXT``'s to report, so a cell gets one message for them."""


def re2_pattern(pattern: str) -> str:
    """``pattern`` (as published, read by Python's ``re``) for RE2: a ``\\s`` inside a
    character class becomes every Unicode space, as it is to Python, where RE2 would
    read ASCII white space only (a no-break space inside an address would pass)."""
    assert not re.search(r"(?<!\\)\\s(?![^\[]*\])", pattern), "\\s outside a class"
    return pattern.replace("\\s", SPACE_CLASS)


DATE_HINT = "write YYYY-MM-DD, 'Month YYYY' (e.g. October 2023), YYYY-MM or YYYY"
PERIOD_HINT = "write a date, START/END (e.g. 2022-07-22/2023-07-17), YYYY-YYYY or START-Present"
PATTERN_HINTS: dict[str, tuple[str, str]] = {
    DATE_PATTERN: ("is not a date in a known form", DATE_HINT),
    PERIOD_PATTERN: ("is not a date or period in a known form", PERIOD_HINT),
}
"""Pattern → (message, fix) for ``matches``; a module defining a pattern adds its own."""
