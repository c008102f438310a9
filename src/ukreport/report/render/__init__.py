"""Render the Quarto-syntax essay to HTML and PDF without Quarto.

Jupyter (nbclient) runs the cells; pandoc and typst do the typesetting. The
renderer is imported lazily so that the essay's kernel, which only needs
:func:`markdown_table` and :func:`escape`, does not load nbclient.

The modules: :mod:`~.engine` (``render``: the steps below, in order, and the Quarto
hand-off), :mod:`~.document` and :mod:`~.frontmatter` (the ``.qmd`` parsed),
:mod:`~.execute` (the cells in a Jupyter kernel, started by :mod:`~.kernelspec`) and
:mod:`~.freeze` (their outputs kept), :mod:`~.markdown` and :mod:`~.escape` (the
Markdown pandoc reads; data as text, never markup), :mod:`~.pandoc` (running it) and
:mod:`~.sections` (its reading kept per section), :mod:`~.citations` (citeproc, kept;
the data's bibliography given as text by :mod:`~.cslmeta`) and :mod:`~.reflist` (the
reference list, written once per format), one writer per format (:mod:`~.html` with
:mod:`~.jsonld` and the page's :mod:`~.anchors`, :mod:`~.pdf`, :mod:`~.docx`). What is
kept goes through :mod:`ukreport._cache`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ukreport.report.render.escape import Marked, escape, markdown_table

if TYPE_CHECKING:
    from ukreport.report.render.engine import render
    from ukreport.report.render.execute import CellError

__all__ = ["CellError", "Marked", "escape", "markdown_table", "render"]


def __getattr__(name: str) -> Any:
    if name == "render":
        from ukreport.report.render.engine import render

        return render
    if name == "CellError":
        from ukreport.report.render.execute import CellError

        return CellError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
