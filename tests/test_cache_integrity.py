"""No cache publishes what an uncached render would not: every kept entry is checked
against its own hash (an entry edited by hand is a miss, removed and made again), and
a different pandoc is never answered from what another pandoc wrote."""

from __future__ import annotations

import logging
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pypandoc
import pytest

from helpers.paths import ASSETS, ROOT
from ukreport import _cache
from ukreport.report.render import render
from ukreport.report.render.freeze import CACHE_DIR

pytestmark = pytest.mark.render

DOC = """\
---
title: "Kept"
date: 2025-03-01
---

## Opening

The answer is `{python} answer`, as the record says [@1lurer.am-e9f62cd1].

```{python}
answer = 6 * 7
print("cell ran", answer)
```

## Closing

Plain closing words [@1063word.radio.com-eb028fc7].
"""


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", target)
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(target))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    path = tmp_path / "doc.qmd"
    path.write_text(DOC, encoding="utf-8")
    return path


def _render(source: Path, out: Path, *, cache: bool = True) -> dict[str, bytes]:
    written = render(source, out, assets=ASSETS, formats=["html"], cache=cache)
    return {path.name: path.read_bytes() for path in written}


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_an_entry_is_checked_against_its_hash(tmp_path: Path) -> None:
    store = _cache.Store(tmp_path)
    assert store.store("a.json", b'{"said": "kept"}')
    assert store.load_json("a.json") == {"said": "kept"}
    assert _cache.tampered(tmp_path) == []
    # Edited by hand, below its seal: a miss, and removed.
    kept = (tmp_path / "a.json").read_bytes()
    (tmp_path / "a.json").write_bytes(kept.replace(b"kept", b"edit"))
    assert _cache.tampered(tmp_path) == [tmp_path / "a.json"]
    assert store.load("a.json") is None
    assert not (tmp_path / "a.json").exists()
    # Copied under another entry's name, or written without a seal: a miss too.
    (tmp_path / "b.json").write_bytes(kept)
    (tmp_path / "c.json").write_bytes(b'{"said": "kept"}')
    (tmp_path / "d.json").write_bytes(b"")
    assert _cache.tampered(tmp_path) == [tmp_path / name for name in ("b.json", "c.json", "d.json")]
    assert [store.load(name) for name in ("b.json", "c.json", "d.json")] == [None] * 3


def _edit(path: Path, old: bytes, new: bytes) -> bool:
    """Edit a kept entry as a hand would, leaving its seal as it was."""
    kept = path.read_bytes()
    seal, newline, body = kept.partition(b"\n")
    if not seal.startswith(b"ukreport-cache "):
        seal, newline, body = b"", b"", kept
    if old not in body:
        return False
    path.write_bytes(seal + newline + body.replace(old, new))
    return True


def test_an_entry_edited_by_hand_never_reaches_the_output(
    source: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    uncached = _render(source, tmp_path / "uncached", cache=False)
    assert _render(source, tmp_path / "first") == uncached
    folder = tmp_path / CACHE_DIR
    entries = _entries(folder)
    kinds = {path.parent.name for path in entries}
    assert {"sections", "citations", CACHE_DIR} <= kinds  # trees, citeproc, frozen cells
    edited = [
        path
        for path in entries
        if _edit(path, b"42", b"43")
        or _edit(path, b"closing", b"CLOSING")
        or _edit(path, b"Opening", b"OPENING")
        or _edit(path, b"1lurer", b"2lurer")
    ]
    assert {path.parent.name for path in edited} == kinds
    found = _cache.tampered(folder)
    caplog.set_level(logging.INFO, logger="ukreport")
    assert _render(source, tmp_path / "again") == uncached
    assert found == edited
    assert "does not match its hash" in caplog.text
    assert _cache.tampered(folder) == []  # removed, and made again from the source


def _another_pandoc(folder: Path) -> Path:
    """A pandoc that reads and writes differently (every word upper-cased): the one in
    the wheel, run with one more Lua filter."""
    real = Path(pypandoc.get_pandoc_path()).resolve()
    upper = folder / "upper.lua"
    upper.write_text("function Str(s) return pandoc.Str(s.text:upper()) end\n", encoding="utf-8")
    wrapper = folder / "pandoc"
    wrapper.write_text(f'#!/bin/sh\nexec "{real}" "$@" --lua-filter="{upper}"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper


@pytest.fixture
def fresh_pandoc_lookup() -> Iterator[None]:
    """pypandoc remembers the pandoc it found; forget it before and after the test."""
    pypandoc.clean_pandocpath_cache()
    yield
    pypandoc.clean_pandocpath_cache()


def test_another_pandoc_is_not_answered_from_the_first_ones_cache(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_pandoc_lookup: None
) -> None:
    first = _render(source, tmp_path / "first")
    tools = tmp_path / "tools"
    tools.mkdir()
    monkeypatch.setenv("PYPANDOC_PANDOC", str(_another_pandoc(tools)))
    pypandoc.clean_pandocpath_cache()
    assert Path(pypandoc.get_pandoc_path()) == tools / "pandoc"
    uncached = _render(source, tmp_path / "uncached", cache=False)
    assert uncached != first
    assert b"PLAIN CLOSING WORDS" in uncached["doc.html"]
    assert _render(source, tmp_path / "cached") == uncached
    # The wrapper swapped for another binary at the same path: size and time change.
    os.utime(tools / "pandoc", ns=(0, 0))
    assert _render(source, tmp_path / "touched") == uncached
