"""Custom pandera checks, registered once and used by name in the models (:mod:`.raw`).

Each check is vectorised with Arrow compute kernels (RE2 regular expressions), which is
what keeps a million-row table inside a second. A check's statistics are exported as
Table Schema constraints by :mod:`ukreport.tableschema`, so the rule lives in one place
(the patterns themselves in :mod:`.rules`). Blank cells pass every check here: whether
a column may be blank is the job of ``str_length`` (``required``) in the model.
"""

from __future__ import annotations

import datetime as dt
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
from ukreport.characters import INVISIBLE
from ukreport.dates import parse_dates, parse_periods
from ukreport.glyphs import DRAWABLE
from ukreport.schemas.rules import (
    LIST_SEPARATOR,
    UNDRAWABLE,
    UNSAFE_ITEMS,
    UNSAFE_TEXT,
    re2_pattern,
)
from ukreport.sources import denied_pattern

__all__: list[str] = []

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


def _undrawable_leads() -> np.ndarray[Any, Any]:
    """The first bytes, in UTF-8, of the characters ``UNDRAWABLE`` matches: counted for
    the two-byte characters, and every lead of three and four (most are undrawable)."""
    drawn = np.zeros(0x800, bool)
    for low, high in (*DRAWABLE, *INVISIBLE):
        drawn[min(low, 0x800) : min(high + 1, 0x800)] = True
    return _bytes(
        {chr(code).encode("utf-8")[0] for code in np.flatnonzero(~drawn)}, range(0xE0, 0x100)
    )


_UNDRAWABLE_LEADS = _undrawable_leads()
"""Only a cell holding one of these bytes can hold a character the fonts cannot draw:
ASCII text, and most Latin, Greek and Cyrillic, is not searched."""


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

    @_registered([])
    def drawable(series: pd.Series) -> pd.Series:
        """Every character is one the PDF's fonts and the figures' font draw."""
        values = arrow_strings(series)
        bad = np.zeros(len(values), bool)
        rows = np.flatnonzero(rows_with_bytes(values, _UNDRAWABLE_LEADS))
        if rows.size:
            found = pc.match_substring_regex(take_rows(values, rows), UNDRAWABLE)
            bad[rows] = _booleans(found)
        return _to_series(~bad, series.index)

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

    @_registered(["grace_days"])
    def not_future(series: pd.Series, *, grace_days: int) -> pd.Series:
        """A day that has come: no page was read tomorrow. ``grace_days`` allows for the
        time zones ahead of UTC, where the reader's day has already begun."""
        today = pd.Timestamp(dt.datetime.now(dt.UTC).date())

        def test(values: pa.ChunkedArray) -> np.ndarray[Any, Any]:
            start = parse_dates(pd.Series(pd.arrays.ArrowStringArray(values)))["start"]
            late = (start > today + pd.Timedelta(days=grace_days)).to_numpy(bool)
            passed: np.ndarray[Any, Any] = ~late
            return passed

        return _to_series(by_value(series, test), series.index)

    _register.done = True  # type: ignore[attr-defined]


_register()
