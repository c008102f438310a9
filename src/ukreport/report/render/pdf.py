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
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typst

from ukreport.errors import RenderError
from ukreport.report.render.reflist import convert_keeping_list

if TYPE_CHECKING:  # the stub's name for typst's standards; the module has no such name
    from typst import PDFStandard

__all__ = ["PDF_STANDARDS", "compile_typst", "to_pdf", "to_typst"]

logger = logging.getLogger(__name__)

PDF_STANDARDS: tuple[PDFStandard, ...] = ("a-2a", "ua-1")
"""The standards every PDF conforms to (typst's names): PDF/A-2a and PDF/UA-1."""


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


def compile_typst(source: Path, *, root: Path, timestamp: int) -> bytes:
    """Compile Typst ``source`` to PDF bytes with built-in fonts only, conforming to
    :data:`PDF_STANDARDS`."""
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
) -> bytes:
    """Render the document ``tree`` to PDF bytes."""
    typ = to_typst(
        tree,
        metadata,
        assets,
        build_dir=build_dir,
        resource_path=resource_path,
        timeout=timeout,
        store=store,
    )
    pdf = compile_typst(typ, root=build_dir, timestamp=timestamp)
    logger.info("PDF rendered (%d bytes)", len(pdf))
    return pdf
