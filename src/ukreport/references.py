"""The pages the data cite, as a CSL-JSON bibliography: one entry per page.

Every row of the record cites the page it was read from (``source_url``, with its title,
publication date, byline, language, kind and the day it was read), and a row the record
corrects also cites the page that holds the verified value; the publisher of each page
comes from the reviewed host table (:mod:`ukreport.publishers`). The data package ships
them as ``references.json`` in CSL-JSON, the format citation managers (Zotero, pandoc's
citeproc) read, so the report cites its sources with ``[@key]`` and a reader's own tools
can import them; nothing in it is typed by hand.

A key is the page's host and the first eight hex digits of the SHA-256 of its address
(``tass.com-3f2a1b9c``): readable, and stable while the address is. Eight digits are
not unique (two Reuters pages share ``reuters.com-29a09274``), so keys are made for
every cited page at once (:func:`keys`): pages that would share a key each get as many
more digits as tell them apart. The keys depend only on the set of addresses, never on
the order of the rows, and a page that shares its first digits with no other keeps the
short key it has always had.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ukreport.publishers import publisher_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CSL_TYPES", "FILE", "bibliography", "dataset", "key", "key_of", "keys", "page_keys"]

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


_DIGITS = 8
"""Hex digits of the address's SHA-256 in a key that no other page shares."""


def _keys(urls: Iterable[str], digits: int) -> dict[str, str]:
    """:func:`keys`, with ``digits`` hex digits where there is no clash."""
    hashes = {url: hashlib.sha256(url.encode("utf-8")).hexdigest() for url in set(urls)}
    clashes: dict[str, list[str]] = {}
    for url, digest in hashes.items():
        clashes.setdefault(f"{_host(url)}-{digest[:digits]}", []).append(url)
    out: dict[str, str] = {}
    for short, group in clashes.items():
        if len(group) == 1:
            out[group[0]] = short
            continue
        # The host is the same for the whole group (it is in the short key), and the
        # hex digits hold no "-": keys of different lengths or prefixes never meet.
        length = next(
            (n for n in range(digits + 1, 65) if len({hashes[u][:n] for u in group}) == len(group)),
            None,
        )
        if length is None:  # pragma: no cover - distinct addresses, one SHA-256
            raise ValueError(f"addresses with one SHA-256: {sorted(group)}")
        out |= {url: f"{_host(url)}-{hashes[url][:length]}" for url in group}
    return out


def keys(urls: Iterable[str]) -> dict[str, str]:
    """The citation key of each distinct address in ``urls``, all different: the host
    and eight hex digits of the address's SHA-256, or more for pages whose first eight
    (and host) are the same, as many as tell each of them from the others."""
    return _keys(urls, _DIGITS)


def key(url: str, among: Iterable[str] = ()) -> str:
    """The citation key of the page at ``url`` when the pages cited beside it are
    ``among`` (the key of a page alone, by default)."""
    return keys([url, *among])[url]


@functools.lru_cache(maxsize=4)
def page_keys(bibliography: bytes) -> Mapping[str, str]:
    """Each page's key in a CSL-JSON ``bibliography`` (``references.json``), by address
    (kept: the essay asks for a key per row it cites)."""
    return {
        str(item["URL"]): str(item["id"])
        for item in json.loads(bibliography)
        if item.get("type") != "dataset" and isinstance(item.get("URL"), str)
    }


def key_of(url: str, data_dir: Path | None = None) -> str:
    """The key of the page at ``url`` in the data package's bibliography (in
    ``data_dir``; by default the data the report reads).

    A page the bibliography lacks gets the key it would have beside the pages there,
    which is in no item: citing it stops the render, naming the key, rather than citing
    another page that shares its first digits.
    """
    from ukreport.datasets import data_path

    found = data_path(data_dir).joinpath(FILE)
    known = page_keys(found.read_bytes()) if found.is_file() else {}
    return known.get(url) or key(url, among=known)


_PAGE_COLUMNS = ("source_published", "source_author", "source_language")
"""What a row records about its own page, beside the title: each page gets the first
row's values (rows citing one page record the same)."""


