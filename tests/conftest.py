"""Fixtures: copies of the small valid tables, small git repositories, and the report
built once per session. The code they share with the tests is in ``helpers``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from helpers.gitrepo import commit, run_git, set_version
from helpers.paths import RAW, VALID
from helpers.tables import edit_table, read_rows, set_cell
from ukreport.tableschema import write_schemas

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

    from helpers.report import Report


# Hypothesis: `make test` is deterministic — each property test draws the same examples
# on every run, whatever `--hypothesis-seed` says and whatever an old `.hypothesis/`
# folder holds. `make test-explore` (the `explore` profile) draws new examples from a
# random seed, more of them, and remembers failures in `.hypothesis/` to replay them.
# Speed is measured in benchmarks/, never asserted in tests: no example has a deadline.
settings.register_profile(
    "default",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    deadline=None,
    print_blob=True,
    max_examples=500,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("default")


@pytest.fixture(autouse=True, scope="session")
def _own_result_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The remembered results of ``ukreport validate`` go to a folder of this run's own
    (subprocesses inherit it), not to the user's cache."""
    import os

    os.environ["UKREPORT_CACHE_DIR"] = str(tmp_path_factory.mktemp("result-cache"))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups from the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``make test`` runs on every core (pytest-xdist, ``--dist loadgroup``): the tests
    of a module that share a fixture built once per module (a rendered document, a
    kernel run) go to one worker, so it is built once, not once a worker. Session-wide
    builds (the whole report) are shared between workers on disk instead
    (:func:`helpers.report.shared`)."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is not None and any(
            defs and defs[-1].scope == "module" and _defined_here(defs[-1].func)
            for defs in info.name2fixturedefs.values()
        ):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def _defined_here(function: object) -> bool:
    """Whether a fixture comes from these tests rather than from pytest or a plugin."""
    module = getattr(function, "__module__", "") or ""
    return module == "conftest" or module.startswith("test_")


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A writable copy of ``tests/data/valid`` (small, valid raw tables)."""
    target = tmp_path / "raw"
    shutil.copytree(VALID, target)
    return target


# -- git repositories ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the small valid tables and their schemas at version 0.1.0, tagged v0.1.0."""
    root = tmp_path_factory.mktemp("template") / "repo"
    root.mkdir()
    run_git(root, "init", "-q")
    shutil.copytree(VALID, root / "data" / "raw")
    write_schemas(root / "schemas")
    set_version(root, "0.1.0")
    commit(root, "release 0.1.0", tag="v0.1.0")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the template repository, as the current directory."""
    root = tmp_path / "repo"
    shutil.copytree(template, root)
    monkeypatch.chdir(root)
    return root


# -- the report, built once per session (it takes a while) -------------------------------------
# helpers.report imports the whole pipeline, so only the sessions that build a report load it.


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report built from the real ``data/raw``."""
    from helpers.report import build_report, load_report, shared

    return load_report(shared(tmp_path_factory, "report", lambda out: build_report(RAW, out)))


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report built from the real data with markup for HTML, Markdown and Typst in the
    disputed Trump row, in the title of its page and in the claim about it; that page
    and the Biden row's share the first eight hex digits of their keys."""
    from helpers.report import load_report, shared

    return load_report(shared(tmp_path_factory, "hostile", _build_hostile))


def _build_hostile(out: Path) -> None:
    from helpers.report import (
        BIDEN_ROW,
        CLASHING,
        HOSTILE_NOTE,
        HOSTILE_THEME,
        HOSTILE_TITLE,
        TRUMP_ROW,
        build_report,
    )
    from ukreport.validation.validate import validate

    raw = out / "raw"
    shutil.copytree(RAW, raw)
    events = raw / "events.csv"
    rows = read_rows(events)
    line = [row[0] for row in rows].index(TRUMP_ROW)
    biden = [row[0] for row in rows].index(BIDEN_ROW)
    assert rows[line][rows[0].index("verification")] == "disputed"
    edit_table(
        events,
        set_cell(line, "key_theme", HOSTILE_THEME),
        set_cell(line, "verification_note", HOSTILE_NOTE),
        set_cell(line, "source_url", CLASHING[0]),
        set_cell(line, "source_title", HOSTILE_TITLE),
        set_cell(biden, "source_url", CLASHING[1]),
        set_cell(biden, "source_title", "The second Reuters page"),
    )
    claims = raw / "claims.csv"
    rows = read_rows(claims)
    line = [row[rows[0].index("essay_row")] for row in rows].index(TRUMP_ROW)
    edit_table(
        claims,
        set_cell(line, "quote", f"October 2023 | Donald Trump | {HOSTILE_THEME}"),
        set_cell(line, "reasoning", HOSTILE_NOTE),
    )
    checked = validate([raw])
    assert checked.valid, [str(f) for f in checked.failures]
    build_report(raw, out)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, one per test module (skipped without it,
    failing in CI)."""
    from playwright.sync_api import sync_playwright

    from helpers.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
