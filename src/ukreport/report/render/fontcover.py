"""Which characters the PDF's and the figures' fonts draw: the table in :mod:`ukreport.glyphs`.

The PDF is set by typst with its built-in fonts only (Libertinus Serif, New Computer
Modern, DejaVu Sans Mono; system fonts are ignored), and refuses to write a PDF/A file
holding a character none of them draws. The figures are drawn by matplotlib in its own
DejaVu Sans, which draws a missing character as an empty box. Validation refuses such
characters in the data before either is tried; this module works out which they are.

A font's character map is only what it claims: typst's fallback does not reach every
font that has a character, and a mark may not combine with the letter before it. So
each candidate is set in a document, in every style the templates use, and kept only
when typst compiles it. ``python -m ukreport.report.render.fontcover`` rewrites the
table; a test regenerates it and fails when the committed one differs, so a new typst
or matplotlib cannot change what the fonts draw unnoticed.
"""

from __future__ import annotations

import io
import re
import struct
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import typst
from matplotlib import font_manager, ft2font

from ukreport._io import write_atomically
from ukreport.report.figures.style import FONT
from ukreport.report.render.pdf import PDF_STANDARDS, undrawn_texts

__all__ = ["TABLE", "figure_draws", "module_text", "pdf_draws", "ranges", "typst_fonts"]

