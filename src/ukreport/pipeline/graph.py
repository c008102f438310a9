"""The build graph, declared once: every step, what it reads and writes, and in what order.

:data:`STEPS` is the one declaration. The Makefile's step rules are written from it
(``deps.mk``, by ``make deps``: :mod:`~.makefile`), ``ukreport build`` runs it
(:mod:`~.runner`), the manifest records it (:mod:`~.provenance`), preview brings its
first steps up to date, and the command line offers its step names. Adding a step is
one :class:`Declared` entry and the function it runs.

A step's code is the import closure of its entry modules (:mod:`~.deps`), read from
``deps.mk`` where Make reads it. Whether a step is out of date is decided by one rule,
Make's (:func:`out_of_date`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ukreport.paths import TABLES

__all__ = [
    "BUILDABLE",
    "CHAIN",
    "MANIFEST",
    "STEPS",
    "Declared",
    "Step",
    "before",
    "built",
    "code",
    "declared_code",
    "out_of_date",
    "outputs",
    "pipeline",
    "reads",
    "steps",
    "through",
    "upstream",
]

MANIFEST = Path("reports/_build/manifest.json")
"""Where ``make report`` writes the manifest, relative to the repository root."""
ESSAY = "reports/essay.qmd"
ASSETS = "reports/assets/*"

Files = tuple[str, ...] | Callable[[Path], tuple[str, ...]]
"""Paths relative to the root (``*`` patterns allowed in inputs), or a function of the
root that lists them (outputs known only once made)."""


@dataclass(frozen=True)
class Declared:
    """One step as declared: everything Make, the runner and the manifest need.

    ``inputs`` are source files (in git, never written by the build); ``after`` names
    the steps whose outputs it reads, so it depends on all of their outputs too;
    ``entry`` are the modules it runs, whose import closure is its code.
    """

    name: str
    command: str
    """What the manifest says made the outputs."""
    entry: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: Files
    after: tuple[str, ...] = ()
    targets: tuple[str, ...] | None = None
    """The outputs Make knows the step by (default: all of them)."""
    recipe: tuple[str, ...] = ("$(call BUILD,{name})",)
    """The Make recipe's lines; by default ``ukreport build`` runs it (see ``action``)."""
    action: str | None = None
    """``module:function`` that ``ukreport build`` calls to make it; ``None`` for a step
    that only Make runs."""
    optional: bool = False
    """Made only on request (``make docx``): recorded when its outputs are there, never
    in :data:`CHAIN`, and no other step's rule waits for it."""
    recorded: bool = True
    """Whether the manifest lists its outputs (not the manifest's own)."""


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
    return (*(f"reports/figures/{name}" for name in names), "reports/figures/figures.json")


