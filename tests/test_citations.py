"""Citations: ``[@key]`` formatted by citeproc from a CSL-JSON bibliography, in the
HTML and the PDF alike, a reference list where the essay puts ``{#refs}``, and a key
the bibliography lacks stopped at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.html import parse_html, text_of
from helpers.paths import ASSETS
from helpers.pdf import pdf_text
from ukreport.errors import RenderError
from ukreport.references import key
from ukreport.report.render import render

URL = "https://www.example.org/news/2025/talks"
ITEMS = [
    {
        "id": key(URL),
        "type": "article-newspaper",
        "title": "Talks in Riyadh",
        "container-title": "example.org",
        "URL": URL,
        "accessed": {"date-parts": [[2025, 3, 1]]},
    },
    {"id": "other", "type": "webpage", "title": "Another page", "URL": "https://example.net/"},
]


def essay(folder: Path, body: str, front: str = "") -> Path:
    (folder / "refs.json").write_text(json.dumps(ITEMS), encoding="utf-8")
    source = folder / "essay.qmd"
    source.write_text(
        f"---\ntitle: Cited\nbibliography: refs.json\n{front}---\n\n{body}", encoding="utf-8"
    )
    return source


@pytest.mark.render
def test_citations_and_references_in_html_and_pdf(tmp_path: Path) -> None:
    source = essay(
        tmp_path,
        f"They met [@{key(URL)}]. An address with @ in data is text: a\\@b.\n\n"
        "# References\n\n::: {#refs}\n:::\n",
    )
    html, pdf = render(source, tmp_path / "out", assets=ASSETS, cache=False)
    page = parse_html(html.read_text(encoding="utf-8"))
    [cite] = page.cssselect(".citation")
    assert cite.get("data-cites") == key(URL)
    assert cite.cssselect("a")[0].get("href") == f"#ref-{key(URL)}"
    [entry] = page.cssselect("#refs .csl-entry")  # only what is cited: no nocite here
    assert "Talks in Riyadh" in text_of(entry)
    assert entry.cssselect("a")[0].get("href") == URL
    assert "a@b" in text_of(page)
    text = pdf_text(PdfReader(pdf))
    assert "Talks in Riyadh" in text and "n.d." in text


@pytest.mark.render
def test_nocite_lists_every_entry(tmp_path: Path) -> None:
    source = essay(tmp_path, "No citation.\n\n::: {#refs}\n:::\n", front='nocite: "@*"\n')
    [html] = render(source, tmp_path / "out", assets=ASSETS, cache=False, formats=("html",))
    page = parse_html(html.read_text(encoding="utf-8"))
    assert len(page.cssselect("#refs .csl-entry")) == len(ITEMS)


def test_an_unknown_key_stops_the_render_at_its_line(tmp_path: Path) -> None:
    source = essay(tmp_path, "Fine.\n\nThey met [@nowhere-1234].\n")
    with pytest.raises(RenderError, match=r"essay\.qmd:8: cites @nowhere-1234, which is not in"):
        render(source, tmp_path / "out", assets=ASSETS, cache=False, formats=("html",))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_missing_style_is_named(tmp_path: Path) -> None:
    source = essay(tmp_path, f"[@{key(URL)}]\n", front="csl: nowhere.csl\n")
    with pytest.raises(RenderError, match=r"citation style 'nowhere\.csl' not found"):
        render(source, tmp_path / "out", assets=ASSETS, cache=False, formats=("html",))


def test_keys_are_host_and_hash() -> None:
    assert key("https://www.tass.com/politics/1") == key("https://www.tass.com/politics/1")
    assert key("https://www.tass.com/politics/1").startswith("tass.com-")
    assert key("https://www.tass.com/politics/1") != key("https://www.tass.com/politics/2")


FORMS = """\
A claim [@{a}]. Two at once [@{a}; @other, p. 3]. @other says so, and again [-@{a}].
[See @other and @{a}, chaps. 1--2, for more.]

::: {{#refs}}
:::

After the list [@other].
"""


@pytest.mark.parametrize("with_list", [True, False])
def test_citeproc_given_the_citations_alone_formats_as_given_the_whole(
    tmp_path: Path, with_list: bool
) -> None:
    from ukreport.report.render.citations import _citeproc, cite, style
    from ukreport.report.render.document import parse
    from ukreport.report.render.pandoc import parse_markdown

    text = FORMS.format(a=key(URL))
    if not with_list:
        text = text.replace("::: {#refs}\n:::\n", "")
    source = essay(tmp_path, text)
    doc = parse(source)
    markdown = tmp_path / "body.md"
    markdown.write_text(text, encoding="utf-8")
    tree = parse_markdown(markdown)
    metadata = tmp_path / "meta.json"
    metadata.write_text(json.dumps({"title": "Cited", "lang": "en"}), encoding="utf-8")
    whole = tmp_path / "whole.json"
    _citeproc(tree, tmp_path / "refs.json", style(doc, ASSETS), metadata, whole)
    store = tmp_path / "store"
    alone = cite(doc, tree, metadata, ASSETS, tmp_path / "alone.json", store=store)
    assert json.loads(alone.read_text(encoding="utf-8")) == json.loads(whole.read_text("utf-8"))
    assert len(list(store.iterdir())) == 1
    # The prose changes, the citations do not: the kept answer is used as it is.
    markdown.write_text(text.replace("A claim", "A changed claim"), encoding="utf-8")
    again = cite(doc, parse_markdown(markdown), metadata, ASSETS, tmp_path / "b.json", store=store)
    assert len(list(store.iterdir())) == 1
    assert "changed" in again.read_text(encoding="utf-8")
