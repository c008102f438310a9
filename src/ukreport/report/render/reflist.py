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

import json
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ukreport import _cache
from ukreport.report.render.pandoc import convert, run_pandoc

__all__ = ["FORMATS", "convert_keeping_list", "without_list"]

logger = logging.getLogger(__name__)

_TOKEN = "ukreport-reference-list-placeholder"
FORMATS: dict[str, tuple[str, str]] = {
    "html5": ("html", f"<!--{_TOKEN}-->"),
    "typst-citations": ("typst", _TOKEN),
}
"""Writer → (raw format, placeholder) for the writers whose list is kept."""
_WHOLE_DOCUMENT_ONLY = ("--embed-resources", "--include-in-header", "--self-contained")
"""Options that act on a standalone document, not on its body: the list is written
without them, and they are not in its key (a header is a file of the build's own)."""


_VERSION = "2"
"""Bumped when what is kept, or how the key is made, changes."""


def _lists(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The reference lists among ``blocks``, at the top or inside divs (where pandoc's
    ``::: {#refs}`` puts one): only blocks are walked, not the text they hold."""
    for block in blocks:
        if block.get("t") == "Div":
            if block["c"][0][0] == "refs":
                yield block
            else:
                yield from _lists(block["c"][1])


def _entries_only(div: dict[str, Any]) -> bool:
    """Whether the list holds citeproc's entries and nothing else: a heading the author
    put inside ``{#refs}`` belongs in the table of contents, which is written with the
    document, so such a list stays in it."""
    children = div["c"][1]
    return bool(children) and all(
        child.get("t") == "Div" and "csl-entry" in child["c"][0][1] for child in children
    )


def without_list(document: dict[str, Any], to: str) -> tuple[dict[str, Any], str] | None:
    """Take the reference list out of ``document`` (in place), leaving a raw placeholder
    block for writer ``to``; return a document of the list alone and the placeholder.

    ``None`` (and ``document`` untouched) when the writer is not one of :data:`FORMATS`,
    there is not exactly one list, or the list holds more than citeproc's entries.
    """
    if to not in FORMATS:
        return None
    raw, placeholder = FORMATS[to]
    found = list(_lists(document["blocks"]))
    if len(found) != 1 or not _entries_only(found[0]):
        return None
    (node,) = found
    # The writers read no metadata for the list (the Lua filter reads none either).
    alone = {
        "pandoc-api-version": document["pandoc-api-version"],
        "meta": {},
        "blocks": [{"t": node["t"], "c": node["c"]}],
    }
    node["t"], node["c"] = "RawBlock", [raw, placeholder]
    return alone, placeholder


def key(alone: dict[str, Any], to: str, filter_: Path, options: Sequence[str]) -> str:
    """What the written list depends on: the list, the writer and the options it is
    written with, the Lua filter (and, as every cache key, pandoc itself)."""
    digest = _cache.Key("reference list", _VERSION)
    digest.add("writer", to.encode()).add("options", "\0".join(options).encode())
    digest.add("list", json.dumps(alone, ensure_ascii=False, sort_keys=True).encode())
    return digest.add("filter", filter_.read_bytes()).hexdigest()


def kept(store: Path | None, name: str) -> str | None:
    """The list kept under ``name`` in ``store``, if it is there and readable."""
    return _cache.Store(store).load_text(name)


def keep(store: Path | None, name: str, text: str) -> None:
    """Keep ``text`` under ``name`` in ``store``, in place of the list kept before for
    the same writer; a read-only checkout still renders."""
    kept = _cache.Store(store)
    if kept.store(name, text.encode("utf-8")):
        writer = name.rsplit("-", 1)[0]
        kept.prune(f"{writer}-*.txt", [name])


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

    if store is None:
        return write(tree)
    text = tree.read_text(encoding="utf-8")
    if _TOKEN in text:  # the essay's own text holds the placeholder: never mistake it
        return write(tree)
    document = json.loads(text)
    taken = without_list(document, to)
    if taken is None:
        return write(tree)
    alone, placeholder = taken
    filter_ = assets / "ukreport.lua"
    body_options = [o for o in options if not o.startswith(_WHOLE_DOCUMENT_ONLY)]
    name = f"{to}-{key(alone, to, filter_, body_options)}.txt"
    rest = out.with_name(f"{out.name}-without-list.json")
    rest.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = kept(store, name)
        job = None
        if written is None:
            job = pool.submit(_write_alone, alone, filter_, to, body_options, out, timeout)
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
    filter_: Path,
    to: str,
    options: Sequence[str],
    out: Path,
    timeout: float | None,
) -> str:
    """The list alone, as writer ``to`` writes it inside a document with ``options``
    (those that act on the body)."""
    source = out.with_name(f"{out.name}-list.json")
    written = out.with_name(f"{out.name}-list.out")
    source.write_text(json.dumps(alone, ensure_ascii=False), encoding="utf-8")
    run_pandoc(
        [
            source,
            "--from=json",
            f"--to={to}",
            f"--lua-filter={filter_}",
            "--wrap=none",
            *options,
            f"--output={written}",
        ],
        cwd=out.parent,
        timeout=timeout,
    )
    return written.read_text(encoding="utf-8")
