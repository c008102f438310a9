"""Column constructors: each kind of raw column (text, id, date, period, enumeration,
address) with the checks it always carries, so a model states only what is particular."""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from ukreport.dates import DATE_PATTERN, PERIOD_PATTERN
from ukreport.publishers import known_hosts
from ukreport.schemas.vocabulary import ID_PATTERN, MAX_DATE, MIN_DATE, URL_PATTERN
from ukreport.sources import denied_hosts

SHORT = 200
LONG = 2000


def _text(
    description: str, *, required: bool = True, max_length: int = SHORT, **checks: Any
) -> Any:
    """A text column: trimmed, no formula prefix, bounded length, every character one
    the PDF and the figures can draw, optionally required."""
    extra: dict[str, Any] = {"str_length": {"min_value": 1}} if required else {}
    return pa.Field(
        description=description,
        clean_text={"max_length": max_length},
        drawable={},
        metadata={"required": required},
        **extra,
        **checks,
    )


def _id(description: str) -> Any:
    return _text(description, unique=True, max_length=64, matches={"pattern": ID_PATTERN})


def _stated(description: str, check: str, pattern: str, max_length: int, required: bool) -> Any:
    """A date or period as its source states it, within the dataset's years."""
    return _text(
        description,
        required=required,
        max_length=max_length,
        **{check: {"min_date": MIN_DATE, "max_date": MAX_DATE}},
        matches={"pattern": pattern},
    )


def _date(description: str, *, required: bool = True) -> Any:
    return _stated(description, "stated_date", DATE_PATTERN, 20, required)


def _period(description: str, *, required: bool = True) -> Any:
    return _stated(description, "stated_period", PERIOD_PATTERN, 40, required)


def _enum(description: str, values: list[str]) -> Any:
    return _text(description, isin=values)


def _url(description: str, *, required: bool = True) -> Any:
    return _text(
        description,
        required=required,
        max_length=LONG,
        matches={"pattern": URL_PATTERN},
        allowed_host={"denied": denied_hosts()},
        mapped_host={"denied": denied_hosts(), "hosts": known_hosts()},
    )
