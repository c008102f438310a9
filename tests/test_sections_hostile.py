"""Whatever the text, reading it section by section gives pandoc's tree for the whole
text: pieces that open mid-line and span blank lines (comments, raw HTML, TeX
environments), state pandoc carries through the document (TeX macros, link and note
definitions, examples, headings linked by their text, identifiers) and multiline
tables, mixed with plain prose and headings, never let a cut change what is read."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from ukreport.errors import ExternalCommandError
from ukreport.report.render.pandoc import parse_markdown
from ukreport.report.render.sections import SectionReader, split_sections

pytestmark = pytest.mark.render

PLAIN = [
    "Plain words.",
    "*Emphasis* and `code` and a [link](https://example.org).",
    "See <https://example.org/x> or <someone@example.org>.",
    "A claim [@smith, p. 4] and @jones says.",
    "A price of $5 and $x^2$ in math.",
    "- an item\n- another",
    "1. first\n2. second",
    "> a quoted line",
    "Term\n:   its definition",
    "Back\\\\slash and a\\\\alpha",
    "Data as escaped: \\<b\\> \\<\\!\\-\\- \\[x\\]\\: \\(\\@e\\) \\-\\-\\-",
    "```\n## inside code\n```",
    "::: {.note}\nIn a div.\n:::",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Setext heading\n==============",
    "---",
]
HEADINGS = ["## Heading A", "## Heading B", "### Sub heading", "# Top {#top}", "## Heading A"]
HOSTILE = [
    "Draft note <!-- TODO",
    "-->",
    "<!--",
    "Draft <div>",
    "</div>",
    'A <span title="opened',
    '">x</span>',
    "<script>",
    "</script>",
    "<pre>",
    "</pre>",
    "<![CDATA[",
    "]]>",
    "<?php",
    "?>",
    "<p:x> and <div:x>",
    "An escaped backslash, then a comment: \\\\<!-- open",
    "SECRET-DRAFT-TEXT",
    "\\newcommand{\\foo}{bar}",
    "Inline \\def\\baz{qux} here",
    "\\renewcommand{\\foo}{other}",
    "\\let\\zed\\foo",
    "$\\foo$ and $\\baz$ and $\\zed$",
    "\\foo{} \\baz",
    "Mid-line \\begin{small}",
    "\\end{small}",
    "[ref]: https://example.org/ref",
    "> [quoted]: https://example.org/quoted",
    "[ref] and [quoted]",
    "A note[^n].",
    "[^n]: The note.",
    "(@ex) An example.",
    "- (@other) Another example.",
    "As (@ex) and (@other) show.",
    "[Heading A] and [Sub heading][] and [Quoted heading]",
    "> ## Quoted heading",
    "- ## Listed heading",
    "[Listed heading] and [Setext heading]",
    "An inline note^[with text].",
    "---\ntitle: Late metadata\n---",
    "-------------------------\n  Left      Right",
    "------- -------\n  a       b",
    "  row one    two",
    "::: {.opened}",
    ":::",
    "```",
    "~~~~ {.python}",
    "- an item\n\n    ```\n    code in the item",
    "> ```\n> code in a quote",
    "    indented code",
    "Term\n:   ## Defined heading",
    "[Defined heading]",
]
PIECES = st.one_of(st.sampled_from(PLAIN + HEADINGS), st.sampled_from(HOSTILE))
SEPARATORS = st.sampled_from(["\n\n", "\n", " ", "\n\n\n"])
SECTION = st.lists(st.tuples(PIECES, SEPARATORS), min_size=1, max_size=3)


def _document(sections: list[list[tuple[str, str]]]) -> str:
    """Sections under headings of their own, each a few pieces joined as drawn."""
    parts = []
    for number, pieces in enumerate(sections):
        body = "".join(piece + separator for piece, separator in pieces)
        parts.append(f"## Part {number}\n\n{body}" if number else body)
    return "\n\n".join(parts)


def _tree(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _both(text: str) -> tuple[Any, Any, SectionReader]:
    """pandoc's tree of the whole text and the reader's; a text pandoc refuses (its YAML,
    say) gives the error both ways."""
    with tempfile.TemporaryDirectory(prefix="ukreport-sections-") as folder:
        markdown = Path(folder) / "document.md"
        markdown.write_text(text, encoding="utf-8")
        reader = SectionReader(workers=1)
        try:
            whole = _tree(parse_markdown(markdown))
        except ExternalCommandError as refused:
            with pytest.raises(ExternalCommandError) as also:
                reader(markdown)
            return str(refused).replace(folder, ""), str(also.value).replace(folder, ""), reader
        return whole, _tree(reader(markdown)), reader


@settings(max_examples=150, deadline=None)
@given(st.lists(SECTION, min_size=2, max_size=4))
def test_any_mix_of_pieces_reads_as_the_whole(sections: list[list[tuple[str, str]]]) -> None:
    text = _document(sections)
    whole, joined, reader = _both(text)
    event("read whole" if reader.last.whole else "read by sections")
    assert joined == whole


# Each opens mid-line, or defines something, in one section and reaches the next.
REACHING = {
    "comment opened mid-line": (
        "## A\n\nDraft note <!-- TODO\n\n## Secret draft heading\n\nSECRET-DRAFT-TEXT -->\n\n"
        "## B\n\nText.\n"
    ),
    "div opened mid-line": "## A\n\nText <div>\n\n## B\n\n</div>\n",
    "attribute over blank lines": '## A\n\nA <span title="x\n\n## B\n\ny">z</span>\n',
    "newcommand": "## A\n\n\\newcommand{\\foo}{bar}\n\n## B\n\n$\\foo$\n",
    "def mid-line": "## A\n\nSay \\def\\baz{qux} so.\n\n## B\n\n$\\baz$\n",
    "environment mid-line": "## A\n\nText \\begin{x}\n\n## B\n\n\\end{x}\n",
    "definition in a quote": "## A\n\n> [q]: https://example.org\n\n## B\n\nSee [q].\n",
    "example in a list": "## A\n\n- (@e) One.\n\n## B\n\nAs (@e).\n",
    "heading in a quote": "## A\n\n> ## Deep\n\n## B\n\nSee [Deep].\n",
    "multiline table": (
        "## A\n\n-------------------\n  Left      Right\n-------- ----------\n"
        "  a         b\n\n## c         d\n\n-------------------\n\n## B\n\nText.\n"
    ),
}


@pytest.mark.parametrize("name", sorted(REACHING))
def test_what_reaches_the_next_section_is_read_whole(name: str) -> None:
    text = REACHING[name]
    assert split_sections(text) is None
    whole, joined, reader = _both(text)
    assert joined == whole
    assert reader.last.whole is not None


def test_autolinks_and_escaped_text_still_cut() -> None:
    """Links in angle brackets, and data as the essay's cells write it (every punctuation
    character escaped: ``\\<b\\>`` is text, not HTML), leave the text cut."""
    text = (
        "## A\n\nSee <https://example.org/a> and <a@example.org>.\n\n"
        "## B\n\nC:\\\\dir, \\<b\\>bold\\</b\\> \\[x\\]\\: y\n"
    )
    assert split_sections(text) is not None
    whole, joined, reader = _both(text)
    assert joined == whole
    assert reader.last.whole is None
