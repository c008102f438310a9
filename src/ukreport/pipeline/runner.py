"""Run the build's steps that are out of date, in order, in one process.

``make report`` after a data change runs four steps back to back: validate and write
the data package, draw the figures, render the essay, write the manifest. As four
commands, each imports pandas (and more) again; here they share one interpreter and
hand each other what they already hold (the validation result goes straight into the
manifest). Which steps run is decided by Make's own rule, on the same graph
(:mod:`~.graph`, from which the Makefile's rules are written): a step runs when one of
its outputs is missing or older than one of its inputs or than an output of a step
before it, or when a step before it ran. Make still decides whether anything is to be
done; the Makefile's recipe for the first stale target asks for every step through the
goal, and the later recipes find their outputs current and return at once.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ukreport.errors import UkreportError
from ukreport.pipeline import graph
from ukreport.pipeline.actions import Run, ready
from ukreport.pipeline.graph import CHAIN, Step, out_of_date, steps, through
from ukreport.pipeline.reads import code_read, watched

if TYPE_CHECKING:
    from ukreport.report.render.execute import Kernel

__all__ = ["CHAIN", "Ran", "blocked", "described", "plan", "run"]

log = logging.getLogger(__name__)


@dataclass
class Ran:
    """What one run did: each step run, with what it printed and how long it took."""

    steps: list[tuple[str, str, float]] = field(default_factory=list)
    """(step, one line saying what it wrote, seconds)."""


def _action(name: str) -> Callable[[Run], str]:
    """The function the graph names for step ``name``."""
    declared = next(step for step in graph.STEPS if step.name == name)
    assert declared.action is not None, name
    module, _, function = declared.action.partition(":")
    found: Callable[[Run], str] = getattr(importlib.import_module(module), function)
    return found


def _graph(root: Path) -> dict[str, Step]:
    return {step.name: step for step in steps(root)}


def plan(root: Path, first: str, last: str | None = None) -> list[str]:
    """The steps from ``first`` through ``last`` that a run would carry out now."""
    graph = _graph(root)
    stale: set[str] = set()
    for name in through(first, last):
        if out_of_date(root, graph[name], graph, stale):
            stale.add(name)
    return [name for name in through(first, last) if name in stale]


def blocked(
    root: Path, first: str, last: str | None = None, *, engine: str = "embedded"
) -> str | None:
    """The first step a run from ``first`` through ``last`` would carry out that cannot
    run here (see :func:`~.actions.ready`), or ``None``."""
    state = Run(root, engine=engine)
    for name in plan(root, first, last):
        try:
            ready(state, name)
        except UkreportError:
            return name
    return None


def run(
    root: Path,
    first: str,
    last: str | None = None,
    *,
    engine: str = "embedded",
    cache: bool = True,
    on_step: Callable[[str, str, float], None] | None = None,
) -> Ran:
    """Bring the steps from ``first`` through ``last`` up to date in ``root``.

    ``on_step(step, what, seconds)`` is called as each step finishes, so a caller can
    say what was written while the next step runs. A failing step raises, and the
    steps after it do not run; what earlier steps wrote stays (each writes all of its
    files or none). A step that cannot run here at all (:func:`~.actions.ready`) raises
    before any step runs. A step one of whose inputs is saved while it runs fails too
    (:class:`~.reads.ChangedWhileRead`), its outputs set older than the edit.
    """
    graph = _graph(root)
    ran = Ran()
    done: set[str] = set()
    state = Run(root, engine=engine, cache=cache)
    planned = plan(root, first, last)
    for name in planned:
        ready(state, name)  # before any step runs: a missing program is said at once
    state.code = code_read(root, planned)
    state.kernel = _kernel_ahead(state, planned)
    try:
        for name in through(first, last):
            if not out_of_date(root, graph[name], graph, done):
                continue
            started = time.perf_counter()
            what = _watched(state, name)
            seconds = time.perf_counter() - started
            done.add(name)
            ran.steps.append((name, what, seconds))
            if on_step is not None:
                on_step(name, what, seconds)
    finally:
        if state.kernel is not None:
            state.kernel.close()
    return ran


def _watched(state: Run, name: str) -> str:
    """Run step ``name``, keeping what it read for the manifest; an input saved while it
    ran fails it (:func:`~.reads.watched`). The graph is read again: the figures drawn
    just now are what the report reads."""
    if not next(step for step in graph.STEPS if step.name == name).recorded:
        # The manifest hashes every file it records as it reads it: what it records is
        # what it read, and hashing all of them twice more would only cost time.
        return _action(name)(state)
    now = _graph(state.root)

    def made() -> tuple[str, ...]:
        return _graph(state.root)[name].outputs

    what, read = watched(
        state.root, now[name], now, lambda: _action(name)(state), made, earlier=state.code
    )
    state.read[name] = read
    return what


def _kernel_ahead(state: Run, planned: list[str]) -> Kernel | None:
    """A kernel for the essay's cells, started now, when the report will be rendered
    after new data or figures: they change the frozen outputs' key, so the cells will
    run, and the kernel's start overlaps making them."""
    fresh_inputs = {"data", "figures"} & set(planned)
    if state.engine != "embedded" or "report" not in planned or not fresh_inputs:
        return None
    from ukreport.extras import require_report

    require_report("render")
    from ukreport.report.render.execute import Kernel

    return Kernel(state.root / "reports", data_dir=state.data_dir)


def described(names: Iterable[str]) -> str:
    """``data, figures`` or ``nothing``: the steps a plan holds, for a message."""
    listed = ", ".join(names)
    return listed or "nothing"
