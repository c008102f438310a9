"""What validation found (:class:`Failure`, :class:`Report`), as text, JSON or JUnit XML.

Text is one ``file:line:column: message (value) — fix`` line a failure, as compilers
print them, so editors and CI logs link to the place. JUnit XML carries ``file`` and
``line`` on each test case, which CI services turn into annotations on the diff.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ukreport._io import dumps
from ukreport.errors import located

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATA", "INPUT", "Failure", "Report", "render_report"]

INPUT = "input"
"""A failure kind: the file could not be read as a CSV table (exit status 2)."""
DATA = "data"
"""A failure kind: the table was read but breaks a rule (exit status 1)."""


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


@dataclass
class Report:
    """The outcome of validating some tables."""

    tables: dict[str, str] = field(default_factory=dict)
    """Table name → the file validated."""
    rows: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The validated raw frames, for ``process``."""

    @property
    def valid(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        if any(f.kind == INPUT for f in self.failures):
            return 2
        return 1 if self.failures else 0


def as_text(report: Report) -> str:
    return "".join(f"{failure}\n" for failure in report.failures)


def as_json(report: Report) -> str:
    document = {
        "valid": report.valid,
        "exit_code": report.exit_code,
        "tables": {
            name: {"file": file, "rows": report.rows.get(name)}
            for name, file in report.tables.items()
        },
        "failures": [failure.to_dict() for failure in report.failures],
    }
    return dumps(document)


def as_junit(report: Report) -> str:
    by_file: dict[str, list[Failure]] = defaultdict(list)
    for failure in report.failures:
        by_file[failure.file].append(failure)
    suites = ET.Element(
        "testsuites", name="ukreport validate", tests="0", failures=str(len(report.failures))
    )
    total = 0
    files = list(dict.fromkeys([*report.tables.values(), *by_file]))
    for file in files:
        failures = by_file.get(file, [])
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=file,
            tests=str(max(1, len(failures))),
            failures=str(len(failures)),
            errors="0",
        )
        if not failures:
            ET.SubElement(suite, "testcase", classname=file, name="table is valid", file=file)
            total += 1
        for failure in failures:
            name = f"{failure.column_name or 'file'}: {failure.check} (line {failure.line})"
            case = ET.SubElement(
                suite, "testcase", classname=file, name=name, file=file, line=str(failure.line)
            )
            node = ET.SubElement(case, "failure", message=str(failure), type=failure.check)
            node.text = str(failure)
            total += 1
    suites.set("tests", str(total))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def render_report(report: Report, fmt: str) -> str:
    """The report in ``fmt``: text, json or junit."""
    renderers = {"text": as_text, "json": as_json, "junit": as_junit}
    return renderers[fmt](report)
