"""The build manifest: what every output was made from, by which code, in which environment.

``reports/_build/manifest.json`` records, for every output of the pipeline (the data
package, the Table Schemas, the figures, the HTML and the PDF), its SHA-256 and the
SHA-256 of every file it was made from, as its step read it (:mod:`~.reads`): raw
tables, essay, report assets and the code modules of each step, as the build graph
(:mod:`~.graph`) lists them. It also records
the package version, the git commit (and which inputs differ from it), Python and
library versions, and the validation result. It holds no timestamp, so the same build
gives the same bytes. :mod:`~.verification` reads it back.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport import _git, _io, _meta
from ukreport.errors import InputError
from ukreport.pipeline.graph import MANIFEST, built, pipeline, upstream
from ukreport.pipeline.reads import Hashes, recorded, sha256

if TYPE_CHECKING:
    from ukreport.validation.report import Report as ValidationReport

__all__ = [
    "LIBRARIES",
    "build_manifest",
    "dumps",
    "environment",
    "sha256",
    "validation_summary",
    "write_manifest",
]

FORMAT_VERSION = 1

LIBRARIES = (
    "pandas",
    "pandera",
    "pyarrow",
    "numpy",
    "matplotlib",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "pypandoc_binary",
    "typst",
)
"""Distributions whose version can change an output's bytes."""


def _pandoc_version() -> str | None:
    try:
        from ukreport.report.render.pandoc import pandoc_path, run

        first = run([pandoc_path(), "--version"], timeout=30).splitlines()
    except Exception:  # an environment without pandoc still gets a manifest
        return None
    return first[0].removeprefix("pandoc").strip() if first else None


def environment() -> dict[str, Any]:
    """Python, the libraries that shape the outputs, and pandoc."""
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": f"{sys.platform}-{platform.machine()}",
        "libraries": versions,
        "pandoc": _pandoc_version(),
    }


def validation_summary(report: ValidationReport) -> dict[str, Any]:
    """What the manifest records of validating ``data/raw``."""
    return {
        "valid": report.valid,
        "failures": report.failure_count,
        "rows": dict(sorted(report.rows.items())),
    }


_DATA_PACKAGE = "data/processed/datapackage.json"


def _validation(root: Path, previous: Path, inputs: Mapping[str, str | None]) -> dict[str, Any]:
    """The result of validating ``data/raw``: the ``previous`` manifest's when the data
    step's inputs (raw tables, its code) are byte for byte those it recorded, since
    validating them again must give the same; otherwise validated now."""
    try:
        before = json.loads(previous.read_text(encoding="utf-8"))
        kept = before["outputs"][_DATA_PACKAGE]["inputs"]
        summary = before["validation"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        kept, summary = None, None
    if kept == inputs and isinstance(summary, dict):
        return summary
    from ukreport.validation.validate import validate

    return validation_summary(validate([root / "data/raw"]))


def _source_date() -> dict[str, Any]:
    when = _meta.build_time()
    return {
        "source_date_epoch": _meta.source_date_epoch(),
        "date": None if when is None else when.date().isoformat(),
    }


def build_manifest(
    root: Path,
    *,
    validation: Mapping[str, Any] | None = None,
    previous: Path | None = None,
    read: Mapping[str, Hashes] | None = None,
) -> dict[str, Any]:
    """The manifest of the build in ``root``.

    ``validation`` is the result of validating ``data/raw`` (:func:`validation_summary`)
    when the caller has just done so; otherwise it comes from the ``previous`` manifest
    (default: ``reports/_build/manifest.json``) if the data are unchanged since, or from
    validating again. ``read`` is what each step of this run read (by step name,
    :func:`~.reads.watched`): an output's inputs are recorded as its step read them,
    not as they are now (:func:`~.reads.recorded`). Raises :class:`InputError` naming
    the outputs that are missing.
    """
    steps = built(root, pipeline(root))
    made_from = upstream(steps)
    sources = sorted({path for step in steps for path in step.inputs})
    hashes = {path: sha256(root / path) for path in sorted({*sources, *made_from})}
    missing = [path for path, digest in hashes.items() if digest is None]
    if missing:
        raise InputError(
            root, f"cannot write a manifest: missing {', '.join(missing)} (run make report)"
        )
    step_of = {out: step for step in steps for out in step.outputs}
    inputs = recorded(root, steps, made_from, hashes, read or {})
    return {
        "manifest_version": FORMAT_VERSION,
        "package": {"name": "ukreport", "version": _meta.version()},
        "build": _source_date(),
        "git": _git.state(root, sources),
        "environment": environment(),
        "validation": dict(validation)
        if validation is not None
        else _validation(
            root,
            previous if previous is not None else root / MANIFEST,
            inputs[_DATA_PACKAGE],
        ),
        "steps": {
            step.name: {
                "command": step.command,
                "inputs": sorted(step.inputs),
                "after": list(step.after),
                "outputs": list(step.outputs),
            }
            for step in steps
        },
        "outputs": {
            out: {"sha256": hashes[out], "step": step_of[out].name, "inputs": inputs[out]}
            for out in sorted(made_from)
        },
    }


def dumps(manifest: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8, a final newline."""
    return _io.dumps(manifest, sort_keys=True)


def write_manifest(
    root: Path,
    out: Path,
    *,
    validation: Mapping[str, Any] | None = None,
    read: Mapping[str, Hashes] | None = None,
) -> Path:
    """Write the manifest of the build in ``root`` to ``out`` (atomically); return ``out``.

    The manifest ``out`` replaces is the one whose validation result may be reused
    (see :func:`build_manifest`, which says what ``read`` is).
    """
    from ukreport._io import write_atomically

    manifest = build_manifest(root, validation=validation, previous=out, read=read)
    write_atomically(out, dumps(manifest).encode("utf-8"))
    return out