def _cited(frames: Iterable[pd.DataFrame]) -> dict[str, dict[str, Any]]:
    """Each page cited by a row: its best title, kind, what its rows record about it and
    the last day it was read."""
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
                    for column in _PAGE_COLUMNS:
                        if column in frame:
                            entry.setdefault(column, frame.at[index, column])
                if kind:
                    entry["kinds"].append(str(kind))
                entry["accessed"] = max(entry["accessed"], accessed)
    return pages


def _issued(published: object) -> dict[str, Any] | None:
    """CSL date-parts at the precision the page states (``2025-02`` is February 2025)."""
    if not isinstance(published, str) or not published:
        return None
    return {"date-parts": [[int(part) for part in published.split("-")]]}


def _names(authors: object) -> list[dict[str, str]]:
    """CSL names of a byline: the last word is the family name (``Kateryna Hodunova``
    is cited as Hodunova)."""
    names = []
    for author in authors if isinstance(authors, list) else []:
        given, _, family = str(author).rpartition(" ")
        names.append({"family": family, "given": given} if given else {"literal": family})
    return names


def _page_item(url: str, ident: str, page: dict[str, Any]) -> dict[str, Any]:
    kinds = page["kinds"]
    kind = max(sorted(set(kinds)), key=kinds.count) if kinds else "primary"
    day = page["accessed"]
    found = publisher_of(url)
    item: dict[str, Any] = {
        "id": ident,
        "type": CSL_TYPES.get(kind, "webpage"),
        # The publication a page appeared in, or the site of the institution that
        # published it: Chicago then cites "(TASS 2025)" and "(President of Russia 2017)".
        "container-title": found.name if found else _host(url),
        "URL": url,
        "accessed": {"date-parts": [[day.year, day.month, day.day]]},
    }
    if page["titles"]:
        # A page cited only as the home of a verified value has no title a row gives;
        # it is cited by publisher and address ("Ukrinform. n.d. Accessed …"), never
        # by its address as a title, which citeproc would print title-cased.
        item["title"] = page["titles"][0]
    issued = _issued(page.get("source_published"))
    if issued:
        item["issued"] = issued
    authors = _names(page.get("source_author"))
    if authors:
        item["author"] = authors
    language = page.get("source_language")
    if isinstance(language, str) and language:
        item["language"] = language
    return item


def bibliography(frames: Mapping[str, pd.DataFrame], tables: Iterable[str]) -> list[dict[str, Any]]:
    """The CSL-JSON items for every page the ``tables`` of ``frames`` cite, by key.

    A page cited by several rows takes the first title a row gives it (a page cited only
    as the home of a verified value has none), the kind its rows give
    most often, and the last day one of them was read; its publisher comes from the
    reviewed host table, its date, byline and language from what its rows record.
    """
    pages = _cited(frames[table] for table in tables)
    named = keys(pages)
    items = [_page_item(url, named[url], page) for url, page in pages.items()]
    return sorted(items, key=lambda item: str(item["id"]))


def dataset(
    package: Mapping[str, Any],
    *,
    authors: Sequence[str] = (),
    issued: dt.date | None = None,
) -> dict[str, Any]:
    """The CSL-JSON item for the data package itself, which the report's provenance
    lines cite (its key is the package's name). It is dated by the last day the record
    was read, so it reads "(ukreport contributors 2026)" rather than by title with
    "n.d.", and the date moves only when the data do. Its address is the package's
    ``homepage``: the data at this version's release, not a branch that moves on."""
    item: dict[str, Any] = {
        "id": package["name"],
        "type": "dataset",
        "title": package["title"],
        "version": package["version"],
        "publisher": "ukreport",
    }
    if authors:
        item["author"] = [{"literal": name} for name in authors]
    if issued is not None:
        item["issued"] = {"date-parts": [[issued.year, issued.month, issued.day]]}
    if package.get("homepage"):
        item["URL"] = package["homepage"]
    return item
