"""What the preview watches, with the real watcher: an edit saved while the first build
runs is shown after it, and editors' temporary files are neither named nor rebuilt for
(in the essay's folder, the raw data and the assets)."""

from __future__ import annotations

import http.client
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from helpers.paths import copy_tracked
from ukreport.pipeline.graph import before, reads
from ukreport.report.preview import Build, Preview
from ukreport.report.preview.server import HOST
from ukreport.report.preview.watch import Watched, Watcher

FIRST = "---\ntitle: Essay\n---\n\nThe first text.\n"
SECOND = FIRST.replace("first", "second")
THIRD = FIRST.replace("first", "third")


def save_as_sed_does(path: Path, text: str) -> None:
    """``sed -i``: the new text in a temporary file beside ``path``, renamed over it."""
    temporary = path.parent / "sedBOOvbN"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def save_as_vim_does(path: Path, text: str) -> None:
    """Vim: a swap file, a test that the folder is writable (``4913``), a backup."""
    swap = path.parent / f".{path.name}.swp"
    swap.write_bytes(b"b0VIM 9.0")
    probe = path.parent / "4913"
    probe.write_bytes(b"")
    probe.unlink()
    backup = path.parent / f"{path.name}~"
    backup.write_bytes(path.read_bytes())
    path.write_text(text, encoding="utf-8")
    backup.unlink()


def came_and_went(paths: Iterable[Path]) -> None:
    """Files that are there for a moment only, gone before the change is reported."""
    for path in paths:
        path.write_text("p {}\n", encoding="utf-8")
        path.unlink()


class Stop(Exception):
    """Ends the preview's loop from its ``on_build``."""


def test_an_edit_saved_during_the_first_build_is_shown_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    essay = tmp_path / "essay.qmd"
    essay.write_text(FIRST, encoding="utf-8")
    (tmp_path / "assets").mkdir()
    preview = Preview(essay, port=0, root=tmp_path, out_dir=tmp_path / "out")
    build_once = preview.builder.build

    def build(changed: Iterable[Path] = ()) -> Build:
        done = build_once(changed)
        if not changed:  # the first build has read the essay and is not over yet
            save_as_sed_does(essay, SECOND)
        return done

    monkeypatch.setattr(preview.builder, "build", build)
    builds: queue.Queue[Build] = queue.Queue()
    count = 0

    def on_build(done: Build) -> None:
        nonlocal count
        builds.put(done)
        count += 1
        if count == 3:
            raise Stop

    def run() -> None:
        with pytest.raises(Stop):
            preview.run(on_build)

    with preview:
        running = threading.Thread(target=run, daemon=True)
        running.start()
        first = builds.get(timeout=120)
        assert first.page is not None
        assert b"The first text." in first.page
        # The save came after the first build read the essay: a second build shows it.
        second = builds.get(timeout=120)
        assert second.changed == ("essay.qmd",)  # not sed's temporary file
        assert second.page is not None
        assert b"The second text." in second.page
        connection = http.client.HTTPConnection(HOST, preview.server.port, timeout=10)
        connection.request("GET", "/", headers={"Host": f"{HOST}:{preview.server.port}"})
        assert b"The second text." in connection.getresponse().read()
        # Temporary files, and files gone as soon as made, start no build of their own.
        came_and_went(tmp_path / "assets" / name for name in ("draft.css", "x.css.part"))
        save_as_vim_does(essay, THIRD)
        third = builds.get(timeout=120)
        assert third.changed == ("essay.qmd",)
        assert third.page is not None
        assert b"The third text." in third.page
        running.join(timeout=30)
        assert not running.is_alive()


def test_editors_temporary_files_in_a_checkout_are_not_changes(tmp_path: Path) -> None:
    copy_tracked(tmp_path)
    essay = tmp_path / "reports/essay.qmd"
    events = tmp_path / "data/raw/events.csv"
    watched = Watched(tmp_path, essay, lambda root: reads(root, (*before("report"), "report")))
    with Watcher(watched, debounce_ms=300) as watcher:
        # A spreadsheet's lock file, a scratch table of the researcher's own, files that
        # come and go in the assets: none is an input of the build.
        (tmp_path / "data/raw/.~lock.events.csv#").write_text("x", encoding="utf-8")
        (tmp_path / "data/raw/scratch.csv").write_text("a,b\n", encoding="utf-8")
        came_and_went([tmp_path / "reports/assets/draft.css", tmp_path / "data/raw/4913"])
        save_as_sed_does(events, events.read_text(encoding="utf-8"))
        assert watcher.changes() == [events]
        save_as_vim_does(essay, essay.read_text(encoding="utf-8") + "\nOne more line.\n")
        assert watcher.changes() == [essay]
        # The package's metadata is an input, at the top of the checkout.
        pyproject = tmp_path / "pyproject.toml"
        pyproject.write_text(pyproject.read_text(encoding="utf-8"), encoding="utf-8")
        assert watcher.changes() == [pyproject]
        # A new asset is one.
        (tmp_path / "reports/assets/print.css").write_text("p {}\n", encoding="utf-8")
        assert watcher.changes() == [tmp_path / "reports/assets/print.css"]
