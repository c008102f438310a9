"""A page's headings and anchors, as pandoc's document tree (JSON) has them: what the
page's JSON-LD links to."""

from __future__ import annotations

import re
from typing import Any

from ukreport.report.render.pandoc import nodes

__all__ = ["page_anchors"]


def _text(inlines: Any) -> str:
    """The plain text of a list of pandoc inlines (JSON), as pandoc's ``stringify``."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind, content = node.get("t"), node.get("c")
            if kind == "Str":
                out.append(str(content))
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind in ("Code", "Math", "RawInline") and isinstance(content, list):
                out.append(str(content[-1]))
            elif content is not None:
                walk(content)

    walk(inlines)
    return re.sub(r"\s+", " ", "".join(out)).strip()


_WITH_ATTR = frozenset({"Div", "Span", "CodeBlock", "Code", "Link", "Image", "Table", "Figure"})


def _attr_id(kind: object, content: list[Any]) -> str | None:
    """The identifier of a pandoc element (JSON) that has an Attr, else ``None``."""
    if kind == "Header" and len(content) > 1:
        attr = content[1]
    elif kind in _WITH_ATTR and content:
        attr = content[0]
    else:
        return None
    ident = attr[0] if isinstance(attr, list) and attr else None
    return ident if isinstance(ident, str) and ident else None


def page_anchors(tree: Any) -> tuple[dict[str, str], list[str]]:
    """The page's headings (text → identifier, the first of each text) and every
    identifier in it, in document order."""
    headings: dict[str, str] = {}
    ids: list[str] = []
    for node in nodes(tree.get("blocks", []) if isinstance(tree, dict) else tree):
        kind, content = node.get("t"), node.get("c")
        if isinstance(content, list) and (ident := _attr_id(kind, content)):
            ids.append(ident)
            if kind == "Header":
                headings.setdefault(_text(content[2]), ident)
    return headings, ids
