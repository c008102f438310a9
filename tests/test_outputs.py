"""Nothing lost, nothing half-written: where and what ukreport writes.

Every command that writes refuses a folder that holds raw tables (however spelled),
writes regular files only (devices, FIFOs, sockets and folders refused, links written
through), says in one line what went wrong with a write (exit 2), replaces the data
package all at once whatever stops it, and leaves no temporary file behind. Real
devices, FIFOs, sockets, links, signals, file-size limits and (where it can be
mounted) a small tmpfs, not imitations of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.paths import RAW, VALID
from helpers.tables import edit_table, set_cell
from ukreport import _io
from ukreport.cli import main
from ukreport.errors import OutputError

PACKAGE = sorted(
    [
        *(
            f"{table}.{kind}"
            for table in ("events", "initiatives", "cooperation", "claims")
            for kind in ("csv", "parquet")
        ),
        "datapackage.json",
        "references.json",
    ]
)


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as a checkout (``data/raw`` holding the small valid tables), as
    the current directory."""
    shutil.copytree(VALID, tmp_path / "data/raw")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str, int]]:
    """Every entry under ``folder``: its kind, its bytes (or link target), its mtime."""
    out: dict[str, tuple[int, bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            content: bytes | str = str(path.readlink())
        elif stat.S_ISREG(info.st_mode):
            content = path.read_bytes()
        else:
            content = b""
        out[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), content, info.st_mtime_ns)
    return out


def one_line_error(err: str, *words: str) -> str:
    """Assert ``err`` is one ``ukreport:`` line holding ``words``, no traceback; return it."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ukreport: "), err
    assert "internal error" not in err and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], (word, err)
    return lines[0]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``ukreport ARGS`` in this process: its status and what it wrote to standard error."""
    capsys.readouterr()
    status = main(list(args))
    return status, capsys.readouterr().err


def consistent(folder: Path) -> bool:
    """Whether ``folder`` is one whole data package: exactly its files, each matching the
    SHA-256 that its ``datapackage.json`` records."""
    if sorted(p.name for p in folder.iterdir()) != PACKAGE:
        return False
    package = json.loads((folder / "datapackage.json").read_bytes())
    for entry in package["resources"]:
        digest = hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
        if entry["hash"] != f"sha256:{digest}":
            return False
    return True


def strays(*folders: Path) -> list[Path]:
    """Temporary files or folders left in ``folders``."""
    return [p for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


def ukreport(*args: str, cwd: Path, **options: object) -> subprocess.Popen[bytes]:
    """``ukreport ARGS`` as a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "ukreport.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,  # type: ignore[call-overload]
    )


@contextlib.contextmanager
def tmpfs(where: Path, *options: str) -> Iterator[Path]:
    """A real tmpfs mounted at ``where`` (skips where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# --- 1. never into a folder of raw tables ---------------------------------------------------

FOLDERS = [
    "data/raw",
    "data/raw/",
    "./data/raw",
    "data/raw/.",
    "data/raw/../raw",
    "data/../data/raw",
    "rawlink",
    "rawlink/",
    "data/raw/sub",
    "data/raw/sub/deeper",
    "rawlink/sub",
    "{abs}/data/raw",
    "copy",  # another folder holding a raw table
]
FILES = [
    "data/raw/report.txt",
    "data/raw/events.csv",
    "data/raw/sub/report.txt",
    "rawlink/report.txt",
    "data/raw/../raw/report.txt",
    "eventslink",  # a link to data/raw/events.csv
    "copy/report.txt",
    "{abs}/data/raw/claims.csv",
]
WRITERS_TO_FOLDERS: dict[str, Callable[[str], list[str]]] = {
    "process": lambda out: ["process", "--raw", "data/raw", "--out", out],
    "schemas": lambda out: ["schemas", "--out", out],
    "figures": lambda out: ["figures", "--out", out],
    "render": lambda out: ["render", "essay.qmd", "--out-dir", out],
}
WRITERS_TO_FILES: dict[str, Callable[[str], list[str]]] = {
    "validate": lambda out: ["validate", "data/raw", "--output", out],
    "diff": lambda out: ["diff", "data/raw", "copy", "--output", out],
    "deps": lambda out: ["deps", "--out", out],
    "manifest": lambda out: ["manifest", "--out", out],
}


def _spellings(root: Path) -> None:
    (root / "rawlink").symlink_to(root / "data/raw")
    (root / "eventslink").symlink_to(root / "data/raw/events.csv")
    (root / "copy").mkdir()
    shutil.copy2(root / "data/raw/claims.csv", root / "copy/claims.csv")
    shutil.copy2(root / "data/raw/events.csv", root / "copy/events.csv")
    shutil.copy2(root / "data/raw/initiatives.csv", root / "copy/initiatives.csv")
    shutil.copy2(root / "data/raw/cooperation.csv", root / "copy/cooperation.csv")
    (root / "essay.qmd").write_text("# An essay\n", encoding="utf-8")


def _refused(
    checkout: Path, capsys: pytest.CaptureFixture[str], argv: list[str], what: str
) -> None:
    """``argv``, run against raw tables under every spelling, stops with one line naming
    ``what`` and writes nothing into them."""
    _spellings(checkout)
    before = snapshot(checkout / "data") | snapshot(checkout / "copy")
    status, err = run_cli(capsys, *argv)
    assert status == 2, err
    one_line_error(err, what, "choose another output folder")
    assert snapshot(checkout / "data") | snapshot(checkout / "copy") == before


@pytest.mark.parametrize("command", sorted(WRITERS_TO_FOLDERS))
@pytest.mark.parametrize("spelling", FOLDERS)
def test_no_command_writes_into_a_folder_of_raw_tables(
    checkout: Path, capsys: pytest.CaptureFixture[str], command: str, spelling: str
) -> None:
    _refused(checkout, capsys, WRITERS_TO_FOLDERS[command](spelling.format(abs=checkout)), "raw")


@pytest.mark.parametrize("command", sorted(WRITERS_TO_FILES))
@pytest.mark.parametrize("spelling", FILES)
def test_no_output_file_goes_into_a_folder_of_raw_tables(
    checkout: Path, capsys: pytest.CaptureFixture[str], command: str, spelling: str
) -> None:
    argv = WRITERS_TO_FILES[command](spelling.format(abs=checkout))
    _refused(checkout, capsys, argv, "raw tables")


def test_the_raw_folder_is_refused_even_when_empty_of_tables(tmp_path: Path) -> None:
    """``process`` refuses its own ``--raw`` folder (and what is inside it) by identity,
    not only by what it holds: a bind mount or link is the same folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "alias").symlink_to(raw)
    for out in (raw, tmp_path / "alias", raw / "x", tmp_path / "alias/../raw"):
        with pytest.raises(OutputError, match="raw data folder"):
            _io.output_folder(out, raw=raw)


def test_the_same_folder_under_a_bind_mount_is_refused(tmp_path: Path) -> None:
    """A bind mount is the raw folder under another path, with no link to resolve:
    only its device and inode say it is the same folder."""
    raw = tmp_path / "raw"  # empty of tables: only its identity can tell
    raw.mkdir()
    alias = tmp_path / "alias"
    alias.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(raw), str(alias)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        assert Path(os.path.realpath(alias)) != raw.resolve()
        for out in (alias, alias / "sub", alias / "sub/deeper"):
            with pytest.raises(OutputError, match="raw data folder"):
                _io.output_folder(out, raw=raw)
    finally:
        subprocess.run(["umount", str(alias)], check=False)


def test_a_hard_link_to_a_raw_table_makes_a_folder_raw(tmp_path: Path) -> None:
    """A raw table hard-linked into another folder is the same file: that folder holds a
    raw table, and nothing is written there."""
    raw = tmp_path / "raw"
    shutil.copytree(VALID, raw)
    other = tmp_path / "other"
    other.mkdir()
    (other / "events.csv").hardlink_to(raw / "events.csv")
    with pytest.raises(OutputError, match=r"holds raw tables \(events.csv\)"):
        _io.output_folder(other)
    with pytest.raises(OutputError, match="raw tables"):
        _io.write_atomically(other / "report.txt", b"x")
    assert sorted(p.name for p in other.iterdir()) == ["events.csv"]


def test_a_processed_package_is_not_a_raw_folder(raw_dir: Path, tmp_path: Path) -> None:
    """The published ``events.csv`` (with ``date_precision``) does not count as raw, so
    ``process`` can replace its own output, and so can ``figures`` write beside it."""
    from ukreport.process import process

    out = tmp_path / "processed"
    process(raw_dir, out)
    process(raw_dir, out)
    assert _io.output_folder(out) == out.resolve()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from([".", "sub/..", "../raw", "/", "./", "x/y/../..", "link", "link/."]),
        max_size=6,
    ),
    st.sampled_from(["data/raw", "rawlink", "data/rawlink2"]),
    st.booleans(),
)
def test_any_spelling_of_the_raw_folder_is_refused(
    checkout: Path, noise: list[str], start: str, as_file: bool
) -> None:
    """Whatever mix of ``.``, ``..``, links and slashes names the raw folder."""
    if not (checkout / "rawlink").exists():
        (checkout / "rawlink").symlink_to(checkout / "data/raw")
        (checkout / "data/rawlink2").symlink_to("raw")
        (checkout / "data/raw/link").symlink_to(".")
    path = start
    for part in noise:
        path = path.rstrip("/") + "/" + part if part != "/" else path + "/"
    with pytest.raises(OutputError, match="raw"):
        if as_file:
            _io.output_file(Path(path) / "report.txt")
        else:
            _io.output_folder(Path(path), raw=Path("data/raw"))
    assert sorted(p.name for p in (checkout / "data/raw").iterdir()) == sorted(
        [*(p.name for p in VALID.iterdir()), "link"]
    )


# --- 4. regular files only; links written through --------------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("kept\n", encoding="utf-8")
    return path


def _link_to(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def made(path: Path) -> Path:
        target = make(path.with_name(path.name + ".target"))
        path.symlink_to(target)
        return path

    return made


def _device(minor: int) -> Callable[[Path], Path]:
    """A real character device made at the path (``mknod``, as root): ``1, 7`` is what
    ``/dev/full`` is, ``1, 3`` ``/dev/null``. Made here rather than pointing at the
    system's own, so that a writer that did replace it would break nothing else."""

    def made(path: Path) -> Path:
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        except PermissionError:
            pytest.skip("making a device needs root")
        return path

    return made


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a device like /dev/full": (_device(7), "a device"),
    "a device like /dev/null": (_device(3), "a device"),
    "FIFO": (_fifo, "a FIFO"),
    "socket": (_socket, "a socket"),
    "folder": (_folder, "a folder"),
    "link to a FIFO": (_link_to(_fifo), "a FIFO"),
    "link to a folder": (_link_to(_folder), "a folder"),
    "link to a link to a FIFO": (_link_to(_link_to(_fifo)), "a FIFO"),
    "link to a device": (_link_to(_device(7)), "a device"),
}
OUTPUT_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "validate": lambda out: ["validate", "data/raw", "--format", "junit", "--output", out],
    "diff": lambda out: ["diff", "data/raw", "data/raw", "--output", out],
    "deps": lambda out: ["deps", "--root", str(RAW.parents[1]), "--out", out],
}


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_outputs_that_are_not_regular_files_are_refused_and_left_alone(
    checkout: Path, capsys: pytest.CaptureFixture[str], command: str, kind: str
) -> None:
    make, word = REFUSED[kind]
    path = make(checkout / "out")
    real = Path(os.path.realpath(path))
    before = (path.lstat().st_mode, real.lstat().st_mode, real.stat().st_ino)
    status, err = run_cli(capsys, *OUTPUT_COMMANDS[command](str(path)))
    assert status == 2, err
    one_line_error(err, str(path), word, "not a regular file")
    assert (path.lstat().st_mode, real.lstat().st_mode, real.stat().st_ino) == before
    if stat.S_ISDIR(real.stat().st_mode):
        assert [p.name for p in real.iterdir()] == ["inside.txt"]


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
@pytest.mark.parametrize("hops", [1, 2, 3])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_link_at_the_output_is_written_through_and_kept(
    checkout: Path, capsys: pytest.CaptureFixture[str], command: str, hops: int, dangling: bool
) -> None:
    target = checkout / "reports" / "target.txt"
    target.parent.mkdir()
    if not dangling:
        target.write_text("old\n", encoding="utf-8")
    link = target
    for hop in range(hops):
        (checkout / f"link{hop}").symlink_to(link)
        link = checkout / f"link{hop}"
    status, err = run_cli(capsys, *OUTPUT_COMMANDS[command](str(link)))
    assert status in (0, 1), err
    assert link.is_symlink()
    assert Path(os.path.realpath(link)) == target.resolve()
    assert target.is_file() and not target.is_symlink()
    assert target.read_text(encoding="utf-8") not in ("", "old\n")
    assert not strays(checkout, target.parent)


# --- 5. a write that fails is one line, exit 2 ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["process", "--raw", "data/raw/events.csv", "--out", "out"],
        ["process", "--raw", "no-such-folder", "--out", "out"],
        ["process", "--raw", "data/raw", "--out", "afile"],
        ["process", "--raw", "data/raw", "--out", "afile/sub"],
        ["schemas", "--out", "afile"],
        ["figures", "--out", "afile"],
        ["render", "essay.qmd", "--out-dir", "afile"],
        ["validate", "data/raw", "--output", "afolder"],
        ["validate", "data/raw", "--output", "afile/report.txt"],
        ["diff", "data/raw", "data/raw", "--output", "afolder"],
        ["deps", "--out", "afolder"],
        ["manifest", "--out", "afolder"],
    ],
    ids=" ".join,
)
def test_a_path_of_the_wrong_kind_is_one_line(
    checkout: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    (checkout / "afile").write_text("a file\n", encoding="utf-8")
    (checkout / "afolder").mkdir()
    (checkout / "essay.qmd").write_text("# An essay\n", encoding="utf-8")
    before = snapshot(checkout)
    status, err = run_cli(capsys, *args)
    assert status == 2, err
    one_line_error(err)
    assert snapshot(checkout) == before


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written to: a read-only tmpfs as root, else a folder
    without write permission."""
    folder = tmp_path / "read-only"
    if os.geteuid() == 0:
        with tmpfs(folder, "size=1m", "ro"):
            yield folder
    else:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.mark.parametrize(
    "args",
    [
        ["process", "--raw", "data/raw", "--out", "{ro}/package"],
        ["schemas", "--out", "{ro}/schemas"],
        ["validate", "data/raw", "--output", "{ro}/report.txt"],
        ["diff", "data/raw", "data/raw", "--output", "{ro}/diff.md"],
        ["deps", "--root", str(RAW.parents[1]), "--out", "{ro}/deps.mk"],
    ],
    ids=lambda args: args[0],
)
def test_an_unwritable_folder_is_one_line(
    checkout: Path, read_only: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    status, err = run_cli(capsys, *(a.format(ro=read_only) for a in args))
    assert status == 2, err
    line = one_line_error(err, str(read_only), "cannot write")
    assert "read-only" in line or "permission denied" in line
    assert list(read_only.iterdir()) == []


# --- 2. the package replaced all at once -------------------------------------------------------


@pytest.fixture
def big_raw(tmp_path: Path) -> Path:
    """A copy of the real raw tables (large enough for a file-size limit to bite)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("*.md"))
    return raw


