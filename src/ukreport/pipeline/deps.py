"""The code each build step runs, computed once from the package's own imports.

A step's output can change when any module it imports changes, directly or through
another module, so the list of code each output depends on is the import closure of
the step's entry modules (and the data files those modules read). The Makefile includes
it as ``deps.mk`` (written by ``make deps``, checked for drift by a test), and
:mod:`ukreport.pipeline.manifest` and ``ukreport build`` read the same lists from it: the
build graph is declared in one place, and a new module a step imports is a
prerequisite without anyone remembering to add it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "DATA_FILES",
    "ENTRY_POINTS",
    "STEP_VARIABLES",
    "closure",
    "code",
    "imported",
    "makefile_fragment",
]

PACKAGE = "ukreport"

ENTRY_POINTS: dict[str, tuple[str, ...]] = {
    "schemas": ("ukreport.tableschema",),
    "data": ("ukreport.process",),
    "figures": ("ukreport.report.figures",),
    # The renderer, and what the essay's cells import in the kernel.
    "report": ("ukreport.report.render", "ukreport.report.essay"),
}
"""Each step's entry modules: what ``ukreport <step>`` (or the essay's cells) runs."""

DATA_FILES: dict[str, tuple[str, ...]] = {"ukreport.sources": ("denied-hosts.toml",)}
"""Files beside a module that it reads at run time, so they count as its code."""

STEP_VARIABLES = {
    "schemas": "SCHEMAS_CODE",
    "data": "DATA_CODE",
    "figures": "FIGURES_CODE",
    "report": "REPORT_CODE",
}
"""The Make variable holding each step's code in ``deps.mk``."""


def _path(source_root: Path, module: str) -> Path | None:
    """The source file of ``module`` under ``source_root``, or ``None`` if it is not one."""
    base = source_root / Path(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def imported(code: str, package: str = PACKAGE) -> set[str]:
    """Every module of this package that ``code`` may import, at the top or inside a
    function; ``package`` is the package relative imports start from."""
    return set(_imported(code, package))


@functools.lru_cache(maxsize=512)
def _imported(code: str, package: str) -> frozenset[str]:
    """:func:`imported`, remembered: the steps' closures share most modules, and
    parsing each module is most of the work of computing them."""
    found: set[str] = set()
    tree = ast.parse(code)
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:  # imports for the type checker run nothing
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from ukreport import essay`` imports a module; ``from x import name`` may.
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(name for name in found if name == PACKAGE or name.startswith(PACKAGE + "."))


def closure(source_root: Path, entries: Iterable[str]) -> list[Path]:
    """The source files of ``entries`` and of every package module they import, directly
    or not, with the data files those modules read; sorted."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
            module = ".".join(parts[:depth])
            path = _path(source_root, module)
            if module in seen or path is None:
                continue
            seen.add(module)
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            todo += sorted(imported(path.read_text(encoding="utf-8"), package))
    files: set[Path] = set()
    for module in seen:
        path = _path(source_root, module)
        assert path is not None
        files.add(path)
        files |= {path.parent / name for name in DATA_FILES.get(module, ())}
    return sorted(files)


def code(root: Path, step: str) -> tuple[str, ...]:
    """The files (relative to ``root``, sorted) whose change can change ``step``'s output."""
    files = closure(root / "src", ENTRY_POINTS[step])
    return tuple(p.relative_to(root).as_posix() for p in files)


def makefile_fragment(root: Path) -> str:
    """``deps.mk``: one Make variable per step, listing its code."""
    lines = [
        "# The code each build step runs: the import closure of its entry modules.",
        "# Generated by `make deps` (src/ukreport/pipeline/deps.py); do not edit by hand.",
    ]
    for step, variable in STEP_VARIABLES.items():
        files = code(root, step)
        lines.append(f"{variable} := \\")
        lines += [f"  {path} \\" for path in files[:-1]]
        lines.append(f"  {files[-1]}")
    return "\n".join(lines) + "\n"
