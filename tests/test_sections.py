"""Reading Markdown section by section gives the tree pandoc gives for the whole text,
and a second read re-reads only the sections that changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers.paths import ROOT
from ukreport.report.render.document import MarkdownChunk, parse
from ukreport.report.render.pandoc import parse_markdown
from ukreport.report.render.sections import SectionReader, split_sections

pytestmark = pytest.mark.render

SECTIONED = """\
Before the first heading, with *emphasis* and a [link](https://example.org).

## One {#one .appendix}

::: {.disputed title="Where the record differs"}
## Not a cut: inside a div

Text.
:::

```python
## not a heading: inside code
```

## Two

| a | b |
|---|---|
| 1 | 2 |

: Table 1: Counts {#tbl-counts}

![Figure 1: A map](map.png){#fig-map}

### Three

1. one
2. two

Closing words.^[An inline note.]
"""

# Each reaches across sections, so the whole text is read in one run.
ACROSS = {
    "reference link": "## A\n\nSee [the site][site].\n\n## B\n\n[site]: https://example.org\n",
    "note": "## A\n\nA claim.[^1]\n\n## B\n\n[^1]: The note.\n",
    "example list": "## A\n\n(@first) One.\n\n## B\n\n(@) Two, as (@first).\n",
    "heading by text": "## A\n\nSee [B].\n\n## B\n\nText.\n",
    "raw html": "## A\n\n<div>\n\n## B\n\n</div>\n",
    "metadata": "## A\n\n---\ntitle: x\n---\n\n## B\n",
    "one identifier twice": "## Added\n\nx\n\n## Added\n\ny\n",
    "explicit and automatic id": "## A {#b}\n\nx\n\n## B\n\ny\n",
    "unclosed fence": "## A\n\n```\ncode\n\n## B\n",
    "inline note and citations": "## A\n\nA^[note] [@a].\n\n## B\n\nB [@b].\n",
}

CITED = "## A\n\nOne [@a; @b] and @c says.\n\n## B\n\nTwo [@d].\n\n## C\n\nThree [-@e, p. 4].\n"


def test_citations_are_numbered_through_the_document(tmp_path: Path) -> None:
    assert split_sections(CITED) is not None
    whole, joined = read_both(tmp_path, CITED)
    assert joined == whole


def tree(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_both(tmp_path: Path, text: str, reader: SectionReader | None = None) -> tuple[Any, Any]:
    """The tree read whole and the tree read by sections (with ``reader`` if given)."""
    markdown = tmp_path / "document.md"
    markdown.write_text(text, encoding="utf-8")
    whole = tree(parse_markdown(markdown))
    return whole, tree((reader or SectionReader())(markdown))


def test_sections_join_to_the_text() -> None:
    sections = split_sections(SECTIONED)
    assert sections is not None
    assert "".join(sections) == SECTIONED
    assert [s.splitlines()[0] for s in sections[1:]] == [
        "## One {#one .appendix}",
        "## Two",
        "### Three",
    ]


def test_read_by_sections_is_the_whole_read(tmp_path: Path) -> None:
    reader = SectionReader()
    whole, joined = read_both(tmp_path, SECTIONED, reader)
    assert joined == whole
    assert reader.last.read == 4
    assert reader.last.whole is None


def test_an_edit_re_reads_only_its_section(tmp_path: Path) -> None:
    reader = SectionReader()
    read_both(tmp_path, SECTIONED, reader)
    edited = SECTIONED.replace("## Two\n", "## Two\n\nA new sentence.\n")
    whole, joined = read_both(tmp_path, edited, reader)
    assert joined == whole
    assert (reader.last.read, reader.last.reused) == (1, 3)


@pytest.mark.parametrize("name", sorted(ACROSS))
def test_what_reaches_across_sections_is_read_whole(tmp_path: Path, name: str) -> None:
    reader = SectionReader()
    whole, joined = read_both(tmp_path, ACROSS[name], reader)
    assert joined == whole
    assert reader.last.whole is not None


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "data/raw/README.md"])
def test_the_repository_documents_read_alike(tmp_path: Path, name: str) -> None:
    whole, joined = read_both(tmp_path, (ROOT / name).read_text(encoding="utf-8"))
    assert joined == whole


def test_the_essay_prose_is_cut_into_sections(tmp_path: Path) -> None:
    doc = parse(ROOT / "reports" / "essay.qmd")
    prose = "\n\n".join(b.text for b in doc.blocks if isinstance(b, MarkdownChunk))
    sections = split_sections(prose)
    assert sections is not None
    assert len(sections) > 5
    whole, joined = read_both(tmp_path, prose)
    assert joined == whole
