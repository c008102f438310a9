"""A cell of the data diff as a reviewer reads it: quoted for a terminal, a code span or
a link in Markdown, cut around the change when long — except a web address, which is
never cut: a reviewer must be able to open the page that confirms the row.
"""

from __future__ import annotations

import json
import re

from ukreport.characters import INVISIBLE_CLASS
from ukreport.review.diff import CellChange, Source, TableDiff
from ukreport.review.revisions import Side

WEB_ADDRESS = re.compile(r"https?://[^\s/$.?#][^\s]*")
"""A value shown as a link, whole (the pattern the schemas hold ``source_url`` to)."""


def is_web_address(value: str) -> bool:
    """Whether ``value`` is an ``http(s)`` address and nothing else."""
    return WEB_ADDRESS.fullmatch(value) is not None


def _common_ends(before: str, after: str) -> tuple[int, int]:
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def excerpts(before: str, after: str, width: int) -> tuple[str, str]:
    """Both values whole when they fit ``width`` or are web addresses; else each cut
    around where they differ."""
    if (len(before) <= width and len(after) <= width) or (
        is_web_address(before) and is_web_address(after)
    ):
        return before, after
    prefix, suffix = _common_ends(before, after)
    context = max(width // 4, 1)
    start = max(0, prefix - context)

    def cut(value: str) -> str:
        if is_web_address(value):
            return value
        stop = min(len(value), max(len(value) - suffix, prefix) + context, start + width)
        return ("…" if start else "") + value[start:stop] + ("…" if stop < len(value) else "")

    return cut(before), cut(after)


def shorten(value: str, width: int) -> str:
    """``value``, cut to ``width`` characters with an ellipsis when longer; a web address
    whole."""
    if len(value) <= width or is_web_address(value):
        return value
    return value[: width - 1] + "…"


def text_value(value: str | None) -> str:
    """A value for the terminal: quoted as JSON quotes it, or ``(no column)``."""
    return "(no column)" if value is None else json.dumps(value, ensure_ascii=False)


def text_source(source: Source) -> str:
    """``source: "Title" <https://…>``: the page a row cites, whole, for the terminal."""
    return f"source: {text_value(source.title)} <{source.url}>"


def pair(change: CellChange, width: int) -> tuple[str | None, str | None]:
    """A changed cell's two values as shown: whole, or cut around the change."""
    before, after = change.before, change.after
    if before is not None and after is not None:
        return excerpts(before, after, width)
    return (
        None if before is None else shorten(before, width),
        None if after is None else shorten(after, width),
    )


def table_note(diff: TableDiff, base: Side, head: Side) -> str | None:
    """What a table missing on one side means for its rows."""
    if diff.base_missing:
        return f"{diff.file} is missing at {base.name}: every row counts as added"
    if diff.head_missing:
        return f"{diff.file} is missing at {head.name}: every row counts as removed"
    return None


def code_span(value: str) -> str:
    """``value`` as a Markdown code span that survives a table cell.

    The fence is one backtick longer than the longest run of backticks inside (the
    CommonMark way to put a backtick in a code span); pipes are escaped, which GitHub
    honours even inside code spans in tables; line breaks become ``↵``, and invisible or
    direction-changing characters their escapes (``\\u202e``), before the report's
    length is counted.
    """
    from ukreport.display import escape_invisible

    value = value.replace("\r\n", "\n").replace("\n", "↵").replace("|", "\\|")
    value = escape_invisible(value)
    longest = run = 0
    for char in value:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


_MARKUP = re.compile(r"([\\`*_\[\]<>|!&~#$])")
"""What could start markup in text (a link, emphasis, an entity, math, a table cell)."""


_UNSAFE_IN_ADDRESS = re.compile(r"[\s<>|\\`\x00-\x1f\x7f" + INVISIBLE_CLASS + "]")
"""What would end an address in a link early, or hide in it: percent-encoded."""


def md_text(value: str) -> str:
    """``value`` as literal Markdown text, safe in a table cell and a link's text: what
    could start markup escaped with a backslash, line breaks as ``↵``, invisible
    characters as their escapes."""
    from ukreport.display import escape_invisible

    value = value.replace("\r\n", "\n").replace("\n", "↵")
    return _MARKUP.sub(r"\\\1", escape_invisible(value))


def md_link(url: str, text: str | None = None) -> str:
    """A link to ``url`` whose text is ``text`` (the address itself by default), whole.

    The address goes between ``<`` and ``>`` with what could end it early (space, ``<``,
    ``>``, a pipe that would split a table cell, a backslash) percent-encoded, which
    names the same page, and so is any invisible character, which a reader could not
    see in the address.
    """
    target = _UNSAFE_IN_ADDRESS.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    return f"[{md_text(url if text is None else text)}](<{target}>)"


def md_page(source: Source) -> str:
    """``[Title](<https://…>)``; the address as the text when the title is blank."""
    return md_link(source.url, source.title or None)


def md_source(source: Source) -> str:
    """``source: [Title](<https://…>)``: the page a row cites, whole, for Markdown."""
    return f"source: {md_page(source)}"


def md_value(value: str | None, width: int | None = None) -> str:
    """A cell for Markdown: a web address as a link, whole; other text as a code span
    (cut to ``width`` when given); blanks and absent columns said in words."""
    if value is None:
        return "*(no column)*"
    if value == "":
        return "*(blank)*"
    if is_web_address(value):
        return md_link(value)
    return code_span(value if width is None else shorten(value, width))
