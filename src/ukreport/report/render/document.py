"""Parse a Quarto-syntax ``.qmd`` file into front matter, Markdown and code cells.

Every piece keeps the line where it starts in the source, so that an error found
later (a failing cell, an unknown cross-reference) can point the author at it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ukreport.errors import InputError, RenderError
from ukreport.report.render.frontmatter import FrontMatterError, Value, parse_front_matter

__all__ = ["Cell", "Document", "InlineExpr", "MarkdownChunk", "parse", "parse_text"]

logger = logging.getLogger(__name__)

_CELL_OPEN = re.compile(r"^(?P<fence>`{3,})\s*\{python(?P<rest>[^}]*)\}\s*$")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
_OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")
_INLINE = re.compile(r"`\{python\}\s*(?P<expr>[^`]+?)\s*`")
_KNOWN_OPTIONS = frozenset(
    {"label", "echo", "output", "fig-cap", "fig-alt", "tbl-cap", "include", "eval", "warning"}
)


@dataclass(frozen=True)
class InlineExpr:
    """An inline `` `{python} expr` `` at ``start:end`` of its chunk's text."""

    expr: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class MarkdownChunk:
    """Markdown between cells; ``line`` is the 1-based source line of its first line."""

    text: str
    line: int
    inline: tuple[InlineExpr, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A ```` ```{python} ```` cell; ``line`` is the line of its opening fence."""

    code: str
    line: int
    options: dict[str, str] = field(default_factory=dict)
    code_line: int = 0

    def flag(self, name: str, default: bool) -> bool:
        """Read a true/false option, Quarto's defaults when absent."""
        value = self.options.get(name)
        if value is None:
            return default
        return value.strip().lower() in {"true", "yes", "1"}

    @property
    def label(self) -> str | None:
        """The cell's ``label`` option, if any."""
        return self.options.get("label") or None


@dataclass(frozen=True)
class Document:
    """A parsed source: front matter, then Markdown chunks and cells in order."""

    path: Path
    meta: dict[str, Value]
    blocks: tuple[MarkdownChunk | Cell, ...]

    @property
    def cells(self) -> list[Cell]:
        """The code cells, in order."""
        return [b for b in self.blocks if isinstance(b, Cell)]

    @property
    def inline(self) -> list[InlineExpr]:
        """Every inline expression, in order."""
        return [e for b in self.blocks if isinstance(b, MarkdownChunk) for e in b.inline]


def _option_value(raw: str) -> str:
    """Strip quotes from a ``#|`` option value."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def _find_inline(text: str, first_line: int) -> tuple[InlineExpr, ...]:
    """Find inline expressions outside fenced code blocks."""
    found: list[InlineExpr] = []
    fence: str | None = None
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=first_line):
        match = _FENCE.match(line.lstrip())
        if match and (fence is None or match["fence"].startswith(fence)):
            fence = None if fence else match["fence"]
        elif fence is None:
            for m in _INLINE.finditer(line):
                found.append(InlineExpr(m["expr"], number, offset + m.start(), offset + m.end()))
        offset += len(line)
    return tuple(found)


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Value], list[str], int]:
    """Return (meta, remaining lines, number of lines consumed)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, lines, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in {"---", "..."}:
            try:
                meta = parse_front_matter("".join(lines[1:end]), first_line=2)
            except FrontMatterError as exc:
                raise RenderError(path, exc.line, f"front matter: {exc}") from exc
            return meta, lines[end + 1 :], end + 1
    raise RenderError(path, 1, "front matter opened with '---' is never closed")


def parse_text(text: str, path: Path) -> Document:
    """Parse ``text`` as the contents of ``path`` (used in error messages)."""
    meta, lines, consumed = _split_front_matter(path, text)
    blocks: list[MarkdownChunk | Cell] = []
    pending: list[str] = []
    pending_start = consumed + 1
    i = 0

    def flush(next_line: int) -> None:
        nonlocal pending, pending_start
        chunk = "".join(pending)
        if chunk.strip():
            blocks.append(MarkdownChunk(chunk, pending_start, _find_inline(chunk, pending_start)))
        pending = []
        pending_start = next_line

    outer_fence: str | None = None
    while i < len(lines):
        number = consumed + i + 1
        line = lines[i]
        opening = _CELL_OPEN.match(line.strip()) if outer_fence is None else None
        if opening is None:
            plain = _FENCE.match(line.lstrip())
            if plain and (outer_fence is None or plain["fence"].startswith(outer_fence)):
                outer_fence = None if outer_fence else plain["fence"]
            pending.append(line)
            i += 1
            continue
        flush(number)
        fence = opening["fence"]
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        if i >= len(lines):
            raise RenderError(path, number, "code cell is never closed (missing ```)")
        i += 1
        options: dict[str, str] = {}
        code_line = number + 1
        while body and _OPTION.match(body[0].strip()):
            m = _OPTION.match(body.pop(0).strip())
            assert m is not None
            key = m["key"]
            if key not in _KNOWN_OPTIONS:
                logger.warning("%s:%d: cell option %r is ignored", path, number, key)
            options[key] = _option_value(m["value"])
            code_line += 1
        blocks.append(Cell("".join(body).rstrip("\n"), number, options, code_line))
        pending_start = consumed + i + 1
    flush(consumed + i + 1)
    return Document(path, meta, tuple(blocks))


def parse(path: Path) -> Document:
    """Read and parse the ``.qmd`` file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the report source: {exc}") from exc
    return parse_text(text, path)
