"""A preview session: serve the essay, watch what it is built from, rebuild on a change.

What is watched is what the essay's build reads (:mod:`.watch`): the essay, its
assets, and in a checkout the raw data and the code of the steps, as the build graph
lists them. Watching starts before the first build; the builds run here, one after
another, on the calling thread; the server answers from its own threads meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ukreport import paths
from ukreport.report.preview.builder import Build, Builder, Steps, relative
from ukreport.report.preview.server import Hub, PreviewServer
from ukreport.report.preview.watch import Reads, Watched, Watcher

__all__ = ["DEFAULT_PORT", "OUT_DIR", "Preview"]

logger = logging.getLogger(__name__)

DEFAULT_PORT = 4848
OUT_DIR = paths.BUILD_DIR / "preview"
"""Where the preview's HTML goes, beside (never over) the real outputs."""


class Preview:
    """The preview of ``source``: bind the server (``with`` starts and stops it), then
    :meth:`run` builds once and again after every change until interrupted. ``steps``
    (the pipeline's runner) brings the steps named in ``first`` up to date before each
    render; ``reads`` says what those steps and the render read, to watch."""

    def __init__(
        self,
        source: Path,
        *,
        port: int = DEFAULT_PORT,
        root: Path | None = None,
        out_dir: Path | None = None,
        steps: Steps | None = None,
        first: tuple[str, ...] = (),
        reads: Reads | None = None,
    ) -> None:
        self.root = (root or Path()).resolve()
        self.source = source.resolve()
        self.watched = Watched(self.root, self.source, reads)
        self.builder = Builder(
            self.root,
            self.source,
            (out_dir or self.root / OUT_DIR).resolve(),
            steps=steps,
            first=first,
        )
        self.hub = Hub(relative(self.root, self.source))
        self.server = PreviewServer(self.hub, port)

    @property
    def url(self) -> str:
        return self.server.url

    def __enter__(self) -> Preview:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def rebuild(self, changed: list[Path]) -> Build:
        """Build after a change to ``changed`` and show the result in the open pages."""
        build = self.builder.build(changed)
        self.watched.refresh()
        self.hub.publish(build)
        return build

    def run(self, on_build: Callable[[Build], None] = lambda build: None) -> None:
        """Start watching, build, then build again after every change to what is
        watched (one saved during a build included); ``on_build`` hears of each build.
        Returns only by an exception: Ctrl-C is ``KeyboardInterrupt``."""
        logger.info("watching %s", ", ".join(map(str, self.watched.folders())))
        with Watcher(self.watched) as watcher:
            on_build(self.rebuild([]))
            while True:
                changed = watcher.changes()
                on_build(self.rebuild(changed))
