"""Turn a parsed document and its cell outputs into one pandoc Markdown text.

Quarto's cross-references are resolved here, not by pandoc: figures and tables are
numbered in document order, captions get a "Figure N:" / "Table N:" prefix and every
``@fig-x`` / ``@tbl-x`` becomes a link reading "Figure N", so HTML and PDF agree.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ukreport.errors import RenderError
from ukreport.report.render.document import Cell, Document, MarkdownChunk
from ukreport.report.render.execute import Executed, Output

__all__ = ["CELL_MEDIA", "assemble"]

logger = logging.getLogger(__name__)

CELL_MEDIA = "cell-figures"
FIGURE_INDEX = "figures.json"
"""In ``CELL_MEDIA``: image file → the report figure it shows (from the output's
``figure`` metadata, which :func:`ukreport.report.essay.figure` sets), so an output
that needs a raster image (DOCX) can draw that figure as one."""
"""Folder, relative to the build directory, that receives images taken from outputs."""

_KINDS = {"fig": "Figure", "tbl": "Table"}
_LABEL = r"(?:fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9_]"
_REF_BRACKETED = re.compile(r"\[(?P<minus>-)?@(?P<id>(?i:f)ig-[\w-]*\w|(?i:t)bl-[\w-]*\w)\]")
_REF_BARE = re.compile(r"(?<![\w\\@])(?P<minus>-)?@(?P<id>(?i:f)ig-[\w-]*\w|(?i:t)bl-[\w-]*\w)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_AUTHORED_FIG = re.compile(
    r"!\[(?P<cap>(?:[^\]\\]|\\.)*)\](?P<target>\([^)]*\))\{(?P<pre>[^}]*)#(?P<id>fig-[\w-]*\w)"
)
_AUTHORED_TBL = re.compile(
    r"^(?P<lead>:|Table:)[ \t]+(?P<cap>.*?)[ \t]*\{(?P<pre>[^}]*)#(?P<id>tbl-[\w-]*\w)",
    re.MULTILINE,
)
_CAPTION_LINE = re.compile(r"\n[ \t]*\n[ \t]*:[ \t]+(?P<cap>[^\n]*?)[ \t]*\n?\Z")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
_FIGURE_SLOT = "\x00figure\x00"


@dataclass
class _Numbers:
    """Figure and table numbers by id, assigned in document order."""

    ids: dict[str, str]
    counts: dict[str, int]

    def add(self, doc: Document, label: str, line: int) -> str:
        if label in self.ids:
            raise RenderError(doc.path, line, f"label {label!r} is used twice")
        kind = label.split("-", 1)[0]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.ids[label] = f"{_KINDS[kind]} {self.counts[kind]}"
        return self.ids[label]


def _map_prose(text: str, fn: Callable[[str, int], str]) -> str:
    """Apply ``fn(segment, offset)`` to text outside code blocks and code spans."""
    out: list[str] = []
    fence: str | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1).startswith(fence)):
            fence = None if fence else match.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
        else:
            pos = 0
            for span in _CODE_SPAN.finditer(line):
                out.append(fn(line[pos : span.start()], offset + pos))
                out.append(span.group(0))
                pos = span.end()
            out.append(fn(line[pos:], offset + pos))
        offset += len(line)
    return "".join(out)


def _fence(code: str, cls: str) -> str:
    """A fenced code block longer than any backtick run inside ``code``."""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks} {{.{cls}}}\n{code.rstrip()}\n{ticks}"


def _attr(value: str) -> str:
    """Quote ``value`` for a pandoc attribute."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class _Assembler:
    def __init__(self, doc: Document, executed: Executed, build_dir: Path) -> None:
        self.doc = doc
        self.executed = executed
        self.media = build_dir / CELL_MEDIA
        self.numbers = _Numbers({}, {})

    # -- numbering ---------------------------------------------------------------
    def _cell_kind(self, cell: Cell) -> str | None:
        label = cell.label or ""
        if label.startswith("fig-") or "fig-cap" in cell.options:
            return "fig"
        if label.startswith("tbl-") or "tbl-cap" in cell.options:
            return "tbl"
        return None

    def _cell_id(self, cell: Cell, kind: str) -> str:
        label = cell.label
        if label and label.startswith(f"{kind}-"):
            return label
        return f"{kind}-cell-{cell.line}"

    def number(self, texts: list[str]) -> None:
        """Assign numbers to every figure and table, in document order."""
        cells = iter(self.doc.cells)
        for block, text in zip(self.doc.blocks, texts, strict=True):
            if isinstance(block, Cell):
                cell = next(cells)
                kind = self._cell_kind(cell)
                if kind and cell.flag("include", True):
                    self.numbers.add(self.doc, self._cell_id(cell, kind), cell.line)
                continue
            found: list[tuple[int, str]] = []

            def scan(segment: str, offset: int, found: list[tuple[int, str]] = found) -> str:
                for pattern in (_AUTHORED_FIG, _AUTHORED_TBL):
                    found.extend((offset + m.start(), m["id"]) for m in pattern.finditer(segment))
                return segment

            _map_prose(text, scan)
            for offset, label in sorted(found):
                self.numbers.add(self.doc, label, block.line + text.count("\n", 0, offset))

    # -- cross-references ----------------------------------------------------------
    def resolve(self, text: str, first_line: int) -> str:
        """Replace ``@fig-x`` / ``@tbl-x`` with numbered links; unknown ids are errors."""

        def link(match: re.Match[str], offset: int) -> str:
            raw = match["id"]
            label = raw[0].lower() + raw[1:]
            number = self.numbers.ids.get(label)
            if number is None:
                line = first_line + text.count("\n", 0, offset + match.start())
                known = ", ".join(sorted(self.numbers.ids)) or "none"
                raise RenderError(
                    self.doc.path, line, f"unknown cross-reference @{raw} (known labels: {known})"
                )
            shown = number.split(" ", 1)[1] if match["minus"] else number
            return f"[{shown}](#{label})"

        def segment(part: str, offset: int) -> str:
            part = _REF_BRACKETED.sub(lambda m: link(m, offset), part)
            return _REF_BARE.sub(lambda m: link(m, offset), part)

        return _map_prose(text, segment)

    def caption_authored(self, text: str) -> str:
        """Prefix "Figure N:" / "Table N:" to captions written in Markdown."""

        def fig(m: re.Match[str]) -> str:
            number = self.numbers.ids[m["id"]]
            sep = ": " if m["cap"].strip() else ""
            return f"![{number}{sep}{m['cap']}]{m['target']}{{{m['pre']}#{m['id']}"

        def tbl(m: re.Match[str]) -> str:
            number = self.numbers.ids[m["id"]]
            sep = ": " if m["cap"].strip() else ""
            return f"{m['lead']} {number}{sep}{m['cap']} {{{m['pre']}#{m['id']}"

        def segment(part: str, offset: int) -> str:
            return _AUTHORED_TBL.sub(tbl, _AUTHORED_FIG.sub(fig, part))

        return _map_prose(text, segment)

    # -- cells -------------------------------------------------------------------------
    def _save_image(self, cell: Cell, index: int, mime: str, data: object) -> str:
        ext = _IMAGE_TYPES[mime]
        stem = cell.label or f"cell-{cell.line}"
        name = f"{stem}.{ext}" if cell.label and index == 0 else f"{stem}-{index + 1}.{ext}"
        self.media.mkdir(parents=True, exist_ok=True)
        raw = _text(data)
        payload = raw.encode("utf-8") if ext == "svg" else base64.b64decode(raw)
        (self.media / name).write_bytes(payload)
        return f"{CELL_MEDIA}/{name}"

    def _note_figure(self, image: str, figure: str) -> None:
        index = self.media / FIGURE_INDEX
        known = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else {}
        known[Path(image).name] = figure
        index.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")

    def cell(self, cell: Cell, outputs: list[Output]) -> str:
        """The Markdown for one cell: echoed code, then its outputs."""
        if not cell.flag("include", True):
            return ""
        parts: list[str] = []
        if cell.flag("echo", False):
            parts.append(_fence(cell.code, "python"))
        mode = cell.options.get("output", "true").strip().lower()
        kind = self._cell_kind(cell)
        if mode in {"false", "no"}:
            if kind:
                raise RenderError(
                    self.doc.path, cell.line, f"a captioned {_KINDS[kind].lower()} needs output"
                )
            return "\n\n".join(parts)
        asis = mode == "asis"
        images: list[str] = []
        alts: list[str] = []
        tables: list[int] = []
        for output in outputs:
            otype = output.get("output_type")
            if otype == "stream":
                text = _text(output.get("text", ""))
                if output.get("name") == "stderr":
                    for line in text.splitlines():
                        logger.warning("%s:%d: %s", self.doc.path, cell.line, line)
                elif text.strip():
                    parts.append(text if asis else _fence(text, "cell-output"))
                continue
            data = output.get("data", {})
            if "text/markdown" in data:
                text = self.resolve(_text(data["text/markdown"]), cell.line)
                if _TABLE_ROW.search(text):
                    tables.append(len(parts))
                parts.append(text)
                continue
            mime = next((m for m in _IMAGE_TYPES if m in data), None)
            if mime is not None:
                if kind == "fig" and not images:
                    parts.append(_FIGURE_SLOT)  # the figure stands where its image was shown
                images.append(self._save_image(cell, len(images), mime, data[mime]))
                meta = output.get("metadata", {})
                if meta and isinstance(meta.get("figure"), str):
                    self._note_figure(images[-1], meta["figure"])
                alt = meta.get("alt") or meta.get(mime, {}).get("alt") if meta else None
                alts.append(str(alt) if alt else "")
                continue
            if "text/plain" in data:
                text = _text(data["text/plain"])
                if kind == "fig" and otype == "execute_result":
                    continue  # e.g. "[<matplotlib.lines.Line2D at 0x...>]" beside the plot
                if _ADDRESS.search(text):
                    logger.warning(
                        "%s:%d: output shows a memory address and will differ on every run",
                        self.doc.path,
                        cell.line,
                    )
                parts.append(text if asis else _fence(text, "cell-output"))
                if "text/html" in data:
                    logger.warning(
                        "%s:%d: HTML output shown as text; "
                        "use ukreport.report.render.markdown_table(df)",
                        self.doc.path,
                        cell.line,
                    )
        if kind == "fig":
            figure = self._figures(cell, images, alts)
            if _FIGURE_SLOT in parts:
                slot = parts.index(_FIGURE_SLOT)
                parts[slot : slot + 1] = figure
            else:
                parts.extend(figure)
        else:
            parts.extend(f"![]({path})" for path in images)
        if kind == "tbl":
            self._caption_table(cell, parts, tables)
        return "\n\n".join(p.strip("\n") for p in parts if p.strip())

    def _figures(self, cell: Cell, images: list[str], alts: list[str]) -> list[str]:
        if not images:
            raise RenderError(
                self.doc.path,
                cell.line,
                f"the cell claims a figure ({cell.label or 'fig-cap'}) but produced no image; "
                "does it call plt.show() or end with a figure?",
            )
        label = self._cell_id(cell, "fig")
        caption = cell.options.get("fig-cap", "").strip()
        title = self.numbers.ids[label] + (f": {caption}" if caption else "")
        # fig-alt wins; else the alt text the output carries in its display metadata
        # (computed from the data, e.g. ``display(SVG(...), metadata={"alt": ...})``).
        alt = cell.options.get("fig-alt") or alts[0] or caption or self.numbers.ids[label]
        first = f"![{title}]({images[0]}){{#{label} alt={_attr(alt)}}}"
        if len(images) > 1:
            logger.warning(
                "%s:%d: %d images under one caption; only the first is numbered",
                self.doc.path,
                cell.line,
                len(images),
            )
        return [first, *(f"![]({path})" for path in images[1:])]

    def _caption_table(self, cell: Cell, parts: list[str], tables: list[int]) -> None:
        if not tables:
            raise RenderError(
                self.doc.path,
                cell.line,
                "the cell claims a table (tbl-cap or a tbl- label) but displayed none; "
                "display one with ukreport.report.render.markdown_table(df)",
            )
        index = tables[-1]
        text = parts[index].rstrip()
        existing = _CAPTION_LINE.search(text + "\n")
        own = ""
        if existing:
            own = existing["cap"]
            text = text[: existing.start()].rstrip()
        caption = cell.options.get("tbl-cap", "").strip() or own
        label = self._cell_id(cell, "tbl")
        number = self.numbers.ids[label]
        title = number + (f": {caption}" if caption else "")
        parts[index] = f"{text}\n\n: {title} {{#{label}}}"


def assemble(doc: Document, executed: Executed, build_dir: Path) -> str:
    """Return the body as pandoc Markdown; images from outputs go under ``build_dir``."""
    asm = _Assembler(doc, executed, build_dir)
    inline = iter(executed.inline)
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, MarkdownChunk):
            text = block.text
            values = [next(inline) for _ in block.inline]
            for expr, value in reversed(list(zip(block.inline, values, strict=True))):
                text = text[: expr.start] + value + text[expr.end :]
            texts.append(text)
        else:
            texts.append("")
    asm.number(texts)
    outputs = iter(executed.cells)
    parts: list[str] = []
    for block, text in zip(doc.blocks, texts, strict=True):
        if isinstance(block, Cell):
            parts.append(asm.cell(block, next(outputs)))
        else:
            parts.append(asm.resolve(asm.caption_authored(text), block.line))
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"
