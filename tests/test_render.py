"""Tests for ukreport.report.render: parsing, escaping, executing and typesetting the essay."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from helpers.paths import RENDER_DATA
from helpers.pdf import fonts, pdf_text
from helpers.render import render_sample
from ukreport.errors import ExternalCommandError, RenderError
from ukreport.report.render import CellError, escape, markdown_table
from ukreport.report.render.document import parse, parse_text
from ukreport.report.render.engine import source_date_epoch
from ukreport.report.render.execute import Executed
from ukreport.report.render.frontmatter import FrontMatterError, parse_front_matter
from ukreport.report.render.markdown import assemble
from ukreport.report.render.pandoc import pandoc_path, run

# -- fixtures shared by many tests: each document is executed and typeset once ------------


@pytest.fixture(scope="module")
def essay(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("essay")
    figures = tmp_path_factory.mktemp("figures")
    written = render_sample("essay.qmd", out, figure_dir=figures)
    again = tmp_path_factory.mktemp("essay-again")
    render_sample("essay.qmd", again)
    return {
        "html": out / "essay.html",
        "pdf": out / "essay.pdf",
        "html2": again / "essay.html",
        "pdf2": again / "essay.pdf",
        "figures": figures,
        "written": written,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("hostile")
    render_sample("hostile.qmd", out)
    return {"html": out / "hostile.html", "pdf": out / "hostile.pdf"}


# -- parsing ------------------------------------------------------------------------------


def test_parse_keeps_cell_lines_and_options() -> None:
    doc = parse(RENDER_DATA / "essay.qmd")
    assert doc.meta["title"] == "A Small Test Essay"
    assert doc.meta["author"] == [{"name": "Ada Tester"}]
    figure = next(c for c in doc.cells if c.label == "fig-trend")
    assert figure.line == 38
    assert figure.options["fig-cap"] == "Events per year"
    assert figure.code_line == 42
    assert not figure.flag("echo", False)
    assert [e.expr for e in doc.inline][:2] == ["n_rows", "largest"]
    assert doc.inline[0].line == 13


def test_parse_ignores_code_fences_that_are_not_cells() -> None:
    text = (
        "Text `{python} 1`\n\n```python\n`{python} 2`\n```\n\n"
        "```{python}\n#| include: false\nx=1\n```\n"
    )
    doc = parse_text(text, Path("x.qmd"))
    assert [e.expr for e in doc.inline] == ["1"]
    assert len(doc.cells) == 1
    assert doc.cells[0].line == 7
    assert doc.cells[0].options == {"include": "false"}


def test_unclosed_cell_is_an_error() -> None:
    with pytest.raises(RenderError, match=r"x\.qmd:3: code cell is never closed"):
        parse_text("Text\n\n```{python}\nx = 1\n", Path("x.qmd"))


def test_front_matter_subset() -> None:
    meta = parse_front_matter(
        'title: "A: b"\nauthor:\n  - name: Jane\n    affiliation: X\n  - Bob\n'
        "keywords: [a, b]\nabstract: |\n  One.\n  Two.\nformat:\n  html:\n    toc: true\n"
    )
    assert meta == {
        "title": "A: b",
        "author": [{"name": "Jane", "affiliation": "X"}, "Bob"],
        "keywords": ["a", "b"],
        "abstract": "One.\nTwo.",
        "format": {"html": {"toc": "true"}},
    }
    with pytest.raises(FrontMatterError):
        parse_front_matter("title: x\n  oops: y\n")


# -- escaping -----------------------------------------------------------------------------


def test_escape_backslashes_every_punctuation_character() -> None:
    assert escape("<b>*x*</b>") == r"\<b\>\*x\*\<\/b\>"
    assert escape("a\n\nb\tc") == "a b c"
    assert escape(3) == "3"


def test_markdown_table_escapes_cells_and_aligns_numbers() -> None:
    df = pd.DataFrame({"name": ["a|b", "**c**"], "n": [1, 2]})
    text = markdown_table(df, caption="Cap").data
    assert r"a\|b" in text
    assert r"\*\*c\*\*" in text
    assert re.search(r"^\|-+\|-+:\|$", text, re.MULTILINE)
    assert text.rstrip().endswith(": Cap")


def _pandoc_plain(markdown: str) -> str:
    done = subprocess.run(
        [pandoc_path(), "-f", "markdown-citations", "-t", "plain", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return done.stdout


_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S"),
        include_characters=" \n\t",
    ),
    max_size=40,
)


@pytest.mark.render
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, min_size=1, max_size=15))
def test_escape_round_trips_through_pandoc(texts: list[str]) -> None:
    """Escaped text comes out of pandoc as the same characters (whitespace collapsed)."""
    wanted = [" ".join(t.split()) for t in texts]
    wanted = [w for w in wanted if w]
    if not wanted:
        return
    source = "\n\n".join(escape(w) for w in wanted)
    assert _pandoc_plain(source).strip().split("\n\n") == wanted


def test_authored_figures_tables_and_references_are_numbered(tmp_path: Path) -> None:
    text = (
        "See @tbl-b, [-@fig-a] and `@fig-code`.\n\n"
        "![A map](map.png){#fig-a width=50%}\n\n"
        "| x |\n|---|\n| 1 |\n\n: Counts {#tbl-b}\n\n"
        "```\n@fig-in-code\n```\n"
    )
    doc = parse_text(text, tmp_path / "doc.qmd")
    body = assemble(doc, Executed([], []), tmp_path)
    assert "See [Table 1](#tbl-b), [1](#fig-a) and `@fig-code`." in body
    assert "![Figure 1: A map](map.png){#fig-a width=50%}" in body
    assert ": Table 1: Counts {#tbl-b}" in body
    assert "@fig-in-code" in body


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch({"date": "2025-03-01"}) == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch({"date": "2025-03-01"}) == 1740787200
    assert source_date_epoch({}) == 315532800


# -- the command wrapper and engines ------------------------------------------------------


def test_run_reports_command_status_and_stderr() -> None:
    command = [sys.executable, "-c", "import sys; sys.stderr.write('first\\nboom\\n'); sys.exit(3)"]
    with pytest.raises(ExternalCommandError, match="boom") as info:
        run(command)
    assert info.value.returncode == 3
    assert info.value.command[0] == sys.executable
    assert "boom" in info.value.stderr


def test_run_missing_program() -> None:
    with pytest.raises(ExternalCommandError, match="not found"):
        run(["ukreport-no-such-program"])


def test_quarto_engine_without_quarto(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match=r"Quarto is not installed .* engine=.embedded.$"):
        render_sample("essay.qmd", tmp_path / "out", engine="quarto")


def test_quarto_engine_hands_over(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "quarto"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        "args = sys.argv[1:]\n"
        "out = pathlib.Path(args[args.index('--output-dir') + 1])\n"
        "fmt = args[args.index('--to') + 1]\n"
        "ext = 'pdf' if fmt == 'typst' else fmt\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "(out / (pathlib.Path(args[1]).stem + '.' + ext)).write_text(fmt)\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    written = render_sample("essay.qmd", tmp_path / "out", engine="auto")
    assert [p.name for p in written] == ["essay.html", "essay.pdf"]
    assert (tmp_path / "out" / "essay.pdf").read_text() == "typst"


def test_unknown_reference_names_the_line(tmp_path: Path) -> None:
    # no cells: no kernel starts, but pandoc is never reached either
    with pytest.raises(RenderError, match=r"unknown_ref\.qmd:9: unknown cross-reference @fig-no"):
        render_sample("unknown_ref.qmd", tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- the rendered essay -------------------------------------------------------------------


@pytest.mark.render
def test_html_has_numbered_figures_tables_and_links(essay: dict[str, Any]) -> None:
    html = essay["html"].read_text(encoding="utf-8")
    assert '<h2 id="introduction">Introduction</h2>' in html
    assert '<h3 id="a-table">A table</h3>' in html
    assert '<nav id="TOC"' in html
    assert "<figcaption>Figure 1: Events per year</figcaption>" in html
    assert "<caption>Table 1: Recorded events</caption>" in html
    assert '<a href="#fig-trend">Figure 1</a>' in html
    assert '<a href="#tbl-events">Table 1</a>' in html
    assert 'id="fig-trend"' in html
    assert 'id="tbl-events"' in html
    assert 'src="data:image/png;base64,' in html
    assert "This essay has 3 rows of data" in html
    assert "The largest value is 8." in html
    assert "the cells ran in the render folder" in html  # kernel cwd = the .qmd's folder
    assert "Traceback" not in html
    assert "Error" not in html


@pytest.mark.render
def test_html_is_self_contained(essay: dict[str, Any]) -> None:
    html = essay["html"].read_text(encoding="utf-8")
    assert "<style" in html
    assert "<link" not in html
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "@import" not in html
    assert "mathjax" not in html.lower()


@pytest.mark.render
def test_pdf_text_fonts_and_metadata(essay: dict[str, Any]) -> None:
    reader = PdfReader(essay["pdf"])
    text = pdf_text(reader)
    for expected in ("Introduction", "Findings", "Conclusion", "Figure 1: Events per year"):
        assert expected in text
    assert "Table 1: Recorded events" in text
    assert "Minsk Protocol" in text
    assert "Normandy summit" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "A Small Test Essay"
    assert reader.metadata.author == "Ada Tester"
    used = fonts(reader)
    assert used
    missing = [f"page {font.page}: {font.name}" for font in used if not font.embedded]
    assert not missing, f"fonts not embedded: {missing}"


@pytest.mark.render
def test_rendering_is_deterministic(essay: dict[str, Any]) -> None:
    assert essay["html"].read_bytes() == essay["html2"].read_bytes()
    assert essay["pdf"].read_bytes() == essay["pdf2"].read_bytes()


@pytest.mark.render
def test_render_returns_written_paths_and_keeps_figures(essay: dict[str, Any]) -> None:
    figure = essay["figures"] / "fig-trend.png"
    assert essay["written"] == [essay["html"], essay["pdf"], figure]
    assert [p.name for p in essay["figures"].iterdir()] == ["fig-trend.png"]
    assert figure.read_bytes().startswith(b"\x89PNG")


# -- hostile data -------------------------------------------------------------------------


@pytest.mark.render
def test_hostile_cells_are_literal_in_html(hostile: dict[str, Path]) -> None:
    html = hostile["html"].read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "**bold**" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "$x$ and \\ backslash | pipe" in html
    assert "@fig-x and line break" in html
    assert "Table 1: Hostile cells" in html


@pytest.mark.render
def test_hostile_cells_are_literal_in_pdf(hostile: dict[str, Path]) -> None:
    reader = PdfReader(hostile["pdf"])
    text = pdf_text(reader)
    assert "#set page(width: 1cm)" in text
    assert "<script>alert(1)</script>" in text
    assert "**bold**" in text
    assert "$x$ and \\ backslash | pipe" in text
    assert float(reader.pages[0].mediabox.width) > 500  # the page was not set to 1cm
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A", {})
            assert "javascript" not in str(action.get("/URI", "")).lower()
            assert action.get("/S") != "/JavaScript"


# -- failures -----------------------------------------------------------------------------


@pytest.mark.render
def test_failing_cell_names_its_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("previous build")
    with pytest.raises(
        CellError, match=r"broken\.qmd:13: .*ValueError: the data are wrong"
    ) as info:
        render_sample("broken.qmd", tmp_path)
    assert info.value.line == 13
    assert info.value.ename == "ValueError"
    assert "line 16" in str(info.value)
    assert "raise ValueError" in info.value.traceback
    assert "Traceback" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.html"]
    assert (tmp_path / "broken.html").read_text() == "previous build"


@pytest.mark.render
def test_figure_caption_without_figure(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"no_figure\.qmd:7: .*claims a figure.*no image"):
        render_sample("no_figure.qmd", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_kernel_sockets_fit_however_deep_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Unix socket's path is at most 107 bytes: with a deep TMPDIR (pytest's folders
    under xdist are) the kernel's sockets go under /tmp instead, and the cells still run."""
    from ukreport.report.render.kernelspec import socket_dir

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    assert socket_dir() == "/tmp"
    [html] = render_sample("essay.qmd", tmp_path / "out", formats=("html",))
    assert "Minsk Protocol" in html.read_text(encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", "/var/tmp")
    assert socket_dir() == "/var/tmp"  # a short one is used as it is


@pytest.mark.render
def test_a_document_without_a_title_is_titled_by_its_file(tmp_path: Path) -> None:
    """An accessible PDF (PDF/UA) must have a title, and an HTML page does: a document
    without one is titled by its file's name, as pandoc would title the page."""
    from ukreport.report.render import render

    source = tmp_path / "notes.qmd"
    source.write_text("# A heading\n\nSome text.\n", encoding="utf-8")
    html, pdf = render(source, tmp_path / "out", cache=False)
    assert "<title>notes</title>" in html.read_text(encoding="utf-8")
    metadata = PdfReader(pdf).metadata
    assert metadata is not None and metadata.title == "notes"
