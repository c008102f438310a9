"""Which characters are white space and which are invisible, as code point ranges.

The ground the text rules (:mod:`ukreport.schemas.rules`) and the display helpers
(:mod:`ukreport.display`) stand on: a cell may not start or end with a space of any
kind nor hold an invisible character, and no message may show one unescaped.
"""

from __future__ import annotations

__all__ = ["INVISIBLE", "INVISIBLE_CLASS", "SPACES", "SPACE_CLASS", "char_class"]

SPACES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
"""Every character Unicode counts as white space (Python's ``str.isspace``), as code
point ranges: a no-break space or an em space at a cell's edge is edge whitespace as
much as a space is. Written out, not computed, so the published patterns do not change
with the Python version's Unicode tables."""
INVISIBLE: tuple[tuple[int, int], ...] = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x115F, 0x1160),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
"""Characters no cell may hold anywhere: control characters (C0, DEL, C1), line and
paragraph separators, every format character (Unicode category Cf: zero-width spaces
and joiners, the byte-order mark, soft hyphen, and the bidirectional embeddings,
overrides, isolates and marks that reverse how text around them is shown — a URL
ending ``gnp.exe`` shown as ``exe.png``) and the Hangul fillers, which draw as blanks."""


def _char(code: int, *, escaped: bool) -> str:
    """One code point in a character class: ``\\xhh`` (which both RE2 and Python read),
    else the character itself, or Python's ``\\u``/``\\U`` escape for a published pattern."""
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if not escaped:
        return chr(code)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def char_class(ranges: tuple[tuple[int, int], ...], *, escaped: bool = False) -> str:
    """The inside of a ``[...]`` class holding ``ranges``."""
    return "".join(
        _char(low, escaped=escaped)
        if low == high
        else f"{_char(low, escaped=escaped)}-{_char(high, escaped=escaped)}"
        for low, high in ranges
    )


SPACE_CLASS, INVISIBLE_CLASS = char_class(SPACES), char_class(INVISIBLE)
"""The insides of ``[...]`` classes of :data:`SPACES` and of :data:`INVISIBLE`, read
alike by RE2 and Python's ``re``."""
