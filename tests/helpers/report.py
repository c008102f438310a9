"""The report built end to end, as a reader gets it: raw data → processed → figures →
``essay.html`` and ``essay.pdf``, on the real ``reports/essay.qmd``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock
from lxml.html import HtmlElement
from pypdf import PdfReader

from helpers.essay import NOTE_TITLE, TABLE_DATA
from helpers.html import blocks_after, parse_html, text_of
from helpers.paths import ESSAY
from helpers.pdf import pdf_text
from helpers.text import flat
from ukreport import datasets, schemas
from ukreport.process import process
from ukreport.report.figures import build_figures
from ukreport.report.render import render
from ukreport.report.render.freeze import CACHE_DIR

TRUMP_ROW = "2023-10-trump-putin-talks-essay"
"""The essay's disputed row that the hostile report writes markup into."""
HOSTILE_THEME = (
    "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1)) #set page(width: 1cm) $x$"
    " </script><!-- & \\"
)
"""Markup for every output; its ``</script>`` and ``<!--`` would end or hide the page's
JSON-LD if the claim that quotes it were not escaped there."""
HOSTILE_NOTE = "<script>alert(1)</script> @fig-timeline `code`"
HOSTILE_TITLE = (
    "Talks <b>bold</b> <i>italic</i> <sup>2</sup> &amp; *stars* __under__ $x$"
    " #set text(red) \\textbf{tex} [link](https://evil.example)"
)
"""The title of the hostile row's page: markup for CSL, HTML, Markdown, Typst, LaTeX."""
CLASHING = (
    "https://www.reuters.com/world/europe/ukraine-talks-26973/",
    "https://www.reuters.com/world/europe/ukraine-talks-35259/",
)
"""Two pages whose keys share their first eight hex digits: the hostile report's Trump
row cites the first, :data:`BIDEN_ROW` the second."""
BIDEN_ROW = "2023-09-biden-support-for-ukraine-essay"


@dataclass
class Report:
    html_source: str
    dom: HtmlElement
    """The ``<html>`` element."""
    main: HtmlElement
    pdf: PdfReader
    pdf_text: str
    """The text of every page, whitespace collapsed."""
    frames: dict[str, pd.DataFrame]
    """Every table, loaded from the processed data the report was built from."""
    processed: Path
    figures: Path

    @property
    def frozen(self) -> Path:
        """The essay's frozen cell outputs from this build (see :func:`build_report`)."""
        return self.processed.parent / CACHE_DIR

    @property
    def html_path(self) -> Path:
        """The built ``essay.html`` (beside the processed data, in ``build/``)."""
        return self.processed.parent / "build" / "essay.html"


EPOCH = "1780000000"
"""SOURCE_DATE_EPOCH of the reports the tests build (2026-05-28), whoever runs them: it
is in the frozen cells' key, so a test that renders the essay again with it starts from
the report's frozen cells."""


def build_report(raw: Path, out: Path) -> None:
    """process → build_figures → render into ``out``, with the kernel reading this run's data.

    The essay is rendered from a copy in ``out`` on a fresh kernel, and its cell outputs
    are kept beside that copy (``out/.ukreport-cache``), so tests that render it again
    from the same data (DOCX, say) can start from them instead of a kernel.
    """
    processed, figures, build = out / "processed", out / "figures", out / "build"
    essay = out / ESSAY.name
    shutil.copy2(ESSAY, essay)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKREPORT_DATA_DIR", str(processed))
        mp.setenv("UKREPORT_FIGURES_DIR", str(figures))
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        process(raw, processed)
        build_figures(figures)
        render(essay, build)


def load_report(out: Path) -> Report:
    """The report :func:`build_report` wrote to ``out``, parsed, with its data loaded."""
    processed, figures, build = out / "processed", out / "figures", out / "build"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKREPORT_DATA_DIR", str(processed))
        frames = {t: datasets.load(t) for t in schemas.TABLES}
    html_source = (build / "essay.html").read_text(encoding="utf-8")
    dom = parse_html(html_source)
    (main,) = dom.cssselect("main")
    pdf = PdfReader(build / "essay.pdf")
    return Report(html_source, dom, main, pdf, flat(pdf_text(pdf)), frames, processed, figures)


def shared(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that ``build`` fills once for the whole test run: with several workers
    (pytest-xdist) the first to ask builds it under a lock, the others wait and reuse it."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, which every worker's lies in
    folder = root / f"shared-{name}"
    with FileLock(f"{folder}.lock"):
        if not (folder / ".built").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def essay_rows(frames: dict[str, pd.DataFrame], ident: str) -> pd.DataFrame:
    """The rows of the dataset behind the essay table ``ident`` that the table shows."""
    table = TABLE_DATA[ident][0]
    frame = frames[table]
    cited = frame["essay_cited"] if "essay_cited" in frame else frame["essay_context"] == "table"
    return frame[cited]


def correction_note(main: HtmlElement, ident: str) -> HtmlElement | None:
    """The note that follows the table ``ident`` saying where the record differs, if any."""
    notes = [
        block
        for block in blocks_after(main, ident)
        if "disputed" in block.classes and NOTE_TITLE in text_of(block)
    ]
    assert len(notes) <= 1, f"{len(notes)} notes after {ident}"
    return notes[0] if notes else None
