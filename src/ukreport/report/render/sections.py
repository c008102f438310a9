"""Read Markdown into pandoc's tree section by section, keeping each section's tree.

Pandoc's reader is the slow half of a render: over a second for the essay, most of it
the appendix that lists every source. A long-lived caller (``ukreport preview``)
renders after every save, and a prose edit changes one section, so
:class:`SectionReader` cuts the document before each heading, reads only the sections
it has not read before (side by side) and joins their trees.

The joined tree must be the one pandoc gives for the whole text. A cut is made only
where pandoc starts a new block anyway: before a heading that follows a blank line,
outside code blocks and fenced divs. Pandoc's reader also keeps state across the
document, and some of what it reads may span a blank line wherever it starts; wherever
the text may use either, the whole document is read in one run instead: link and note
definitions, example lists, links to a heading by its text, raw HTML anywhere (a tag's
attributes and a comment may span blank lines, a ``<div>`` opened mid-line holds what
follows), TeX anywhere (a macro defined in one section applies in every later one, an
environment opened mid-line spans blank lines), a line of dashes followed by text (a
metadata block, a multiline table, whose rows are separated by blank lines), and an
identifier used in two sections (pandoc would have renamed the second).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ukreport import _cache
from ukreport.report.render.pandoc import MARKDOWN_FORMAT, pandoc_path, parse_markdown, run

__all__ = ["SectionReader", "split_sections"]

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_DIV = re.compile(r"^ {0,3}(?P<colons>:{3,})\s*(?P<rest>.*)$")
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_ACROSS = re.compile(
    r"\]:"  # a link or note definition, in any container: used from anywhere
    r"|^[ \t>:~]*(?:(?:[-*+]|\(?\w{1,9}[.)])[ \t]+)*\(@[\w-]*\)[ \t\n]"  # an example
    r"|(?<!\\)(?:\\\\)*<[!?/A-Za-z]"  # raw HTML or a comment: may span blank lines
    r"|(?<!\\)(?:\\\\)*\\[A-Za-z]"  # TeX: a macro definition, an environment
    r"|^ {0,3}-{3,}[- \t]*\n(?![ \t]*\n)",  # a metadata block, a multiline table
    re.MULTILINE,
)
_AUTOLINK = re.compile(r"<[A-Za-z][\w+.-]{1,31}:[^\s<>\\]*>|<[A-Za-z0-9][\w.%+-]*@[^\s<>\\]+>")
"""An autolink or e-mail link: ``<`` that opens no HTML, on one line."""
_WITH_ID = {
    "Header": 1,
    "CodeBlock": 0,
    "Div": 0,
    "Table": 0,
    "Figure": 0,
    "Code": 0,
    "Link": 0,
    "Image": 0,
    "Span": 0,
}
"""Pandoc elements that carry an identifier, and where their attributes are in ``c``."""


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


_ATX_ANYWHERE = re.compile(
    r"(?:^|[\s>])#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?(?:[ \t]*\{[^}]*\})?[ \t]*$"
)
_CONTAINER = re.compile(r"^(?:[\s>:~]|[-*+](?=\s)|\(?\w{1,9}[.)](?=\s))*")
"""What may open a line inside a block quote, list or definition: a heading there
registers its text as a link target too."""


def _heading_texts(lines: list[str]) -> Iterator[str]:
    """The text of everything that may be a heading, ATX or setext, in any container, as
    a link to it by its text would say it (more than the headings: a miss is safe)."""
    for index, line in enumerate(lines):
        atx = _ATX_ANYWHERE.search(line)
        if atx:
            yield atx["text"]
        if index and _SETEXT.match(_CONTAINER.sub("", line)):
            before = _CONTAINER.sub("", lines[index - 1]).strip()
            if before:
                yield before


_INLINE_NOTE = re.compile(r"(?<!\\)\^\[")
_CITATION = re.compile(r"(?<![\\\w])@[\w{]")
"""An inline note, and what may be a citation: pandoc numbers both through the document."""


def split_sections(text: str) -> list[str] | None:
    """``text`` cut before each heading at the top level, or ``None`` when something in it
    reaches across sections and it must be read whole. The sections join to ``text``."""
    if _ACROSS.search(_AUTOLINK.sub("x", text)) or (
        _INLINE_NOTE.search(text) and _CITATION.search(text)
    ):
        return None
    lines = text.splitlines(keepends=True)
    flat = _flat(text)
    for heading in _heading_texts(lines):
        # [Heading] or [Heading][] links to it from anywhere; [Heading](url) does not.
        if re.search(rf"\[{re.escape(_flat(heading))}\](?![(\{{])", flat):
            return None
    cuts = [0]
    fence: str | None = None
    depth = 0
    blank = True
    for index, line in enumerate(lines):
        if fence is not None:
            match = _FENCE.match(line)
            if match and match["fence"].startswith(fence) and not line[match.end() :].strip():
                fence = None
        elif match := _FENCE.match(line):
            fence = match["fence"]
        elif div := _DIV.match(line):
            depth = depth + 1 if div["rest"].strip() else max(depth - 1, 0)
        elif depth == 0 and blank and index and _HEADING.match(line):
            cuts.append(index)
        blank = not line.strip()
    if fence is not None or depth:
        return None  # unclosed: let pandoc decide what it means
    cuts.append(len(lines))
    return ["".join(lines[start:end]) for start, end in itertools.pairwise(cuts)]


_NOTE_NUMBER = re.compile(r'"citationNoteNum": (\d+)')
_CITE = '{"t": "Cite"'


def _moved(match: re.Match[str], *, by: int) -> str:
    return f'"citationNoteNum": {int(match[1]) + by}'


def _joined(trees: list[_Tree]) -> str:
    """The sections' trees as one document (pandoc JSON).

    pandoc numbers citation groups through the document (``citationNoteNum``), and a
    section read alone numbers its own from 1: each section's numbers move up by the
    groups before it. (A text with notes, which share that count, is read whole.)
    """
    blocks: list[str] = []
    before = 0
    for tree in trees:
        text = json.dumps(tree.blocks, ensure_ascii=False)
        if before:
            text = _NOTE_NUMBER.sub(functools.partial(_moved, by=before), text)
        before += text.count(_CITE)
        if tree.blocks:
            blocks.append(text[1:-1])
    api = json.dumps(trees[0].api if trees else [])
    return f'{{"pandoc-api-version": {api}, "meta": {{}}, "blocks": [{", ".join(blocks)}]}}'


def _ids(node: Any) -> Iterator[str]:
    """Every identifier in a pandoc JSON tree."""
    if isinstance(node, list):
        for item in node:
            yield from _ids(item)
    elif isinstance(node, dict):
        kind = node.get("t")
        content = node.get("c")
        where = _WITH_ID.get(kind) if isinstance(kind, str) else None
        if where is not None and isinstance(content, list) and content[where][0]:
            yield content[where][0]
        if content is not None:
            yield from _ids(content)


@dataclass(frozen=True)
class _Tree:
    api: Any
    meta: Any
    blocks: list[Any]
    ids: frozenset[str]


@dataclass(frozen=True)
class ReadStats:
    """What the last read did: sections read by pandoc, sections reused, or the whole
    document in one run (``whole``) and why."""

    read: int = 0
    reused: int = 0
    whole: str | None = None


_VERSION = "1"
"""Bumped when what is kept, or how the key is made, changes."""


def _section_key(section: str, environment: bytes) -> str:
    """What a section's tree depends on: its text and the reader (and pandoc itself)."""
    key = _cache.Key("section", _VERSION, environment=environment)
    return key.add("reader", MARKDOWN_FORMAT.encode()).add("section", section.encode()).hexdigest()


