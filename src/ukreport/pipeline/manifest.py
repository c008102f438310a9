"""The build manifest: what every output was made from, by which code, in which environment.

``reports/_build/manifest.json`` records, for every output of the pipeline (the data
package, the Table Schemas, the figures, the HTML and the PDF), its SHA-256 and the
SHA-256 of every file it was made from: raw tables, essay, report assets and the code
modules of each step. It also records the package version, the git commit (and which
inputs differ from it), Python and library versions, and the validation result. It
holds no timestamp, so the same build gives the same bytes.

:func:`verify_manifest` re-hashes what is on disk and says which outputs are stale
against which inputs. The dependency map, :func:`pipeline`, mirrors the Makefile's
rules (``tests/test_manifest.py`` checks that the two agree).
"""

from __future__ import annotations

import json
import platform
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport import _git, _io, _meta
from ukreport.errors import InputError
from ukreport.paths import TABLES

if TYPE_CHECKING:
    from ukreport.validation_report import Report as ValidationReport

__all__ = [
    "MANIFEST",
    "Step",
    "Verification",
    "build_manifest",
    "declared_code",
    "outputs",
    "pipeline",
    "upstream",
    "validation_summary",
    "verify_manifest",
    "write_manifest",
]

MANIFEST = Path("reports/_build/manifest.json")
"""Where ``make report`` writes the manifest, relative to the repository root."""
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

# --- the dependency map ---------------------------------------------------------------

ESSAY = "reports/essay.qmd"


@dataclass(frozen=True)
class Step:
    """One rule of the Makefile: the command, what it writes and what it reads.

    ``inputs`` are source files (in git, never written by the build); ``after`` names
    the steps whose outputs it reads, so it depends on all of their outputs too.
    """

    name: str
    command: str
    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    after: tuple[str, ...] = ()
    optional: bool = False
    """Made only on request (``make docx``): recorded when its outputs are there."""


def _listing(root: Path, folder: str, pattern: str) -> tuple[str, ...]:
    """Files matching ``pattern`` in ``folder``, as Make's ``$(wildcard)`` sees them."""
    return tuple(
        sorted(p.relative_to(root).as_posix() for p in (root / folder).glob(pattern) if p.is_file())
    )


_ASSIGNMENT = re.compile(r"^(?P<name>[A-Z_]+) :=(?P<value>(?:[^\n]*\\\n)*[^\n]*)$", re.MULTILINE)
"""``NAME := a \\`` and its continuation lines, as ``deps.mk`` writes them."""


def declared_code(root: Path) -> dict[str, tuple[str, ...]]:
    """Each step's code as ``deps.mk`` lists it for Make, or ``{}`` without one.

    Reading the lists Make uses is instant and, by construction, agrees with Make;
    computing them again from the imports (:func:`ukreport.pipeline.deps.code`) takes a
    fifth of a second, and a test checks that the two agree.
    """
    from ukreport.pipeline.deps import STEP_VARIABLES

    try:
        text = (root / "deps.mk").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    step_of = {variable: step for step, variable in STEP_VARIABLES.items()}
    found: dict[str, tuple[str, ...]] = {}
    for match in _ASSIGNMENT.finditer(text):
        if match["name"] in step_of:
            words = match["value"].replace("\\\n", " ").split()
            found[step_of[match["name"]]] = tuple(sorted(words))
    return found


