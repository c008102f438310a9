"""Releases recorded in the changelog: every clone finds them, with tags or without."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers.gitrepo import commit, isolate_git, run_git, set_version
from helpers.paths import ROOT
from ukreport import cli
from ukreport.review.releases import dated_entries, find_release, last_release
from ukreport.review.schemacheck import check_schemas, schema_check

UKREPORT = Path(sys.executable).with_name("ukreport")


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


def notes(repo: Path, *entries: str) -> None:
    body = "".join(f"{entry}\n\n- what changed\n\n" for entry in entries)
    (repo / "CHANGELOG.md").write_text(f"# Changelog\n\n{body}", encoding="utf-8")


@pytest.fixture
def untagged(repo: Path) -> Path:
    """The template repository with its tag removed and 0.1.0 cut in the changelog, then
    a later commit: releases known only from the changelog."""
    run_git(repo, "tag", "-d", "v0.1.0")
    notes(repo, "## [0.1.0] - 2024-12-01")
    commit(repo, "release 0.1.0")
    commit(repo, "later work")
    return repo


def test_dated_entries_newest_first() -> None:
    text = "## [Unreleased]\n\n## [0.2.0] - 2025-01-15 [YANKED]\n\n## [v0.1.0] - 2024-12-01\n"
    assert dated_entries(text) == [("0.2.0", "2025-01-15"), ("0.1.0", "2024-12-01")]


def test_the_release_is_the_commit_that_cut_it(untagged: Path) -> None:
    cut = subprocess.run(
        ["git", "rev-parse", "HEAD~1"], cwd=untagged, capture_output=True, text=True, check=True
    ).stdout.strip()
    release = last_release(untagged)
    assert (release.version, release.date, release.commit) == ("0.1.0", "2024-12-01", cut)
    assert release.label == f"0.1.0 ({cut[:7]})"
    assert find_release("v0.1.0", untagged) == release
    assert find_release("9.9.9", untagged) is None


def test_a_commit_whose_version_is_not_the_release_is_not_its_commit(untagged: Path) -> None:
    """The dated heading written while pyproject still said 0.1.0 is not 0.2.0's cut."""
    notes(untagged, "## [0.2.0] - 2025-01-15", "## [0.1.0] - 2024-12-01")
    commit(untagged, "notes dated too early")
    assert last_release(untagged).version == "0.1.0"
    set_version(untagged, "0.2.0")
    commit(untagged, "release 0.2.0")
    assert last_release(untagged) == find_release("0.2.0", untagged)
    assert last_release(untagged).commit == head(untagged)


def test_a_release_being_cut_compares_with_the_one_before(untagged: Path) -> None:
    notes(untagged, "## [0.1.1] - 2025-01-15", "## [0.1.0] - 2024-12-01")
    set_version(untagged, "0.1.1")
    assert last_release(untagged).version == "0.1.0"
    assert check_schemas().base.startswith("0.1.0 (")


def test_a_tag_names_the_release_commit(untagged: Path) -> None:
    run_git(untagged, "tag", "v0.1.0", "HEAD")
    assert last_release(untagged).commit == head(untagged)


def test_changed_rows_need_a_patch_release(untagged: Path) -> None:
    table = untagged / "data" / "raw" / "events.csv"
    table.write_bytes(table.read_bytes().replace(b"12-ste", b"twelve-ste", 1))
    result = check_schemas()
    assert result.problems == [
        "rows of data/raw/events.csv changed: patch; needs 0.1.1 or later, version is 0.1.0"
    ]
    set_version(untagged, "0.1.1")
    report, status = schema_check(changelog=True)
    assert status == 1
    assert "CHANGELOG.md has no entry for 0.1.1: say what changed under `## [Unreleased]`" in (
        report
    )
    notes(untagged, "## [Unreleased]", "## [0.1.0] - 2024-12-01")
    assert schema_check(changelog=True)[1] == 0


def test_a_data_change_since_the_base_needs_a_changelog_change(
    untagged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes(untagged, "## [Unreleased]", "## [0.1.0] - 2024-12-01")
    set_version(untagged, "0.1.1")
    commit(untagged, "notes for 0.1.1")
    table = untagged / "data" / "raw" / "events.csv"
    table.write_bytes(table.read_bytes().replace(b"12-ste", b"twelve-ste", 1))
    assert cli.main(["schema-check", "--changelog", "--since", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert (
        "data/raw/events.csv changed since HEAD but CHANGELOG.md did not: say what changed "
        "under `## [Unreleased]`"
    ) in out
    with (untagged / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write("- twelve, in words\n")
    assert cli.main(["schema-check", "--changelog", "--since", "HEAD"]) == 0


def test_diff_against_a_release_by_its_version(
    untagged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diff", "v0.1.0", "HEAD"]) == 0
    assert cli.main(["diff", "0.9.9", "HEAD"]) == 2
    assert "unknown revision '0.9.9': no commit, branch, tag, release or folder" in (
        capsys.readouterr().err
    )


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as a new user gets it: ``git clone`` without tags."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    target = tmp_path_factory.mktemp("clone") / "ukreport"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-tags", str(ROOT), str(target)],
        check=True,
        capture_output=True,
    )
    tags = subprocess.run(["git", "tag"], cwd=target, capture_output=True, text=True, check=True)
    assert tags.stdout == ""
    return target


def test_a_fresh_clone_without_tags_checks_its_release(fresh_clone: Path) -> None:
    """What CI and ``make schema-check`` run: the version and the changelog cover every
    schema and data change since the last release."""
    done = subprocess.run(
        [str(UKREPORT), "schema-check", "--changelog"],
        cwd=fresh_clone,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    release = last_release(fresh_clone)
    assert f"from {release.label} (version {release.version})" in done.stdout


def test_a_fresh_clone_without_tags_diffs_against_the_last_release(fresh_clone: Path) -> None:
    release = last_release(fresh_clone)
    done = subprocess.run(
        [str(UKREPORT), "diff", f"v{release.version}", "HEAD", "--format", "markdown"],
        cwd=fresh_clone,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "unknown revision" not in done.stderr


def test_the_releases_command(untagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes(untagged, "## [0.2.0] - 2025-01-15", "## [0.1.0] - 2024-12-01")
    set_version(untagged, "0.2.0")
    commit(untagged, "release 0.2.0")
    assert cli.main(["releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["0.2.0", "2025-01-15"],
        ["0.1.0", "2024-12-01"],
    ]
    assert lines[0].split("\t")[2] == head(untagged)
    assert cli.main(["releases", "--last"]) == 0
    assert capsys.readouterr().out == "0.2.0\n"
