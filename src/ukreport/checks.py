"""Custom pandera checks, registered once and used by name in ``schemas.py``.

Each check is vectorised with Arrow compute kernels (RE2 regular expressions), which is
what keeps a million-row table inside a second. A check's statistics are exported as
Frictionless constraints by ``frictionless.py``, so the rule lives in one place.
Blank cells pass every check here: whether a column may be blank is the job of
``str_length`` (``required``) in the model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandera.api.extensions import register_check_method

from ukreport.arrowtext import (
    arrow_strings,
    by_value,
    edge_bytes,
    rows_with_bytes,
    rows_with_control,
    take_rows,
)
from ukreport.dates import DATE_PATTERN, PERIOD_PATTERN, parse_dates, parse_periods
from ukreport.publishers import FILE as PUBLISHERS_FILE
from ukreport.publishers import unmapped_reason
from ukreport.sources import denied_pattern, denied_reason

SPACES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
"""Every character Unicode counts as white space (Python's ``str.isspace``), as code
point ranges: a no-break space or an em space at a cell's edge is edge whitespace as
much as a space is. Written out, not computed, so the published patterns do not change
with the Python version's Unicode tables."""
INVISIBLE: tuple[tuple[int, int], ...] = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x115F, 0x1160),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
"""Characters no cell may hold anywhere: control characters (C0, DEL, C1), line and
paragraph separators, every format character (Unicode category Cf: zero-width spaces
and joiners, the byte-order mark, soft hyphen, and the bidirectional embeddings,
overrides, isolates and marks that reverse how text around them is shown — a URL
ending ``gnp.exe`` shown as ``exe.png``) and the Hangul fillers, which draw as blanks."""


def _char(code: int, *, escaped: bool) -> str:
    """One code point in a character class: ``\\xhh`` (which both RE2 and Python read),
    else the character itself, or Python's ``\\u``/``\\U`` escape for a published pattern."""
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if not escaped:
        return chr(code)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def char_class(ranges: tuple[tuple[int, int], ...], *, escaped: bool = False) -> str:
    """The inside of a ``[...]`` class holding ``ranges``."""
    return "".join(
        _char(low, escaped=escaped)
        if low == high
        else f"{_char(low, escaped=escaped)}-{_char(high, escaped=escaped)}"
        for low, high in ranges
    )


_SP, _BAD = char_class(SPACES), char_class(INVISIBLE)
UNSAFE_TEXT = rf"^[=+\-@{_SP}]|[{_SP}]$|[{_BAD}]"
"""Leading formula characters (``= + - @``, tab, CR), edge whitespace of any kind, or an
invisible character anywhere: what a spreadsheet would run, or what hides in a cell
unseen. Read alike by RE2 (the checks) and Python's ``re`` (the explanations)."""
_SP_ESC, _BAD_ESC = char_class(SPACES, escaped=True), char_class(INVISIBLE, escaped=True)
CLEAN_TEXT_PATTERN = rf"(?:[^=+\-@{_SP_ESC}{_BAD_ESC}](?:[^{_BAD_ESC}]*[^{_SP_ESC}{_BAD_ESC}])?)?"
"""The same rule as a whole-cell pattern, for tools that only know patterns (Frictionless):
a cell matches it exactly when ``UNSAFE_TEXT`` finds nothing in it."""
_OTHER_SP = char_class(((0x09, 0x0D), (0x1C, 0x1F), *SPACES[2:]))
UNSAFE_ITEMS = rf"^; |; (?:[=+\-@{_SP}]|; )|[{_SP}]; |;[{_OTHER_SP}]"
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


def re2_pattern(pattern: str) -> str:
    """``pattern`` (as published, read by Python's ``re``) for RE2: a ``\\s`` inside a
    character class becomes every Unicode space, as it is to Python, where RE2 would
    read ASCII white space only (a no-break space inside an address would pass)."""
    assert not re.search(r"(?<!\\)\\s(?![^\[]*\])", pattern), "\\s outside a class"
    return pattern.replace("\\s", _SP)


_Check = TypeVar("_Check", bound=Callable[..., pd.Series])


def _registered(statistics: list[str]) -> Callable[[_Check], _Check]:
    """``register_check_method``, typed."""
    return cast(Callable[[_Check], _Check], register_check_method(statistics=statistics))


