"""Release notes for a new version: an entry in ``CHANGELOG.md`` that says what changed.

When ``[project].version`` differs from the one at the last release, the changelog
(Keep a Changelog) must say what the new version changes: in a dated entry headed
``## [X.Y.Z] - YYYY-MM-DD`` (`` [YANKED]`` may follow) once the version is released,
and until then in ``## [Unreleased]``, which becomes that entry when the release is cut
(``ukreport schema-check --changelog``). A data change since a revision (a pull
request's base) must also come with a change to the changelog.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ukreport.review.revisions import release, working_tree
from ukreport.review.versions import project_versions

CHANGELOG = Path("CHANGELOG.md")

_HEADING = re.compile(r"##\s+\[(?P<version>[^\]]+)\](?P<rest>.*)")
_DATED = re.compile(r"\s+-\s+(?P<date>\d{4}-\d{2}-\d{2})(?:\s+\[YANKED\])?\s*")
_LINK = re.compile(r"\[[^\]]+\]:\s")


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def entry_problems(text: str, version: str, name: str) -> list[str]:
    """What is wrong with the entry for ``version`` in changelog ``text`` (called ``name``).

    A dated entry for ``version`` must be dated and say something; without one, a
    non-empty ``## [Unreleased]`` section holds the notes of the version to come.
    """
    lines = text.splitlines()
    headings = [(i, _HEADING.fullmatch(line.rstrip())) for i, line in enumerate(lines)]
    entries = [(i, m) for i, m in headings if m]
    for index, (at, match) in enumerate(entries):
        if match["version"].strip().removeprefix("v") != version.removeprefix("v"):
            continue
        problems = []
        dated = _DATED.fullmatch(match["rest"])
        if not (dated and _is_date(dated["date"])):
            problems.append(
                f"{name}:{at + 1}: the entry for {version} needs its release date: "
                f"`## [{version}] - YYYY-MM-DD`"
            )
        end = entries[index + 1][0] if index + 1 < len(entries) else len(lines)
        body = [
            line for line in lines[at + 1 : end] if line.strip() and not _LINK.match(line.strip())
        ]
        if not body:
            problems.append(f"{name}:{at + 1}: the entry for {version} is empty: say what changed")
        return problems
    for index, (at, match) in enumerate(entries):
        if match["version"].strip().lower() != "unreleased":
            continue
        end = entries[index + 1][0] if index + 1 < len(entries) else len(lines)
        if any(line.strip() and not _LINK.match(line.strip()) for line in lines[at + 1 : end]):
            return []
        return [
            f"{name}:{at + 1}: `## [Unreleased]` is empty: say what {version} changes "
            "(it becomes the release's entry when the release is cut)"
        ]
    return [
        f"{name} has no entry for {version}: say what changed under `## [Unreleased]` "
        f"(it becomes `## [{version}] - YYYY-MM-DD` when the release is cut)"
    ]


def release_notes_problems(root: Path, base: str, base_version: str, version: str) -> list[str]:
    """Problems with ``root/CHANGELOG.md`` for ``version``; none if it is ``base_version``."""
    if version == base_version:
        return []
    data = working_tree(root).read(CHANGELOG)
    if data is None:
        return [
            f"{CHANGELOG} is missing: the version changed from {base_version} ({base}) to "
            f"{version}, so add one (keepachangelog.com) that says what changed under "
            "`## [Unreleased]`"
        ]
    return entry_problems(data.decode("utf-8", "replace"), version, str(CHANGELOG))


def changelog_check(root: Path, base: str | None = None) -> list[str]:
    """Problems with ``CHANGELOG.md`` in ``root`` for the version being released.

    When ``[project].version`` in ``root/pyproject.toml`` differs from the one at git
    revision ``base`` (default: the last release), ``root/CHANGELOG.md`` must exist
    and say what the new version changes (:func:`entry_problems`). Returns one message per
    problem; an empty list means all is well (or the version did not change).
    """
    then, now = release(base, root), working_tree(root)
    base_version, version = project_versions(then, now)
    return release_notes_problems(root, then.label, base_version, version)
