"""The reference list, written once per output format and kept.

The essay's reference list (``::: {#refs}``, some 500 entries) is most of what pandoc
writes: it is 70% of the time to write the HTML and half of the Typst, yet it changes
only with the data. So the writer is given the document with a placeholder where the
list was, the list is written on its own beside it (or taken from ``store`` when the
same list was written before), and the placeholder is replaced by it. Pandoc writes the
list the same on its own as inside the document, so the page is the same, byte for
byte, as one written whole (a test compares the two).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ukreport._io import write_atomically
from ukreport.report.render.pandoc import convert, pandoc_path, run_pandoc

__all__ = ["FORMATS", "convert_keeping_list", "without_list"]

logger = logging.getLogger(__name__)

_TOKEN = "ukreport-reference-list-placeholder"
FORMATS: dict[str, tuple[str, str]] = {
    "html5": ("html", f"<!--{_TOKEN}-->"),
    "typst-citations": ("typst", _TOKEN),
}
"""Writer → (raw format, placeholder) for the writers whose list is kept."""
_VERSION = "1"
"""Bumped when what is kept, or how the key is made, changes."""


def _lists(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The reference lists among ``blocks``, at the top or inside divs (where pandoc's
    ``::: {#refs}`` puts one): only blocks are walked, not the text they hold."""
    for block in blocks:
        if block.get("t") == "Div":
            if block["c"][0][0] == "refs" and block["c"][1]:
                yield block
            else:
                yield from _lists(block["c"][1])


def without_list(document: dict[str, Any], to: str) -> tuple[dict[str, Any], str] | None:
    """Take the reference list out of ``document`` (in place), leaving a raw placeholder
    block for writer ``to``; return a document of the list alone and the placeholder.

    ``None`` (and ``document`` untouched) when the writer is not one of :data:`FORMATS`,
    or there is not exactly one list.
    """
    if to not in FORMATS:
        return None
    raw, placeholder = FORMATS[to]
    found = list(_lists(document["blocks"]))
    if len(found) != 1:
        return None
    (node,) = found
    alone = {**document, "blocks": [{"t": node["t"], "c": node["c"]}]}
    node["t"], node["c"] = "RawBlock", [raw, placeholder]
    return alone, placeholder


def key(alone: dict[str, Any], to: str, filter_: Path, metadata: Path) -> str:
    """What the written list depends on: the list, the writer, the Lua filter, the
    metadata the filter may read, and pandoc itself (its file, by size and time)."""
    binary = Path(pandoc_path())
    stat = binary.stat()
    digest = hashlib.sha256()
    for part in (
        _VERSION.encode(),
        to.encode(),
        json.dumps(alone, ensure_ascii=False, sort_keys=True).encode(),
        filter_.read_bytes(),
        metadata.read_bytes(),
        f"{binary} {stat.st_size} {stat.st_mtime_ns}".encode(),
    ):
        digest.update(f"{len(part)}\0".encode() + part)
    return digest.hexdigest()


def kept(store: Path | None, name: str) -> str | None:
    """The list kept under ``name`` in ``store``, if it is there and readable."""
    if store is None:
        return None
    try:
        return (store / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def keep(store: Path | None, name: str, text: str) -> None:
    """Keep ``text`` under ``name`` in ``store``; a read-only checkout still renders."""
    if store is None:
        return
    try:
        write_atomically(store / name, text.encode("utf-8"))
    except OSError as exc:
        logger.warning("could not keep the written reference list in %s: %s", store, exc)


def convert_keeping_list(
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
    store: Path | None,
) -> Path:
    """:func:`~.pandoc.convert`, with the reference list written apart and kept in
    ``store`` (a plain conversion without ``store``, or when the list cannot be taken
    out). The list alone is written by a second pandoc while the first writes the rest."""

    def write(source: Path) -> Path:
        return convert(
            source,
            metadata,
            assets,
            to=to,
            template=template,
            out=out,
            resource_path=resource_path,
            options=options,
            timeout=timeout,
        )

    text = tree.read_text(encoding="utf-8") if store is not None else _TOKEN
    document = json.loads(text) if _TOKEN not in text else None  # never mistake the text
    taken = without_list(document, to) if document is not None else None
    if document is None or taken is None:
        return write(tree)
    alone, placeholder = taken
    filter_ = assets / "ukreport.lua"
    name = f"{to}-{key(alone, to, filter_, metadata)}.txt"
    rest = out.with_name(f"{out.name}-without-list.json")
    rest.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = kept(store, name)
        job = None
        if written is None:
            job = pool.submit(_write_alone, alone, metadata, filter_, to, out, timeout)
        write(rest)
        if job is not None:
            written = job.result()
            keep(store, name, written)
    assert written is not None
    page = out.read_text(encoding="utf-8")
    if page.count(placeholder) != 1:  # a template or filter moved it: write it whole
        logger.info("reference list placeholder not found once in %s; writing it whole", out)
        return write(tree)
    out.write_text(page.replace(placeholder, written.rstrip("\n"), 1), encoding="utf-8")
    return out


def _write_alone(
    alone: dict[str, Any],
    metadata: Path,
    filter_: Path,
    to: str,
    out: Path,
    timeout: float | None,
) -> str:
    """The list alone, as writer ``to`` writes it inside a document."""
    source = out.with_name(f"{out.name}-list.json")
    written = out.with_name(f"{out.name}-list.out")
    source.write_text(json.dumps(alone, ensure_ascii=False), encoding="utf-8")
    run_pandoc(
        [
            source,
            "--from=json",
            f"--metadata-file={metadata}",
            f"--to={to}",
            f"--lua-filter={filter_}",
            "--wrap=none",
            f"--output={written}",
        ],
        cwd=out.parent,
        timeout=timeout,
    )
    return written.read_text(encoding="utf-8")
