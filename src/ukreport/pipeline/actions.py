"""What ``ukreport build`` does for each step of the graph, one function a step.

Each function brings one step's outputs up to date in a checkout and returns one line
saying what it wrote; :mod:`~.graph` names it (``action``) beside the step's inputs and
outputs. They share one :class:`Run`, through which a step hands the next what it
already holds (the validation result goes straight into the manifest) and which holds
the places: the data package and the figures are read from where this run writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport.errors import ValidationFailed
from ukreport.extras import require_report

if TYPE_CHECKING:
    from ukreport.pipeline.reads import Hashes
    from ukreport.report.render.execute import Kernel

__all__ = ["Run", "data", "docx", "figures", "manifest", "ready", "record", "report"]


@dataclass
class Run:
    """One run of the chain in the checkout ``root``."""

    root: Path
    engine: str = "embedded"
    cache: bool = True
    kernel: Kernel | None = None
    """Started ahead for the essay's cells, when they will have to run."""
    validation: dict[str, Any] | None = field(default=None)
    """What the data step found, for the manifest."""
    read: dict[str, Hashes] = field(default_factory=dict)
    """What each step run so far read (step → path → SHA-256), for the manifest."""
    code: Hashes = field(default_factory=dict)
    """The steps' code as the run started, before any of it was imported."""

    @property
    def data_dir(self) -> Path:
        return (self.root / "data/processed").resolve()

    @property
    def figures_dir(self) -> Path:
        return self.root / "reports/figures"


def ready(run: Run, name: str) -> None:
    """Raise when step ``name`` cannot run here for want of a program from outside the
    package (Quarto, for the report with the ``quarto`` engine): checked before any
    step runs, so that it is said at once rather than after the data and figures."""
    if name in {"report", "docx"} and run.engine == "quarto":
        from ukreport.report.render.engine import quarto_program

        quarto_program(run.root / "reports/essay.qmd")


def data(run: Run) -> str:
    """Validate ``data/raw`` and write the data package."""
    from ukreport.pipeline.provenance import validation_summary
    from ukreport.process import process
    from ukreport.validation.validate import validate

    raw, out = run.root / "data/raw", run.data_dir
    report = validate([raw])
    if not report.valid:
        raise ValidationFailed(report)
    written = process(raw, out, report=report)
    run.validation = validation_summary(report)
    return f"validated {raw} and wrote {len(written)} files to {out}"


def figures(run: Run) -> str:
    """Draw the figures from the data package."""
    require_report("figures")
    from ukreport.report.figures import build_figures

    out = run.figures_dir
    written = build_figures(out, data_dir=run.data_dir)
    return f"drew {len(written)} figure files in {out}"


def record(run: Run) -> str:
    """Write the record page and the printed record from the data package."""
    require_report("record")
    from ukreport.report.record import write_record

    written = write_record(run.data_dir, run.root / "reports/_build")
    return f"wrote {', '.join(str(path) for path in written)} from {run.data_dir}"


def _essay(run: Run, formats: tuple[str, ...], kernel: Kernel | None = None) -> str:
    """Render the essay to ``formats`` from this run's data package and figures."""
    require_report("render")
    from ukreport.report.render import render

    written = render(
        run.root / "reports/essay.qmd",
        run.root / "reports/_build",
        engine=run.engine,
        formats=formats,
        cache=run.cache,
        kernel=kernel,
        data_dir=run.data_dir,
    )
    return f"rendered {', '.join(str(path) for path in written)}"


def report(run: Run) -> str:
    """Render the essay to HTML and PDF."""
    return _essay(run, ("html", "pdf"), kernel=run.kernel)


def docx(run: Run) -> str:
    """Render the essay to a Word document: on request alone (``make docx``), but
    watched and recorded like the report."""
    return _essay(run, ("docx",))


def manifest(run: Run) -> str:
    """Write the manifest of every output."""
    from ukreport.pipeline.graph import MANIFEST
    from ukreport.pipeline.provenance import write_manifest

    out = write_manifest(run.root, run.root / MANIFEST, validation=run.validation, read=run.read)
    return f"wrote {out}"
