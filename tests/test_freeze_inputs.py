"""Frozen cell outputs are kept under the key of what the kernel read: inputs changed
while the cells run leave nothing kept under the old key, and the package's metadata
(its ``Source`` URL and version, which the provenance lines link) is in the key."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from helpers.paths import ASSETS, ROOT
from ukreport import _cache, _meta
from ukreport.report.render import render
from ukreport.report.render.document import parse
from ukreport.report.render.freeze import CACHE_DIR, cache_key

pytestmark = pytest.mark.render

# The first cell reads the data package; the second changes it, as an edit saved (or
# `ukreport process` run) while the kernel works would.
DOC = """\
---
title: "Changing"
date: 2025-03-01
---

The data's version is `{python} version`.

```{python}
import json, os, pathlib
package = pathlib.Path(os.environ["UKREPORT_DATA_DIR"]) / "datapackage.json"
version = json.loads(package.read_text(encoding="utf-8"))["version"]
```

```{python}
document = json.loads(package.read_text(encoding="utf-8"))
document["version"] = "changed-while-running"
package.write_text(json.dumps(document), encoding="utf-8")
```
"""
FROM_CACHE = "cell outputs of"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", target)
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(target))
    return target


def _html(source: Path, out: Path) -> str:
    (html,) = render(source, out, assets=ASSETS, formats=["html"])
    return html.read_text(encoding="utf-8")


def test_data_changed_while_the_cells_run_are_not_kept_under_the_old_key(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "doc.qmd"
    source.write_text(DOC, encoding="utf-8")
    before = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["version"]
    old_key = cache_key(parse(source))
    caplog.set_level(logging.INFO, logger="ukreport")
    html = _html(source, tmp_path / "first")
    assert f"The data’s version is {before}" in html
    frozen = tmp_path / CACHE_DIR / "doc.json"
    assert not frozen.exists()  # nothing kept: not under the old key, not under the new
    assert "changed while its cells ran" in caplog.text
    assert cache_key(parse(source)) != old_key
    # The next render reads the new data afresh; its own run changes nothing, so its
    # outputs are kept, under the key of the data it read.
    caplog.clear()
    html = _html(source, tmp_path / "second")
    assert FROM_CACHE not in caplog.text
    assert "The data’s version is changed-while-running" in html
    kept = _cache.Store(frozen.parent).load_json(frozen.name)
    assert kept["key"] == cache_key(parse(source))
    caplog.clear()
    assert _html(source, tmp_path / "third") == html
    assert FROM_CACHE in caplog.text


def test_the_package_metadata_is_in_the_key(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "doc.qmd"
    source.write_text(DOC, encoding="utf-8")
    installed = _meta.metadata_text()
    repository = _meta.repository()
    assert repository and f"Source, {repository}" in installed  # what provenance links
    key = cache_key(parse(source))
    moved = installed.replace(repository, "https://example.org/moved/ukreport")
    monkeypatch.setattr(_meta, "metadata_text", lambda: moved)
    assert cache_key(parse(source)) != key