def _blank(values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.equal(pc.binary_length(values), 0)


def _to_series(mask: np.ndarray[Any, Any], index: pd.Index) -> pd.Series:
    return pd.Series(mask, index=index, dtype=bool)


def _booleans(mask: pa.ChunkedArray | pa.Array) -> np.ndarray[Any, Any]:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def _bytes(*groups: object) -> np.ndarray[Any, Any]:
    """A table of the 256 byte values, true for those in ``groups`` (strings or ranges)."""
    table = np.zeros(256, bool)
    for group in groups:
        table[[ord(c) for c in group] if isinstance(group, str) else list(group)] = True  # type: ignore[call-overload]
    return table


_UNSAFE_FIRST = _bytes("=+-@ ", range(0x20), range(0x7F, 0x100))
_UNSAFE_LAST = _bytes(" ", range(0x20), range(0x7F, 0x100))
"""The bytes a cell must start (end) with for ``UNSAFE_TEXT`` to match at its start
(end): formula characters, ASCII whitespace and control characters, and the bytes of
characters outside ASCII, where a wider notion of whitespace could apply."""
_INVISIBLE_LEADS = _bytes(
    {
        chr(code).encode("utf-8")[0]
        for low, high in INVISIBLE
        for code in range(max(low, 0x80), high + 1)
    }
)
"""The first bytes, in UTF-8, of the invisible characters outside ASCII: only a cell
holding one of them can hold such a character inside it."""


def _unsafe(values: pa.ChunkedArray, max_length: int) -> np.ndarray[Any, Any]:
    """Where ``UNSAFE_TEXT`` matches or a cell is longer than ``max_length`` characters.

    The regular expression runs only on the cells that could match it: those starting
    or ending with a byte above, holding a control character, or having more bytes
    than ``max_length`` (a character is at least one).
    """
    first, last, length = edge_bytes(values)
    suspect = (np.take(_UNSAFE_FIRST, first) | np.take(_UNSAFE_LAST, last)) & (length > 0)
    suspect |= length > max_length
    suspect |= rows_with_control(values)
    suspect |= rows_with_bytes(values, _INVISIBLE_LEADS)
    bad = np.zeros(len(values), bool)
    rows = np.flatnonzero(suspect)
    if rows.size:
        cells = take_rows(values, rows)
        found = pc.or_(
            pc.match_substring_regex(cells, UNSAFE_TEXT),
            pc.greater(pc.utf8_length(cells), max_length),
        )
        bad[rows] = _booleans(found)
    return bad


_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?P<host>[^/?#:@]*)"
"""The host part of an address, as ``mapped_host`` reads it."""


def _register() -> None:
    """Register the checks with pandera; idempotent so re-imports are harmless."""
    if getattr(_register, "done", False):
        return

    @_registered(["max_length"])
    def clean_text(series: pd.Series, *, max_length: int) -> pd.Series:
        """Plain single-line text: no formula prefix, edge whitespace or control chars."""
        return _to_series(~_unsafe(arrow_strings(series), max_length), series.index)

    @_registered(["separator"])
    def clean_items(series: pd.Series, *, separator: str) -> pd.Series:
        """Each item of a ``separator``-separated list is clean text, as a cell is:
        none is empty, none starts with a formula character, none has edge whitespace."""
        assert separator == LIST_SEPARATOR, "UNSAFE_ITEMS is written for '; '"

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            bad = pc.match_substring_regex(values, UNSAFE_ITEMS)
            passed: np.ndarray[Any, Any] = ~_booleans(bad) | _booleans(_blank(values))
            return passed

        return _to_series(by_value(series, test), series.index)

    @_registered(["pattern"])
    def matches(series: pd.Series, *, pattern: str) -> pd.Series:
        """The whole cell matches ``pattern`` (blank cells pass)."""

        whole = f"^(?:{re2_pattern(pattern)})$"

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            ok = pc.match_substring_regex(values, whole)
            return _booleans(pc.or_(ok, _blank(values)))

        return _to_series(by_value(series, test), series.index)

    @_registered(["allowed_values"])
    def list_isin(series: pd.Series, *, allowed_values: list[str]) -> pd.Series:
        """Every item of a ``; ``-separated list is one of ``allowed_values``."""

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            items = pc.split_pattern(values, LIST_SEPARATOR)
            known = pc.is_in(pc.list_flatten(items), value_set=pa.array(allowed_values))
            parents = pc.list_parent_indices(items)
            ok = np.ones(len(values), bool)
            ok[pc.filter(parents, pc.invert(known)).to_numpy()] = False
            return ok

        return _to_series(by_value(series, test), series.index)

    @_registered(["allowed_values"])
    def list_includes_any(series: pd.Series, *, allowed_values: list[str]) -> pd.Series:
        """A ``; ``-separated list names at least one of ``allowed_values``."""
        pattern = "(?:^|; )(?:" + "|".join(allowed_values) + ")(?:;|$)"

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            return _booleans(pc.match_substring_regex(values, pattern))

        return _to_series(by_value(series, test), series.index)

    @_registered(["denied"])
    def allowed_host(series: pd.Series, *, denied: list[str]) -> pd.Series:
        """The address is not on a host of the reviewed deny-list (nor below one)."""
        pattern = denied_pattern(denied)

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            return ~_booleans(pc.match_substring_regex(values, pattern, ignore_case=True))

        return _to_series(by_value(series, test), series.index)

    @_registered(["denied", "hosts"])
    def mapped_host(series: pd.Series, *, denied: list[str], hosts: list[str]) -> pd.Series:
        """The address's host has a publisher in the reviewed table (a denied host is
        ``allowed_host``'s to report, and a cell that is no address ``matches``')."""
        refused = denied_pattern(denied)
        known = pa.array(hosts)

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            host = pc.struct_field(pc.extract_regex(values, _HOST), [0])
            host = pc.replace_substring_regex(pc.utf8_lower(host), r"^www\.|\.$", "")
            mapped = pc.or_kleene(pc.is_null(host), pc.is_in(host, value_set=known))
            other = pc.match_substring_regex(values, refused, ignore_case=True)
            return _booleans(pc.or_(mapped, other))

        return _to_series(by_value(series, test), series.index)

    @_registered(["min_date", "max_date"])
    def stated_date(series: pd.Series, *, min_date: str, max_date: str) -> pd.Series:
        """A date in one of the stated forms, that exists, within the range."""

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            start = parse_dates(pd.Series(pd.arrays.ArrowStringArray(values)))["start"]
            ok = start.between(pd.Timestamp(min_date), pd.Timestamp(max_date))
            passed: np.ndarray[Any, Any] = ok.to_numpy(bool) | _booleans(_blank(values))
            return passed

        return _to_series(by_value(series, test), series.index)

    @_registered(["min_date", "max_date"])
    def stated_period(series: pd.Series, *, min_date: str, max_date: str) -> pd.Series:
        """A period whose ends parse, lie within the range, and do not run backwards."""

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            parsed = parse_periods(pd.Series(pd.arrays.ArrowStringArray(values)))
            low, high = pd.Timestamp(min_date), pd.Timestamp(max_date)
            end = parsed["end"].fillna(parsed["start"])
            ok = (
                parsed["ok"]
                & parsed["start"].between(low, high)
                & end.between(low, high)
                & (end >= parsed["start"])
            )
            passed: np.ndarray[Any, Any] = ok.to_numpy(bool) | _booleans(_blank(values))
            return passed

        return _to_series(by_value(series, test), series.index)

    _register.done = True  # type: ignore[attr-defined]


_register()


# --- what each check means, in words ----------------------------------------------------
# A failing value gets a message (what is wrong) and a fix (what to do), written here,
# beside the checks; ``ukreport validate`` looks them up by the check's name, and a
# test fails for a check a model uses that has no explanation.

Explainer = Callable[[str, dict[str, Any], str], tuple[str, str]]
"""(value, the check's statistics, column name) → (message, fix)."""
EXPLANATIONS: dict[str, Explainer] = {}

DATE_HINT = "write YYYY-MM-DD, 'Month YYYY' (e.g. October 2023), YYYY-MM or YYYY"
PERIOD_HINT = "write a date, START/END (e.g. 2022-07-22/2023-07-17), YYYY-YYYY or START-Present"
PATTERN_HINTS: dict[str, tuple[str, str]] = {
    DATE_PATTERN: ("is not a date in a known form", DATE_HINT),
    PERIOD_PATTERN: ("is not a date or period in a known form", PERIOD_HINT),
}
"""Pattern → (message, fix) for ``matches``; a module defining a pattern adds its own."""


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


# the checks registered above


_INVISIBLE_RE = re.compile(f"[{_BAD}]")
_NAMES = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}


def escape_invisible(text: str, *, keep: str = "", json_style: bool = False) -> str:
    """``text`` with every invisible character but those in ``keep`` written as its
    escape: Python's (``\\u3164``, ``\\U000e0041``), or JSON's (``\\udb40\\udc41``)."""

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        if char in keep:
            return char
        if json_style:
            return json.dumps(char)[1:-1]
        return char.encode("unicode_escape").decode()

    return _INVISIBLE_RE.sub(escape, text)


def show(value: object, limit: int = 60) -> str:
    """A cell value as it should appear in a message: quoted, escaped, shortened.

    ``repr`` escapes what Python deems unprintable; the invisible characters it would
    print as they are (Hangul fillers) are escaped too, so no message or report carries
    a character a reader cannot see, and none carries more than ``limit`` of a value.
    """
    text = str(value)
    shown = escape_invisible(repr(text[:limit]))
    if len(text) > limit:
        shown = shown[:-1] + f"…' ({len(text):,} characters)"
    return shown


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (marked ``…``), invisible characters escaped:
    for a name from the file that a message carries unquoted."""
    return escape_invisible(text[:limit]) + ("…" if len(text) > limit else "")


def character_name(char: str) -> str:
    """A character as a message names it: ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


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
    hidden = _INVISIBLE_RE.search(value)
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


@_explains("clean_items")
def _unclean_item(value: str, stats: dict[str, Any], column: str) -> tuple[str, str]:
    odd = re.search(f";[{_OTHER_SP}]", value)
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
