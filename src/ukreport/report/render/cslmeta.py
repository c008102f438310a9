"""The data's bibliography handed to citeproc as text, never as markup.

Pandoc's citeproc reads a CSL-JSON file's titles as CSL rich text: a page titled
``<b>x</b>`` or ``<i>…</i>`` would be printed bold or italic in the HTML, the PDF and
the DOCX, and CSL-JSON has no escape for a literal ``<``. The same items given as the
document's ``references`` metadata, each string a run of pandoc ``Str`` and ``Space``
nodes, are already-parsed text: pandoc writes them out escaped for each format, and
citeproc still applies the style (its title case, quotes and punctuation) to them.

Only quotation marks are read, as typography rather than markup: a pair of straight
quotes around words is a quotation (pandoc's ``Quoted``, which the style turns single
inside a title's double quotes), and any other ``'`` is an apostrophe (``’``), as
citeproc prints them from CSL-JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["inlines", "meta", "references"]

_PIECES = re.compile(r"\s+|\S+")
_QUOTED = re.compile(r"(?<![^\s(\[])([\"'])(?=\S)(.+?)(?<=\S)\1(?=$|[\s.,;:!?)\]])")
"""A quotation: a straight quote at the start, after a space or an opening bracket,
then words, then the same quote at the end or before a space or punctuation
(``leaders' talks`` holds an apostrophe, ``style="x"`` no quotation)."""
_KINDS = {'"': "DoubleQuote", "'": "SingleQuote"}
_PROSE = frozenset({"title", "container-title", "collection-title", "publisher", "note"})
"""The fields whose quotation marks are typography; an address, an id or a date is
kept character for character."""


def _words(text: str) -> list[dict[str, Any]]:
    """``text`` as ``Str`` and ``Space`` nodes, character for character."""
    return [
        {"t": "Space"} if piece.isspace() else {"t": "Str", "c": piece}
        for piece in _PIECES.findall(text)
    ]


def _plain(text: str) -> list[dict[str, Any]]:
    """``text`` without quotations, its apostrophes typeset."""
    return _words(text.replace("'", "\u2019"))


def inlines(text: str) -> list[dict[str, Any]]:
    """``text`` as pandoc inlines: its words as ``Str``, the spaces between as ``Space``,
    its quotations as ``Quoted``; never any other element."""
    flat = " ".join(text.split())
    out: list[dict[str, Any]] = []
    at = 0
    for found in _QUOTED.finditer(flat):
        out += _plain(flat[at : found.start()])
        quoted = {"t": "Quoted", "c": [{"t": _KINDS[found[1]]}, inlines(found[2])]}
        out.append(quoted)
        at = found.end()
    return out + _plain(flat[at:])


def meta(value: Any, field: str = "") -> dict[str, Any]:
    """A JSON value (of a CSL-JSON item's ``field``) as a pandoc metadata value whose
    text is text."""
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, Mapping):
        return {"t": "MetaMap", "c": {str(k): meta(v, str(k)) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [meta(v, field) for v in value]}
    text = " ".join(("" if value is None else str(value)).split())
    if field in _PROSE:
        return {"t": "MetaInlines", "c": inlines(text)}
    return {"t": "MetaInlines", "c": _words(text)}


def references(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """CSL-JSON ``items`` as the value of a document's ``references`` metadata."""
    return {"t": "MetaList", "c": [meta(item) for item in items]}
