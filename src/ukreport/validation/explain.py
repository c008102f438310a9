"""What each check means, in words: a failing value gets a message and a fix.

``ukreport validate`` looks the words up by the check's name (:func:`explain`); a test
fails for a check a model uses that has no explanation here. The checks themselves are
in :mod:`ukreport.schemas.checks`, the patterns in :mod:`ukreport.schemas.rules`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pandas as pd

from ukreport.dates import parse_dates, parse_periods
from ukreport.display import INVISIBLE_RE, character_name, escape_invisible, show
from ukreport.glyphs import FIGURES_LACK
from ukreport.publishers import FILE as PUBLISHERS_FILE
from ukreport.publishers import unmapped_reason
from ukreport.schemas.rules import (
    LIST_SEPARATOR,
    OTHER_SPACE_CLASS,
    PATTERN_HINTS,
    PERIOD_HINT,
    UNDRAWABLE,
)
from ukreport.sources import denied_reason

__all__ = ["EXPLANATIONS", "Explainer", "explain"]

Explainer = Callable[[str, dict[str, Any], str], tuple[str, str]]
"""(value, the check's statistics, column name) → (message, fix)."""
EXPLANATIONS: dict[str, Explainer] = {}
_NAMES = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}
"""How a message names the control characters a reader knows."""


def _explains(name: str) -> Callable[[Explainer], Explainer]:
    def register(function: Explainer) -> Explainer:
        EXPLANATIONS[name] = function
        return function

    return register