def _process(raw: Path, out: Path, *, preexec: Callable[[], None] | None = None) -> tuple[int, str]:
    proc = ukreport(
        "process", "--raw", str(raw), "--out", str(out), cwd=raw.parent, preexec_fn=preexec
    )
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err.decode()


def _changed(raw: Path) -> None:
    """A raw table edited, so the next package differs from the last."""
    edit_table(raw / "events.csv", set_cell(1, "key_theme", f"Changed {uuid.uuid4().hex}"))


def test_a_file_size_limit_leaves_the_previous_package_whole(big_raw: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE (``ulimit -f``) makes the kernel refuse the large events.csv (EFBIG)."""
    out = tmp_path / "processed"
    assert _process(big_raw, out)[0] == 0
    before = snapshot(out)
    _changed(big_raw)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    status, err = _process(big_raw, out, preexec=limit)
    assert status == 2, err
    one_line_error(err, "cannot write", "file too large")
    assert snapshot(out) == before and consistent(out)
    assert not strays(out, tmp_path)


@pytest.mark.parametrize("previous", [False, True])
def test_a_full_disk_is_one_line_and_leaves_the_previous_package_whole(
    big_raw: Path, tmp_path: Path, previous: bool
) -> None:
    """A real tmpfs that holds one package but not two."""
    with tmpfs(tmp_path / "disk", "size=1100k") as disk:
        out = disk / "processed"
        if previous:
            assert _process(big_raw, out)[0] == 0
            _changed(big_raw)
        else:
            (disk / "filler").write_bytes(b"\0" * 600_000)
        before = snapshot(disk)
        status, err = _process(big_raw, out)
        assert status == 2, err
        one_line_error(err, str(disk), "no space left")
        assert snapshot(disk) == before
        assert not previous or consistent(out)
        assert not strays(disk)


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_a_full_disk_under_one_output_file_is_one_line(
    checkout: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A real tmpfs filled to the last byte: the report cannot be written, the file
    that was there stays as it was, and no temporary file is left."""
    with tmpfs(checkout / "disk", "size=64k") as disk:
        (disk / "report.txt").write_text("the previous report\n", encoding="utf-8")
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
        before = snapshot(disk)
        status, err = run_cli(capsys, *OUTPUT_COMMANDS[command](str(disk / "report.txt")))
        assert status == 2, err
        one_line_error(err, str(disk), "no space left")
        assert snapshot(disk) == before
        assert not strays(disk)


def test_what_a_killed_run_left_is_removed_by_the_next_and_only_that(
    raw_dir: Path, tmp_path: Path
) -> None:
    """Temporary files and staging folders carry their process's id: those of a process
    that is gone are removed, those of a live one (another build) are not."""
    out = tmp_path / "processed"
    out.mkdir()
    gone, alive = dead_pid(), os.getpid()
    left = [
        tmp_path / f".processed.{gone}-abc123.tmp",
        out / f".events.csv.{gone}-x1y2z3.tmp",
    ]
    kept = [
        tmp_path / f".processed.{alive}-def456.tmp",
        out / f".events.csv.{alive}-q1w2e3.tmp",
        tmp_path / ".processed.not-a-pid.tmp",
        tmp_path / "notes.txt",
    ]
    left[0].mkdir()
    (left[0] / "events.csv").write_bytes(b"half")
    for path in [left[1], *kept]:
        path.write_bytes(b"")
    from ukreport.process import process

    process(raw_dir, out)
    assert not any(p.exists() for p in left)
    assert all(p.exists() for p in kept)
    carried = out / f".events.csv.{alive}-q1w2e3.tmp"
    assert carried.exists()  # a live writer's file in the folder is carried over


def test_other_files_in_the_output_folder_are_carried_over(raw_dir: Path, tmp_path: Path) -> None:
    from ukreport.process import process

    out = tmp_path / "processed"
    process(raw_dir, out)
    (out / "README.md").write_text("notes\n", encoding="utf-8")
    (out / "extra").mkdir()
    (out / "extra/a.txt").write_text("a\n", encoding="utf-8")
    out.chmod(0o750)
    _changed(raw_dir)
    process(raw_dir, out)
    assert (out / "README.md").read_text(encoding="utf-8") == "notes\n"
    assert (out / "extra/a.txt").read_text(encoding="utf-8") == "a\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_run_stopped_at_any_moment_leaves_one_whole_package(
    big_raw: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    """Stopped early, late or in between: the old package whole, or the new one whole;
    after SIGINT or SIGTERM no temporary file, after SIGKILL none once the next run is
    done."""
    out = tmp_path / "processed"
    started = time.monotonic()
    assert _process(big_raw, out)[0] == 0
    took = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.95, 1.0):
        _changed(big_raw)
        proc = ukreport("process", "--raw", str(big_raw), "--out", str(out), cwd=tmp_path)
        time.sleep(took * fraction)
        proc.send_signal(signum)
        proc.communicate(timeout=300)
        assert consistent(out), fraction
        if signum != signal.SIGKILL:
            assert not strays(out, tmp_path), fraction
    assert _process(big_raw, out)[0] == 0
    assert consistent(out) and not strays(out, tmp_path)


