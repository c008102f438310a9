"""Releases as the repository records them, so every clone knows them, tags or not.

A release is a dated entry in ``CHANGELOG.md`` (``## [0.2.0] - 2026-11-26``). Its
commit is the first one, in the history of ``HEAD``, whose changelog has that dated
heading and whose ``pyproject.toml`` says that version: the commit that cut it. A tag
``v0.2.0`` (or ``0.2.0``), where there is one, names the commit instead. A repository
whose changelog records no release falls back on its newest tag.

Why the changelog and no file of commit ids: a commit cannot name itself, so a file of
ids would always lag one commit behind the release and need a second change to record
it; ids also change when history is rebased. The changelog entry has to be written for
the release anyway, and git finds the commit that added it (``git log -S``) on any full
clone. A shallow clone has no history to search: it needs ``git fetch --unshallow``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ukreport import _git
from ukreport.errors import UkreportError

CHANGELOG = Path("CHANGELOG.md")
PYPROJECT = Path("pyproject.toml")

_DATED = re.compile(
    r"^##\s+\[v?(?P<version>[0-9][^\]]*)\]\s+-\s+(?P<date>\d{4}-\d{2}-\d{2})\b", re.MULTILINE
)


class NoRelease(UkreportError, LookupError):
    """No release recorded in the changelog is found in the history of ``HEAD``."""

    def __init__(self, root: Path, detail: str) -> None:
        self.root = root
        super().__init__(
            f"no release to compare with in {root}: {detail}. Give a revision explicitly "
            "(for example `ukreport schema-check main`); a shallow checkout needs "
            "`git fetch --unshallow` (in GitHub Actions, `fetch-depth: 0`)"
        )


@dataclass(frozen=True)
class Release:
    """A release: its version, the date its changelog entry gives, and its commit."""

    version: str
    date: str
    """``YYYY-MM-DD``; empty for a release known only by its tag."""
    commit: str
    name: str = ""
    """The tag that names the release, if that is all there is."""

    @property
    def label(self) -> str:
        """``0.2.0 (fec7549)``, or the tag: how messages name the release."""
        return self.name or f"{self.version} ({self.commit[:7]})"


def dated_entries(changelog: str) -> list[tuple[str, str]]:
    """``(version, date)`` of every dated entry in ``changelog``, newest (first) first."""
    return [(m["version"], m["date"]) for m in _DATED.finditer(changelog)]


def _version_at(commit: str, root: Path) -> str | None:
    data = _git.read_file(commit, PYPROJECT, root)
    if data is None:
        return None
    try:
        version = tomllib.loads(data.decode("utf-8")).get("project", {}).get("version")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return version if isinstance(version, str) else None


def _tagged(version: str, root: Path) -> str | None:
    for name in (f"v{version}", version):
        sha = _git.git(
            ["rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}"], root, check=False
        ).strip()
        if sha:
            return sha
    return None


def _log(args: list[str], root: Path) -> list[str]:
    return _git.git(["log", "--format=%H", *args], root, check=False).split()


def release_commit(version: str, root: Path) -> str | None:
    """The commit of release ``version`` in the history of ``HEAD``, or ``None``.

    A tag of the version wins; otherwise the oldest commit whose changelog has the
    dated heading for ``version`` while its ``pyproject.toml`` says ``version``. Only
    the commits that added the heading or set the version can be the first such one.
    """
    tagged = _tagged(version, root)
    if tagged:
        return tagged
    heading = f"## [{version}] - "
    files = ["--", CHANGELOG.as_posix(), PYPROJECT.as_posix()]
    candidates = set(_log(["-S", heading, "HEAD", *files], root))
    if not candidates:
        return None
    line = 'version *= *"' + version.replace(".", r"\.") + '"'
    candidates |= set(_log(["-G", line, "HEAD", *files], root))
    for sha in reversed(_log(["HEAD", *files], root)):
        if sha not in candidates or _version_at(sha, root) != version:
            continue
        notes = _git.read_file(sha, CHANGELOG, root) or b""
        if heading.encode() in notes:
            return sha
    return None


def releases(root: Path) -> list[Release]:
    """Every release the changelog in ``root`` records and the history holds, newest first."""
    top = _git.repository_root(root)
    path = top / CHANGELOG
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    found = []
    for version, date in dated_entries(text):
        commit = release_commit(version, top)
        if commit is not None:
            found.append(Release(version, date, commit))
    return found


def last_release(root: Path) -> Release:
    """The newest release that the changelog records and the history of ``HEAD`` holds,
    else the newest tag reachable from ``HEAD``."""
    top = _git.repository_root(root)
    path = top / CHANGELOG
    entries = (
        dated_entries(path.read_text(encoding="utf-8", errors="replace"))
        if (path.is_file())
        else []
    )
    for version, date in entries:
        commit = release_commit(version, top)
        if commit is not None:
            return Release(version, date, commit)
    tag = _git.git(["describe", "--tags", "--abbrev=0"], top, check=False).strip()
    if tag:
        return Release(tag, "", _git.resolve(tag, top), name=tag)
    if not path.is_file():
        raise NoRelease(top, f"{CHANGELOG} is missing and no tag is reachable from HEAD")
    if not entries:
        raise NoRelease(
            top,
            f"{CHANGELOG} has no dated entry (`## [X.Y.Z] - YYYY-MM-DD`) and no tag is"
            " reachable from HEAD",
        )
    names = ", ".join(version for version, _ in entries)
    raise NoRelease(top, f"no commit in the history of HEAD cut the releases {names}")


def find_release(name: str, root: Path) -> Release | None:
    """The release called ``name`` (``0.2.0`` or ``v0.2.0``), if the changelog records it."""
    top = _git.repository_root(root)
    wanted = name.removeprefix("v")
    path = top / CHANGELOG
    if not path.is_file():
        return None
    for version, date in dated_entries(path.read_text(encoding="utf-8", errors="replace")):
        if version == wanted:
            commit = release_commit(version, top)
            return Release(version, date, commit) if commit else None
    return None