_PROCESSED = tuple(f"data/processed/{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))

STEPS: tuple[Declared, ...] = (
    Declared(
        "schemas",
        "ukreport schemas",
        entry=("ukreport.tableschema",),
        inputs=(),
        outputs=tuple(f"schemas/{kind}/{t}.json" for kind in ("raw", "processed") for t in TABLES),
        recipe=("@$(UKREPORT) schemas --out schemas",),
    ),
    Declared(
        "data",
        "ukreport process",
        entry=("ukreport.process",),
        inputs=(*(f"data/raw/{t}.csv" for t in TABLES), "pyproject.toml"),
        outputs=(*_PROCESSED, "data/processed/references.json", "data/processed/datapackage.json"),
        targets=("data/processed/datapackage.json",),
        action="ukreport.pipeline.actions:data",
    ),
    Declared(
        "figures",
        "ukreport figures",
        entry=("ukreport.report.figures",),
        inputs=(),
        outputs=_figure_files,
        after=("data",),
        targets=("reports/figures/figures.json",),
        action="ukreport.pipeline.actions:figures",
    ),
    Declared(
        "record",
        "ukreport record",
        # from the data package alone: a prose edit of the essay never rebuilds it
        entry=("ukreport.report.record",),
        inputs=(),
        outputs=("reports/_build/record.html", "reports/_build/record.pdf"),
        after=("data",),
        action="ukreport.pipeline.actions:record",
    ),
    Declared(
        "report",
        "ukreport render",
        # The renderer, and what the essay's cells import in the kernel.
        entry=("ukreport.report.render", "ukreport.report.essay"),
        inputs=(ESSAY, ASSETS),
        outputs=("reports/_build/essay.html", "reports/_build/essay.pdf"),
        after=("figures", "data"),
        action="ukreport.pipeline.actions:report",
    ),
    Declared(
        "docx",
        "ukreport render --format docx",
        entry=("ukreport.report.render", "ukreport.report.essay"),
        inputs=(ESSAY, ASSETS),
        outputs=("reports/_build/essay.docx",),
        after=("figures", "data"),
        action="ukreport.pipeline.actions:docx",
        optional=True,
    ),
    Declared(
        "manifest",
        "ukreport manifest",
        entry=("ukreport.pipeline.provenance",),
        inputs=(),
        outputs=(MANIFEST.as_posix(),),
        after=("schemas", "data", "figures", "record", "report", "docx"),
        action="ukreport.pipeline.actions:manifest",
        recorded=False,
    ),
)
"""The steps, in build order."""

CHAIN = tuple(step.name for step in STEPS if step.action is not None and not step.optional)
"""The steps ``ukreport build`` runs, in order (the Table Schemas come from the models
alone and are made by their own rule; the Word document only on request)."""

BUILDABLE = tuple(step.name for step in STEPS if step.action is not None)
"""The steps ``ukreport build`` can be asked for: the chain's and those made on request."""


@dataclass(frozen=True)
class Step:
    """One step with its paths resolved in a checkout: what the manifest records."""

    name: str
    command: str
    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    after: tuple[str, ...] = ()
    optional: bool = False


# --- the code each step runs -----------------------------------------------------------

_ASSIGNMENT = re.compile(r"^(?P<name>[A-Z_]+) :=(?P<value>(?:[^\n]*\\\n)*[^\n]*)$", re.MULTILINE)
"""``NAME := a \\`` and its continuation lines, as ``deps.mk`` writes them."""


def code_variable(step: str) -> str:
    """The Make variable that holds ``step``'s code in ``deps.mk``."""
    return f"{step.upper()}_CODE"


def declared_code(root: Path) -> dict[str, tuple[str, ...]]:
    """Each step's code as ``deps.mk`` lists it for Make, or ``{}`` without one.

    Reading the lists Make uses is instant and, by construction, agrees with Make;
    computing them again from the imports (:func:`code`) takes a fifth of a second.
    """
    try:
        text = (root / "deps.mk").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    step_of = {code_variable(step.name): step.name for step in STEPS}
    found: dict[str, tuple[str, ...]] = {}
    for match in _ASSIGNMENT.finditer(text):
        if match["name"] in step_of:
            words = match["value"].replace("\\\n", " ").split()
            found[step_of[match["name"]]] = tuple(sorted(words))
    return found


def code(root: Path, step: str) -> tuple[str, ...]:
    """The files (relative to ``root``, sorted) whose change can change ``step``'s
    output: the import closure of its entry modules."""
    from ukreport.errors import InputError
    from ukreport.pipeline.deps import _path, closure

    entry = next(declared.entry for declared in STEPS if declared.name == step)
    source = root / "src"
    for module in entry:
        if _path(source, module) is None:
            raise InputError(
                root,
                f"is not a checkout of this package: {module} (the {step} step's code) is "
                f"not under {source}; give the repository's root with --root",
            )
    files = closure(source, entry)
    return tuple(p.relative_to(root).as_posix() for p in files)


def _code(root: Path, step: str, listed: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``step``'s code as ``deps.mk`` lists it (``listed``), else from the imports."""
    return listed[step] if step in listed else code(root, step)


# --- the graph in a checkout ------------------------------------------------------------


def _expand(root: Path, names: Iterable[str]) -> tuple[str, ...]:
    """``names`` with each ``*`` pattern replaced by the files it matches, as Make's
    ``$(wildcard)`` sees them."""
    found: list[str] = []
    for name in names:
        if "*" not in name:
            found.append(name)
            continue
        folder, _, pattern = name.rpartition("/")
        matched = (p for p in (root / folder).glob(pattern) if p.is_file())
        found += sorted(p.relative_to(root).as_posix() for p in matched)
    return tuple(found)


def steps(root: Path, *, only: Callable[[Declared], bool] = lambda step: True) -> tuple[Step, ...]:
    """Every declared step (those ``only`` keeps), with paths relative to ``root``."""
    listed = declared_code(root)
    resolved = []
    for step in STEPS:
        if not only(step):
            continue
        made = step.outputs(root) if callable(step.outputs) else step.outputs
        inputs = (*_expand(root, step.inputs), *_code(root, step.name, listed))
        resolved.append(Step(step.name, step.command, made, inputs, step.after, step.optional))
    return tuple(resolved)


def reads(root: Path, names: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the steps ``names`` read in ``root``, for a watcher (preview's): the files
    they name, inputs and code, there or not; and the patterns under which a new file
    is an input too (``reports/assets/*``). Both relative to ``root``, sorted."""
    wanted = set(names)
    listed = declared_code(root)
    files: set[str] = set()
    patterns: set[str] = set()
    for step in STEPS:
        if step.name in wanted:
            patterns.update(name for name in step.inputs if "*" in name)
            files.update(name for name in step.inputs if "*" not in name)
            files.update(_code(root, step.name, listed))
    return tuple(sorted(files)), tuple(sorted(patterns))


def pipeline(root: Path) -> tuple[Step, ...]:
    """The steps whose outputs the manifest records, in order."""
    return steps(root, only=lambda step: step.recorded)


def outputs(steps: Iterable[Step], *, optional: bool = False) -> list[str]:
    """Every output of ``steps``, in build order; those made only on request too when
    ``optional``."""
    return [path for step in steps if optional or not step.optional for path in step.outputs]


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def out_of_date(
    root: Path, step: Step, by_name: Mapping[str, Step], ran: Iterable[str] = ()
) -> bool:
    """Make's rule: an output missing, an input (or an output of a step before it)
    newer than its oldest output, or a step before it that ran."""
    if set(ran) & set(step.after):
        return True
    made = [_mtime(root / name) for name in step.outputs]
    if any(when is None for when in made):
        return True
    oldest = min(when for when in made if when is not None)
    before = (out for name in step.after if name in by_name for out in by_name[name].outputs)
    return any(
        (when := _mtime(root / name)) is not None and when > oldest
        for name in (*step.inputs, *before)
    )


def built(root: Path, steps: Iterable[Step]) -> tuple[Step, ...]:
    """``steps`` without those made only on request that are not there or are out of
    date: the manifest must not say an old Word document was made from today's essay."""
    every = tuple(steps)
    by_name = {step.name: step for step in every}
    return tuple(s for s in every if not s.optional or not out_of_date(root, s, by_name))


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


def before(name: str) -> tuple[str, ...]:
    """The chain's steps ``name`` is made from, directly or not, in chain order: what
    preview brings up to date before it renders the essay itself (``before("report")``;
    the record, which the essay does not read, is not among them)."""
    return tuple(step for step in CHAIN if step in _needed(name))


def _needed(name: str) -> set[str]:
    """The steps ``name`` is made from, directly or not."""
    by_name = {step.name: step for step in STEPS}
    needed: set[str] = set()
    todo = list(by_name[name].after)
    while todo:
        step = todo.pop()
        if step not in needed:
            needed.add(step)
            todo += by_name[step].after
    return needed


def through(first: str, last: str | None) -> list[str]:
    """The chain's steps from ``first`` to ``last`` (``first`` alone without one), and
    those ``last`` is made from that ``first`` is not.

    A step made only on request (the Word document) is never in the chain: asked for,
    it comes with the steps it is made from and the manifest, which records it (``last``
    adds nothing, since the manifest comes last).
    """
    from ukreport.errors import InputError

    for name in (first, last):
        if name is not None and name not in BUILDABLE:
            raise InputError(Path(name), f"no such step; choose from {', '.join(BUILDABLE)}")
    if first not in CHAIN:
        return [*before(first), first, "manifest"]
    if last is not None and last not in CHAIN:
        raise InputError(Path(last), "is made on request alone: give it as the step itself")
    start = CHAIN.index(first)
    stop = max(start, CHAIN.index(last)) if last is not None else start
    # What ``last`` needs that ``first`` does not (the record, for the report through the
    # manifest): Make has not necessarily made it yet, and the manifest cannot wait.
    aside = _needed(CHAIN[stop]) - _needed(first)
    return [step for step in CHAIN if step in aside or start <= CHAIN.index(step) <= stop]
