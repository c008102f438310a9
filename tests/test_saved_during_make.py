"""The essay saved while ``make report`` renders it: the next ``make report`` renders
the saved text, and ``verify-manifest`` never calls the older render fresh.

A real ``make report`` on a copy of the repository, built once; then the essay is
edited, ``make report`` started, and the essay saved again once pandoc runs (the
essay has been read by then). Whether that save lands while the report step reads or
just after it, the invariant is the same: an output made from the earlier text is
never vouched for, and one more ``make report`` makes it from the saved text.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.paths import copy_tracked

pytestmark = [pytest.mark.slow, pytest.mark.render]


def _copy(root: Path) -> Path:
    """The tracked files, with ``.venv`` pointing at this interpreter's environment."""
    copy_tracked(root)
    (root / ".venv").mkdir()
    (root / ".venv/bin").symlink_to(Path(sys.prefix) / "bin")
    (root / ".venv/.installed").touch()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def _make(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "report"], cwd=root, capture_output=True, text=True, check=False)


def _verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / ".venv/bin/ukreport"), "verify-manifest"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def _in_session(session: int, word: str) -> bool:
    """Whether a process of ``session`` runs a program whose command line holds ``word``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != session:
                continue
            command = (entry / "cmdline").read_bytes()
        except (OSError, ProcessLookupError):
            continue
        if word.encode() in command:
            return True
    return False


def _add(essay: Path, line: str) -> None:
    text = essay.read_text(encoding="utf-8")
    partial = essay.with_name(essay.name + ".saving")
    partial.write_text(text + f"\n{line}\n", encoding="utf-8")
    partial.replace(essay)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc to see pandoc start")
def test_an_essay_saved_during_make_report_is_rendered_by_the_next(tmp_path: Path) -> None:
    root = _copy(tmp_path / "repo")
    first = _make(root)
    assert first.returncode == 0, first.stderr
    essay, html = root / "reports/essay.qmd", root / "reports/_build/essay.html"
    _add(essay, "Firstedit words in a paragraph of their own.")
    make = subprocess.Popen(
        ["make", "report"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while not _in_session(make.pid, "pandoc") and make.poll() is None:
        assert time.monotonic() < deadline, "pandoc never started"
        time.sleep(0.05)
    _add(essay, "Secondedit words saved while the report was rendered.")
    _, err = make.communicate(timeout=900)
    verified = _verify(root)
    rendered = "Secondedit" in html.read_text(encoding="utf-8")
    if verified.returncode == 0:
        assert rendered, "verify-manifest calls a render of the earlier text fresh"
    if make.returncode != 0:
        assert "reports/essay.qmd was saved while the build was making the report" in err, err
    again = _make(root)
    assert again.returncode == 0, again.stderr
    assert "Secondedit" in html.read_text(encoding="utf-8")
    final = _verify(root)
    assert final.returncode == 0, final.stdout + final.stderr