class SectionReader:
    """Reads Markdown into pandoc's tree like :func:`parse_markdown`, re-reading only the
    sections that changed since the last call. Keep one for the life of a process."""

    def __init__(self, *, workers: int | None = None, store: Path | None = None) -> None:
        """``store``, a folder, keeps each section's tree on disk too, so that separate
        runs (``make report`` after a prose edit) re-read only what changed."""
        self._workers = workers or min(4, os.cpu_count() or 1)
        self._trees: dict[str, _Tree] = {}
        self._store = _cache.Store(store)
        self.last = ReadStats()

    def _stored(self, key: str) -> _Tree | None:
        tree = self._store.load_json(f"{key}.json")
        if not isinstance(tree, dict):
            return None
        blocks: list[Any] = tree["blocks"]
        return _Tree(tree["pandoc-api-version"], tree["meta"], blocks, frozenset(_ids(blocks)))

    def _keep(self, trees: dict[str, _Tree]) -> None:
        """Store the trees of this document's sections, and only those."""
        names = {f"{key}.json": tree for key, tree in trees.items()}
        self._store.prune("*.json", names)
        for name, tree in names.items():
            path = self._store.path(name)
            if path is not None and not path.is_file():
                document = {
                    "pandoc-api-version": tree.api,
                    "meta": tree.meta,
                    "blocks": tree.blocks,
                }
                self._store.store(name, json.dumps(document, ensure_ascii=False).encode("utf-8"))

    def _read(self, section: str, timeout: float | None) -> _Tree:
        command = [pandoc_path(), f"--from={MARKDOWN_FORMAT}", "--to=json"]
        tree = json.loads(run(command, input=section.encode("utf-8"), timeout=timeout))
        blocks: list[Any] = tree["blocks"]
        return _Tree(tree["pandoc-api-version"], tree["meta"], blocks, frozenset(_ids(blocks)))

    def _whole(self, markdown: Path, why: str, timeout: float | None) -> Path:
        self._trees = {}
        self.last = ReadStats(whole=why)
        return parse_markdown(markdown, timeout=timeout)

    def __call__(self, markdown: Path, *, timeout: float | None = None) -> Path:
        """Read ``markdown``; write its tree as JSON beside it and return that path."""
        sections = split_sections(markdown.read_text(encoding="utf-8"))
        if sections is None:
            return self._whole(markdown, "the text reaches across sections", timeout)
        environment = _cache.environment()
        keys = [_section_key(section, environment) for section in sections]
        for key in keys:
            if key not in self._trees and (stored := self._stored(key)) is not None:
                self._trees[key] = stored
        missing = {k: s for k, s in zip(keys, sections, strict=True) if k not in self._trees}
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            read = pool.map(lambda section: self._read(section, timeout), missing.values())
            fresh = dict(zip(missing, read, strict=True))
        trees = [self._trees.get(key) or fresh[key] for key in keys]
        seen: set[str] = set()
        for tree in trees:
            if tree.meta or tree.api != trees[0].api:
                return self._whole(markdown, "a section holds metadata", timeout)
            if seen & tree.ids:
                return self._whole(markdown, "two sections use one identifier", timeout)
            seen |= tree.ids
        self._trees = dict(zip(keys, trees, strict=True))
        self._keep(self._trees)
        self.last = ReadStats(read=len(missing), reused=len(keys) - len(missing))
        out = markdown.with_suffix(".json")
        out.write_text(_joined(trees), encoding="utf-8")
        return out
