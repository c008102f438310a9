"""Run the build's steps that are out of date, in order, in one process.

``make report`` after a data change runs four steps back to back: validate and write
the data package, draw the figures, render the essay, write the manifest. As four
commands, each imports pandas (and more) again; here they share one interpreter and
hand each other what they already hold (the validation result goes straight into the
manifest). Which steps run is decided by Make's own rule, on the same graph
(:func:`ukreport.pipeline.manifest.pipeline`, which a test checks against the Makefile):
a step runs when one of its outputs is missing or older than one of its inputs or
than an output of a step before it, or when a step before it ran. Make still decides
whether anything is to be done; the Makefile's recipe for the first stale target
asks for every step through the goal, and the later recipes find their outputs
current and return at once.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport.errors import InputError, ValidationFailed
from ukreport.pipeline.manifest import MANIFEST, Step, pipeline

if TYPE_CHECKING:
    from ukreport.report.render.execute import Kernel

__all__ = ["CHAIN", "Ran", "plan", "run"]

log = logging.getLogger(__name__)

CHAIN = ("data", "figures", "report", "manifest")
"""The steps ``ukreport build`` runs, in order. The Table Schemas are not among them:
they come from the models alone and are made by their own rule."""

_MANIFEST_CODE = "src/ukreport/pipeline/manifest.py"


@dataclass
class Ran:
    """What one run did: each step run, with what it printed and how long it took."""

    steps: list[tuple[str, str, float]] = field(default_factory=list)
    """(step, one line saying what it wrote, seconds)."""


def _steps(root: Path) -> dict[str, Step]:
    """The chain's steps by name: the pipeline's, and the manifest, which is made from
    every output of the pipeline and the code that writes it."""
    steps = {step.name: step for step in pipeline(root)}
    steps["manifest"] = Step(
        "manifest",
        "ukreport manifest",
        (MANIFEST.as_posix(),),
        (_MANIFEST_CODE,),
        after=tuple(steps),
    )
    return steps


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _out_of_date(root: Path, step: Step, steps: dict[str, Step], ran: set[str]) -> bool:
    """Make's rule: a missing output, an input newer than the oldest output, or a step
    before it that ran."""
    if ran & set(step.after):
        return True
    made = [_mtime(root / name) for name in step.outputs]
    if any(when is None for when in made):
        return True
    oldest = min(when for when in made if when is not None)
    sources = [*step.inputs, *(out for before in step.after for out in steps[before].outputs)]
    return any((when := _mtime(root / name)) is not None and when > oldest for name in sources)


def _through(first: str, last: str | None) -> list[str]:
    """The chain's steps from ``first`` to ``last`` (``first`` alone without one)."""
    for name in (first, last):
        if name is not None and name not in CHAIN:
            raise InputError(Path(name), f"no such step; choose from {', '.join(CHAIN)}")
    start = CHAIN.index(first)
    stop = max(start, CHAIN.index(last)) if last is not None else start
    return list(CHAIN[start : stop + 1])


def plan(root: Path, first: str, last: str | None = None) -> list[str]:
    """The steps from ``first`` through ``last`` that a run would carry out now."""
    steps = _steps(root)
    stale: set[str] = set()
    for name in _through(first, last):
        if _out_of_date(root, steps[name], steps, stale):
            stale.add(name)
    return [name for name in CHAIN if name in stale]


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
    files or none).
    """
    os.environ.setdefault("UKREPORT_DATA_DIR", str((root / "data/processed").resolve()))
    steps = _steps(root)
    ran = Ran()
    done: set[str] = set()
    validation: dict[str, Any] | None = None
    kernel = _kernel_ahead(root, plan(root, first, last), engine)
    try:
        for name in _through(first, last):
            if not _out_of_date(root, steps[name], steps, done):
                continue
            started = time.perf_counter()
            if name == "data":
                what, validation = _data(root)
            elif name == "figures":
                what = _figures(root)
            elif name == "report":
                what = _report(root, engine=engine, cache=cache, kernel=kernel)
            else:
                what = _manifest(root, validation)
            seconds = time.perf_counter() - started
            done.add(name)
            ran.steps.append((name, what, seconds))
            if on_step is not None:
                on_step(name, what, seconds)
    finally:
        if kernel is not None:
            kernel.close()
    return ran


def _kernel_ahead(root: Path, planned: list[str], engine: str) -> Kernel | None:
    """A kernel for the essay's cells, started now, when the report will be rendered
    after new data or figures: they change the frozen outputs' key, so the cells will
    run, and the kernel's start overlaps making them."""
    if engine != "embedded" or "report" not in planned or not {"data", "figures"} & set(planned):
        return None
    from ukreport.extras import require_report

    require_report("render")
    from ukreport.report.render.execute import Kernel

    return Kernel(root / "reports")


def _data(root: Path) -> tuple[str, dict[str, Any]]:
    from ukreport.pipeline.manifest import validation_summary
    from ukreport.process import process
    from ukreport.validate import validate

    raw, out = root / "data/raw", root / "data/processed"
    report = validate([raw])
    if not report.valid:
        raise ValidationFailed(report)
    written = process(raw, out, report=report)
    return f"validated {raw} and wrote {len(written)} files to {out}", validation_summary(report)


def _figures(root: Path) -> str:
    from ukreport.extras import require_report

    require_report("figures")
    from ukreport.report.figures import build_figures

    out = root / "reports/figures"
    written = build_figures(out)
    return f"drew {len(written)} figure files in {out}"


def _report(root: Path, *, engine: str, cache: bool, kernel: Kernel | None) -> str:
    from ukreport.extras import require_report

    require_report("render")
    from ukreport.report.render import render

    written = render(
        root / "reports/essay.qmd",
        root / "reports/_build",
        engine=engine,
        cache=cache,
        kernel=kernel,
    )
    return f"rendered {', '.join(str(path) for path in written)}"


def _manifest(root: Path, validation: dict[str, Any] | None) -> str:
    from ukreport.pipeline.manifest import write_manifest

    out = write_manifest(root, root / MANIFEST, validation=validation)
    return f"wrote {out}"


def described(names: Iterable[str]) -> str:
    """``data, figures`` or ``nothing``: the steps a plan holds, for a message."""
    listed = ", ".join(names)
    return listed or "nothing"
