"""Two builds of the working tree, in different folders at different times, are identical;
and when they are not, the report says where."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers.gitrepo import run_git
from helpers.paths import ROOT, copy_tracked
from helpers.tables import read_rows, write_rows
from ukreport.pipeline.graph import outputs, pipeline
from ukreport.pipeline.reproduce import (
    Comparison,
    build_env,
    clean,
    compare,
    context,
    copy_worktree,
    first_difference,
    kept,
    link_venv,
    scratch_folder,
    table,
    verify,
)


@pytest.mark.parametrize(
    ("a", "b", "offset"),
    [
        (b"same", b"same", None),
        (b"abcdef", b"abcxef", 3),
        (b"x", b"y", 0),
        (b"abc", b"abcd", 3),
        (bytes(10_000) + b"a", bytes(10_000) + b"b", 10_000),
    ],
)
def test_first_difference(a: bytes, b: bytes, offset: int | None) -> None:
    assert first_difference(a, b) == offset
    assert first_difference(b, a) == offset


def test_context_marks_the_offset() -> None:
    data = b"<svg id='a1'>" + b"x" * 100
    assert context(data, 9, width=4) == "…id='⟨a1'>…"
    assert context(b"\x00\x01", 1) == "\\x00⟨\\x01"


def test_the_report_names_each_difference(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for folder, body in ((first, b'<svg id="x1">same'), (second, b'<svg id="y2">same')):
        (folder / "out").mkdir(parents=True)
        (folder / "out/fig.svg").write_bytes(body)
        (folder / "out/data.csv").write_bytes(b"a,b\n")
    (first / "out/only.pdf").write_bytes(b"%PDF")
    results = compare(first, second, ["out/data.csv", "out/fig.svg", "out/only.pdf"])
    assert [r.same for r in results] == [True, False, False]
    assert results[1].offset == 9
    text = table(results)
    assert "✓ out/data.csv" in text
    assert "✗ out/fig.svg" in text
    assert "first difference at byte 9" in text
    assert 'first:  <svg id="⟨x1">same' in text
    assert 'second: <svg id="⟨y2">same' in text
    assert "missing from the second build" in text
    assert not Comparison("x", None, None).same


def test_a_copy_holds_the_working_tree(tmp_path: Path) -> None:
    copy = copy_worktree(ROOT, tmp_path / "copy")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            assert (copy / name).read_bytes() == (ROOT / name).read_bytes(), name
        else:
            assert not (copy / name).exists(), name
    head = ["git", "rev-parse", "HEAD"]
    assert subprocess.run(head, cwd=copy, capture_output=True, check=True).stdout == (
        subprocess.run(head, cwd=ROOT, capture_output=True, check=True).stdout
    )


def test_a_copy_uses_the_venv_without_touching_it(tmp_path: Path) -> None:
    copy = copy_worktree(ROOT, tmp_path / "copy")
    venv = ROOT / ".venv"
    before = sorted(p.name for p in venv.iterdir())
    link_venv(venv, copy)
    assert sorted(p.name for p in venv.iterdir()) == before
    stamp = copy / ".venv/.installed"
    assert not stamp.is_symlink()
    assert stamp.stat().st_mtime >= (copy / "pyproject.toml").stat().st_mtime
    clean(copy)
    assert not any((copy / name).exists() for name in outputs(pipeline(copy)))
    env = build_env(copy, tmp_path, 1)
    probe = "import ukreport, ukreport.datasets as d; print(ukreport.__file__, d.data_path())"
    done = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", probe],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, data = done.stdout.split()
    assert Path(module).is_relative_to(copy / "src")
    assert Path(data) == copy / "data/processed"
    assert "SOURCE_DATE_EPOCH" not in env
    assert env["TZ"] != os.environ.get("TZ")


# --- sources of difference, fixed where they arise -----------------------------------------


def test_figures_ignore_the_users_matplotlib_settings() -> None:
    """A matplotlibrc (or any rcParams change) must not reach the figures."""
    import matplotlib as mpl

    import ukreport
    from ukreport.report import figures

    events = ukreport.load_events()
    plain = figures.render(figures.events_per_year(events), "f")
    with mpl.rc_context(
        {"lines.linewidth": 3, "font.family": "serif", "svg.hashsalt": "x", "axes.grid": True}
    ):
        assert figures.render(figures.events_per_year(events), "f") == plain


@pytest.mark.render
def test_the_kernel_ignores_the_users_ipython_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Startup files in ~/.ipython run in every kernel; the essay's must not see them."""
    from ukreport.report.render.document import parse_text
    from ukreport.report.render.execute import execute

    startup = tmp_path / "home/.ipython/profile_default/startup"
    startup.mkdir(parents=True)
    (startup / "00-user.py").write_text("USER_PROFILE = True\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPYTHONDIR", raising=False)
    doc = parse_text("```{python}\nprint('USER_PROFILE' in globals())\n```\n", tmp_path / "d.qmd")
    outputs = execute(doc, timeout=60).cells[0]
    assert [o.get("text") for o in outputs] == ["False\n"]


