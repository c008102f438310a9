"""git, wrapped once: the state of a checkout, files at a revision, a commit's copy.

Every question the package asks git goes through :func:`git`: what commit a folder is
at and what differs from it (:func:`source_state`, :func:`state`, for the provenance
lines and the manifest), the files at a revision (:func:`read_files`), and a clone of
the last commit with the working tree's changes (:func:`changed_files`, for
``ukreport verify``). Questions that only read never take git's index lock.

``ukreport diff`` and ``ukreport schema-check`` compare the working tree with an
earlier revision. They read the earlier files straight from the object store
(``git cat-file blob REV:./PATH``, the plumbing form of ``git show REV:PATH``: no
pager, no textconv filter), so nothing is checked out and the working tree is never
touched. Paths are relative to the current directory, as every path in
:mod:`ukreport.paths` is, so the commands work from the project root even when the
project sits in a sub-folder of a larger repository.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from ukreport._proc import run
from ukreport.errors import ExternalCommandError, UkreportError

log = logging.getLogger(__name__)

WORKING_TREE = "the working tree"
"""How messages name the files on disk, as opposed to a revision."""


class GitError(ExternalCommandError):
    """``git`` failed, or is missing; the message says which command and why."""


class NotARepository(UkreportError, LookupError):
    """The current directory is not inside a git repository."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        super().__init__(
            f"{cwd} is not inside a git repository: run the command from the project's "
            "repository (or compare two folders instead of two revisions)"
        )


class UnknownRevision(UkreportError, LookupError):
    """A revision (commit, branch or tag) that the repository does not have."""

    def __init__(self, revision: str, root: Path, *, kinds: str = "commit, branch or tag") -> None:
        self.revision = revision
        self.root = root
        super().__init__(
            f"unknown revision {revision!r}: no {kinds} of that name in {root} "
            "(list them with `git tag` and `git branch -a`; a shallow CI checkout may "
            "need `git fetch --tags --unshallow`, or `fetch-depth: 0`)"
        )


def git(
    args: list[str],
    cwd: Path | None = None,
    *,
    check: bool = True,
    read_only: bool = False,
    timeout: float | None = None,
) -> str:
    """Run ``git ARGS`` in ``cwd`` and return its standard output.

    Raises :class:`GitError` (carrying the command, exit status and the last lines of
    standard error) when git is missing, or when it fails and ``check`` is true; with
    ``check`` false a failure returns ``""`` instead, for questions whose "no" is an
    exit status (``rev-parse --verify --quiet``). ``read_only`` keeps git from taking
    its index lock to refresh the index (``GIT_OPTIONAL_LOCKS=0``), so a question asked
    during someone else's commit neither waits nor fails.
    """
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"} if read_only else None
    done = run(["git", *args], cwd=cwd, env=env, check=check, error=GitError, timeout=timeout)
    return done.text() if done.ok else ""


def state(root: Path, inputs: Iterable[str]) -> dict[str, Any]:
    """The commit ``root`` is at, and which of ``inputs`` differ from it (untracked
    ones included), as the manifest records them."""
    try:
        commit = git(["rev-parse", "HEAD"], root, check=False, read_only=True, timeout=30)
        status = git(
            ["status", "--porcelain", "-z", "--untracked-files=all", "--", *inputs],
            root,
            check=False,
            read_only=True,
            timeout=30,
        )
    except GitError:
        commit, status = "", ""
    if not commit:
        return {"commit": None, "state": "not a git checkout", "uncommitted": []}
    changed: set[str] = set()
    entries = iter(status.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        changed.add(entry[3:])
        if entry[0] in "RC":  # a rename or copy is followed by its old name
            changed.add(next(entries, ""))
    changed.discard("")
    return {
        "commit": commit.strip(),
        "state": "uncommitted changes" if changed else "clean",
        "uncommitted": sorted(changed),
    }


def changed_files(root: Path) -> list[str]:
    """Every file of ``root``'s working tree that differs from its last commit (staged
    or not, deleted ones included) and every untracked file git does not ignore."""
    changed = git(["diff", "--no-renames", "--name-only", "-z", "HEAD", "--"], root)
    untracked = git(["ls-files", "-z", "--others", "--exclude-standard"], root)
    return sorted(set(filter(None, (changed + untracked).split("\0"))))


def clone(root: Path, dest: Path) -> None:
    """A clone of ``root``'s repository in ``dest``, sharing no files with it."""
    git(["rev-parse", "HEAD"], root)
    git(["clone", "--quiet", "--no-hardlinks", str(root.resolve()), str(dest)], root)


def source_state(folder: Path) -> tuple[str | None, bool]:
    """The commit ``folder`` is at and whether it has uncommitted changes; ``(None,
    False)`` outside a git checkout (an installed package)."""
    try:
        head = git(["rev-parse", "HEAD"], folder, check=False).strip() or None
        dirty = head is not None and bool(
            git(["status", "--porcelain", "--", "."], folder, check=False).strip()
        )
    except GitError:
        return None, False
    return head, dirty


def repository_root(cwd: Path | None = None) -> Path:
    """The top folder of the repository that contains ``cwd`` (default: the current one)."""
    where = cwd or Path.cwd()
    top = git(["rev-parse", "--show-toplevel"], where, check=False).strip()
    if not top:
        raise NotARepository(where)
    return Path(top)


def resolve(revision: str, cwd: Path | None = None, *, kinds: str = "commit, branch or tag") -> str:
    """The full commit id ``revision`` names, or :class:`UnknownRevision`.

    ``kinds`` is what the message says the name is not (``diff`` adds "or folder").
    """
    sha = ""
    if revision and not revision.startswith("-"):
        sha = git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            cwd,
            check=False,
        ).strip()
    if not sha:
        raise UnknownRevision(revision, repository_root(cwd), kinds=kinds)
    return sha


