"""Citations: ``[@key]`` in the essay, formatted by pandoc's citeproc from CSL-JSON.

The bibliography is the data package's ``references.json`` (every page the data cite,
generated from the tables; :mod:`ukreport.references`) unless the front matter names
one (``bibliography:``, relative to the essay); the style is the front matter's
``csl:`` (relative to the essay, or a file in the report's assets), by default the
Chicago author-date style shipped in ``reports/assets/``. citeproc runs once, on the
tree pandoc read, so the HTML, the PDF and the DOCX carry the same citations and the
same reference list (placed where the essay has a ``::: {#refs}`` block).

A citation of a key the bibliography lacks stops the render, naming the key and the
essay's line: citeproc itself would only warn and print the key in the text.

The data package's bibliography is data, and data is text: its items reach citeproc as
the document's ``references``, already text (:mod:`.cslmeta`), so a page titled
``<b>x</b>`` is cited as those characters. A bibliography the essay names itself is the
author's, read as CSL-JSON is (its ``<i>`` is italics).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ukreport import _cache
from ukreport.errors import RenderError
from ukreport.report.render.cslmeta import references
from ukreport.report.render.document import Document
from ukreport.report.render.pandoc import nodes, run_pandoc

__all__ = ["DEFAULT_STYLE", "bibliography", "cite", "keys", "style"]

DEFAULT_STYLE = "chicago-author-date.csl"
"""The style used when the front matter names none (in the report's assets)."""
_VERSION = "2"
"""Bumped when what is kept, or how the key is made, changes."""


def _named(doc: Document) -> str | None:
    """The bibliography the front matter names, if it names one."""
    named = doc.meta.get("bibliography")
    return named.strip() if isinstance(named, str) and named.strip() else None


def bibliography(doc: Document, data_dir: Path | None = None) -> Path | None:
    """The CSL-JSON file ``doc`` cites from, or ``None`` when there is none: the front
    matter's, else the data package's in ``data_dir`` (by default the packaged data)."""
    from ukreport.datasets import data_path
    from ukreport.references import FILE

    named = _named(doc)
    if named:
        path = (doc.path.resolve().parent / named.strip()).resolve()
        if not path.is_file():
            raise RenderError(
                doc.path, None, f"bibliography {named!r} not found (looked at {path})"
            )
        return path
    packaged = data_path(data_dir).joinpath(FILE)
    return Path(str(packaged)) if packaged.is_file() else None


def style(doc: Document, assets: Path) -> Path:
    """The CSL style file: the front matter's ``csl`` beside the essay or among the
    assets, else the shipped Chicago author-date style."""
    named = doc.meta.get("csl")
    name = named.strip() if isinstance(named, str) and named.strip() else DEFAULT_STYLE
    for folder in (doc.path.resolve().parent, assets):
        if (folder / name).is_file():
            return (folder / name).resolve()
    raise RenderError(
        doc.path, None, f"citation style {name!r} not found beside the essay or in {assets}"
    )


def keys(document: dict[str, Any]) -> list[str]:
    """Every key cited in a pandoc document (JSON, parsed), in order, once each."""
    found: dict[str, None] = {}
    for node in nodes(document["blocks"]):
        if node.get("t") == "Cite":
            for citation in node["c"][0]:
                found.setdefault(str(citation["citationId"]), None)
    return list(found)


def _line_of(doc: Document, key: str) -> int | None:
    """The essay's line that cites ``key``, when the essay's own text does."""
    pattern = re.compile(rf"@{re.escape(key)}(?![\w.:#$%&\-+?<>~/]*\w)")
    for number, line in enumerate(doc.path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def _refs(node: dict[str, Any]) -> bool:
    return node.get("t") == "Div" and node["c"][0][0] == "refs"


def _skeleton(document: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What citeproc reads of ``document``: every citation, in order, each in a paragraph
    of its own, and the reference list's block; and those nodes of ``document``."""
    found = [n for n in nodes(document["blocks"]) if n.get("t") == "Cite" or _refs(n)]
    blocks = [n if _refs(n) else {"t": "Para", "c": [n]} for n in found]
    skeleton = {**document, "blocks": blocks}
    return skeleton, found


def _splice(document: dict[str, Any], nodes: list[dict[str, Any]], done: dict[str, Any]) -> None:
    """Put citeproc's formatting of the skeleton back in ``document``: each citation and
    the reference list in its place, the list at the end when the text has none."""
    formatted = done["blocks"]
    for node, block in zip(nodes, formatted, strict=False):
        node["c"] = block["c"] if _refs(node) else block["c"][0]["c"]
    document["blocks"] += formatted[len(nodes) :]
    document["meta"] = done["meta"]


def cite(
    doc: Document,
    tree: Path,
    metadata: Path,
    assets: Path,
    out: Path,
    *,
    store: Path | None = None,
    data_dir: Path | None = None,
) -> Path:
    """``tree`` with its citations and reference list formatted (written to ``out``);
    ``tree`` itself when the document cites nothing and has no reference list.

    citeproc formats citations from the citations alone (their keys, order and
    numbers), never from the text around them, so it is given only those and the
    reference list, and its answer is kept in ``store`` under a hash of what it was
    given: a prose edit formats nothing again. A note style, which places citations
    in footnotes, gets the whole document.
    """
    document = json.loads(tree.read_text(encoding="utf-8"))
    cited = keys(document)
    if not cited and not any(_refs(node) for node in nodes(document["blocks"])):
        return tree
    source = bibliography(doc, data_dir)
    if source is None:
        raise RenderError(doc.path, None, "the essay cites sources but there is no bibliography")
    items = json.loads(source.read_text(encoding="utf-8"))
    known = {str(item.get("id")) for item in items}
    unknown = [key for key in cited if key not in known]
    if unknown:
        first = unknown[0]
        raise RenderError(
            doc.path,
            _line_of(doc, first),
            f"cites @{first}, which is not in {source.name}"
            + (f" (nor are {', '.join('@' + k for k in unknown[1:])})" if unknown[1:] else ""),
        )
    csl = style(doc, assets)
    given_as: Path | None = source
    if not _named(doc):  # the data's: text, given in the document
        document["meta"]["references"] = references(items)
        given_as = None
    if 'class="note"' in csl.read_text(encoding="utf-8"):
        whole = out.with_name("citations.json")
        whole.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        _citeproc(whole, given_as, csl, metadata, out)
        done = json.loads(out.read_text(encoding="utf-8"))
        done["meta"].pop("references", None)
        out.write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")
        return out
    skeleton, found = _skeleton(document)
    given = json.dumps(skeleton, ensure_ascii=False, sort_keys=True)
    key = _cache.Key("citations", _VERSION)
    key.add("citations", given.encode()).add("bibliography", source.read_bytes())
    key.add("style", csl.read_bytes()).add("metadata", metadata.read_bytes())
    kept = _cache.Store(store, warn=False)  # a read-only checkout still renders
    name = f"{key.hexdigest()}.json"
    done = kept.load_json(name)
    if not isinstance(done, dict):
        asked = out.with_name("citations.json")
        asked.write_text(given, encoding="utf-8")
        _citeproc(asked, given_as, csl, metadata, out)
        done = json.loads(out.read_text(encoding="utf-8"))
        kept.store(name, out.read_bytes())
    _splice(document, found, done)
    document["meta"].pop("references", None)  # the writers need the list, not the items
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


def _citeproc(tree: Path, source: Path | None, csl: Path, metadata: Path, out: Path) -> None:
    """citeproc on ``tree``, citing from ``source`` or else the tree's ``references``."""
    run_pandoc(
        [
            tree,
            "--from=json",
            "--to=json",
            "--citeproc",
            *([f"--bibliography={source}"] if source else []),
            f"--csl={csl}",
            f"--metadata-file={metadata}",
            "--metadata=link-citations:true",
            f"--output={out}",
        ],
        cwd=out.parent,
    )
