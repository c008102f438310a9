"""Build everything twice, in two fresh copies of the repository, and compare every byte.

``ukreport verify`` (``make verify``) copies the working tree as it is —
the last commit plus uncommitted changes — once, before either build, into two
temporary folders whose paths
differ in length and depth, deletes every generated file there, and runs
``make schemas data figures report`` in each, one after the other (so at different
clock times), the second as another user: another ``TZ``, ``LANG``, string hash
seed, an empty home folder and a ``matplotlibrc`` of its own. Both copies use this
repository's ``.venv`` (its files are linked, never changed), but import the copy's
own code and read the copy's own data. Then it compares them: :func:`table` words
every output with ✓ or ✗ and, for each difference, the first byte that differs with a
little context from both sides (the command line prints it).

Exit status: 0 all outputs identical, 1 some differ, 2 a build failed or bad usage.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ukreport import _git
from ukreport._io import sha256, sweep_stale
from ukreport._proc import make, run
from ukreport.errors import InputError, UkreportError
from ukreport.pipeline.graph import MANIFEST, outputs, pipeline

__all__ = [
    "TARGETS",
    "BuiltCopy",
    "Comparison",
    "Verdict",
    "build",
    "compare",
    "copy_worktree",
    "first_difference",
    "table",
    "verify",
]

TARGETS = ("schemas", "data", "figures", "report")
"""What each copy builds: every Make target that writes an output."""

GENERATED_DIRS = ("reports/figures", "reports/_build")
"""Folders that hold only generated files; removed whole before building."""

CONTEXT = 24
"""Bytes of context shown on each side of the first difference."""


@dataclass(frozen=True)
class BuiltCopy:
    """One copy's build: where it ran, how long it took, what it printed."""

    root: Path
    seconds: float
    log: str


@dataclass(frozen=True)
class Comparison:
    """One output in both builds; ``offset`` is None when the bytes agree."""

    path: str
    first: bytes | None
    second: bytes | None

    @property
    def same(self) -> bool:
        return self.first is not None and self.first == self.second

    @property
    def offset(self) -> int | None:
        if self.first is None or self.second is None:
            return None
        return first_difference(self.first, self.second)


def first_difference(a: bytes, b: bytes) -> int | None:
    """The offset of the first byte where ``a`` and ``b`` differ (None if equal)."""
    if a == b:
        return None
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n  # one is a prefix of the other
    lo, hi = 0, n  # a[:lo] == b[:lo] and a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def context(data: bytes, offset: int, width: int = CONTEXT) -> str:
    """The bytes around ``offset``, as a Python bytes literal with a ``⟨`` at the offset."""
    start = max(0, offset - width)
    before = repr(data[start:offset])[2:-1]
    after = repr(data[offset : offset + width])[2:-1]
    return (
        ("…" if start else "") + before + "⟨" + after + ("…" if offset + width < len(data) else "")
    )


# --- copies -----------------------------------------------------------------------------


