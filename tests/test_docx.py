"""The essay as a Word document: headings, tables with their captions, figures drawn as
PNG with their alt text, citations and references linked, the front matter's title and
author, and the same bytes from the same inputs."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest

from helpers.paths import ESSAY
from helpers.report import EPOCH, Report
from ukreport.report.figures import FIGURES
from ukreport.report.render import execute, render

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def docx(
    report: Report, tmp_path_factory: pytest.TempPathFactory
) -> tuple[zipfile.ZipFile, bytes, bytes]:
    """The real essay rendered to DOCX twice, from the report's data, figures and frozen
    cell outputs (a fresh kernel giving what the cache gives is test_freeze's)."""
    folder = tmp_path_factory.mktemp("docx")
    essay = folder / "essay.qmd"
    shutil.copy2(ESSAY, essay)
    shutil.copytree(report.frozen, folder / report.frozen.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKREPORT_DATA_DIR", str(report.processed))
        mp.setenv("UKREPORT_FIGURES_DIR", str(report.figures))
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setattr(execute, "_session", _no_kernel)
        [first] = render(essay, folder / "one", formats=("docx",))
        [second] = render(essay, folder / "two", formats=("docx",))
    return zipfile.ZipFile(first), first.read_bytes(), second.read_bytes()


def _no_kernel(*args: object, **kwargs: object) -> None:
    raise AssertionError("a kernel was started: the report's frozen cells were not reused")


def test_same_inputs_same_bytes(docx: tuple[zipfile.ZipFile, bytes, bytes]) -> None:
    _, first, second = docx
    assert first == second


def test_headings_tables_captions_and_metadata(
    docx: tuple[zipfile.ZipFile, bytes, bytes], report: Report
) -> None:
    archive, _, _ = docx
    body = archive.read("word/document.xml").decode("utf-8")
    headings = re.findall(r'<w:pStyle w:val="Heading\d" />', body)
    assert len(headings) >= 10
    assert body.count("<w:tbl>") == len(re.findall(r'w:val="TableCaption"', body)) >= 8
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert "<dc:title>US–Russia Dialogue on the Ukraine Conflict</dc:title>" in core
    assert "<dc:creator>ukreport contributors</dc:creator>" in core
    assert "2026-05-28T" in core  # the date is SOURCE_DATE_EPOCH's, not today's
    text = re.sub(r"<[^>]+>", "", body)
    assert "References" in text and "Appendix A: Codebook" in text


def test_figures_are_pngs_with_their_alt_text(
    docx: tuple[zipfile.ZipFile, bytes, bytes], report: Report
) -> None:
    archive, _, _ = docx
    media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(media) == len(FIGURES)
    assert all(archive.read(n).startswith(b"\x89PNG") for n in media)
    body = archive.read("word/document.xml").decode("utf-8")
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert len(alts) == len(FIGURES)
    assert all(len(alt) > 40 for alt in alts), alts
    assert len(re.findall(r'w:val="ImageCaption"', body)) == len(FIGURES)


def test_citations_link_to_their_references(docx: tuple[zipfile.ZipFile, bytes, bytes]) -> None:
    archive, _, _ = docx
    body = archive.read("word/document.xml").decode("utf-8")
    anchors = set(re.findall(r'<w:hyperlink w:anchor="(ref-[^"]+)"', body))
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(ref-[^"]+)"', body))
    assert anchors and anchors <= bookmarks
    relations = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    # every reference links its page (and the essay's rows link to the record's)
    assert relations.count('TargetMode="External"') >= len(bookmarks) > 10
