"""One rebuild of the preview: the data and figures through Make, then the essay's HTML.

The data package and the figures are rebuilt by ``make data figures``, the build graph
``make report`` uses, so Make decides what a change makes stale (nothing, after a
prose edit, in about 10 ms). The essay is then rendered to HTML only, into a folder of
its own so the real outputs are left alone, with the frozen cell outputs (no kernel
unless the cells' inputs changed) and a :class:`SectionReader` kept for the life of the
process (pandoc re-reads only the sections that changed). Rendering runs in this
process, whose imports stay warm, until a change touches the code this process has
loaded; from then on each render runs in a fresh ``ukreport render`` so the page never
comes from stale code.

Every failure becomes a :class:`Build` that carries the messages to show in the page,
as ``file:line:column`` where the failing step gives them; nothing here raises for a
broken essay or invalid data.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ukreport import _proc
from ukreport.errors import ExternalCommandError, UkreportError
from ukreport.report.render.engine import render
from ukreport.report.render.execute import CellError
from ukreport.report.render.sections import SectionReader

__all__ = ["MAKE_TARGETS", "Build", "Builder", "relative"]

logger = logging.getLogger(__name__)

MAKE_TARGETS = ("data", "figures")
"""What ``make`` brings up to date before each render: the data package and figures."""


def _own_make() -> dict[str, str]:
    """The environment without an enclosing make's variables: the preview's make is a
    build of its own, not a sub-make of whatever started the preview."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}


@dataclass(frozen=True)
class Build:
    """A finished build: the page it made, or the error to show instead."""

    changed: tuple[str, ...]
    """The files whose change started it (empty for the first build)."""
    steps: tuple[tuple[str, float], ...]
    """Each step that ran and its seconds."""
    page: bytes | None = None
    error: str | None = None
    """What went wrong, one message a line, as the failing step reported it."""
    detail: str | None = None
    """More about the error: the cell's traceback, the step's whole output."""
    log: tuple[str, ...] = field(default=())
    """What the Make steps printed (one line each: what they did and how long it took)."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.steps)


def relative(root: Path, path: Path) -> str:
    """``path`` as the reader knows it: from the repository root when it is inside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _loaded_files() -> set[Path]:
    """The source files of the ``ukreport`` modules this process has imported."""
    found = set()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if (name == "ukreport" or name.startswith("ukreport.")) and path:
            found.add(Path(path).resolve())
    return found


class Builder:
    """Rebuilds the preview of ``source`` into ``out_dir``, from the repository ``root``."""

    def __init__(self, root: Path, source: Path, out_dir: Path, *, make: bool = True) -> None:
        self.root = root
        self.source = source
        self.out_dir = out_dir
        self.make = make
        self.reader = SectionReader()
        self.fresh_process = False
        """Set once loaded code has changed: render in a new process from then on."""

    def build(self, changed: Iterable[Path] = ()) -> Build:
        """Run the steps a change to ``changed`` needs (all of them: Make skips what is
        up to date) and return the result; errors are in it, never raised."""
        paths = sorted({path.resolve() for path in changed})
        if not self.fresh_process and set(paths) & _loaded_files():
            logger.info("the preview's own code changed: rendering in a new process")
            self.fresh_process = True
        names = tuple(relative(self.root, path) for path in paths)
        steps: list[tuple[str, float]] = []
        log: tuple[str, ...] = ()

        def failed(error: str, detail: str | None = None) -> Build:
            # Paths as the reader knows them, from the repository root.
            short = [t.replace(f"{self.root.resolve()}/", "") if t else t for t in (error, detail)]
            return Build(names, tuple(steps), error=short[0], detail=short[1], log=log)

        if self.make:
            started = time.perf_counter()
            try:
                done = _proc.run(
                    ["make", "-s", *MAKE_TARGETS], cwd=self.root, env=_own_make(), check=False
                )
            except ExternalCommandError as error:  # no make at all
                return failed(str(error))
            steps.append((f"make {' '.join(MAKE_TARGETS)}", time.perf_counter() - started))
            output = (done.text() + done.errors()).splitlines()
            if not done.ok:
                return failed(_make_error(output), "\n".join(output))
            log = tuple(output)
        started = time.perf_counter()
        trouble: tuple[str, str | None] | None = None
        try:
            page = self._render()
        except CellError as error:
            trouble = (str(error), error.traceback)
        except ExternalCommandError as error:
            trouble = (str(error), error.stderr)
        except UkreportError as error:
            trouble = (str(error), None)
        except Exception as error:  # a bug must not take the server down with it
            logger.exception("the preview's render failed")
            trouble = (f"internal error: {type(error).__name__}: {error}", None)
        finally:
            steps.append(("render", time.perf_counter() - started))
        if trouble is not None:
            return failed(*trouble)
        return Build(names, tuple(steps), page=page, log=log)

    def _render(self) -> bytes:
        """The essay rendered to HTML; in this process, or in a new one once its code
        has changed under it."""
        target = self.out_dir / f"{self.source.stem}.html"
        if not self.fresh_process:
            [written] = render(self.source, self.out_dir, formats=("html",), reader=self.reader)
            return written.read_bytes()
        command = [sys.executable, "-m", "ukreport.cli", "render", str(self.source)]
        command += ["--out-dir", str(self.out_dir), "--format", "html"]
        done = _proc.run(command, cwd=self.root, check=False)
        if not done.ok:
            lines = [line.removeprefix("ukreport: ") for line in done.errors().splitlines()]
            raise UkreportError("\n".join(line for line in lines if line.strip()))
        return target.read_bytes()


def _make_error(output: list[str]) -> str:
    """The messages of a failed Make step, without Make's own lines about it."""
    own = ("make:", "make[")
    lines = [line for line in output if line.strip() and not line.startswith(own)]
    return "\n".join(lines) or "\n".join(output) or "make failed"
