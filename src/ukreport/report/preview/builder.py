"""One rebuild of the preview: the data and figures brought up to date, then the HTML.

The data package and the figures are brought up to date by the build's own runner, on
the graph ``make report`` uses (given by whoever starts the preview, as ``steps``), so
the same rule decides what a change makes stale (nothing, after a prose edit). The
essay is then rendered to HTML only, into a folder of its own so the real outputs are
left alone, with the frozen cell outputs (no kernel unless the cells' inputs changed)
and a :class:`SectionReader` kept for the life of the process (pandoc re-reads only the
sections that changed). Both run in this process, whose imports stay warm, until a
change touches the code this process has loaded; from then on each build runs in a
fresh ``ukreport build`` and ``ukreport render`` so the page never comes from stale
code.

Every failure becomes a :class:`Build` that carries the messages to show in the page,
as ``file:line:column`` where the failing step gives them; nothing here raises for a
broken essay or invalid data.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ukreport import _proc
from ukreport.errors import ExternalCommandError, UkreportError, ValidationFailed
from ukreport.report.render.engine import render
from ukreport.report.render.execute import CellError
from ukreport.report.render.sections import SectionReader

__all__ = ["Build", "Builder", "Steps", "relative"]

logger = logging.getLogger(__name__)


class Steps(Protocol):
    """Brings the build's steps from ``first`` through ``last`` up to date in ``root``
    (the pipeline's runner), calling ``on_step(step, what, seconds)`` as each is done."""

    def __call__(
        self,
        root: Path,
        first: str,
        last: str | None = None,
        *,
        on_step: Callable[[str, str, float], None] | None = None,
    ) -> object: ...


_SHOWN_FAILURES = 20
"""Validation failures listed in the page; the rest are counted."""


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
    """What the build's steps did (one line each: what they wrote and how long it took)."""

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
    """Rebuilds the preview of ``source`` into ``out_dir``, from the repository ``root``;
    with ``steps``, the build's steps named in ``first`` (the data and figures, as the
    build graph orders them) are brought up to date first."""

    def __init__(
        self,
        root: Path,
        source: Path,
        out_dir: Path,
        *,
        steps: Steps | None = None,
        first: tuple[str, ...] = (),
    ) -> None:
        self.root = root
        self.source = source
        self.out_dir = out_dir
        self.steps = steps if first else None
        self.first = first
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

        if self.steps is not None:
            said: list[str] = []
            started = time.perf_counter()
            stopped: tuple[str, str | None] | None = None
            try:
                self._first_steps(said)
            except ValidationFailed as error:
                stopped = (_failures(error), "\n".join(said) or None)
            except ExternalCommandError as error:
                stopped = (str(error), error.stderr)
            except UkreportError as error:
                stopped = (str(error), "\n".join(said) or None)
            except Exception as error:  # a bug must not take the server down with it
                logger.exception("the preview's data or figures failed")
                stopped = (f"internal error: {type(error).__name__}: {error}", None)
            steps.append((" ".join(self.first), time.perf_counter() - started))
            log = tuple(said)
            if stopped is not None:
                return failed(*stopped)
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

    def _first_steps(self, said: list[str]) -> None:
        """The data and figures brought up to date; in this process, or in a new one
        once its code has changed under it."""
        first, last = self.first[0], self.first[-1]
        if not self.fresh_process:
            assert self.steps is not None

            def on_step(step: str, what: str, seconds: float) -> None:
                said.append(f"{what} ({seconds:.2f} s)")

            self.steps(self.root, first, last, on_step=on_step)
            return
        command = [sys.executable, "-m", "ukreport.cli", "build", first, "--through", last]
        done = _proc.run([*command, "--root", str(self.root)], cwd=self.root, check=False)
        lines = [line for line in done.errors().splitlines() if line.strip()]
        if not done.ok:
            raise UkreportError("\n".join(line.removeprefix("ukreport: ") for line in lines))
        said += lines

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


def _failures(error: ValidationFailed) -> str:
    """The validation failures, one a line, as ``file:line:column``, and a count of
    those not shown."""
    from ukreport.validation.report import more

    shown = error.report.first(_SHOWN_FAILURES)
    lines = [str(failure) for failure in shown]
    if len(shown) < error.report.failure_count:
        lines.append(more(error.report.failure_count - len(shown)))
    return "\n".join(lines)