def copy_worktree(root: Path, dest: Path) -> Path:
    """Clone ``root``'s last commit into ``dest`` and lay its uncommitted changes on top.

    Files changed since the commit (staged or not) and untracked files (those git does
    not ignore) are copied, deleted ones deleted, so ``dest`` holds what ``root``'s
    working tree holds, with a ``.git`` that gives the same ``SOURCE_DATE_EPOCH``.
    ``root`` itself is only read.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        _git.clone(root, dest)
        changed = _git.changed_files(root)
    except _git.GitError as error:
        args = " ".join(error.command[1:])
        raise InputError(root, f"git {args} failed: {error.stderr.strip()}") from None
    for name in changed:
        source, target = root / name, dest / name
        if source.is_file() or source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
        else:
            target.unlink(missing_ok=True)
    return dest


def link_venv(venv: Path, dest: Path) -> Path:
    """Give ``dest`` a ``.venv`` whose entries link to ``venv``'s, and a fresh stamp.

    The stamp (``.venv/.installed``) is newer than every file in the copy, so Make
    does not try to re-create the environment; nothing in ``venv`` is written.
    """
    if not (venv / "bin/python").exists():
        raise InputError(venv, "no virtual environment here; run make env first")
    target = dest / ".venv"
    target.mkdir()
    for entry in sorted(venv.iterdir()):
        if entry.name != ".installed":
            (target / entry.name).symlink_to(entry.resolve() if entry.is_symlink() else entry)
    (target / ".installed").touch()
    return target


def clean(root: Path) -> None:
    """Delete every output the build writes, so that it is really rebuilt."""
    for name in GENERATED_DIRS:
        shutil.rmtree(root / name, ignore_errors=True)
    for name in [*outputs(pipeline(root)), MANIFEST.as_posix()]:
        (root / name).unlink(missing_ok=True)


# --- builds -----------------------------------------------------------------------------


USER_MATPLOTLIBRC = """\
# A user's settings: figures must not change with them.
lines.linewidth: 3
font.family: serif
axes.grid: True
svg.hashsalt: someone-else
savefig.transparent: True
"""


def build_env(root: Path, scratch: Path, variant: int) -> dict[str, str]:
    """The environment of build ``variant`` (0 or 1) in ``root``.

    The copy's ``src`` comes first on ``PYTHONPATH`` and ``UKREPORT_DATA_DIR`` is its
    ``data/processed``: the shared ``.venv`` holds an editable install of the original
    checkout, which would otherwise supply its code and its data to every copy.
    ``SOURCE_DATE_EPOCH`` is left to the Makefile (the copy's last commit); Make's
    own flags are dropped, so the build does not inherit ``-n`` or a jobserver.

    Build 0 runs as the caller (their home folder, matplotlib and IPython settings);
    build 1 as a new user, with an empty home, a ``matplotlibrc`` of their own, and
    another time zone, locale and string hash seed.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UKREPORT_", "MAKE", "MFLAGS"))
        and key not in {"SOURCE_DATE_EPOCH", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(
        PYTHONPATH=str(root / "src"),
        UKREPORT_DATA_DIR=str(root / "data/processed"),
        TZ=("UTC", "Pacific/Kiritimati")[variant],
        LANG=("C.UTF-8", "POSIX")[variant],
        PYTHONHASHSEED=("1", "2")[variant],
    )
    if variant:
        home = scratch / f"home-{variant}"
        config = home / ".config/matplotlib"
        config.mkdir(parents=True, exist_ok=True)
        (config / "matplotlibrc").write_text(USER_MATPLOTLIBRC, encoding="utf-8")
        env.update(HOME=str(home), MPLCONFIGDIR=str(config))
        env.pop("IPYTHONDIR", None)
        env.pop("MATPLOTLIBRC", None)
    return env


def _check_imports(root: Path, env: Mapping[str, str]) -> None:
    """Fail unless the copy's Python imports the copy's ``ukreport`` and data."""
    probe = "import ukreport, ukreport.datasets as d;print(ukreport.__file__); print(d.data_path())"
    done = run([root / ".venv/bin/python", "-c", probe], cwd=root, env=env, check=False)
    found = done.text().split("\n")
    want = (root / "src").resolve(), (root / "data/processed").resolve()
    if done.returncode != 0 or not (
        Path(found[0]).resolve().is_relative_to(want[0]) and Path(found[1]).resolve() == want[1]
    ):
        raise UkreportError(
            f"the build in {root} would not use its own code and data: {done.text()}{done.errors()}"
        )


def build(root: Path, env: Mapping[str, str], targets: Sequence[str] = TARGETS) -> BuiltCopy:
    """Run ``make`` with ``targets`` in ``root``; raise UkreportError if it fails."""
    _check_imports(root, env)
    started = time.perf_counter()
    done = make(targets, root, env=env)
    seconds = time.perf_counter() - started
    log = done.text() + done.errors()
    if not done.ok:
        tail = "\n".join(log.strip().splitlines()[-20:])
        raise UkreportError(f"make {' '.join(targets)} failed in {root}:\n{tail}")
    return BuiltCopy(root, seconds, log)


def compare(first: Path, second: Path, paths: Sequence[str]) -> list[Comparison]:
    """Each of ``paths`` (relative) as built in ``first`` and in ``second``."""

    def read(path: Path) -> bytes | None:
        return path.read_bytes() if path.is_file() else None

    return [Comparison(p, read(first / p), read(second / p)) for p in paths]


def table(results: Sequence[Comparison]) -> str:
    """The table of outputs, then the first difference of each one that differs."""
    width = max(len(r.path) for r in results)
    lines: list[str] = []
    for r in results:
        data = r.first if r.first is not None else r.second
        digest = sha256(data)[:16] if data is not None else "-" * 16
        size = f"{len(data):>9,}" if data is not None else " " * 9
        lines.append(f"{'✓' if r.same else '✗'} {r.path:<{width}}  {size} B  {digest}")
    for r in results:
        if r.same:
            continue
        lines += ["", f"✗ {r.path}"]
        if r.first is None or r.second is None:
            which = "first" if r.first is None else "second"
            lines.append(f"  missing from the {which} build")
            continue
        offset = r.offset
        assert offset is not None
        lines += [
            f"  sizes {len(r.first):,} and {len(r.second):,} bytes; first difference at byte "
            f"{offset:,}",
            f"  first:  {context(r.first, offset)}",
            f"  second: {context(r.second, offset)}",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Verdict:
    """Two builds compared: every output, each build, and where the copies were kept."""

    results: list[Comparison] = field(default_factory=list)
    builds: list[BuiltCopy] = field(default_factory=list)
    kept: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 when every output is identical, else 1."""
        return 1 if any(not r.same for r in self.results) else 0

    def summary(self) -> str:
        differ = [r for r in self.results if not r.same]
        total = sum(b.seconds for b in self.builds)
        verdict = (
            f"{len(differ)} of {len(self.results)} outputs differ"
            if differ
            else f"all {len(self.results)} outputs are byte-identical"
        )
        return f"{verdict} (two builds, {total:.1f} s)"


def verify(
    root: Path,
    *,
    venv: Path | None = None,
    keep: bool = False,
    targets: Sequence[str] = TARGETS,
    say: Callable[[str], None] = lambda line: None,
) -> Verdict:
    """Build ``root``'s working tree twice and compare; ``say`` hears of each build as
    it starts and ends (and, if a build fails with ``keep``, where the copies are)."""
    root = root.resolve()
    venv = (venv or root / ".venv").absolute()
    scratch = scratch_folder()
    # Different lengths and depths, so a path that leaks into an output shows.
    copies = [scratch / "a", scratch / "second-build-in-a-longer-path" / "one" / "level" / "deeper"]
    verdict = Verdict()
    finished = False
    try:
        # Both copies are the working tree at one moment: a file saved in it while the
        # first copy builds must not reach the second and pass for an irreproducible build.
        copy_worktree(root, copies[0])
        shutil.copytree(copies[0], copies[1], symlinks=True)
        for variant, dest in enumerate(copies):
            link_venv(venv, dest)
            clean(dest)
            env = build_env(dest, scratch, variant)
            say(f"building in {dest} (TZ={env['TZ']}) …")
            verdict.builds.append(build(dest, env, targets))
            say(f"  built in {verdict.builds[-1].seconds:.1f} s")
        paths = sorted({*outputs(pipeline(copies[0])), MANIFEST.as_posix()})
        paths = [p for p in paths if (copies[0] / p).exists() or (copies[1] / p).exists()]
        verdict.results = compare(copies[0], copies[1], paths)
        finished = True
        return verdict
    finally:
        if keep:
            verdict.kept = kept(scratch)
            if not finished:
                say(f"kept the copies in {verdict.kept}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


SCRATCH_PREFIX = "ukreport-verify-"


def scratch_folder() -> Path:
    """A new ``ukreport-verify-<pid>-<random>`` folder for the two builds, after removing
    those a killed ``ukreport verify`` left (their process is gone)."""
    base = Path(tempfile.gettempdir())
    sweep_stale(base, SCRATCH_PREFIX)
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))


def kept(scratch: Path) -> Path:
    """``scratch`` renamed ``ukreport-verify-kept-<random>``, which no later run sweeps
    (``--keep``); where it is, if it cannot be renamed."""
    name = scratch.name.replace(f"{SCRATCH_PREFIX}{os.getpid()}-", f"{SCRATCH_PREFIX}kept-", 1)
    try:
        return scratch.rename(scratch.with_name(name))
    except OSError:
        return scratch
