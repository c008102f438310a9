"""The wheel carries the data: install it in a clean environment and load every table."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from helpers.paths import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_loads_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("ukreport-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in ("events", "initiatives", "cooperation"):
        assert f"ukreport/data/{table}.parquet" in names
        assert f"ukreport/data/{table}.csv" in names
    assert "ukreport/data/datapackage.json" in names
    assert "ukreport/data/references.json" in names
    assert "ukreport/py.typed" in names
    for asset in ("script.js", "style.css", "record.typ"):  # the record's, read at run time
        assert f"ukreport/report/record/{asset}" in names

    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        cwd=tmp_path,
    )
    code = (
        "import ukreport, sys\n"
        "assert 'site-packages' in ukreport.__file__, ukreport.__file__\n"
        "for name in ukreport.list_datasets():\n"
        "    frame = ukreport.load(name)\n"
        "    print(name, len(frame), frame['date_start'].dtype)\n"
    )
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    lines = result.stdout.split("\n")
    assert lines[0].startswith("events ")
    assert int(lines[0].split()[1]) >= 30
    assert all("datetime64" in line for line in lines if line)
    cli = subprocess.run(
        [str(env / "bin" / "ukreport"), "--version"], capture_output=True, text=True, check=True
    )
    assert cli.stdout.startswith("ukreport ")
