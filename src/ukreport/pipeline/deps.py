"""The import closure of a set of modules: the code a build step runs.

A step's output can change when any module it imports changes, directly or through
another module, so the code each output depends on is the import closure of the step's
entry modules (and the data files those modules read), found by reading the package's
own imports. :mod:`~.graph` names each step's entry modules; a new module a step
imports is a prerequisite without anyone remembering to add it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

from ukreport.errors import InputError

__all__ = ["DATA_FILES", "closure", "imported"]

PACKAGE = "ukreport"

DATA_FILES: dict[str, tuple[str, ...]] = {
    "ukreport.sources": ("denied-hosts.toml",),
    "ukreport.publishers": ("publishers.toml",),
}
"""Files beside a module that it reads at run time, so they count as its code."""


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


def _source(path: Path) -> str:
    """The text of module ``path``, checked to be Python that parses."""
    try:
        text = path.read_text(encoding="utf-8")
        ast.parse(text)
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text; save the module as UTF-8") from None
    except SyntaxError as error:
        raise InputError(path, f"is not valid Python (line {error.lineno}): {error.msg}") from None
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror}") from None
    return text


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
            todo += sorted(imported(_source(path), package))
    files: set[Path] = set()
    for module in seen:
        path = _path(source_root, module)
        assert path is not None
        files.add(path)
        files |= {path.parent / name for name in DATA_FILES.get(module, ())}
    return sorted(files)
