"""A page's title is text: markup for CSL, HTML, Markdown, Typst or LaTeX in the data's
bibliography is printed as those characters in the HTML, the PDF and the DOCX, and
formats nothing; quotation marks are still set as quotations."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.html import parse_html, text_of
from helpers.paths import ASSETS
from helpers.pdf import pdf_text
from ukreport import references
from ukreport.report.render import render
from ukreport.report.render.cslmeta import inlines, meta

pytestmark = pytest.mark.render

MARKUP = [
    "<b>bold</b>",
    "<i>italic</i>",
    "<sup>2</sup>",
    '<span style="font-variant:small-caps;">caps</span>',
    "&amp;",
    "*stars*",
    "__under__",
    "$x$",
    "#set page(width: 1cm)",
    "\\textbf{tex}",
    "[link](https://evil.example)",
    "`code`",
]
"""Each would format, or act, if a title were read as markup somewhere."""
TITLE = "Talks " + " ".join(MARKUP)
URL = "https://www.example.org/news/2025/talks"
ITEMS = [
    {
        "id": "example.org-00000001",
        "type": "article-newspaper",
        # not English: the style sets no title case, so the words are printed as given
        "language": "ru",
        "title": TITLE,
        "container-title": "Publisher <i>P</i> & Co",
        "author": [{"family": "Doe<sup>1</sup>", "given": "Jane *J*"}],
        "URL": URL,
        "accessed": {"date-parts": [[2025, 3, 1]]},
    },
    {
        "id": "example.org-00000002",
        "type": "article-newspaper",
        "language": "en",
        "title": "Kremlin says talks 'useful, constructive' and \"frank\", ministers' talks",
        "container-title": "Example",
        "URL": "https://www.example.org/news/it's",
        "accessed": {"date-parts": [[2025, 3, 1]]},
    },
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An essay citing both pages of a data package's bibliography, in every format."""
    folder = tmp_path_factory.mktemp("citation-text")
    data = folder / "data"
    data.mkdir()
    (data / references.FILE).write_text(json.dumps(ITEMS), encoding="utf-8")
    source = folder / "essay.qmd"
    source.write_text(
        "---\ntitle: Cited\n---\n\nThey met [@example.org-00000001; @example.org-00000002]."
        "\n\n# References\n\n::: {#refs}\n:::\n",
        encoding="utf-8",
    )
    written = render(
        source,
        folder / "out",
        assets=ASSETS,
        cache=False,
        formats=("html", "pdf", "docx"),
        data_dir=data,
    )
    return {path.suffix: path for path in written}


def test_html_prints_the_markup_and_makes_none(outputs: dict[str, Path]) -> None:
    page = parse_html(outputs[".html"].read_text(encoding="utf-8"))
    first, second = page.cssselect("#refs .csl-entry")
    text = text_of(first)
    for markup in MARKUP:
        assert markup in text, markup
    assert "Doe<sup>1</sup>" in text and "Jane *J*" in text
    assert "Publisher <i>P</i> & Co" in text
    assert not first.cssselect("b, strong, i, sup, sub, code, .math, .smallcaps, span[style]")
    assert [text_of(em) for em in first.cssselect("em")] == ["Publisher <i>P</i> & Co"]
    assert [a.get("href") for a in first.cssselect("a")] == [URL]
    # quotations are typeset, inside the title's own quotation marks
    assert "‘Useful, Constructive’ and ‘Frank,’ Ministers’ Talks" in text_of(second)
    assert [a.get("href") for a in second.cssselect("a")] == ["https://www.example.org/news/it's"]


def test_pdf_prints_the_markup(outputs: dict[str, Path]) -> None:
    reader = PdfReader(outputs[".pdf"])
    text = _unspaced(pdf_text(reader))  # lines break inside the title
    for markup in MARKUP:
        assert _unspaced(markup) in text, markup
    assert _unspaced("Publisher <i>P</i> & Co") in text
    for number, page in enumerate(reader.pages, 1):
        assert float(page.mediabox.width) > 500, f"page {number} is narrow"


def _unspaced(text: str) -> str:
    return re.sub(r"\s", "", text)


def _runs(paragraph: str) -> list[tuple[str, str]]:
    """Each run of a DOCX paragraph: its properties and its text."""
    return [
        (props, "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)))
        for props, body in re.findall(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?(.*?)</w:r>", paragraph)
    ]


def test_docx_prints_the_markup_and_makes_none(outputs: dict[str, Path]) -> None:
    body = zipfile.ZipFile(outputs[".docx"]).read("word/document.xml").decode("utf-8")
    paragraphs = [p for p in re.findall(r"<w:p>.*?</w:p>", body) if "Talks" in p]
    entry = next(p for p in paragraphs if "bold" in p)
    runs = _runs(entry)
    text = "".join(words for _, words in runs)
    unescaped = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    unescaped = unescaped.replace("&amp;", "&")
    for markup in MARKUP:
        assert markup in unescaped, markup
    for props, words in runs:
        assert "<w:b" not in props and "w:vertAlign" not in props, (props, words)
        assert "<w:smallCaps" not in props, (props, words)
        if "<w:i" in props:
            assert words.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") in (
                "Publisher <i>P</i> & Co"
            ), words


def test_the_items_become_nothing_but_text() -> None:
    """Every string of an item is ``Str``, ``Space`` and, in prose, ``Quoted``: no node
    pandoc could write as formatting."""
    kinds: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            kinds.add(str(node["t"]))
            content = node.get("c")
            walk(list(content.values()) if node["t"] == "MetaMap" else content)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for item in ITEMS:
        walk(meta(item))
    text = {"Str", "Space", "Quoted", "SingleQuote", "DoubleQuote"}
    assert kinds <= {"MetaMap", "MetaList", "MetaInlines", *text}
    assert kinds >= {"Quoted"}
    words = [node["c"] for node in inlines(TITLE) if node["t"] == "Str"]
    assert " ".join(words) == TITLE
    address = meta({"URL": "https://e.org/it's  x"})["c"]["URL"]["c"]
    assert [node.get("c") for node in address] == ["https://e.org/it's", None, "x"]
