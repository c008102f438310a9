"""``make dist``: the release's files, the same bytes from any checkout of a commit."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from helpers.paths import ROOT
from ukreport.review.dist import data_zip, normalize_sdist, normalize_wheel, zip_bytes

EPOCH = 1_700_000_000


def tarball(mtime: int, order: list[str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in order:
            info = tarfile.TarInfo(f"pkg-1.0/{name}")
            info.size, info.mtime, info.uid, info.uname = 3, mtime, 1000, "someone"
            archive.addfile(info, io.BytesIO(b"abc"))
    return buffer.getvalue()


def test_an_sdist_is_the_same_whatever_its_times_owners_and_order() -> None:
    first = normalize_sdist(tarball(1, ["a", "b"]), EPOCH)
    assert first == normalize_sdist(tarball(99999, ["b", "a"]), EPOCH)
    with tarfile.open(fileobj=io.BytesIO(first), mode="r:gz") as archive:
        members = archive.getmembers()
    assert [m.name for m in members] == ["pkg-1.0/a", "pkg-1.0/b"]
    assert {(m.mtime, m.uid, m.uname, m.mode) for m in members} == {(EPOCH, 0, "root", 0o644)}
    assert first[4:8] == bytes(4)  # the gzip header carries no time


def test_a_wheel_is_sorted_with_its_record_last() -> None:
    files = {"x.dist-info/RECORD": b"r", "b.py": b"b", "a.py": b"a"}
    wheel = normalize_wheel(zip_bytes(files, 1), EPOCH)
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a.py", "b.py", "x.dist-info/RECORD"]
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


def test_the_data_zip_holds_the_package_its_licence_and_checksums(tmp_path: Path) -> None:
    name, payload = data_zip(ROOT / "data/processed", ROOT / "LICENSE-DATA", "9.9.9", EPOCH)
    assert name == "ukreport-data-9.9.9.zip"
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    top = "ukreport-data-9.9.9/"
    names = {n.removeprefix(top) for n in files} - {""}
    assert {"datapackage.json", "references.json", "LICENSE-DATA", "SHA256SUMS"} <= names
    assert {"events.csv", "events.parquet", "claims.csv", "claims.parquet"} <= names
    sums = files[top + "SHA256SUMS"].decode().splitlines()
    assert len(sums) == len(names) - 1
    for line in sums:
        digest, member = line.split("  ")
        assert hashlib.sha256(files[top + member]).hexdigest() == digest
    assert payload == data_zip(ROOT / "data/processed", ROOT / "LICENSE-DATA", "9.9.9", EPOCH)[1]


def clone(target: Path) -> Path:
    subprocess.run(
        ["git", "clone", "--quiet", "--no-tags", str(ROOT), str(target)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.mark.slow
def test_make_dist_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """Two clones at different paths, so every file has other times; one set of tools
    (this checkout's .venv, one release environment built from requirements-dist.lock)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    dist_venv = tmp_path / "venv-dist"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outputs = []
    for name in ("one", "two"):
        repo = clone(tmp_path / name)
        old = [
            f"--old-file={ROOT / '.venv/.installed'}",
            "--old-file=data/processed/datapackage.json",
        ]
        if outputs:
            old.append(f"--old-file={dist_venv / '.installed'}")
        done = subprocess.run(
            ["make", *old, "dist", f"VENV={ROOT / '.venv'}", f"DIST_VENV={dist_venv}"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted((repo / "dist").iterdir())})
    first, second = outputs
    version = json.loads((ROOT / "data/processed/datapackage.json").read_text())["version"]
    assert sorted(first) == sorted(
        [
            ".zenodo.json",
            f"ukreport-{version}-py3-none-any.whl",
            f"ukreport-{version}.tar.gz",
            f"ukreport-data-{version}.zip",
        ]
    )
    assert first == second
    zenodo = json.loads(first[".zenodo.json"])
    assert zenodo["version"] == version
    assert zenodo["license"] == {"id": "CC-BY-4.0"}
    assert zenodo["title"].startswith("ukreport: ")
