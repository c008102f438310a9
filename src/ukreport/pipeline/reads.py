"""What each step read: its inputs' hashes as it began, checked again as it ended.

A step reads its inputs while it runs, and a file saved meanwhile (the essay edited
while the kernel runs, a table while it is validated) means the outputs were made from
the earlier bytes, or from a mix of both. Hashing the inputs only afterwards, as the
manifest once did, vouches for bytes no step read, and the outputs, newer than the
edit, look current to Make. So :func:`watched` hashes what a step reads before and
after it runs. When they differ, the outputs are kept (each was written whole) but set
older than the edit, so Make and the runner build them again, and the step fails
(:class:`ChangedWhileRead`): the run did not make what was asked of it, and a
``make report && publish`` must not go on. :func:`recorded` then gives the manifest,
for every output, the hashes its step read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from ukreport import _io
from ukreport._files import regular_file
from ukreport.errors import UkreportError, shown_path
from ukreport.pipeline.graph import Step, code, declared_code, out_of_date

__all__ = [
    "UNKNOWN",
    "ChangedWhileRead",
    "Hashes",
    "code_read",
    "read_by",
    "recorded",
    "sha256",
    "watched",
]

Hashes = dict[str, str | None]
"""Path (relative to the root) → its SHA-256, or ``None`` when it is not there."""

UNKNOWN = "unknown: changed after the output was made"
"""What the manifest records for an input that changed after an output was made by an
earlier run: which bytes that run read is not known, and no file hashes to this."""

_BACK_NS = 2_000_000_000
"""How much older than the edit an output is set: more than the coarsest timestamps a
file system keeps (two seconds), so the edit is newer wherever the checkout lives."""

T = TypeVar("T")


def sha256(path: Path) -> str | None:
    """The file's SHA-256 in hex, or None when it does not exist or is not a regular
    file (a FIFO named in a manifest would otherwise block the read)."""
    if not regular_file(path):
        return None
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _io.sha256(data)


class ChangedWhileRead(UkreportError):
    """An input of a step changed while the step ran: its outputs are out of date."""

    exit_code = 1

    def __init__(self, step: str, changed: Sequence[str]) -> None:
        self.step = step
        self.changed = list(changed)
        files = ", ".join(shown_path(name) for name in changed)
        verb, it = ("was", "it") if len(changed) == 1 else ("were", "them")
        super().__init__(
            f"{files} {verb} saved while the build was making the {step} step's outputs from "
            f"{it}: they were made from the earlier bytes (or a mix) and are marked out of "
            "date; run the build again (make report) to make them from the files as they "
            "are now"
        )


def read_by(step: Step, by_name: Mapping[str, Step]) -> tuple[str, ...]:
    """What ``step`` reads: its inputs (sources and code) and the outputs of the steps
    before it."""
    before = (out for name in step.after if name in by_name for out in by_name[name].outputs)
    return tuple(dict.fromkeys((*step.inputs, *before)))


def _hashes(root: Path, names: Sequence[str]) -> Hashes:
    return {name: sha256(root / name) for name in names}


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _set_back(root: Path, outputs: Sequence[str], changed: Sequence[str], began: int) -> None:
    """Make ``outputs`` older than every changed input, and than the moment the step
    began, so that Make's rule (and the runner's) sees them out of date. An input
    saved with an old time (``cp -p``) is older than the step's start: its time counts."""
    times = [began, *(t for name in changed if (t := _mtime(root / name)) is not None)]
    when = min(times) - _BACK_NS
    for name in outputs:
        if regular_file(root / name):
            os.utime(root / name, ns=(when, when))


def code_read(root: Path, names: Sequence[str]) -> Hashes:
    """The hashes of the code of the steps ``names``, taken as a run starts: a process
    (and a kernel started ahead) imports a module once, maybe long before the step that
    runs it, so a step's code is what it was then."""
    listed = declared_code(root)
    files = {f for name in names for f in (listed.get(name) or code(root, name))}
    return _hashes(root, sorted(files))


def watched(
    root: Path,
    step: Step,
    by_name: Mapping[str, Step],
    action: Callable[[], T],
    outputs: Callable[[], Sequence[str]] | None = None,
    earlier: Mapping[str, str | None] | None = None,
) -> tuple[T, Hashes]:
    """Run ``action`` (which makes ``step``'s outputs) and return its result with the
    hashes of what the step read, taken before it ran and found the same after.

    ``earlier`` holds hashes of files that may have been read before the step began
    (its code, imported as the run started: :func:`code_read`); they count as the
    step's. Raises :class:`ChangedWhileRead` when an input changed meanwhile, after
    setting the outputs (``outputs()``, as they are once made; default: the step's)
    older than the change.
    """
    names = read_by(step, by_name)
    began = time.time_ns()
    before = _hashes(root, names)
    before.update((name, earlier[name]) for name in names if earlier and name in earlier)
    result = action()
    after = _hashes(root, names)
    changed = [name for name in names if before[name] != after[name]]
    if changed:
        made = outputs() if outputs is not None else step.outputs
        _set_back(root, made, changed, began)
        raise ChangedWhileRead(step.name, changed)
    return result, before


def _direct(
    root: Path, step: Step, by_name: Mapping[str, Step], now: Hashes, read: Mapping[str, Hashes]
) -> Hashes:
    """The hashes of what ``step`` read when it last made its outputs, as far as known.

    A step this run ran: what it read (:func:`watched`). A step whose outputs are newer
    than everything it reads (Make's rule): what is there now, as nothing has been
    saved since they were made. Otherwise the inputs saved since are :data:`UNKNOWN`.
    """
    names = read_by(step, by_name)
    if step.name in read:
        seen = read[step.name]
        return {name: seen[name] if name in seen else now.get(name) for name in names}
    if not out_of_date(root, step, by_name):
        return {name: now.get(name) for name in names}
    made = [_mtime(root / name) for name in step.outputs]
    oldest = min((when for when in made if when is not None), default=None)

    def saved_since(name: str) -> bool:
        when = _mtime(root / name)
        return oldest is None or (when is not None and when > oldest)

    return {name: UNKNOWN if saved_since(name) else now.get(name) for name in names}


def recorded(
    root: Path,
    steps: Sequence[Step],
    made_from: Mapping[str, Sequence[str]],
    now: Hashes,
    read: Mapping[str, Hashes],
) -> dict[str, Hashes]:
    """Each output → the hash of every file it is made from, as the steps read them.

    ``steps`` in build order, ``made_from`` each output's files (direct or through the
    steps before: :func:`~.graph.upstream`), ``now`` their hashes on disk, ``read`` the
    hashes each step of this run read. A file a step reads itself takes that step's
    hash; one read by a step before it, that step's outputs' (the first in build order,
    the one furthest upstream).
    """
    by_name = {step.name: step for step in steps}
    entries: dict[str, Hashes] = {}
    for step in steps:
        direct = _direct(root, step, by_name, now, read)
        before = [
            entries[out]
            for other in steps
            if other.name in step.after
            for out in other.outputs
            if out in entries
        ]
        for out in step.outputs:
            entry: Hashes = {}
            for path in made_from[out]:
                if path in direct:
                    entry[path] = direct[path]
                else:
                    entry[path] = next((e[path] for e in before if path in e), now.get(path))
            entries[out] = entry
    return entries
