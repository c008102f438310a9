"""A cached render is the render ``--no-cache`` gives, byte for byte: text commented
out mid-line stays hidden, and a TeX macro defined in one section applies in the next,
whether the sections were read from the cache, read one by one, or read whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.html import parse_html, text_of
from helpers.pdf import pdf_text
from ukreport.cli import main

pytestmark = pytest.mark.render

DOC = """\
---
title: "Drafts"
date: 2025-03-01
---

## Opening

Draft note <!-- TODO

## Secret draft heading

SECRET-DRAFT-TEXT -->

A sentence that stays. \\newcommand{\\nation}{Ukraine}

## Closing

Macro in math: $\\nation$.

Another <span title="a title

## Hidden in an attribute

ATTRIBUTE-TEXT">visible span</span> ends here.
"""


def _render(source: Path, out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["render", str(source), "--out-dir", str(out), *extra]) == 0
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if path.is_file()}


def test_a_cached_render_equals_an_uncached_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    source = tmp_path / "drafts.qmd"
    source.write_text(DOC, encoding="utf-8")
    first = _render(source, tmp_path / "first")
    again = _render(source, tmp_path / "again")  # every section from the cache
    uncached = _render(source, tmp_path / "uncached", "--no-cache")
    assert set(uncached) == {"drafts.html", "drafts.pdf"}
    assert first == uncached
    assert again == uncached
    shown = text_of(parse_html(uncached["drafts.html"].decode("utf-8")))  # no comments
    printed = pdf_text(PdfReader(io.BytesIO(uncached["drafts.pdf"])))
    for text in (shown, printed):
        for hidden in ("SECRET-DRAFT-TEXT", "Secret draft heading", "Hidden in an attribute"):
            assert hidden not in text
        assert "visible span" in text
    assert "Ukraine" in shown  # the macro, defined in the first section, used in the second
