"""A preview session: serve the essay, watch what it is built from, rebuild on a change.

What is watched is what ``make report`` builds the essay from: the essay, the report's
assets, the raw data and the package's code (``watchfiles``, which waits for a burst
of events to settle before it reports them). The builds run here, one after another,
on the thread that watches; the server answers from its own threads meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from ukreport import paths
from ukreport.report.preview.builder import Build, Builder, Steps, relative
from ukreport.report.preview.server import Hub, PreviewServer

__all__ = ["DEFAULT_PORT", "OUT_DIR", "Preview", "Watched"]

logger = logging.getLogger(__name__)

DEFAULT_PORT = 4848
OUT_DIR = paths.BUILD_DIR / "preview"
"""Where the preview's HTML goes, beside (never over) the real outputs."""
_CODE_SUFFIXES = (".py", ".toml")


@dataclass(frozen=True)
class Watched:
    """What a change to a file under ``root`` means for the preview of ``source``."""

    root: Path
    source: Path

    @property
    def assets(self) -> list[Path]:
        return sorted({self.source.parent / "assets", self.root / paths.REPORTS_DIR / "assets"})

    @property
    def raw(self) -> Path:
        return self.root / paths.RAW_DIR

    @property
    def code(self) -> Path:
        return self.root / "src" / "ukreport"

    def folders(self) -> list[Path]:
        """The folders to watch (the essay's, not the essay: editors save by renaming)."""
        wanted = [self.source.parent, *self.assets, self.raw, self.code]
        found = sorted({folder for folder in wanted if folder.is_dir()})
        return [f for f in found if not any(f != o and f.is_relative_to(o) for o in found)]

    def __call__(self, change: watchfiles.Change, name: str) -> bool:
        """Whether a change to ``name`` can change the page."""
        path = Path(name)
        if path == self.source:
            return True
        if not _DEFAULT(change, name):  # editor swap files, caches, .git…
            return False
        if any(path.is_relative_to(folder) for folder in [*self.assets, self.raw]):
            return True
        return path.is_relative_to(self.code) and path.suffix in _CODE_SUFFIXES


_DEFAULT = watchfiles.DefaultFilter()


class Preview:
    """The preview of ``source``: bind the server (``with`` starts and stops it), then
    :meth:`run` builds once and again after every change until interrupted. ``steps``
    (the pipeline's runner) brings the steps named in ``first`` up to date before each
    render."""

    def __init__(
        self,
        source: Path,
        *,
        port: int = DEFAULT_PORT,
        root: Path | None = None,
        out_dir: Path | None = None,
        steps: Steps | None = None,
        first: tuple[str, ...] = (),
    ) -> None:
        self.root = (root or Path()).resolve()
        self.source = source.resolve()
        self.watched = Watched(self.root, self.source)
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
        self.hub.publish(build)
        return build

    def run(self, on_build: Callable[[Build], None] = lambda build: None) -> None:
        """Build now, then after every change to what is watched; ``on_build`` hears of
        each build. Returns only by an exception: Ctrl-C is ``KeyboardInterrupt``."""
        on_build(self.rebuild([]))
        folders = self.watched.folders()
        logger.info("watching %s", ", ".join(str(folder) for folder in folders))
        for changes in watchfiles.watch(*folders, watch_filter=self.watched, debounce=1600):
            on_build(self.rebuild([Path(name) for _, name in changes]))
