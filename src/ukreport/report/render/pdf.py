"""Markdown → Typst markup (pandoc) → PDF (the ``typst`` wheel), reproducibly.

Typst is given only its built-in fonts and a fixed creation time, so the same input
gives the same bytes on every machine. Images are copied under the Typst root by
pandoc's ``--extract-media`` because Typst cannot read files outside its root.

The PDF is archival and accessible at once: PDF/A-2a (PDF/A-2b's embedded fonts,
colour profile and XMP conformance claim, plus a tagged logical structure and Unicode
text) and PDF/UA-1 (that structure made usable by assistive technology: alt text on
every image and equation, the title shown, the language set). Typst checks both while
it writes and refuses a document that breaks either, so a conforming PDF is the only
kind the build can produce.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typst

from ukreport.display import character_name
from ukreport.errors import RenderError
from ukreport.glyphs import DRAWABLE
from ukreport.report.render.reflist import convert_keeping_list

if TYPE_CHECKING:  # the stub's name for typst's standards; the module has no such name
    from typst import PDFStandard

__all__ = ["PDF_STANDARDS", "compile_typst", "to_pdf", "to_typst", "undrawn_texts"]

logger = logging.getLogger(__name__)

PDF_STANDARDS: tuple[PDFStandard, ...] = ("a-2a", "ua-1")
"""The standards every PDF conforms to (typst's names): PDF/A-2a and PDF/UA-1."""
_UNDRAWN = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def undrawn_texts(diagnostic: str) -> list[str]:
    """The texts typst's errors say no font could display, unquoted (typst writes them
    with Rust's escapes: ``"\\u{4e2d}"``)."""

    def unescape(found: re.Match[str]) -> str:
        if found[1]:
            return chr(int(found[1], 16))
        return _ESCAPES.get(found[2], found[2])

    return [_ESCAPE.sub(unescape, text) for text in _UNDRAWN.findall(diagnostic)]


def _undrawable(chars: str) -> list[str]:
    """The characters of ``chars`` outside :data:`ukreport.glyphs.DRAWABLE`, once each."""
    return [
        char
        for char in dict.fromkeys(chars)
        if not any(low <= ord(char) <= high for low, high in DRAWABLE)
    ]


def _first_place(char: str, lines: list[str]) -> tuple[int, int] | None:
    """Line and character (1-based) where ``char`` first appears in ``lines``."""
    for number, line in enumerate(lines, start=1):
        if char in line:
            return number, line.index(char) + 1
    return None


def _glyph_error(source: Path, origin: Path | None, texts: list[str]) -> RenderError:
    """The error for characters no font draws: each named, and found in ``origin``
    (the document's source) where it is written there."""
    chars = _undrawable("".join(texts)) or list(dict.fromkeys("".join(texts)))
    lines = origin.read_text(encoding="utf-8").splitlines() if origin else []
    found = {char: _first_place(char, lines) for char in chars}
    named = [
        character_name(char) + (f" at line {at[0]}, character {at[1]}" if at else "")
        for char, at in found.items()
    ]
    first = min((at[0] for at in found.values() if at), default=None)
    it = "them" if len(chars) > 1 else "it"
    fix = (
        f"write {it} in Latin, Greek or Cyrillic letters in {origin.name}, or drop {it}"
        if origin and first is not None
        else "it comes from a cell's output or the data: run `ukreport validate` on the "
        "data, and check what the cells print"
    )
    return RenderError(
        origin if origin and first is not None else source,
        first,
        f"the PDF's fonts cannot draw {'; '.join(named)} — {fix} "
        "(src/ukreport/glyphs.py lists the characters they draw)",
    )


def to_typst(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    timeout: float | None = None,
    store: Path | None = None,
) -> Path:
    """Write the Typst source for the document ``tree`` into ``build_dir``; return its
    path. The written reference list is kept in ``store`` (:mod:`.reflist`)."""
    return convert_keeping_list(
        tree,
        metadata,
        assets,
        to="typst-citations",  # citeproc has formatted them; typst must not cite again
        template="template.typst",
        out=build_dir / "document.typ",
        resource_path=resource_path,
        options=("--extract-media=media",),
        timeout=timeout,
        store=store,
    )


def compile_typst(source: Path, *, root: Path, timestamp: int, origin: Path | None = None) -> bytes:
    """Compile Typst ``source`` to PDF bytes with built-in fonts only, conforming to
    :data:`PDF_STANDARDS`. A character no font draws is looked for in ``origin``, the
    document ``source`` was made from, so the error names where it is written."""
    when = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pdf = typst.compile(
                str(source),
                root=str(root),
                ignore_system_fonts=True,
                timestamp=when,
                format="pdf",
                pdf_standards=list(PDF_STANDARDS),
            )
        for warning in caught:
            logger.warning("typst: %s", warning.message)
    except RuntimeError as exc:  # typst.TypstError subclasses RuntimeError
        detail = getattr(exc, "diagnostic", "") or str(exc)
        texts = undrawn_texts(detail)
        if texts:
            raise _glyph_error(source, origin, texts) from exc
        if "PDF/A" in detail or "PDF/UA" in detail:
            detail += (
                "\nThe PDF must conform to PDF/A-2a and PDF/UA-1: give every figure alt text"
                " (the cell option fig-alt, or alt in the display metadata) and every image"
                " an alt attribute."
            )
        raise RenderError(source, None, f"typst could not compile the PDF: {detail}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError(source, None, "typst returned no PDF")
    return pdf


def to_pdf(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    timestamp: int,
    timeout: float | None = None,
    store: Path | None = None,
    source: Path | None = None,
) -> bytes:
    """Render the document ``tree`` (made from ``source``) to PDF bytes."""
    typ = to_typst(
        tree,
        metadata,
        assets,
        build_dir=build_dir,
        resource_path=resource_path,
        timeout=timeout,
        store=store,
    )
    pdf = compile_typst(typ, root=build_dir, timestamp=timestamp, origin=source)
    logger.info("PDF rendered (%d bytes)", len(pdf))
    return pdf
