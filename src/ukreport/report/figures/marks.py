"""Names for the marks that stand for events: a title on each, and a link to its row.

A reader of the HTML, which inlines the SVG, hovers a bar or a marker and reads what
it stands for; a screen reader reads the same title as the mark's name; a marker for
one event is a link to that event's row in the record. Matplotlib writes neither a
title nor a link without a target window, so the drawing names each mark here
(:func:`name`) and :func:`apply` writes the names into the SVG it saves.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

__all__ = ["apply", "name", "names"]

_NAMES: WeakKeyDictionary[Figure, dict[str, tuple[str, str | None]]] = WeakKeyDictionary()
_HREF = re.compile(r"[a-z][a-z0-9-]*\.html#[A-Za-z0-9][A-Za-z0-9._-]*")


def name(fig: Figure, artist: Artist, title: str, href: str | None = None) -> None:
    """Give ``artist`` (a bar, or a line of one marker) a ``title`` and, for one event,
    a link ``href`` to its row (``record.html#<id>``)."""
    marks = _NAMES.setdefault(fig, {})
    gid = f"mark-{len(marks) + 1}"
    if href is not None:
        if not _HREF.fullmatch(href):
            raise ValueError(f"a mark links only to a row of a page beside it, not {href!r}")
        artist.set_url(href)
    artist.set_gid(gid)
    marks[gid] = (title, href)


def names(fig: Figure) -> dict[str, tuple[str, str | None]]:
    """The marks named on ``fig``: id → (title, link or ``None``)."""
    return dict(_NAMES.get(fig, {}))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def apply(fig: Figure, svg: bytes) -> bytes:
    """``svg`` (as matplotlib saved ``fig``) with each named mark's title as its first
    child, or, for a link, as the link's first child (its name) with no target window
    (the row opens where the reader is)."""
    text = svg.decode("utf-8")
    for gid, (title, href) in names(fig).items():
        opening = f'<g id="{gid}">'
        if text.count(opening) != 1:
            raise ValueError(f"mark {gid} is not in the SVG once")
        named = f"<title>{_xml(title)}</title>"
        if href is None:
            text = text.replace(opening, f"{opening}\n{named}")
            continue
        link = f'<a xlink:href="{href}" target="_blank">'
        if link not in text:
            raise ValueError(f"mark {gid}'s link {href} is not in the SVG")
        text = text.replace(link, f'<a xlink:href="{href}">{named}')
    return text.encode("utf-8")
