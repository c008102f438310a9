"""Wording shared by the alt texts: counts with the right plural, lists, year spans."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def year_span(dates: pd.Series) -> str:
    """``2014–2025``, or ``2022`` when every date falls in one year."""
    first, last = int(dates.min().year), int(dates.max().year)
    return str(first) if first == last else f"{first}–{last}"


_PLURALS = {"talks": "talks", "military": "military actions"}
_SINGULARS = {"military": "military action"}


def plural(n: int, word: str) -> str:
    """``3 calls``, ``1 talks``, ``2 military actions``."""
    if n == 1:
        return f"1 {_SINGULARS.get(word, word)}"
    return f"{n} {_PLURALS.get(word, word + 's')}"


def joined(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
