"""Reading a PDF as a reader's viewer would: its text, and whether its fonts travel with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

FONT_FILES = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})


def pdf_text(reader: PdfReader) -> str:
    """The extracted text of every page, one page after another."""
    return "\n".join(page.extract_text() for page in reader.pages)


@dataclass(frozen=True)
class Font:
    page: int
    """The number of the page that uses the font, from 1."""
    name: str
    embedded: bool
    """Whether the font program is in the file."""


def fonts(reader: PdfReader) -> list[Font]:
    """Every font each page uses, and each part of a composite font, directly or in the
    forms (e.g. SVG figures) it draws. Type 3 fonts are left out: the PDF draws their
    glyphs itself, so they need no font program."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        for font in _fonts(page.get("/Resources"), set()):
            if font.get("/Subtype") == "/Type3":
                continue
            parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                embedded = descriptor is not None and bool(
                    FONT_FILES & set(descriptor.get_object())
                )
                found.append(Font(number, str(part.get("/BaseFont")), embedded))
    return found


def _fonts(resources: Any, seen: set[int]) -> Iterator[Any]:
    """Every font of a resource dictionary and of the forms it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for reference in (resources.get("/XObject") or {}).values():
        key = getattr(reference, "idnum", None)
        if key in seen:
            continue
        if key is not None:
            seen.add(key)
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)
