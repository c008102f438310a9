"""Running pandoc and quarto, through the package's one command wrapper.

Every failure becomes an :class:`~ukreport.errors.ExternalCommandError` that carries
the command, its exit status and the end of its stderr, so the user sees why; what a
successful run prints on stderr is logged as warnings.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pypandoc

from ukreport import _proc
from ukreport.errors import RenderError

__all__ = [
    "MARKDOWN_FORMAT",
    "convert",
    "nodes",
    "pandoc_path",
    "parse_markdown",
    "run",
    "run_pandoc",
]

logger = logging.getLogger(__name__)


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
) -> str:
    """Run ``command`` (``input`` on its stdin) and return its stdout; raise
    ExternalCommandError if it fails."""
    done = _proc.run(command, cwd=cwd, env=env, input=input, timeout=timeout)
    for line in done.errors().splitlines():
        logger.warning("%s: %s", Path(done.command[0]).name, line)
    return done.text()


def pandoc_path() -> str:
    """Locate pandoc: the ``pypandoc_binary`` wheel's copy first, then PATH."""
    try:
        path = str(pypandoc.get_pandoc_path())
        if path:
            return path
    except OSError:
        logger.debug("pypandoc has no pandoc binary; looking on PATH")
    found = shutil.which("pandoc")
    if found is None:
        hint = "install the report extra: pip install 'ukreport[report]'"
        raise RenderError("pandoc", None, f"pandoc not found; {hint}")
    return found


def run_pandoc(args: Sequence[str | Path], *, cwd: Path, timeout: float | None = None) -> str:
    """Run pandoc with ``args`` in ``cwd``."""
    return run([pandoc_path(), *args], cwd=cwd, timeout=timeout)


MARKDOWN_FORMAT = "markdown"
"""Pandoc Markdown. ``[@key]`` cites a source (:mod:`.citations`); text from the data is
escaped, ``@`` included, so only the essay's own words can cite."""


def parse_markdown(markdown: Path, *, timeout: float | None = None) -> Path:
    """Read ``markdown`` once into pandoc's document tree (JSON, beside it), which every
    output is then written from: reading is the slow half of a conversion."""
    out = markdown.with_suffix(".json")
    run_pandoc(
        [markdown, f"--from={MARKDOWN_FORMAT}", "--to=json", f"--output={out}"],
        cwd=out.parent,
        timeout=timeout,
    )
    return out


def convert(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    to: str,
    template: str | None,
    out: Path,
    resource_path: list[Path],
    options: Sequence[str] = (),
    timeout: float | None = None,
) -> Path:
    """The conversion every output shares: the essay's tree (from
    :func:`parse_markdown`) and metadata through the template and Lua filter in
    ``assets`` (no template for a binary format such as DOCX), with a table of contents
    to level 3 and no line wrapping; ``options`` add what one output needs. Runs in
    ``out``'s folder."""
    run_pandoc(
        [
            tree,
            "--from=json",
            f"--metadata-file={metadata}",
            f"--to={to}",
            "--standalone",
            *([f"--template={assets / template}"] if template else []),
            f"--lua-filter={assets / 'ukreport.lua'}",
            "--toc",
            "--toc-depth=3",
            "--wrap=none",
            *options,
            f"--resource-path={':'.join(str(p) for p in resource_path)}",
            f"--output={out}",
        ],
        cwd=out.parent,
        timeout=timeout,
    )
    return out


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every element of a pandoc JSON tree (or part of one), each before what it holds,
    in document order."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from nodes(item)
