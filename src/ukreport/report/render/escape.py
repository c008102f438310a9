"""Turn data into Markdown that pandoc reads literally: data is text, never markup.

These helpers run inside the Jupyter kernel that executes the essay. IPython is
imported where a display object is made, so the renderer, which imports this package
but runs no cell, does not load it.
"""

from __future__ import annotations

import math
import re
import string
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is read: the renderer needs none
    import pandas as pd
    from IPython.display import Markdown

__all__ = ["Linked", "Marked", "escape", "inline_value", "markdown_table"]

_PUNCTUATION = frozenset(string.punctuation)
_WHITESPACE = re.compile(r"\s+")
_MAX_DASHES = 30
_MAX_WORD = 24


def escape(text: object) -> str:
    """Return ``text`` as pandoc Markdown that renders to exactly that text.

    Every ASCII punctuation character is backslash-escaped (pandoc's
    ``all_symbols_escapable``), so no character can start emphasis, a link, raw HTML,
    a cross-reference, maths or a table cell boundary. Runs of whitespace, newlines
    included, become one space: a line break in data must not end a table row or a
    paragraph.
    """
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in flat)


_HREF = re.compile(r"[a-z][a-z0-9-]*\.html#[A-Za-z0-9][A-Za-z0-9._-]*")
"""A link a cell may hold: to a row of a page beside the essay (``record.html#<id>``),
by an id the schemas restrict to a slug."""


def _link(text: str, href: str | None) -> str:
    if href is None:
        return text
    if not _HREF.fullmatch(href):
        raise ValueError(f"a cell links only to a row of a page beside it, not {href!r}")
    return f"[{text}]({href})"


class Marked:
    """A table cell shown with a class, e.g. ``Marked("2014-Present", "disputed")``, and
    optionally an anchor (``anchor="claim-x"``) that links and JSON-LD can point to, and
    a link to the row's own page (``href="record.html#row-id"``).

    The text is still escaped; only the span around it is markup, and its class and
    anchor are lower-case slugs (a class the caller chooses; an anchor made from an id
    the schemas restrict to a slug), checked here, as the link is.
    """

    def __init__(
        self,
        text: object,
        mark: str = "disputed",
        *,
        anchor: str | None = None,
        href: str | None = None,
    ) -> None:
        if not re.fullmatch(r"[a-z][a-z-]*", mark):
            raise ValueError(f"mark must be a lower-case class name, not {mark!r}")
        if anchor is not None and not re.fullmatch(r"[a-z][a-z0-9-]*", anchor):
            raise ValueError(f"anchor must be a lower-case slug, not {anchor!r}")
        _link("", href)
        self.text = text
        self.mark = mark
        self.anchor = anchor
        self.href = href

    def __str__(self) -> str:
        return str(self.text)

    def markdown(self) -> str:
        anchor = f"#{self.anchor} " if self.anchor else ""
        text = _link(escape(_cell_text(self.text)), self.href)
        return f"[{text}]{{{anchor}.{self.mark}}}"


class Linked:
    """A table cell of several texts, each linking to a row of a page beside the essay
    (``[("12 February 2025", "record.html#2025-02-12-…"), …]``), joined by ``"; "``; a
    text without a link (``None``) is plain. Every text is escaped, every link checked."""

    def __init__(self, parts: list[tuple[object, str | None]], empty: str = "") -> None:
        for _, href in parts:
            _link("", href)
        self.parts = parts
        self.empty = empty

    def __str__(self) -> str:
        return "; ".join(str(text) for text, _ in self.parts) or self.empty

    def markdown(self) -> str:
        if not self.parts:
            return escape(self.empty)
        return "; ".join(_link(escape(_cell_text(text)), href) for text, href in self.parts)


def _cell_markdown(value: object) -> str:
    if isinstance(value, Marked | Linked):
        return value.markdown()
    return escape(_cell_text(value))


def _cell_text(value: object) -> str:
    """Format one table value; missing values become empty cells."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    pandas = sys.modules.get("pandas")  # a pandas value implies pandas is loaded
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return ""
    return str(value)


def pipe_table(
    header: list[str],
    rows: list[list[object]],
    caption: str | None = None,
    numeric: list[bool] | None = None,
) -> str:
    """Build an escaped pandoc pipe table; dashes in the rule set relative column widths.

    ``numeric`` marks columns to right-align. Pandoc uses the dashes only when a row is
    wider than its ``--columns``; then wide text columns get the room, not the numbers.
    """
    right = numeric or [False] * len(header)
    head = [escape(h) for h in header]
    body = [[_cell_markdown(v) for v in row] for row in rows]
    lines = ["| " + " | ".join(head) + " |"]
    rule = []
    for i in range(len(head)):
        texts = [header[i], *(_cell_text(row[i]) for row in rows)]
        longest = max(len(t) for t in texts)
        word = max((len(w) for t in texts for w in t.split()), default=1)
        # room for the longest word (capped: URLs may wrap), more for long text
        width = max(min(word, _MAX_WORD) + 2, min(longest, _MAX_DASHES))
        dashes = "-" * max(3, width)
        rule.append(dashes + ":" if right[i] else dashes)
    lines.append("|" + "|".join(rule) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in body)
    text = "\n".join(lines) + "\n"
    if caption:
        text += f"\n: {caption}\n"
    return text


def _markdown(text: str) -> Markdown:
    """IPython's Markdown display object (untyped upstream)."""
    from IPython.display import Markdown

    return Markdown(text)  # type: ignore[no-untyped-call]


def markdown_table(
    df: pd.DataFrame, caption: str | None = None, *, index: bool = False
) -> Markdown:
    """Display ``df`` as a pandoc pipe table whose every cell is literal text.

    Use this, not ``df`` itself, in the essay: a DataFrame's HTML repr would not reach
    the PDF, and raw HTML from data is exactly what must never reach the page.
    ``caption`` is the author's Markdown (not escaped); a cell's ``tbl-cap`` wins over it.
    """
    frame = df.reset_index() if index else df
    header = [str(c) for c in frame.columns]
    rows = [list(r) for r in frame.itertuples(index=False, name=None)]
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    numeric = [bool(is_numeric_dtype(dtype) and not is_bool_dtype(dtype)) for dtype in frame.dtypes]
    return _markdown(pipe_table(header, rows, caption, numeric))


def inline_value(value: Any) -> None:
    """Display the value of an inline `{python} expr` as escaped Markdown.

    A ``Markdown`` object (e.g. from :func:`markdown_table`) is trusted and passed
    through; anything else is converted with ``str`` and escaped.
    """
    from IPython.display import Markdown, display

    text = value.data if isinstance(value, Markdown) else escape(value)
    display({"text/markdown": text}, raw=True)  # type: ignore[no-untyped-call]
