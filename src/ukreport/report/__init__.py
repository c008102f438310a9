"""The report: the essay's helpers, the figures and the renderer.

Everything here needs the ``[report]`` extra (matplotlib, Jupyter, pandoc, typst).
Importing this package checks for it first, so a missing extra is one line naming
``pip install 'ukreport[report]'`` (exit 2 from the command line), never an
``ImportError`` from deep inside a step.
"""

from __future__ import annotations

from ukreport.extras import require_report

require_report("report")