def _spec(commit: str, path: Path | str) -> str:
    # "./" makes git read the path relative to the current directory, not the top.
    return f"{commit}:./{PurePosixPath(Path(path).as_posix())}"


class TooLarge(UkreportError, ValueError):
    """A file at a revision is larger than the caller reads; ``name`` and ``size`` say
    which and how large (it was not read)."""

    def __init__(self, name: str, size: int, limit: int) -> None:
        self.name, self.size, self.limit = name, size, limit
        super().__init__(f"{name} is {size:,} bytes, over the {limit:,} read")


def read_files(
    commit: str, files: Iterable[Path | str], cwd: Path | None = None, *, limit: int | None = None
) -> dict[str, bytes | None]:
    """The bytes of each path (relative to ``cwd``) at ``commit``, ``None`` where absent.

    One ``git cat-file --batch`` reads them all. Keys are the paths as POSIX strings.
    ``commit`` should come from :func:`resolve`, so that an unknown revision has been
    reported as such and is never mistaken for a missing file. With ``limit``, the
    sizes are asked first (``--batch-check``) and a file larger than ``limit`` bytes
    raises :class:`TooLarge` before anything is read into memory.
    """
    names = [PurePosixPath(Path(f).as_posix()).as_posix() for f in files]
    if not names:
        return {}
    specs = "".join(f"{_spec(commit, name)}\n" for name in names).encode("utf-8")
    if limit is not None:
        checked = run(["git", "cat-file", "--batch-check"], cwd=cwd, input=specs, error=GitError)
        for name, line in zip(names, checked.stdout.splitlines(), strict=True):
            header = line.decode("utf-8", "replace").split(" ")
            if header[-1] not in ("missing", "ambiguous") and int(header[2]) > limit:
                raise TooLarge(name, int(header[2]), limit)
    done = run(["git", "cat-file", "--batch"], cwd=cwd, input=specs, error=GitError)
    out, at = done.stdout, 0
    found: dict[str, bytes | None] = {}
    for name in names:
        end = out.index(b"\n", at)
        header = out[at:end].decode("utf-8", "replace").split(" ")
        at = end + 1
        if header[-1] in ("missing", "ambiguous"):
            found[name] = None
            continue
        size = int(header[2])
        found[name] = out[at : at + size] if header[1] == "blob" else None
        at += size + 1
    return found


def read_file(commit: str, path: Path | str, cwd: Path | None = None) -> bytes | None:
    """The bytes of ``path`` (relative to ``cwd``) at ``commit``; ``None`` if it is absent."""
    return next(iter(read_files(commit, [path], cwd).values()))


def list_files(commit: str, folder: Path | str, cwd: Path | None = None) -> list[str]:
    """Names of the files directly inside ``folder`` (relative to ``cwd``) at ``commit``."""
    spec = _spec(commit, folder)
    if not git(["rev-parse", "--verify", "--quiet", "--end-of-options", spec], cwd, check=False):
        return []
    listing = git(["ls-tree", "-z", "--name-only", spec], cwd)
    return sorted(name for name in listing.split("\0") if name)
