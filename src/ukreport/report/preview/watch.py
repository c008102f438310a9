"""What the preview watches: the files the page is built from, and nothing else.

In a checkout those are the inputs the build graph lists for the steps the preview
runs (the raw data, ``pyproject.toml``, the essay, its assets, the code of each step);
outside one, the essay and its assets. A change to any other file, an editor's
temporary file above all (``sedXXXXXX``, ``.essay.qmd.swp``, Vim's ``4913``), is
neither named nor rebuilt for, and a file that appears and is gone again by the time
the change is reported was never an input.

The watcher runs on a thread of its own and is watching before the first build starts,
so an edit saved while a build runs is seen, and the build after it shows it.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable
from fnmatch import fnmatch
from pathlib import Path

import watchfiles

from ukreport import paths

__all__ = ["Reads", "Watched", "Watcher", "temporary"]

Reads = Callable[[Path], tuple[Iterable[str], Iterable[str]]]
"""What the build reads in a checkout (its root given): the files it names (there or
not) and the patterns under which a new file is read too, relative to the root; the
build graph says (:func:`ukreport.pipeline.graph.reads`), and the command line, which
stands above both, hands it over."""

_TEMPORARY = re.compile(
    r"""^(?:
        \..*                          # hidden: .essay.qmd.swp, .#essay.qmd, .~lock.events.csv#
      | .*~                           # backups: essay.qmd~
      | \#.*\#                        # Emacs's auto-save
      | 4913                          # Vim's test that it may write in the folder
      | sed[A-Za-z0-9]{6}             # sed -i
      | ~\$.*                         # office suites' lock files
      | .*\.(?:sw[a-p]|tmp|temp|bak|orig|rej|crswap|kate-swp|part)
      | .*___jb_(?:tmp|old)___        # JetBrains' safe write
    )$""",
    re.VERBOSE,
)


def temporary(name: str) -> bool:
    """Whether a file called ``name`` is an editor's or a tool's temporary file."""
    return _TEMPORARY.match(name) is not None


class Watched:
    """The files the preview of ``source`` is built from, in ``root``: with ``reads``
    (a checkout), what the build reads; without, the essay and its assets. Called as
    watchfiles' filter, it passes a change to one of those only."""

    def __init__(self, root: Path, source: Path, reads: Reads | None = None) -> None:
        self.root = root.resolve()
        self.source = source.resolve()
        self.reads = reads
        patterns = {self.source.parent / "assets" / "*"}
        if reads is not None:
            patterns.update(self.root / name for name in reads(self.root)[1])
        self.patterns = tuple(sorted(patterns))
        """Where a new file is an input too (``reports/assets/*``)."""
        self.known = self.inputs()
        """The inputs as they were at the last look (:meth:`refresh`)."""

    def inputs(self) -> frozenset[Path]:
        """The input files now: those the build names (there or not), and those where
        its patterns allow, temporary files aside."""
        found = {self.source}
        for pattern in self.patterns:
            for path in pattern.parent.glob(pattern.name):
                if path.is_file() and not temporary(path.name):
                    found.add(path)
        if self.reads is not None:
            found.update(self.root / name for name in self.reads(self.root)[0])
        the_build_s = self.root / paths.ESSAY
        if the_build_s != self.source:
            found.discard(the_build_s)  # the essay previewed is another
        return frozenset(found)

    def refresh(self) -> None:
        """Look at the inputs again (after a build: an asset may have been added)."""
        self.known = self.inputs()

    def folders(self) -> list[Path]:
        """The folders to watch, each on its own and not below it: those that hold an
        input (the essay's, not the essay: editors save by renaming)."""
        holding = {path.parent for path in self.known} | {p.parent for p in self.patterns}
        return sorted(folder for folder in holding if folder.is_dir())

    def __call__(self, change: watchfiles.Change, name: str) -> bool:
        """Whether a change to ``name`` can change the page: it was an input at the last
        look, or it is one now (a new file where a pattern allows, not a temporary
        one, and still there)."""
        path = Path(name)
        if path in self.known:
            return True
        if temporary(path.name) or not path.is_file():
            return False
        return any(
            path.parent == pattern.parent and fnmatch(path.name, pattern.name)
            for pattern in self.patterns
        )


_READY_MS = 200
"""How often the watcher's thread looks up when nothing changes: the first time tells
that it is watching; after that, whether it is to stop."""


class Watcher:
    """``watchfiles`` on the folders of ``watched``, on a thread of its own: ``with``
    returns once it is watching and stops it on leaving; :meth:`changes` waits for the
    next change and returns every file changed since the last call."""

    def __init__(self, watched: Watched, *, debounce_ms: int = 1600) -> None:
        self.watched = watched
        self.debounce_ms = debounce_ms
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._changes: queue.Queue[set[Path] | BaseException] = queue.Queue()
        self._thread = threading.Thread(target=self._watch, name="preview-watcher", daemon=True)

    def _watch(self) -> None:
        try:
            for changes in watchfiles.watch(
                *self.watched.folders(),
                watch_filter=self.watched,
                debounce=self.debounce_ms,
                stop_event=self._stop,
                rust_timeout=_READY_MS,
                yield_on_timeout=True,
                recursive=False,
            ):
                self._ready.set()
                if changes:
                    self._changes.put({Path(name) for _, name in changes})
        except BaseException as error:  # handed to the thread that waits for changes
            self._changes.put(error)
        finally:
            self._ready.set()

    def __enter__(self) -> Watcher:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def changes(self) -> list[Path]:
        """Wait for a change; return the files changed since the last call, sorted."""
        found: set[Path] = set()
        item = self._changes.get()
        while True:
            if isinstance(item, BaseException):
                raise item
            found |= item
            try:
                item = self._changes.get_nowait()
            except queue.Empty:
                return sorted(found)
