"""``ukreport preview``: the essay in a browser, rebuilt and reloaded in place on a save.

:mod:`.session` runs the builds, after each change :mod:`.watch` reports to what the
essay is built from;
:mod:`.builder` is one build (the data and figures by the pipeline's runner, then
the HTML);
:mod:`.server` serves the page and a stream of build events on 127.0.0.1;
:mod:`.page` is what is added to the page served (the script, the error overlay).
"""

from __future__ import annotations

from ukreport.report.preview.builder import Build
from ukreport.report.preview.session import DEFAULT_PORT, OUT_DIR, Preview

__all__ = ["DEFAULT_PORT", "OUT_DIR", "Build", "Preview"]
