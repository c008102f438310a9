"""How a value from a file is shown in a message: quoted, escaped, shortened.

Shared by validation's messages and the review's diffs, so that no message or report
carries a character a reader cannot see.
"""

from __future__ import annotations

import json
import re
import unicodedata

from ukreport.characters import INVISIBLE_CLASS

__all__ = ["character_name", "clip", "escape_invisible", "show"]

INVISIBLE_RE = re.compile(f"[{INVISIBLE_CLASS}]")
"""Any character of :data:`ukreport.characters.INVISIBLE`."""


def escape_invisible(text: str, *, keep: str = "", json_style: bool = False) -> str:
    """``text`` with every invisible character but those in ``keep`` written as its
    escape: Python's (``\\u3164``, ``\\U000e0041``), or JSON's (``\\udb40\\udc41``)."""

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        if char in keep:
            return char
        if json_style:
            return json.dumps(char)[1:-1]
        return char.encode("unicode_escape").decode()

    return INVISIBLE_RE.sub(escape, text)


def show(value: object, limit: int = 60) -> str:
    """A cell value as it should appear in a message: quoted, escaped, shortened.

    ``repr`` escapes what Python deems unprintable; the invisible characters it would
    print as they are (Hangul fillers) are escaped too, so no message or report carries
    a character a reader cannot see, and none carries more than ``limit`` of a value.
    """
    text = str(value)
    shown = escape_invisible(repr(text[:limit]))
    if len(text) > limit:
        shown = shown[:-1] + f"…' ({len(text):,} characters)"
    return shown


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (marked ``…``), invisible characters escaped:
    for a name from the file that a message carries unquoted."""
    return escape_invisible(text[:limit]) + ("…" if len(text) > limit else "")


def character_name(char: str) -> str:
    """A character as a message names it: ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")
