"""The caches share one key discipline: Python, the libraries and pandoc are in every key,
so an upgrade of any of them is never answered from a result another version made; and
one store, which treats anything it cannot read as a miss and never fails a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.paths import RAW
from ukreport import _cache
from ukreport.cli import remembered
from ukreport.report.render import reflist, sections
from ukreport.report.render.document import parse
from ukreport.report.render.freeze import cache_key


def _another_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _cache.pandoc_identity
    monkeypatch.setattr(_cache, "pandoc_identity", lambda: real() + "\nupgraded 3.9")


def test_every_key_holds_python_the_libraries_and_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _cache.Key("any", "1").add("part", b"x").hexdigest()
    assert _cache.Key("any", "1").add("part", b"x").hexdigest() == before
    _another_pandoc(monkeypatch)
    assert _cache.Key("any", "1").add("part", b"x").hexdigest() != before
    monkeypatch.undo()
    monkeypatch.setattr(_cache._meta, "installed", lambda: ["pandas-9.9.dist-info"])
    assert _cache.Key("any", "1").add("part", b"x").hexdigest() != before
    monkeypatch.undo()
    monkeypatch.setattr(_cache.sys, "version", "3.99.0")
    assert _cache.Key("any", "1").add("part", b"x").hexdigest() != before


def test_parts_are_labelled_and_length_prefixed() -> None:
    one = _cache.Key("any", "1").add("a", b"bc").add("d", b"").hexdigest()
    two = _cache.Key("any", "1").add("a", b"b").add("d", b"c").hexdigest()
    assert one != two
    assert _cache.Key("any", "1").hexdigest() != _cache.Key("other", "1").hexdigest()
    assert _cache.Key("any", "1").hexdigest() != _cache.Key("any", "2").hexdigest()


def test_the_pandoc_in_use_is_in_the_identity() -> None:
    from ukreport.report.render.pandoc import pandoc_path

    assert str(Path(pandoc_path()).resolve()) in _cache.pandoc_identity()


def test_a_pandoc_upgrade_changes_the_key_of_each_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: T\n---\n\n```{python}\n1\n```\n", encoding="utf-8")
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(RAW.parent / "processed"))
    filter_ = tmp_path / "filter.lua"
    filter_.write_text("", encoding="utf-8")
    alone = {"pandoc-api-version": [1, 23], "meta": {}, "blocks": []}

    def keys() -> list[str | None]:
        environment = _cache.environment()
        return [
            remembered.key("validate", ["text"], [RAW]),
            cache_key(parse(source)),
            reflist.key(alone, "html5", filter_, []),
            sections._section_key("# A\n\ntext\n", environment),
        ]

    before = keys()
    assert None not in before
    _another_pandoc(monkeypatch)
    after = keys()
    assert [old != new for old, new in zip(before, after, strict=True)] == [True] * len(before)


def test_the_store_reads_anything_broken_as_a_miss(tmp_path: Path) -> None:
    store = _cache.Store(tmp_path / "kept")
    assert store.load("absent.json") is None
    assert store.store("bad.json", b'{"key": ')
    assert store.load_json("bad.json") is None
    assert store.store("binary.txt", b"\xff\xfe")
    assert store.load_text("binary.txt") is None
    (tmp_path / "kept" / "folder.json").mkdir()
    assert store.load("folder.json") is None
    assert _cache.Store(None).load("x") is None
    assert not _cache.Store(None).store("x", b"y")


def test_a_store_that_cannot_be_written_fails_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"")
    assert not _cache.Store(blocked / "kept", warn=False).store("x.json", b"{}")


def test_a_store_keeps_only_what_it_is_told_to(tmp_path: Path) -> None:
    store = _cache.Store(tmp_path)
    for name in ("html5-a.txt", "html5-b.txt", "typst-a.txt"):
        store.store(name, b"list")
    store.prune("html5-*.txt", ["html5-b.txt"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html5-b.txt", "typst-a.txt"]


def test_one_root_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    essay = tmp_path / "reports" / "essay.qmd"
    assert _cache.beside(essay, "sections") == tmp_path / "reports/.ukreport-cache/sections"
    monkeypatch.setenv("UKREPORT_CACHE_DIR", str(tmp_path / "c"))
    assert _cache.user_folder("validate") == tmp_path / "c/validate"
    monkeypatch.setenv("UKREPORT_CACHE_DIR", "off")
    assert _cache.user_folder("validate") is None
    monkeypatch.delenv("UKREPORT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.user_folder("validate") == tmp_path / "xdg/ukreport/validate"
