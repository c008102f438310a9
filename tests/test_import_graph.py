"""The package's import graph: no circles, and no arrow from a lower floor to a higher one.

Every import the package's source holds counts — at the top of a module, inside a
function, or for the type checker only — because each is a dependency a reader has to
follow. The floors, from the ground up:

ground floor < schemas < validation < publishing < report, review < pipeline < cli

A module may import its own floor and the floors below it; wings on one floor (report
and review) may use each other, but not both ways round.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from ukreport.paths import PACKAGE_DIR

PACKAGE = "ukreport"

LAYERS = {
    "ground": 0,
    "schemas": 1,
    "validation": 2,
    "publishing": 3,
    "report": 4,
    "review": 4,
    "pipeline": 5,
    "cli": 6,
}
"""Each wing's floor."""

WINGS = {
    # The ground floor: places, the writer, errors, version, subprocesses, and what
    # every rule and message stands on.
    "ukreport._cache": "ground",
    "ukreport._files": "ground",
    "ukreport._git": "ground",
    "ukreport._io": "ground",
    "ukreport._meta": "ground",
    "ukreport._proc": "ground",
    "ukreport.arrowtext": "ground",
    "ukreport.characters": "ground",
    "ukreport.dates": "ground",
    "ukreport.display": "ground",
    "ukreport.errors": "ground",
    "ukreport.extras": "ground",
    "ukreport.glyphs": "ground",
    "ukreport.paths": "ground",
    "ukreport.sources": "ground",
    "ukreport.publishers": "ground",
    # Publishing the package: the loaders, the data package, its schemas and references.
    "ukreport": "publishing",
    "ukreport.datasets": "publishing",
    "ukreport.process": "publishing",
    "ukreport.references": "publishing",
    "ukreport.tableschema": "publishing",
    # The wings, by folder.
    "ukreport.schemas": "schemas",
    "ukreport.validation": "validation",
    "ukreport.report": "report",
    "ukreport.review": "review",
    "ukreport.pipeline": "pipeline",
    "ukreport.cli": "cli",
    # Old import paths of the validation wing, re-exporting it.
}
"""Module, or package and everything in it → its wing; the longest match wins."""


def _modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """The package's modules that ``name`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(filter(None, [*anchor, base]))
            # ``from a import b`` imports the module a.b when there is one, else a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            module = target
            while module not in MODULES and module.startswith(PACKAGE + "."):
                module = module.rpartition(".")[0]  # ``import a.b.c`` where c is a name
            if module in MODULES and module != name:
                yield module


GRAPH = {name: sorted(set(_imports(name, path))) for name, path in MODULES.items()}


def wing(module: str) -> str:
    """The wing ``module`` belongs to (:data:`WINGS`)."""
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        # The package itself is publishing; that does not make a new root module so.
        if prefix in WINGS and (prefix != PACKAGE or module == PACKAGE):
            return WINGS[prefix]
    raise KeyError(module)


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A circle in ``graph`` (its nodes in order, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for after in graph.get(node, []):
            if state.get(after) == 1:
                return [*path[path.index(after) :], after]
            if after not in state:
                found = visit(after)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_every_module_has_a_wing() -> None:
    """A new module in the package root must say which floor it is on: the root holds
    only the ground floor and publishing."""
    unplaced = []
    for module in MODULES:
        try:
            wing(module)
        except KeyError:
            unplaced.append(module)
    assert not unplaced, f"add these to WINGS in {Path(__file__).name}: {unplaced}"


def test_no_module_imports_in_a_circle() -> None:
    cycle = _cycle(GRAPH)
    assert cycle is None, " → ".join(cycle or [])


def test_no_wings_import_in_a_circle() -> None:
    wings: dict[str, set[str]] = {}
    for module, imported in GRAPH.items():
        wings.setdefault(wing(module), set()).update(
            wing(other) for other in imported if wing(other) != wing(module)
        )
    cycle = _cycle({name: sorted(after) for name, after in wings.items()})
    assert cycle is None, " → ".join(cycle or [])


def test_no_import_runs_up_a_floor() -> None:
    upward = [
        f"{module} ({wing(module)}) imports {other} ({wing(other)})"
        for module, imported in GRAPH.items()
        for other in imported
        if LAYERS[wing(other)] > LAYERS[wing(module)]
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": ["b"], "b": ["c"], "c": []}, None),
        ({"a": ["b"], "b": ["c"], "c": ["a"]}, ["a", "b", "c", "a"]),
        ({"a": ["a"]}, ["a", "a"]),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}, None),
    ],
)
def test_a_circle_is_found(graph: dict[str, list[str]], expected: list[str] | None) -> None:
    """The check above can fail: a circle of any length is found, a diamond is not one."""
    assert _cycle(graph) == expected


def test_imports_are_read_as_python_resolves_them() -> None:
    """Function-level, type-only and ``from a import module`` imports all count."""
    assert "ukreport.validation.report" in GRAPH["ukreport.process"]
    assert "ukreport.schemas.checks" in GRAPH["ukreport.schemas.raw"]  # from a import b
    assert "ukreport.datasets" in GRAPH["ukreport"]  # inside a function and TYPE_CHECKING
    assert "ukreport.schemas" in GRAPH["ukreport.report.figures.data"]  # a name, not a module
    assert wing("ukreport.validation.table") == "validation"
    assert wing("ukreport.pipeline.graph") == "pipeline"
    assert wing("ukreport._git") == wing("ukreport._cache") == "ground"
    assert wing("ukreport") == "publishing"
    with pytest.raises(KeyError):
        wing("ukreport.newmodule")