TABLE = Path(__file__).resolve().parents[2] / "glyphs.py"
"""The generated table, :mod:`ukreport.glyphs`."""
NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Categories never offered as text: controls and format characters (which validation
refuses as invisible), surrogates, private use (a glyph whose meaning is the font's own)
and unassigned code points, however a font maps them."""
STYLES = (
    "text({})",
    'text(weight: "bold", {})',
    'text(style: "italic", {})',
    'text(weight: "bold", style: "italic", {})',
    'text(font: ("DejaVu Sans Mono",), {})',
)
"""How the templates set text: roman, bold, italic, both (headings, titles, labels), and
code in DejaVu Sans Mono, as ``raw`` sets it. Each style is its own document, because
typst says a failing text and font once, however many styles fail it."""
_HEAD = '#set document(title: "glyphs")\n#set text(font: ("Libertinus Serif",), lang: "en")\n'
_BATCH = 1000
"""Characters a document: a mark that breaks its letter halves only its own batch."""
_ERROR = re.compile(r"^error:", re.M)
_SFNT = re.compile(rb"(?:OTTO|\x00\x01\x00\x00|true)(?=..)", re.S)


def _sfnt_end(data: bytes, start: int) -> int | None:
    """Where the font starting at ``start`` ends, if ``start`` holds a font's table
    directory (printable tags, a ``cmap``, every table inside ``data``); else None."""
    (count,) = struct.unpack_from(">H", data, start + 4)
    if not 4 <= count <= 64 or start + 12 + 16 * count > len(data):
        return None
    end, tags = 0, set()
    for number in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * number)
        if not all(32 <= byte < 127 for byte in tag):
            return None
        tags.add(tag)
        end = max(end, offset + length)
    return start + end if b"cmap" in tags and start + end <= len(data) else None


def typst_fonts() -> list[ft2font.FT2Font]:
    """The fonts built into the installed typst, read from its library, where they are
    stored whole: every family typst itself lists must be among them."""
    library = next(Path(typst.__file__).parent.glob("_typst*"))
    data = library.read_bytes()
    found: dict[bytes, ft2font.FT2Font] = {}
    for match in _SFNT.finditer(data):
        end = _sfnt_end(data, match.start())
        if end is not None:
            font = data[match.start() : end]
            found.setdefault(font, ft2font.FT2Font(io.BytesIO(font)))
    families = {
        font.family_name.replace("NewComputerModern", "New Computer Modern")
        for font in found.values()
    }
    listed = set(typst.Fonts(include_system_fonts=False).families())
    missing = listed - families
    assert not missing, f"fonts typst lists but not found in {library.name}: {sorted(missing)}"
    return list(found.values())


def _candidates(fonts: Iterable[ft2font.FT2Font]) -> list[int]:
    """Every code point some font maps, that is text."""
    mapped: set[int] = set()
    for font in fonts:
        mapped |= set(font.get_charmap())
    return sorted(c for c in mapped if unicodedata.category(chr(c)) not in NOT_TEXT)


def _is_mark(code: int) -> bool:
    return unicodedata.category(chr(code)).startswith("M")


def _sample(code: int) -> str:
    """The character as a Typst string: a mark on a letter, as a cell would hold it."""
    return f'"{"a" if _is_mark(code) else ""}\\u{{{code:X}}}"'


def _failing(codes: list[int], style: str, folder: Path) -> set[int]:
    """Which of ``codes`` typst cannot set in ``style``, read off the texts its errors
    quote. A mark that breaks its letter is quoted with it; a letter failing alone
    sends the codes back in halves, to find the mark that broke it."""
    lines = [_HEAD, *("\n#" + style.format(_sample(code)) + "\n" for code in codes)]
    (folder / "glyphs.typ").write_text("".join(lines), encoding="utf-8")
    try:
        typst.compile(
            str(folder / "glyphs.typ"),
            root=str(folder),
            ignore_system_fonts=True,
            format="pdf",
            pdf_standards=list(PDF_STANDARDS),
        )
    except RuntimeError as exc:
        detail = getattr(exc, "diagnostic", "") or str(exc)
        texts = undrawn_texts(detail)
        assert len(texts) == len(_ERROR.findall(detail)), detail[:2000]
        failed = {ord(char) for text in texts for char in text} - {ord("a")}
        if "a" not in "".join(texts) or any(_is_mark(code) for code in failed):
            return failed
        if len(codes) == 1:
            return set(codes)
        half = len(codes) // 2
        return _failing(codes[:half], style, folder) | _failing(codes[half:], style, folder)
    return set()


def pdf_draws() -> set[int]:
    """The characters typst sets, with its built-in fonts, in every style."""
    codes = _candidates(typst_fonts())
    with tempfile.TemporaryDirectory() as folder:
        failed: set[int] = set()
        for style in STYLES:
            for at in range(0, len(codes), _BATCH):
                failed |= _failing(codes[at : at + _BATCH], style, Path(folder))
    return set(codes) - failed


def figure_draws() -> set[int]:
    """The characters the figures' font (matplotlib's own DejaVu Sans) maps."""
    path = font_manager.findfont(
        font_manager.FontProperties(family=FONT), fallback_to_default=False
    )
    return {
        c
        for c in ft2font.FT2Font(path).get_charmap()
        if unicodedata.category(chr(c)) not in NOT_TEXT
    }


def ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    """``codes`` as sorted, merged, inclusive ranges."""
    merged: list[tuple[int, int]] = []
    for code in sorted(set(codes)):
        if merged and merged[-1][1] == code - 1:
            merged[-1] = (merged[-1][0], code)
        else:
            merged.append((code, code))
    return merged


def _block(spans: list[tuple[int, int]]) -> Iterator[str]:
    """``spans`` as the lines of a string: ``0020-007E 00A0`` (a range, a character)."""
    words = [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in spans]
    yield from textwrap.wrap(" ".join(words), 88, break_on_hyphens=False)


def module_text() -> str:
    """The source of :mod:`ukreport.glyphs`, from the fonts installed now."""
    pdf, figures = pdf_draws(), figure_draws()
    tables = {
        "DRAWABLE": (pdf & figures, "What the PDF sets in every style and the figures draw."),
        "FIGURES_LACK": (pdf - figures, "What the PDF sets but the figures' font lacks."),
    }
    lines = [
        '"""Which characters the PDF\'s fonts and the figures\' font draw, as code point ranges.',
        "",
        "Generated by ``python -m ukreport.report.render.fontcover`` from the fonts built into",
        f"typst and matplotlib's {FONT}; do not edit: a test regenerates it and compares.",
        '"""',
        "",
        '__all__ = ["DRAWABLE", "FIGURES_LACK"]',
        "",
        "",
        "def _ranges(text: str) -> tuple[tuple[int, int], ...]:",
        '    """``0020-007E 00A0`` as ``((0x20, 0x7E), (0xA0, 0xA0))``."""',
        '    bounds = (word.partition("-") for word in text.split())',
        "    return tuple((int(a, 16), int(b or a, 16)) for a, _, b in bounds)",
        "",
        "",
    ]
    for name, (codes, doc) in tables.items():
        lines += [
            f"{name} = _ranges(  # {len(codes):,} characters",
            '    """',
            *(f"    {line}" for line in _block(ranges(codes))),
            '    """',
            ")",
            f'"""{doc}"""',
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    write_atomically(TABLE, module_text().encode("utf-8"))