@pytest.mark.slow
@pytest.mark.render
def test_two_builds_are_identical() -> None:
    said: list[str] = []
    verdict = verify(ROOT, say=said.append)
    text = table(verdict.results)
    assert verdict.exit_code == 0, text + "\n".join(said)
    for name in outputs(pipeline(ROOT)):
        assert f"✓ {name}" in text
    assert "✗" not in text


def test_a_copy_holds_staged_and_unstaged_changes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    run_git(repo, "init", "-q")
    for name in ("staged.txt", "unstaged.txt", "deleted.txt"):
        (repo / name).write_text("committed\n")
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "one")
    (repo / "staged.txt").write_text("staged\n")
    (repo / "new.txt").write_text("new and staged\n")
    run_git(repo, "add", "staged.txt", "new.txt")
    (repo / "unstaged.txt").write_text("unstaged\n")
    (repo / "untracked.txt").write_text("untracked\n")
    run_git(repo, "rm", "-q", "deleted.txt")
    copy = copy_worktree(repo, tmp_path / "copy")
    for name in ("staged.txt", "new.txt", "unstaged.txt", "untracked.txt"):
        assert (copy / name).read_text() == (repo / name).read_text(), name
    assert not (copy / "deleted.txt").exists()


def test_scratch_folders_of_a_killed_run_are_swept_and_kept_ones_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])  # a process id that has ended
    dead.wait()
    left = tmp_path / f"ukreport-verify-{dead.pid}-abc"
    (left / "a").mkdir(parents=True)
    kept_before = tmp_path / "ukreport-verify-kept-xyz"
    kept_before.mkdir()
    scratch = scratch_folder()
    assert scratch.name.startswith(f"ukreport-verify-{os.getpid()}-")
    assert not left.exists() and kept_before.exists()
    kept_now = kept(scratch)
    assert kept_now.name.startswith("ukreport-verify-kept-") and kept_now.is_dir()
    scratch_folder()
    assert kept_now.exists()


def test_a_file_saved_during_the_first_build_reaches_neither_copy(tmp_path: Path) -> None:
    """Both builds are of the working tree as it was when verify began: an edit saved
    while the first one runs is not in the second, where it would pass for a build that
    does not reproduce."""
    repo = tmp_path / "repo"
    copy_tracked(repo)
    run_git(repo, "init", "-q")
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "one")
    events = repo / "data/raw/events.csv"
    original = events.read_bytes()

    def say(line: str) -> None:
        if line.startswith("building in") and events.read_bytes() == original:
            rows = read_rows(events)
            rows[1][rows[0].index("description")] = "Saved while the first copy was built"
            write_rows(events, rows)

    verdict = verify(repo, venv=ROOT / ".venv", targets=("data",), say=say)
    assert events.read_bytes() != original  # the edit was made
    assert verdict.exit_code == 0, table(verdict.results)
    assert any(result.path == "data/processed/events.csv" for result in verdict.results)
