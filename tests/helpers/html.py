"""HTML parsed with lxml (libxml2) and queried with CSS selectors (cssselect).

``element.cssselect(selector)`` finds the element itself and its descendants that match;
the functions here add what the tests ask of a document again and again.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement, document_fromstring

from helpers.text import flat


def parse_html(source: str) -> HtmlElement:
    """The ``<html>`` element of the document ``source``."""
    root: HtmlElement = document_fromstring(source)
    return root


def text_of(element: HtmlElement) -> str:
    """The text content of ``element`` and its descendants, whitespace collapsed."""
    return flat(element.text_content())


def by_id(root: HtmlElement, ident: str) -> HtmlElement:
    """The one element under ``root`` whose id is ``ident``; fails if there are none or more."""
    found: list[HtmlElement] = root.xpath("descendant-or-self::*[@id=$ident]", ident=ident)
    assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
    return found[0]


def children(element: HtmlElement) -> list[HtmlElement]:
    """The child elements of ``element`` (no text, comments or processing instructions)."""
    return list(element.iterchildren("*"))


def sections(main: HtmlElement) -> dict[str | None, list[HtmlElement]]:
    """The blocks of ``<main>`` under each level-2 heading (None: before the first)."""
    out: dict[str | None, list[HtmlElement]] = {None: []}
    current: str | None = None
    for block in children(main):
        if block.tag == "h2":
            current = text_of(block)
            assert current not in out, f"heading {current!r} appears twice"
            out[current] = []
        else:
            out[current].append(block)
    return out


def section_text(main: HtmlElement, heading: str) -> str:
    """The text of the blocks under the level-2 heading ``heading``, whitespace collapsed."""
    return flat(" ".join(text_of(block) for block in sections(main)[heading]))


def blocks_after(main: HtmlElement, ident: str) -> list[HtmlElement]:
    """The blocks that follow the element ``ident`` up to the next heading."""
    blocks = children(main)
    start = next(i for i, block in enumerate(blocks) if block.get("id") == ident)
    out = []
    for block in blocks[start + 1 :]:
        if re.fullmatch(r"h[1-6]", block.tag):
            break
        out.append(block)
    return out


def table_cells(table: HtmlElement, strip: str = "") -> tuple[list[str], list[list[str]]]:
    """The header cells of ``table`` and its rows of data cells (rows without any left
    out), each cell's text with the characters of ``strip`` taken off its end."""
    header = [text_of(th) for th in table.cssselect("th")]
    cells = [
        [text_of(td).rstrip(strip) for td in tr.cssselect("td")] for tr in table.cssselect("tr")
    ]
    return header, [row for row in cells if row]
