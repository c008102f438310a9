"""The release's files, the same bytes on every machine: ``ukreport dist``.

The build backend writes the sdist and the wheel with the order and timestamps of the
checkout it ran in; :func:`normalize_wheel` and :func:`normalize_sdist` rewrite them
with their members sorted, every timestamp at ``SOURCE_DATE_EPOCH``, and owners and
permissions fixed, so two checkouts of one commit give the same files (the wheel's
``RECORD`` lists hashes of contents, which do not change). :func:`data_zip` packs the
published data package with the data licence and a ``SHA256SUMS`` file that
``sha256sum -c`` reads.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ukreport._io import write_files
from ukreport.errors import InputError

ZIP_EPOCH = 315532800
"""1980-01-01, the earliest time a zip file can hold."""


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH), dt.UTC)
    # A zip holds even seconds only.
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute,
            moment.second - moment.second % 2)  # fmt: skip


def zip_bytes(files: Mapping[str, bytes], epoch: int, *, last: str | None = None) -> bytes:
    """A zip of ``files`` (name → bytes), sorted by name (``last`` at the end), every
    member dated ``epoch``, mode 0644, deflated at level 9."""
    names = sorted(name for name in files if name != last)
    if last is not None and last in files:
        names.append(last)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, _zip_time(epoch))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 << 16) if not name.endswith("/") else (0o40755 << 16)
            info.create_system = 3
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def normalize_wheel(data: bytes, epoch: int) -> bytes:
    """The wheel ``data`` with sorted members and fixed timestamps; ``RECORD`` last."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    record = next((name for name in files if name.endswith(".dist-info/RECORD")), None)
    return zip_bytes(files, epoch, last=record)


def normalize_sdist(data: bytes, epoch: int) -> bytes:
    """The sdist ``data`` (a ``.tar.gz``) with sorted members, owners ``root``, modes
    0644/0755, every time ``epoch``, and a gzip header without a time or a name."""
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for info in archive.getmembers():
            handle = archive.extractfile(info) if info.isfile() else None
            members.append((info, handle.read() if handle else None))
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, content in sorted(members, key=lambda member: member[0].name):
            info.mtime = epoch
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = 0o755 if info.isdir() or info.mode & 0o111 else 0o644
            info.pax_headers = {}
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return gzip.compress(out.getvalue(), compresslevel=9, mtime=0)


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """``SHA256SUMS`` as ``sha256sum`` writes it: ``<hex>  <name>`` per line, by name."""
    lines = [f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)]
    return "".join(lines).encode("utf-8")


def data_zip(folder: Path, licence: Path, version: str, epoch: int) -> tuple[str, bytes]:
    """The data package in ``folder`` (its tables, ``datapackage.json``,
    ``references.json``) with ``licence``, as ``ukreport-data-VERSION.zip``."""
    wanted = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix in {".csv", ".parquet", ".json"}
    )
    if not any(path.name == "datapackage.json" for path in wanted):
        raise InputError(folder / "datapackage.json", "is missing: run `make data` first")
    files = {path.name: path.read_bytes() for path in wanted}
    files[licence.name] = licence.read_bytes()
    files["SHA256SUMS"] = sha256sums(files)
    top = f"ukreport-data-{version}"
    named = {f"{top}/{name}": payload for name, payload in files.items()}
    return f"{top}.zip", zip_bytes({f"{top}/": b"", **named}, epoch)


def dist(
    built: Path, out: Path, *, data: Path, licence: Path, version: str, epoch: int
) -> list[Path]:
    """Normalize the sdist and wheel in ``built``, write them with the data zip and
    every other file in ``built`` (``.zenodo.json``) to ``out``; returns what was written."""
    files: dict[Path, bytes] = {}
    for path in sorted(built.iterdir()):
        if path.name.endswith(".whl"):
            files[out / path.name] = normalize_wheel(path.read_bytes(), epoch)
        elif path.name.endswith(".tar.gz"):
            files[out / path.name] = normalize_sdist(path.read_bytes(), epoch)
        elif path.is_file():
            files[out / path.name] = path.read_bytes()
    name, payload = data_zip(data, licence, version, epoch)
    files[out / name] = payload
    return write_files(files)
