"""``ukreport preview``: the preview started, and one line printed for each build.

Separate from :mod:`.commands` because it is the one command that runs until it is
stopped: it sets its own signal handlers and opens a browser.
"""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ukreport.extras import require_report

if TYPE_CHECKING:
    from ukreport.report.preview import Build

__all__ = ["run_preview"]


def _print_build(build: Build) -> None:
    """One line for each build (after the lines its steps said), or its errors."""
    for line in build.log:
        print(line, file=sys.stderr)
    cause = f"{', '.join(build.changed)} changed" if build.changed else "started"
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in build.steps)
    if build.ok:
        print(f"rebuilt the preview: {cause} ({steps})", file=sys.stderr)
    else:
        print(f"the preview could not be rebuilt: {cause} ({steps})", file=sys.stderr)
        print(build.error, file=sys.stderr)
    sys.stderr.flush()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _open_browser(url: str) -> None:
    """Open ``url`` in the user's web browser, on a thread of its own (a browser that
    runs in the terminal would otherwise hold the preview up). Without a display, only
    such browsers could open, so none is started."""
    import os
    import webbrowser

    headless = not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and not os.environ.get("BROWSER"):
        print(f"no display to open a browser on: open {url}", file=sys.stderr)
        return
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def run_preview(args: argparse.Namespace) -> int:
    require_report("preview")
    from ukreport.errors import InputError
    from ukreport.report.preview import Preview

    if not args.source.is_file():
        raise InputError(args.source, "no such essay to preview")

    if threading.current_thread() is threading.main_thread():
        # Ctrl-C and `kill` both stop it cleanly, even if the shell started it with
        # SIGINT ignored (as a background job).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop)
    from ukreport.pipeline.graph import before, reads
    from ukreport.pipeline.runner import run

    first = before("report")
    checkout = Path("Makefile").is_file()
    steps = run if checkout else None
    # What the steps before the render and the render read: what is watched.
    read = functools.partial(reads, names=(*first, "report")) if checkout else None
    with Preview(args.source, port=args.port, steps=steps, first=first, reads=read) as preview:
        print(preview.url, flush=True)
        if args.browser:
            _open_browser(preview.url)
        try:
            preview.run(_print_build)
        except KeyboardInterrupt:
            print("stopped the preview", file=sys.stderr)
    return 0
