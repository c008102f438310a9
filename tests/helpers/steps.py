"""A step added to the build graph by a test: it writes one file from the data package."""

from __future__ import annotations

from ukreport.pipeline.actions import Run

RECORD = "reports/_build/record.html"


def record(run: Run) -> str:
    """Write a page listing the data package's files (what a record step reads)."""
    names = sorted(p.name for p in run.data_dir.iterdir())
    out = run.root / RECORD
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(names) + "\n", encoding="utf-8")
    return f"wrote {out}"
