"""The pages the data cite, as a CSL-JSON bibliography: one entry per page.

Every row of the record cites the page it was read from (``source_url``, with its title,
kind and the day it was read), and a row the record corrects also cites the page that
holds the verified value. The data package ships them as ``references.json`` in CSL-JSON,
the format citation managers (Zotero, pandoc's citeproc) read, so the report cites its
sources with ``[@key]`` and a reader's own tools can import them; nothing in it is typed
by hand.

A key is the page's host and the first eight hex digits of the SHA-256 of its address
(``tass.com-3f2a1b9c``): readable, stable while the address is, and unique in practice
(a test checks the record has no clash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CSL_TYPES", "FILE", "bibliography", "dataset", "key"]

FILE = "references.json"
"""The bibliography's file name in the data package's folder."""

CSL_TYPES = {"news": "article-newspaper", "primary": "webpage", "reference": "entry-encyclopedia"}
"""The CSL item type of each ``source_kind``."""

_VERIFIED = "(verified value)"


def _host(url: str) -> str:
    """The host a reader knows: an absolute name's trailing dot (``gov.ua.``) dropped,
    which would otherwise end a citation key early (``[@gov.ua.-…]``)."""
    host = (urlsplit(url).hostname or "").rstrip(".").removeprefix("www.")
    return host or "source"


def key(url: str) -> str:
    """The citation key of the page at ``url``."""
    return f"{_host(url)}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def _cited(frames: Iterable[pd.DataFrame]) -> dict[str, dict[str, Any]]:
    """Each page cited by a row: its best title, kind and the last day it was read."""
    pages: dict[str, dict[str, Any]] = {}
    for frame in frames:
        verified = frame.get("verified_source_url")
        for index, url in frame["source_url"].items():
            seen = (url, frame.at[index, "source_title"], frame.at[index, "source_kind"])
            others = [] if verified is None else [verified.at[index]]
            accessed = frame.at[index, "accessed"]
            pages_of_row = [
                seen,
                *((o, _VERIFIED, None) for o in others if isinstance(o, str) and o),
            ]
            for page, title, kind in pages_of_row:
                entry = pages.setdefault(page, {"titles": [], "kinds": [], "accessed": accessed})
                if title != _VERIFIED:
                    entry["titles"].append(str(title))
                if kind:
                    entry["kinds"].append(str(kind))
                entry["accessed"] = max(entry["accessed"], accessed)
    return pages


def bibliography(frames: Mapping[str, pd.DataFrame], tables: Iterable[str]) -> list[dict[str, Any]]:
    """The CSL-JSON items for every page the ``tables`` of ``frames`` cite, by key.

    A page cited by several rows takes the first title a row gives it (a page cited only
    as the home of a verified value is titled by its address), the kind its rows give
    most often, and the last day one of them was read.
    """
    items = []
    for url, page in _cited(frames[table] for table in tables).items():
        kinds = page["kinds"]
        kind = max(sorted(set(kinds)), key=kinds.count) if kinds else "primary"
        day = page["accessed"]
        items.append(
            {
                "id": key(url),
                "type": CSL_TYPES.get(kind, "webpage"),
                "title": page["titles"][0] if page["titles"] else url,
                "container-title": _host(url),
                "URL": url,
                "accessed": {"date-parts": [[day.year, day.month, day.day]]},
            }
        )
    return sorted(items, key=lambda item: str(item["id"]))


def dataset(package: Mapping[str, Any], repository: str | None) -> dict[str, Any]:
    """The CSL-JSON item for the data package itself, which the report's provenance
    lines cite (its key is the package's name)."""
    item: dict[str, Any] = {
        "id": package["name"],
        "type": "dataset",
        "title": package["title"],
        "version": package["version"],
        "publisher": "ukreport",
    }
    if repository:
        item["URL"] = f"{repository}/tree/main/data/processed"
    return item
