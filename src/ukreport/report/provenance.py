"""The line under every computed table and figure: what built it, from which data.

A reader who doubts a number can follow the link to the function, at the commit the
report was built from, and check the data's hash against ``datapackage.json``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from IPython.display import Markdown

from ukreport import _meta, datasets, paths
from ukreport._git import source_state
from ukreport.references import key_of
from ukreport.report.render.escape import escape

__all__ = ["markdown", "provenance"]


def markdown(text: str) -> Markdown:
    """``text`` shown by the kernel as Markdown, which the renderer passes to pandoc."""
    return Markdown(text)  # type: ignore[no-untyped-call]


def _source_link(function: Callable[..., object], commit: str | None) -> str:
    """Where ``function`` is in the public repository, at the commit being built."""
    name = f"{function.__module__}.{function.__qualname__}"
    repository = _meta.repository()
    source = inspect.getsourcefile(function)
    if repository is None or source is None:
        return f"`{escape(name)}`"
    package_root = paths.SOURCE_ROOT
    path = "src/" + Path(source).resolve().relative_to(package_root).as_posix()
    line = inspect.getsourcelines(function)[1]
    ref = commit or f"v{_meta.version()}"
    return f"[`{name}`](<{repository}/blob/{ref}/{path}#L{line}>)"


def provenance(
    function: Callable[..., object], tables: list[str], sources: Sequence[str] = ()
) -> Markdown:
    """One discreet line: which function built a figure or table, from which tables
    (with the first characters of their SHA-256), validated, citing the data package,
    with a link to the function's source; and, given the ``sources`` (addresses) of the
    rows shown, a citation of each, in order."""
    package = json.loads(
        datasets.data_path().joinpath("datapackage.json").read_text(encoding="utf-8")
    )
    hashes = {r["name"]: r["hash"].split(":", 1)[1][:8] for r in package["resources"]}
    used = ", ".join(f"{table}.csv (sha256 {hashes[table]})" for table in tables)
    commit, dirty = source_state(paths.PACKAGE_DIR)
    at = f" at commit {commit[:7]}" if commit else ""
    if dirty:
        at += " (with uncommitted changes)"
    rows = ""
    if sources:
        cited = "; ".join(f"@{key_of(url)}" for url in dict.fromkeys(sources))
        rows = f" The rows' sources, in order: [{cited}]."
    return markdown(
        f"::: {{.provenance}}\nBuilt by {_source_link(function, commit)}{at} from {used}, "
        f"validated against its schema, data package version {package['version']} "
        f"[@{package['name']}].{rows}\n:::\n"
    )