# --- temporary folders of the renderer --------------------------------------------------------


def test_stale_temporary_folders_are_removed_only_when_their_process_is_gone(
    tmp_path: Path,
) -> None:
    gone, alive = dead_pid(), os.getpid()
    stale = tmp_path / f"ukreport-render-{gone}-abcd1234"
    live = tmp_path / f"ukreport-render-{alive}-abcd1234"
    other = [tmp_path / "ukreport-render-abcd1234", tmp_path / f"ukreport-kernel-{gone}-x"]
    for folder in [stale, live, *other]:
        folder.mkdir()
        (folder / "kernel.json").write_text("{}", encoding="utf-8")
    with _io.temporary_folder("ukreport-render-", str(tmp_path)) as tmp:
        assert tmp.name.startswith(f"ukreport-render-{alive}-")
        assert not stale.exists()
        assert live.exists() and all(p.exists() for p in other)
    assert not tmp.exists()


SLOW_ESSAY = """\
---
title: A slow essay
---

```{python}
import time
time.sleep(60)
```
"""


@pytest.mark.render
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_render_stopped_by_a_signal_leaves_no_temporary_folder(
    tmp_path: Path, signum: signal.Signals
) -> None:
    """SIGTERM: the render removes its folders and stops its kernel; SIGKILL: the next
    render removes what the killed one left."""
    scratch = Path(os.path.realpath(tempfile_dir()))
    essay = tmp_path / "slow.qmd"
    essay.write_text(SLOW_ESSAY, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(scratch), "SOURCE_DATE_EPOCH": "315532800"}
    args = ("render", str(essay), "--out-dir", str(tmp_path / "out"), "--no-cache")
    proc = ukreport(*args, "--format", "html", cwd=tmp_path, env=env)
    deadline = time.monotonic() + 120
    while not list(scratch.glob(f"ukreport-kernel-{proc.pid}-*/kernel.json")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    mine = sorted(scratch.glob(f"ukreport-*-{proc.pid}-*"))
    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, err
        one_line_error(err.decode(), "SIGTERM")
        assert not mine
    else:
        assert mine
        essay.write_text("# Quick\n\n```{python}\n1 + 1\n```\n", encoding="utf-8")
        again = ukreport(*args, cwd=tmp_path, env=env)
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
        assert not sorted(scratch.glob(f"ukreport-*-{proc.pid}-*"))
    _kill_kernels_under(scratch)
    shutil.rmtree(scratch, ignore_errors=True)


def _kill_kernels_under(scratch: Path) -> None:
    """Stop a kernel orphaned by the SIGKILL above (it was started by this test)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(scratch).encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except OSError:
            continue


def tempfile_dir() -> str:
    """A short private temporary folder (kernel sockets need short paths)."""
    import tempfile

    return tempfile.mkdtemp(prefix="uk-", dir="/tmp")
