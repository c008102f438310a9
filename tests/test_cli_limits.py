"""Loose limits and odd arguments: a usage error or a one-line message, never an
internal error (exit 3), and no path can forge a line of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from ukreport.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["preview", "reports/essay.qmd", "--port", "70000"],
        ["preview", "reports/essay.qmd", "--port", "65536"],
        ["preview", "reports/essay.qmd", "--port", "-1"],
        ["preview", "reports/essay.qmd", "--port", "http"],
        ["render", "reports/essay.qmd", "--timeout", "0"],
        ["render", "reports/essay.qmd", "--timeout", "-5"],
        ["render", "reports/essay.qmd", "--timeout=-1"],
        ["render", "reports/essay.qmd", "--timeout", "1.5"],
    ],
)
def test_an_out_of_range_number_is_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {argv[2].split('=')[0]}" in err and "Traceback" not in err


def _odd_roots(tmp: Path) -> list[Path]:
    empty = tmp / "empty"
    empty.mkdir()
    half = tmp / "half" / "src" / "ukreport"
    half.mkdir(parents=True)
    (half / "__init__.py").write_text("", encoding="utf-8")
    broken = tmp / "broken" / "src" / "ukreport"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("", encoding="utf-8")
    (broken / "tableschema.py").write_text("def (:\n", encoding="utf-8")
    latin = tmp / "latin" / "src" / "ukreport"
    latin.mkdir(parents=True)
    (latin / "__init__.py").write_bytes(b"# caf\xe9\n")
    (latin / "tableschema.py").write_text("", encoding="utf-8")
    a_file = tmp / "a-file"
    a_file.write_text("x", encoding="utf-8")
    return [empty, tmp / "half", tmp / "broken", tmp / "latin", a_file, tmp / "missing"]


def test_deps_on_an_odd_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for root in _odd_roots(tmp_path):
        out = tmp_path / "deps.mk"
        assert main(["deps", "--root", str(root), "--out", str(out)]) == 2, root
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "internal error" not in err, err
        assert not out.exists()


@pytest.mark.parametrize(
    "name", ["ok.csv\nevents.csv:2:3: forged", "a\rb", "x\u2028y", "\x1b[31mred"]
)
def test_a_path_cannot_forge_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["validate", str(tmp_path / name / "events.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "\r" not in err and "\x1b" not in err and "\u2028" not in err


def test_a_relative_data_dir_is_made_absolute_from_where_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kernel runs in the essay's folder: a relative path must not name another
    folder there than it names to the renderer."""
    import os

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UKREPORT_DATA_DIR", "some/data")
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert os.environ["UKREPORT_DATA_DIR"] == str(tmp_path / "some" / "data")