def explain(check: str, value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    """What is wrong with ``value`` under ``check`` (``name`` or ``name(args)``), and the fix."""
    explainer = EXPLANATIONS.get(check.split("(", 1)[0])
    if explainer is None:
        return (f"fails the check {check}", "see the codebook in schemas/")
    return explainer(value, stats, column)


# pandera's own checks, as the models use them


@_explains("str_length")
def _required(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    return ("the cell is blank but required", f"fill in {column}")


@_explains("field_uniqueness")
def _duplicate(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    return ("duplicate id", "give every row its own id")


@_explains("isin")
def _not_allowed(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    allowed = ", ".join(stats.get("allowed_values", []))
    return ("is not an allowed value", f"use one of: {allowed}")


@_explains("matches")
def _unmatched(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    pattern = stats.get("pattern", "")
    return PATTERN_HINTS.get(
        pattern, ("does not have the expected form", f"match the pattern {pattern}")
    )


# the checks of ukreport.schemas.checks


def _edge_space(value: str) -> str:
    """What is at the edge of ``value``: spaces, or the kind of space it is."""
    edge = next(c for c in (value[:1], value[-1:]) if c and c.isspace())
    return "whitespace" if edge == " " else f"whitespace, {character_name(edge)}"


@_explains("clean_text")
def _unclean(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    max_length = int(stats.get("max_length", 0))
    if len(value) > max_length:
        return (
            f"the cell is {len(value):,} characters long; at most {max_length:,} are allowed",
            "shorten it, or move the detail to the source",
        )
    if value[:1] in "=+-@":
        return (
            f"the cell starts with {value[0]!r}, which a spreadsheet would run as a formula",
            "reword it so it does not start with = + - or @",
        )
    hidden = INVISIBLE_RE.search(value)
    if value != value.strip():
        return (
            f"the cell has leading or trailing {_edge_space(value)}",
            "delete the spaces around it",
        )
    if hidden:
        char = hidden.group()
        if char in _NAMES or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            name = _NAMES.get(char, f"the control character U+{ord(char):04X}")
            return (
                f"the cell contains {name}",
                "keep each cell on one line, without control characters",
            )
        return (
            f"the cell contains the invisible character {character_name(char)} at "
            f"character {hidden.start() + 1}",
            "delete it: invisible and direction-changing characters hide text or reverse "
            "how it is shown",
        )
    return ("the cell is not plain text", "remove formula characters and whitespace")


_UNDRAWABLE_RE = re.compile(UNDRAWABLE)
GLYPHS_FILE = "src/ukreport/glyphs.py"
"""Where the characters the fonts draw are listed, as a fix names it."""
_UNNAMED = {"Co": "a private-use character", "Cn": "not an assigned character"}
"""What a code point without a name is, as a message says it."""


def _named(char: str) -> str:
    """``U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D)``, or ``U+E000 (a private-use character)``."""
    kind = _UNNAMED.get(unicodedata.category(char)) if not unicodedata.name(char, "") else None
    return f"U+{ord(char):04X} ({kind})" if kind else character_name(char)


@_explains("drawable")
def _undrawable(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    found = list(_UNDRAWABLE_RE.finditer(value))
    if not found:
        return ("the cell holds a character the fonts cannot draw", "replace it")
    char = found[0].group()
    lacking = any(low <= ord(char) <= high for low, high in FIGURES_LACK)
    fonts = "the figures' font" if lacking else "the PDF's fonts"
    others = len({hit.group() for hit in found[1:]} - {char})
    more = f" (and {others} other such character{'s' * (others > 1)})" if others else ""
    return (
        f"character {found[0].start() + 1} is {_named(char)}, which {fonts} cannot draw{more}",
        "write it in Latin, Greek or Cyrillic letters (transliterate or translate it), "
        f"or drop it; {GLYPHS_FILE} lists the characters the fonts draw",
    )


@_explains("clean_items")
def _unclean_item(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    odd = re.search(f";[{OTHER_SPACE_CLASS}]", value)
    if odd:
        return (
            f"';' followed by {character_name(odd.group()[1])} looks like the separator "
            "'; ' but is not one",
            "separate items with a semicolon and an ordinary space",
        )
    items = value.split(LIST_SEPARATOR)
    for number, item in enumerate(items, start=1):
        where = f"item {number} of the list"
        if not item:
            return (f"{where} is empty", "separate items with a single '; ', without empty ones")
        if item[:1] in "=+-@":
            return (
                f"{where} starts with {item[0]!r}, which a spreadsheet would run as a formula",
                "reword it so it does not start with = + - or @",
            )
        if item != item.strip():
            return (
                f"{where} has leading or trailing {_edge_space(item)}",
                "separate items with exactly '; ' and delete the spaces around each",
            )
    return ("an item of the list is not plain text", "separate items with '; '")


@_explains("list_isin")
def _unknown_codes(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    allowed = stats.get("allowed_values", [])
    unknown = [item for item in value.split(LIST_SEPARATOR) if item not in allowed]
    return (
        f"unknown code {', '.join(show(code, 20) for code in unknown[:5])}",
        f"separate codes with '; ' and use only: {', '.join(allowed)}",
    )


@_explains("list_includes_any")
def _none_of(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    needed = ", ".join(stats.get("allowed_values", []))
    return (f"names none of {needed}", f"add at least one of {needed}")


@_explains("allowed_host")
def _denied(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    reason = denied_reason(value) or "on the deny-list"
    return (f"cites a host without standing ({reason})", "cite a page with standing instead")


@_explains("mapped_host")
def _unmapped(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    return (
        f"{column} cites a page whose publisher is not known: "
        f"{escape_invisible(unmapped_reason(value) or 'its host has no publisher')}",
        f"add the host to its publisher's hosts in {PUBLISHERS_FILE} (or a new "
        "[[publisher]] with the name and kind its pages show) in the same commit",
    )


def _outside(stats: dict[str, Any]) -> tuple[str, str]:
    return (
        f"is outside the dataset's range, {stats['min_date']} to {stats['max_date']}",
        "check the year",
    )


@_explains("stated_date")
def _bad_date(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    parsed = parse_dates(pd.Series([value])).iloc[0]
    if parsed["outside"] or pd.notna(parsed["start"]):
        return _outside(stats)
    return ("is not a real day", "check the day and month (e.g. there is no 30 February)")


@_explains("not_future")
def _future(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    return (
        "is a day still to come",
        f"give the day the page was read ({column} is at most today's date)",
    )


@_explains("stated_period")
def _bad_period(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    parsed = parse_periods(pd.Series([value])).iloc[0]
    if parsed["outside"]:
        return _outside(stats)
    if not parsed["ok"]:
        return (
            "is not a period in a known form, or names a day that does not exist",
            PERIOD_HINT,
        )
    if pd.notna(parsed["end"]) and parsed["end"] < parsed["start"]:
        return ("the period ends before it starts", "swap or correct the two ends")
    return _outside(stats)
