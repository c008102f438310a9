"""Frozen cell outputs: a prose edit renders from the cache, byte for byte the same as a
fresh kernel; any change to what the outputs depend on runs the cells again."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from helpers.paths import ASSETS, ROOT
from ukreport.report.render import render
from ukreport.report.render.document import parse
from ukreport.report.render.freeze import CACHE_DIR, cache_key

PROCESSED = ROOT / "data" / "processed"

DOC = """\
---
title: "Frozen"
date: 2025-03-01
---

Opening paragraph. The answer is `{python} answer`.

```{python}
answer = 6 * 7
print("cell ran", answer)
```
"""

FROM_CACHE = "cell outputs of"


def _write(folder: Path, text: str = DOC) -> Path:
    source = folder / "doc.qmd"
    source.write_text(text, encoding="utf-8")
    return source


def _render(source: Path, out: Path, **kwargs: bool) -> dict[str, bytes]:
    written = render(source, out, assets=ASSETS, **kwargs)
    return {path.name: path.read_bytes() for path in written}


def _from_cache(caplog: pytest.LogCaptureFixture) -> bool:
    return any(FROM_CACHE in record.getMessage() for record in caplog.records)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the data package the cells read, so a test can change it."""
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED, target)
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(target))
    return target


def test_second_render_comes_from_the_cache_and_is_identical(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _write(tmp_path)
    caplog.set_level(logging.INFO, logger="ukreport")
    fresh = _render(source, tmp_path / "fresh")
    assert not _from_cache(caplog)
    assert (tmp_path / CACHE_DIR / "doc.json").is_file()
    caplog.clear()
    cached = _render(source, tmp_path / "cached")
    assert _from_cache(caplog)
    assert cached == fresh
    assert b"The answer is 42" in cached["doc.html"]
    # The Markdown was read section by section, each section's tree kept for the next
    # run; a render that keeps nothing reads it whole, and gives the same bytes.
    assert list((tmp_path / CACHE_DIR / "sections").glob("*.json"))
    assert _render(source, tmp_path / "whole", cache=False) == fresh


def test_a_prose_edit_keeps_the_key_and_a_code_edit_changes_it(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _write(tmp_path)
    key = cache_key(parse(source))
    _write(tmp_path, DOC.replace("Opening paragraph.", "A rewritten opening paragraph."))
    assert cache_key(parse(source)) == key
    _render(source, tmp_path / "out")
    caplog.set_level(logging.INFO, logger="ukreport")
    edited = DOC.replace("Opening paragraph.", "Another opening.")
    _write(tmp_path, edited)
    html = _render(source, tmp_path / "out")["doc.html"]
    assert _from_cache(caplog) and b"Another opening." in html
    caplog.clear()
    _write(tmp_path, edited.replace("6 * 7", "6 * 9"))
    assert cache_key(parse(source)) != key
    html = _render(source, tmp_path / "out")["doc.html"]
    assert not _from_cache(caplog) and b"The answer is 54" in html


def test_a_change_to_the_data_package_changes_the_key(tmp_path: Path, data_dir: Path) -> None:
    source = _write(tmp_path)
    key = cache_key(parse(source))
    package = data_dir / "datapackage.json"
    document = json.loads(package.read_text(encoding="utf-8"))
    document["version"] = "9.9.9"
    package.write_text(json.dumps(document), encoding="utf-8")
    assert cache_key(parse(source)) != key


def test_a_change_to_a_figure_changes_the_key(tmp_path: Path, data_dir: Path) -> None:
    source = _write(tmp_path)
    key = cache_key(parse(source))
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "figures.json").write_text("{}", encoding="utf-8")
    assert cache_key(parse(source)) != key


def test_no_cache_always_executes_and_stores_nothing(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _write(tmp_path)
    caplog.set_level(logging.INFO, logger="ukreport")
    _render(source, tmp_path / "out", cache=False)
    _render(source, tmp_path / "out", cache=False)
    assert not _from_cache(caplog)
    assert not (tmp_path / CACHE_DIR).exists()


def test_a_damaged_cache_is_ignored(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _write(tmp_path)
    fresh = _render(source, tmp_path / "out")
    (tmp_path / CACHE_DIR / "doc.json").write_text('{"key": ', encoding="utf-8")
    caplog.set_level(logging.INFO, logger="ukreport")
    assert _render(source, tmp_path / "again") == fresh
    assert not _from_cache(caplog)
