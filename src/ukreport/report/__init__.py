"""The report: the essay's helpers, the figures and the renderer.

The modules: :mod:`~.essay` (what the essay's cells call: its tables, numbers and
words), :mod:`~.provenance` (the line under each figure and table naming the code and
data that made it), :mod:`~.codebook` (the columns' descriptions, from the models);
:mod:`~.figures` (one module per chart), :mod:`~.render` (the essay to HTML, PDF and
DOCX) and :mod:`~.preview` (``ukreport preview``), each mapped in its own docstring.
Places (the data and figures folders) are parameters here; only the kernel's start
turns them into environment for the cells. Nothing here imports the pipeline.

Everything here needs the ``[report]`` extra (matplotlib, Jupyter, pandoc, typst).
Importing this package checks for it first, so a missing extra is one line naming
``pip install 'ukreport[report]'`` (exit 2 from the command line), never an
``ImportError`` from deep inside a step.
"""

from __future__ import annotations

from ukreport.extras import require_report

require_report("report")
