"""Which outputs of a build are stale now: the manifest read back and compared with disk.

:func:`verify_manifest` re-hashes what is on disk and says which outputs are stale
against which inputs (``ukreport verify-manifest``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ukreport import _cache
from ukreport._files import regular_file
from ukreport.errors import InputError
from ukreport.pipeline.graph import ESSAY, MANIFEST, built, pipeline, upstream
from ukreport.pipeline.provenance import sha256

__all__ = ["Verification", "verify_manifest"]


def _recorded(path: Path) -> dict[str, dict[str, Any]]:
    """The manifest's outputs, each checked to be what ``write_manifest`` writes: a
    relative path inside the root, with a digest and inputs given as path → digest."""
    if regular_file(path) is False:
        raise InputError(path, "is not a regular file; give the path of manifest.json")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(path, "no manifest; run make report to write one") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}; "
            "run make report to write it again",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable manifest: {exc}") from None
    outputs = document.get("outputs") if isinstance(document, dict) else None

    def relative(name: object) -> bool:
        return (
            isinstance(name, str)
            and bool(name)
            and not Path(name).is_absolute()
            and ".." not in Path(name).parts
        )

    def entry_ok(entry: object) -> bool:
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256", ""), str):
            return False
        inputs = entry.get("inputs", {})
        return isinstance(inputs, dict) and all(
            relative(name) and isinstance(digest, str) for name, digest in inputs.items()
        )

    if not isinstance(outputs, dict):
        raise InputError(path, "not a manifest: it has no 'outputs' object; run make report")
    for name, entry in outputs.items():
        if not relative(name) or not entry_ok(entry):
            shown = json.dumps(name)[:80]
            raise InputError(
                path,
                f"not a manifest: the entry {shown} is not a relative path with a 'sha256' "
                "and 'inputs' (path: digest); run make report to write it again",
            )
    return outputs


@dataclass
class Verification:
    """The outputs of a manifest, sorted by what is wrong with them now."""

    manifest: Path
    fresh: list[str] = field(default_factory=list)
    stale: dict[str, list[str]] = field(default_factory=dict)
    """Output → the inputs that changed (``path``), went missing or appeared since."""
    changed: dict[str, list[str]] = field(default_factory=dict)
    """Output whose own bytes changed → the inputs that changed too (maybe none)."""
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Entries of the report's caches that do not match their hash (edited by hand): a
    build never uses them, so they leave every output as it is, and the exit code."""

    @property
    def exit_code(self) -> int:
        """0 when every output is fresh, else 1."""
        return 0 if not (self.stale or self.changed or self.missing) else 1

    def summary(self) -> str:
        """``22 outputs: 6 fresh, 16 stale`` (or ``all 22 outputs are fresh``)."""
        counts = {
            "fresh": len(self.fresh),
            "stale": len(self.stale),
            "changed": len(self.changed),
            "missing": len(self.missing),
        }
        total = sum(counts.values())
        ignored = f"; {len(self.ignored)} cache entries ignored" if self.ignored else ""
        if total == counts["fresh"]:
            return f"all {total} outputs in {self.manifest} are fresh{ignored}"
        shown = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        return f"{total} outputs in {self.manifest}: {shown}{ignored}"

    def lines(self) -> list[str]:
        """One line per output that is not fresh, in path order."""
        out: list[tuple[str, str]] = []
        for path in self.missing:
            out.append((path, f"{path} is missing"))
        for path, inputs in self.changed.items():
            if inputs:
                why = f"changed, and so did its inputs ({_listed(inputs)}): rebuilt since?"
            else:
                why = "changed although none of its inputs did: edited by hand, or not reproducible"
            out.append((path, f"{path} {why}"))
        for path, inputs in self.stale.items():
            out.append((path, f"{path} is stale: {_listed(inputs)}"))
        for path in self.ignored:
            why = "does not match its hash (edited by hand?): no build uses it"
            out.append((path, f"{path} {why}, the next makes it again"))
        return [line for _, line in sorted(out)]


def _listed(notes: list[str]) -> str:
    """``a, b changed; c removed`` from ``["a changed", "b changed", "c removed"]``."""
    groups: dict[str, list[str]] = {}
    for note in notes:
        path, _, what = note.rpartition(" ")
        groups.setdefault(what, []).append(path)
    return "; ".join(f"{', '.join(paths)} {what}" for what, paths in groups.items())


def verify_manifest(root: Path, manifest: Path | None = None) -> Verification:
    """Compare the files in ``root`` with the manifest (default ``reports/_build/manifest.json``).

    Raises :class:`InputError` when there is no readable manifest.
    """
    path = manifest if manifest is not None else root / MANIFEST
    recorded = _recorded(path)
    now_from = upstream(built(root, pipeline(root)))
    cache: dict[str, str | None] = {}

    def current(file: str) -> str | None:
        if file not in cache:
            cache[file] = sha256(root / file)
        return cache[file]

    result = Verification(path)
    for out in sorted(recorded):
        entry = recorded[out]
        inputs: dict[str, str] = entry.get("inputs", {})
        notes = [
            f"{name} {'removed' if current(name) is None else 'changed'}"
            for name, digest in sorted(inputs.items())
            if current(name) != digest
        ]
        notes += [f"{name} added" for name in now_from.get(out, []) if name not in inputs]
        if current(out) is None:
            result.missing.append(out)
        elif current(out) != entry.get("sha256"):
            result.changed[out] = notes
        elif notes:
            result.stale[out] = notes
        else:
            result.fresh.append(out)
    caches = _cache.beside(root / ESSAY)
    result.ignored = [path.relative_to(root).as_posix() for path in _cache.tampered(caches)]
    return result
