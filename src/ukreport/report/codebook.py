"""The codebook: each published column's name, type, rule and description, in words,
drawn from the Table Schemas so that it cannot disagree with what validation checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from ukreport import schemas
from ukreport.dates import DATE_PATTERN, PERIOD_PATTERN
from ukreport.report.provenance import provenance
from ukreport.report.render.escape import markdown_table
from ukreport.schemas.rules import CLEAN_LIST_PATTERN, CLEAN_TEXT_PATTERN
from ukreport.tableschema import table_schema

__all__ = ["codebook"]


_RANGE = f"from {schemas.MIN_DATE} to {schemas.MAX_DATE}"
_PATTERNS = {
    schemas.ID_PATTERN: "a lower-case slug",
    schemas.URL_PATTERN: "an http(s) address",
    DATE_PATTERN: f"a date: YYYY-MM-DD, Month YYYY, YYYY-MM or YYYY, {_RANGE}",
    PERIOD_PATTERN: f"a date, START/END, YYYY-YYYY or START-Present, {_RANGE}",
}


def _rule(field: dict[str, Any], *, derived: bool) -> str:
    """The rules of a Table Schema field, in words."""
    constraints = field.get("constraints", {})
    parts = ["required" if constraints.get("required") else "optional"]
    if constraints.get("unique"):
        parts.append("unique")
    pattern = constraints.get("pattern")
    if "enum" in constraints:
        parts.append("one of " + ", ".join(constraints["enum"]))
    elif pattern in _PATTERNS:
        parts.append(_PATTERNS[pattern])
    elif pattern == CLEAN_TEXT_PATTERN:
        parts.append("plain text")
    elif pattern == CLEAN_LIST_PATTERN:
        parts.append("plain-text items separated by '; '")
    elif pattern:
        parts.append("codes separated by '; '")
    if "minimum" in constraints:
        parts.append(f"from {constraints['minimum']} to {constraints['maximum']}")
    if "maxLength" in constraints and "enum" not in constraints:
        parts.append(f"at most {constraints['maxLength']} characters")
    if derived:
        parts.append("computed from the raw table")
    return "; ".join(parts)


def codebook(table: str) -> Markdown:
    """The published columns of ``table``: name, type, rule and description."""
    processed = table_schema(table, raw=False)["fields"]
    raw = {f["name"]: f for f in table_schema(table, raw=True)["fields"]}
    rows = []
    for field in processed:
        kind = field["type"]
        if field["name"] in schemas.SPECS[table].list_columns:
            kind = "list of strings"
        source = raw.get(field["name"])
        rule = _rule(source, derived=False) if source else _rule(field, derived=True)
        rows.append((field["name"], kind, rule, field.get("description", "")))
    frame = pd.DataFrame(rows, columns=["Column", "Type", "Rule", "Description"])
    display(markdown_table(frame))  # type: ignore[no-untyped-call]
    return provenance(codebook, [table])
