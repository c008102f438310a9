"""A header of unknown columns is refused from the header alone, in a bounded number of
messages, however wide the file is (speed is measured in benchmarks/, not here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ukreport.cli import main
from ukreport.validation.validate import validate_table


def _widen(path: Path, extra: int, body: bytes) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    names = ",".join(f"x{i}" for i in range(extra))
    path.write_bytes(f"{header},{names}\n".encode() + body)


@pytest.mark.parametrize("extra", [1, 100, 101, 200_000])
def test_unknown_columns_are_named_up_to_a_hundred_then_counted(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], extra: int
) -> None:
    path = raw_dir / "events.csv"
    width = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    _widen(path, extra, b"a," * (width + extra - 1) + b"a\n")
    assert main(["validate", str(raw_dir), "--max-errors", "0"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(path))]
    assert len(lines) == min(extra, 100) + (extra > 100)
    assert lines[0].startswith(f"{path}:1:{width + 1}: x0: unknown column")
    if extra > 100:
        assert f"{extra - 100:,} more unknown columns, up to column {width + extra:,}" in lines[-1]


def test_a_wrong_header_is_refused_before_the_rows_are_read(raw_dir: Path) -> None:
    """The rows below are not CSV at all (an unclosed quote, bytes that are not UTF-8):
    the header alone says the file is wrong."""
    path = raw_dir / "events.csv"
    _widen(path, 3, b'"never closed,\xff\xfe\n')
    tab, failures = validate_table("events", path)
    assert tab is None
    assert [f.check for f in failures] == ["header"] * 3  # type: ignore[union-attr]
