"""What validation found (:class:`Failure`, :class:`Report`), as text, JSON or JUnit XML.

Text is one ``file:line:column: message (value) — fix`` line a failure, as compilers
print them, so editors and CI logs link to the place. JUnit XML carries ``file`` and
``line`` on each test case, which CI services turn into annotations on the diff.

Failures are kept in batches (:class:`Batch`: where each one is, as arrays) and worded
only when shown: a table where every row is wrong holds millions of them, and a report
that prints the first hundred words a hundred. A report that stops a step travels in
:class:`ValidationFailed` (defined with the other errors, which the command line turns
into exit statuses).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ukreport._io import dumps
from ukreport.errors import ValidationFailed, located

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATA",
    "INPUT",
    "Batch",
    "Failure",
    "Report",
    "ValidationFailed",
    "more",
    "render_report",
]

INPUT = "input"
"""A failure kind: the file could not be read as a CSV table (exit status 2)."""
DATA = "data"
"""A failure kind: the table was read but breaks a rule (exit status 1)."""

Positions = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class Failure:
    """One thing wrong, with where it is and how to fix it."""

    file: str
    line: int
    column: int
    column_name: str | None
    check: str
    message: str
    value: str | None
    fix: str
    kind: str = DATA

    def __str__(self) -> str:
        return located(self.file, self.line, self.column, self.message, self.value, self.fix)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Batch:
    """Failures in one file found together (one check on one column, say): where each
    is, and how to word the ones that are shown."""

    file: str
    lines: Positions
    columns: Positions
    word: Callable[[Positions], list[Failure]]
    """The failures at these positions of the batch, in that order."""
    kind: str = DATA
    stage: int = 0
    """Which pass found them (the table's own rules, then the rules across tables):
    failures on one line are listed pass by pass."""

    def __len__(self) -> int:
        return len(self.lines)

    @classmethod
    def of(cls, failures: Iterable[Failure], stage: int = 0) -> list[Batch]:
        """Failures already worded, as batches (one a file and kind)."""
        groups: dict[tuple[str, str], list[Failure]] = {}
        for failure in failures:
            groups.setdefault((failure.file, failure.kind), []).append(failure)
        return [cls._worded(file, kind, stage, group) for (file, kind), group in groups.items()]

    @classmethod
    def _worded(cls, file: str, kind: str, stage: int, failures: list[Failure]) -> Batch:
        def word(positions: Positions) -> list[Failure]:
            return [failures[i] for i in positions.tolist()]

        lines = np.array([f.line for f in failures], np.int64)
        columns = np.array([f.column for f in failures], np.int64)
        return cls(file, lines, columns, word, kind, stage)


def _first_in(batches: list[Batch], limit: int | None) -> list[Failure]:
    """The first ``limit`` failures of one file's batches (all when ``limit`` is None)
    by line, pass and column, ties in the order found; only those are worded."""
    sizes = np.array([len(batch) for batch in batches])
    total = int(sizes.sum())
    if not total or limit == 0:
        return []
    which = np.repeat(np.arange(len(batches)), sizes)
    lines = np.concatenate([batch.lines for batch in batches]).astype(np.int64)
    columns = np.concatenate([batch.columns for batch in batches]).astype(np.int64)
    stages = np.array([batch.stage for batch in batches], np.int64)[which]
    key = (lines * (int(stages.max()) + 1) + stages) * (int(columns.max()) + 1) + columns
    within = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    if limit is not None and limit < total:
        # Selecting before sorting keeps the cost linear in the number of failures.
        candidates = np.flatnonzero(key <= np.partition(key, limit - 1)[limit - 1])
    else:
        candidates = np.arange(total)
    order = candidates[np.argsort(key[candidates], kind="stable")][:limit]
    shown: list[Failure | None] = [None] * len(order)
    for index, batch in enumerate(batches):
        slots = np.flatnonzero(which[order] == index)
        if slots.size:
            for slot, failure in zip(slots, batch.word(within[order[slots]]), strict=True):
                shown[slot] = failure
    return [failure for failure in shown if failure is not None]


@dataclass
class Report:
    """The outcome of validating some tables."""

    tables: dict[str, str] = field(default_factory=dict)
    """Table name → the file validated."""
    rows: dict[str, int] = field(default_factory=dict)
    batches: list[Batch] = field(default_factory=list)
    """Every failure, in batches; :meth:`first` words them in file order."""
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The validated raw frames, for ``process``."""

    def add(self, found: Iterable[Failure | Batch], stage: int = 0) -> None:
        """Add failures in batches, or worded ones found by pass ``stage``."""
        worded: list[Failure] = []
        for item in found:
            if isinstance(item, Batch):
                self.batches.append(item)
            else:
                worded.append(item)
        self.batches += Batch.of(worded, stage)

    @property
    def failure_count(self) -> int:
        return sum(len(batch) for batch in self.batches)

    def first(self, limit: int | None = None) -> list[Failure]:
        """The first ``limit`` failures (every one when None): file by file in the order
        the files were validated, by line within a file, and on one line those of the
        table's own rules (by column) before those across tables."""
        shown: list[Failure] = []
        for file in dict.fromkeys(batch.file for batch in self.batches):
            left = None if limit is None else limit - len(shown)
            if left is not None and left <= 0:
                break
            shown += _first_in([batch for batch in self.batches if batch.file == file], left)
        return shown

    @property
    def failures(self) -> list[Failure]:
        """Every failure, worded, in file order."""
        return self.first()

    @property
    def valid(self) -> bool:
        return not self.failure_count

    @property
    def exit_code(self) -> int:
        if any(batch.kind == INPUT and len(batch) for batch in self.batches):
            return 2
        return 1 if self.failure_count else 0


def more(count: int) -> str:
    """The line that stands for the failures not shown."""
    noun = "failure" if count == 1 else "failures"
    return f"… and {count:,} more {noun} (--max-errors 0 shows all)"


def as_text(report: Report, limit: int | None = None) -> str:
    shown = report.first(limit)
    text = "".join(f"{failure}\n" for failure in shown)
    hidden = report.failure_count - len(shown)
    return text + (f"{more(hidden)}\n" if hidden else "")


def as_json(report: Report, limit: int | None = None) -> str:
    shown = report.first(limit)
    document = {
        "valid": report.valid,
        "exit_code": report.exit_code,
        "tables": {
            name: {"file": file, "rows": report.rows.get(name)}
            for name, file in report.tables.items()
        },
        "failures": [failure.to_dict() for failure in shown],
        "failure_count": report.failure_count,
        "truncated": len(shown) < report.failure_count,
    }
    return dumps(document)


def as_junit(report: Report, limit: int | None = None) -> str:
    """A test suite a file; its ``failures`` count every failure, its test cases are
    the failures shown and, when some are not, one that says how many more."""
    by_file: dict[str, list[Failure]] = {}
    for failure in report.first(limit):
        by_file.setdefault(failure.file, []).append(failure)
    counts: dict[str, int] = {}
    for batch in report.batches:
        counts[batch.file] = counts.get(batch.file, 0) + len(batch)
    suites = ET.Element(
        "testsuites", name="ukreport validate", tests="0", failures=str(report.failure_count)
    )
    total = 0
    files = list(dict.fromkeys([*report.tables.values(), *counts]))
    for file in files:
        failures = by_file.get(file, [])
        count = counts.get(file, 0)
        hidden = count - len(failures)
        tests = max(1, len(failures) + (1 if hidden else 0))
        suite = ET.SubElement(
            suites, "testsuite", name=file, tests=str(tests), failures=str(count), errors="0"
        )
        if not count:
            ET.SubElement(suite, "testcase", classname=file, name="table is valid", file=file)
        for failure in failures:
            name = f"{failure.column_name or 'file'}: {failure.check} (line {failure.line})"
            case = ET.SubElement(
                suite, "testcase", classname=file, name=name, file=file, line=str(failure.line)
            )
            node = ET.SubElement(case, "failure", message=str(failure), type=failure.check)
            node.text = str(failure)
        if hidden:
            case = ET.SubElement(suite, "testcase", classname=file, name=more(hidden), file=file)
            node = ET.SubElement(case, "failure", message=more(hidden), type="more")
            node.text = more(hidden)
        total += tests
    suites.set("tests", str(total))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def render_report(report: Report, fmt: str, limit: int | None = None) -> str:
    """The report in ``fmt`` (text, json or junit), showing the first ``limit`` failures
    (every one when None) and counting the rest."""
    renderers = {"text": as_text, "json": as_json, "junit": as_junit}
    return renderers[fmt](report, limit)