def _code(root: Path, step: str, declared: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    from ukreport.pipeline.deps import code

    return declared[step] if step in declared else code(root, step)


def _figure_files(root: Path) -> tuple[str, ...]:
    """The figure files: as ``figures.json`` lists them once drawn, else as the figure
    registry will draw them (which imports pandas and the charts' code)."""
    index = root / "reports/figures/figures.json"
    try:
        listed = json.loads(index.read_text(encoding="utf-8"))
        names = sorted(name for entry in listed.values() for name in entry["files"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        from ukreport.report.figures import FIGURES, FORMATS

        names = [f"{name}.{fmt}" for name in FIGURES for fmt in FORMATS]
    return tuple(f"reports/figures/{name}" for name in names)


def pipeline(root: Path) -> tuple[Step, ...]:
    """The build's steps, in order, with paths relative to ``root`` (the Makefile's rules)."""
    declared = declared_code(root)
    raw = tuple(f"data/raw/{t}.csv" for t in TABLES)
    processed = tuple(f"data/processed/{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))
    return (
        Step(
            "schemas",
            "ukreport schemas",
            tuple(f"schemas/{kind}/{t}.json" for kind in ("raw", "processed") for t in TABLES),
            _code(root, "schemas", declared),
        ),
        Step(
            "data",
            "ukreport process",
            (*processed, "data/processed/references.json", "data/processed/datapackage.json"),
            (*raw, *_code(root, "data", declared), "pyproject.toml"),
        ),
        Step(
            "figures",
            "ukreport figures",
            (*_figure_files(root), "reports/figures/figures.json"),
            _code(root, "figures", declared),
            after=("data",),
        ),
        Step(
            "report",
            "ukreport render",
            ("reports/_build/essay.html", "reports/_build/essay.pdf"),
            (ESSAY, *_listing(root, "reports/assets", "*"), *_code(root, "report", declared)),
            after=("figures", "data"),
        ),
        Step(
            "docx",
            "ukreport render --format docx",
            ("reports/_build/essay.docx",),
            (ESSAY, *_listing(root, "reports/assets", "*"), *_code(root, "report", declared)),
            after=("figures", "data"),
            optional=True,
        ),
    )


def outputs(steps: Iterable[Step], *, optional: bool = False) -> list[str]:
    """Every output of ``steps``, in build order; those made only on request too when
    ``optional``."""
    return [path for step in steps if optional or not step.optional for path in step.outputs]


def built(root: Path, steps: Iterable[Step]) -> tuple[Step, ...]:
    """``steps`` without those made only on request that are not there or are older
    than what they are made from: the manifest must not say an old Word document was
    made from today's essay."""
    every = tuple(steps)
    by_name = {step.name: step for step in every}

    def mtime(path: str) -> int | None:
        try:
            return (root / path).stat().st_mtime_ns
        except OSError:
            return None

    def current(step: Step) -> bool:
        made = [mtime(path) for path in step.outputs]
        if any(when is None for when in made):
            return False
        sources = [*step.inputs, *(o for before in step.after for o in by_name[before].outputs)]
        newest = max((when for name in sources if (when := mtime(name)) is not None), default=0)
        return min(when for when in made if when is not None) >= newest

    return tuple(step for step in every if not step.optional or current(step))


def upstream(steps: Iterable[Step]) -> dict[str, list[str]]:
    """Each output → every file it is made from, directly or through earlier steps."""
    by_name = {step.name: step for step in steps}
    closure: dict[str, set[str]] = {}

    def files(name: str) -> set[str]:
        if name not in closure:
            step = by_name[name]
            found = set(step.inputs)
            for before in step.after:
                found |= files(before) | set(by_name[before].outputs)
            closure[name] = found
        return closure[name]

    return {out: sorted(files(step.name)) for step in by_name.values() for out in step.outputs}


# --- hashes and provenance --------------------------------------------------------------


def sha256(path: Path) -> str | None:
    """The file's SHA-256 in hex, or None when it does not exist or is not a regular
    file (a FIFO named in a manifest would otherwise block the read)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _io.sha256(data)


def _recorded(path: Path) -> dict[str, dict[str, Any]]:
    """The manifest's outputs, each checked to be what ``write_manifest`` writes: a
    relative path inside the root, with a digest and inputs given as path → digest."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(path, "is not a regular file; give the path of manifest.json")
        document = json.loads(path.read_text(encoding="utf-8"))
    except InputError:
        raise
    except FileNotFoundError as exc:
        raise InputError(path, "no manifest; run make report to write one") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}; "
            "run make report to write it again",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable manifest: {exc}") from None
    outputs = document.get("outputs") if isinstance(document, dict) else None

    def relative(name: object) -> bool:
        return (
            isinstance(name, str)
            and bool(name)
            and not Path(name).is_absolute()
            and ".." not in Path(name).parts
        )

    def entry_ok(entry: object) -> bool:
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256", ""), str):
            return False
        inputs = entry.get("inputs", {})
        return isinstance(inputs, dict) and all(
            relative(name) and isinstance(digest, str) for name, digest in inputs.items()
        )

    if not isinstance(outputs, dict):
        raise InputError(path, "not a manifest: it has no 'outputs' object; run make report")
    for name, entry in outputs.items():
        if not relative(name) or not entry_ok(entry):
            shown = json.dumps(name)[:80]
            raise InputError(
                path,
                f"not a manifest: the entry {shown} is not a relative path with a 'sha256' "
                "and 'inputs' (path: digest); run make report to write it again",
            )
    return outputs


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
        recorded = before["outputs"][_DATA_PACKAGE]["inputs"]
        summary = before["validation"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        recorded, summary = None, None
    if recorded == inputs and isinstance(summary, dict):
        return summary
    from ukreport.validate import validate

    return validation_summary(validate([root / "data/raw"]))


def _source_date() -> dict[str, Any]:
    when = _meta.build_time()
    return {
        "source_date_epoch": _meta.source_date_epoch(),
        "date": None if when is None else when.date().isoformat(),
    }


def build_manifest(
    root: Path, *, validation: Mapping[str, Any] | None = None, previous: Path | None = None
) -> dict[str, Any]:
    """The manifest of the build in ``root``.

    ``validation`` is the result of validating ``data/raw`` (:func:`validation_summary`)
    when the caller has just done so; otherwise it comes from the ``previous`` manifest
    (default: ``reports/_build/manifest.json``) if the data are unchanged since, or from
    validating again. Raises :class:`InputError` naming the outputs that are missing.
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
            {path: hashes[path] for path in made_from[_DATA_PACKAGE]},
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
            out: {
                "sha256": hashes[out],
                "step": step_of[out].name,
                "inputs": {path: hashes[path] for path in made_from[out]},
            }
            for out in sorted(made_from)
        },
    }


def dumps(manifest: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8, a final newline."""
    return _io.dumps(manifest, sort_keys=True)


def write_manifest(root: Path, out: Path, *, validation: Mapping[str, Any] | None = None) -> Path:
    """Write the manifest of the build in ``root`` to ``out`` (atomically); return ``out``.

    The manifest ``out`` replaces is the one whose validation result may be reused
    (see :func:`build_manifest`).
    """
    from ukreport._io import write_atomically

    manifest = build_manifest(root, validation=validation, previous=out)
    write_atomically(out, dumps(manifest).encode("utf-8"))
    return out


# --- verification -----------------------------------------------------------------------


@dataclass
class Verification:
    """The outputs of a manifest, sorted by what is wrong with them now."""

    manifest: Path
    fresh: list[str] = field(default_factory=list)
    stale: dict[str, list[str]] = field(default_factory=dict)
    """Output → the inputs that changed (``path``), went missing or appeared since."""
    changed: dict[str, list[str]] = field(default_factory=dict)
    """Output whose own bytes changed → the inputs that changed too (maybe none)."""
    missing: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every output is fresh, else 1."""
        return 0 if not (self.stale or self.changed or self.missing) else 1

    def summary(self) -> str:
        """``22 outputs: 6 fresh, 16 stale`` (or ``all 22 outputs are fresh``)."""
        counts = {
            "fresh": len(self.fresh),
            "stale": len(self.stale),
            "changed": len(self.changed),
            "missing": len(self.missing),
        }
        total = sum(counts.values())
        if total == counts["fresh"]:
            return f"all {total} outputs in {self.manifest} are fresh"
        shown = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        return f"{total} outputs in {self.manifest}: {shown}"

    def lines(self) -> list[str]:
        """One line per output that is not fresh, in path order."""
        out: list[tuple[str, str]] = []
        for path in self.missing:
            out.append((path, f"{path} is missing"))
        for path, inputs in self.changed.items():
            if inputs:
                why = f"changed, and so did its inputs ({_listed(inputs)}): rebuilt since?"
            else:
                why = "changed although none of its inputs did: edited by hand, or not reproducible"
            out.append((path, f"{path} {why}"))
        for path, inputs in self.stale.items():
            out.append((path, f"{path} is stale: {_listed(inputs)}"))
        return [line for _, line in sorted(out)]


def _listed(notes: list[str]) -> str:
    """``a, b changed; c removed`` from ``["a changed", "b changed", "c removed"]``."""
    groups: dict[str, list[str]] = {}
    for note in notes:
        path, _, what = note.rpartition(" ")
        groups.setdefault(what, []).append(path)
    return "; ".join(f"{', '.join(paths)} {what}" for what, paths in groups.items())


def verify_manifest(root: Path, manifest: Path | None = None) -> Verification:
    """Compare the files in ``root`` with the manifest (default ``reports/_build/manifest.json``).

    Raises :class:`InputError` when there is no readable manifest.
    """
    path = manifest if manifest is not None else root / MANIFEST
    recorded = _recorded(path)
    now_from = upstream(built(root, pipeline(root)))
    cache: dict[str, str | None] = {}

    def current(file: str) -> str | None:
        if file not in cache:
            cache[file] = sha256(root / file)
        return cache[file]

    result = Verification(path)
    for out in sorted(recorded):
        entry = recorded[out]
        inputs: dict[str, str] = entry.get("inputs", {})
        notes = [
            f"{name} {'removed' if current(name) is None else 'changed'}"
            for name, digest in sorted(inputs.items())
            if current(name) != digest
        ]
        notes += [f"{name} added" for name in now_from.get(out, []) if name not in inputs]
        if current(out) is None:
            result.missing.append(out)
        elif current(out) != entry.get("sha256"):
            result.changed[out] = notes
        elif notes:
            result.stale[out] = notes
        else:
            result.fresh.append(out)
    return result
