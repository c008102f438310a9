"""Custom pandera checks, registered once and used by name in ``schemas.py``.

Each check is vectorised with Arrow compute kernels (RE2 regular expressions), which is
what keeps a million-row table inside a second. A check's statistics are exported as
Frictionless constraints by ``frictionless.py``, so the rule lives in one place.
Blank cells pass every check here: whether a column may be blank is the job of
``str_length`` (``required``) in the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandera.api.extensions import register_check_method

from ukreport.dates import arrow_strings, parse_dates, parse_periods
from ukreport.sources import denied_pattern

UNSAFE_TEXT = r"^[=+\-@\s]|\s$|[\x00-\x1f\x7f]"
"""Leading formula characters (``= + - @``, tab, CR), edge whitespace or control
characters: what a spreadsheet would run, or what hides in a cell unseen."""
LIST_SEPARATOR = "; "

_Check = TypeVar("_Check", bound=Callable[..., pd.Series])


def _registered(statistics: list[str]) -> Callable[[_Check], _Check]:
    """``register_check_method``, typed."""
    return cast(Callable[[_Check], _Check], register_check_method(statistics=statistics))


def _blank(values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.equal(pc.binary_length(values), 0)


def _to_series(mask: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(mask.to_numpy(zero_copy_only=False), index=index, dtype=bool)


def _register() -> None:
    """Register the checks with pandera; idempotent so re-imports are harmless."""
    if getattr(_register, "done", False):
        return

    @_registered(["max_length"])
    def clean_text(series: pd.Series, *, max_length: int) -> pd.Series:
        """Plain single-line text: no formula prefix, edge whitespace or control chars."""
        values = arrow_strings(series)
        bad = pc.match_substring_regex(values, UNSAFE_TEXT)
        too_long = pc.greater(pc.utf8_length(values), max_length)
        return _to_series(pc.invert(pc.or_(bad, too_long)), series.index)

    @_registered(["pattern"])
    def matches(series: pd.Series, *, pattern: str) -> pd.Series:
        """The whole cell matches ``pattern`` (blank cells pass)."""
        values = arrow_strings(series)
        ok = pc.match_substring_regex(values, f"^(?:{pattern})$")
        return _to_series(pc.or_(ok, _blank(values)), series.index)

    @_registered(["allowed_values"])
    def list_isin(series: pd.Series, *, allowed_values: list[str]) -> pd.Series:
        """Every item of a ``; ``-separated list is one of ``allowed_values``."""
        values = arrow_strings(series)
        items = pc.split_pattern(values, LIST_SEPARATOR)
        flat = pc.list_flatten(items)
        known = pc.is_in(flat, value_set=pa.array(allowed_values))
        parents = pc.list_parent_indices(items)
        bad_rows = pc.unique(pc.filter(parents, pc.invert(known)))
        ok = pd.Series(True, index=series.index)
        ok.iloc[bad_rows.to_numpy()] = False
        return ok

    @_registered(["allowed_values"])
    def list_includes_any(series: pd.Series, *, allowed_values: list[str]) -> pd.Series:
        """A ``; ``-separated list names at least one of ``allowed_values``."""
        values = arrow_strings(series)
        pattern = "(?:^|; )(?:" + "|".join(allowed_values) + ")(?:;|$)"
        return _to_series(pc.match_substring_regex(values, pattern), series.index)

    @_registered(["denied"])
    def allowed_host(series: pd.Series, *, denied: list[str]) -> pd.Series:
        """The address is not on a host of the reviewed deny-list (nor below one)."""
        values = arrow_strings(series)
        bad = pc.match_substring_regex(values, denied_pattern(denied), ignore_case=True)
        return _to_series(pc.invert(bad), series.index)

    @_registered(["min_date", "max_date"])
    def stated_date(series: pd.Series, *, min_date: str, max_date: str) -> pd.Series:
        """A date in one of the stated forms, that exists, within the range."""
        parsed = parse_dates(series)
        ok = parsed["start"].between(pd.Timestamp(min_date), pd.Timestamp(max_date))
        return ok | (series.str.len() == 0).to_numpy(bool)

    @_registered(["min_date", "max_date"])
    def stated_period(series: pd.Series, *, min_date: str, max_date: str) -> pd.Series:
        """A period whose ends parse, lie within the range, and do not run backwards."""
        parsed = parse_periods(series)
        low, high = pd.Timestamp(min_date), pd.Timestamp(max_date)
        end = parsed["end"].fillna(parsed["start"])
        ok = (
            parsed["ok"]
            & parsed["start"].between(low, high)
            & end.between(low, high)
            & (end >= parsed["start"])
        )
        return ok | (series.str.len() == 0).to_numpy(bool)

    _register.done = True  # type: ignore[attr-defined]


_register()
