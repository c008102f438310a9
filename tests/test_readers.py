"""The README's R and JavaScript examples, run as written on ``data/processed``: other
languages read the tables with the types the package declares.

Each example is taken from the README's code block, followed by a few lines that
report what it read as JSON. The JavaScript reader (hyparquet, with
hyparquet-compressors for ZSTD) comes from npm, pinned in
``tests/readers/package-lock.json`` and installed by ``make readers``; R comes from
Debian (``r-base-core``, ``r-cran-readr``, ``r-cran-jsonlite``). A test whose tool is
missing skips with the reason, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import Any

import pandas as pd
import pytest

import ukreport
from helpers.paths import ROOT
from ukreport import schemas

READERS = ROOT / "tests" / "readers" / "node_modules"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the readers' examples must run)")
    pytest.skip(reason)


def readme_example(language: str) -> str:
    """The README's one code block in ``language``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"README.md should hold one ```{language} block"
    return str(blocks[0])


def run(command: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def expected_types() -> dict[str, str]:
    """Each events column's kind, read off the processed model."""
    kinds = {}
    for name, column in schemas.processed_schema("events").columns.items():
        dtype = str(column.dtype)
        if name in schemas.SPECS["events"].list_columns:
            kinds[name] = "list"
        elif dtype.startswith("datetime64"):
            kinds[name] = "date"
        elif dtype == "bool":
            kinds[name] = "boolean"
        elif dtype == "category":
            kinds[name] = "category"
        else:
            kinds[name] = "string"
    return kinds


JS_REPORT = """
const kinds = {};
for (const event of events) {
  for (const [name, value] of Object.entries(event)) {
    const kind = value === null ? null : value instanceof Date ? "date"
      : Array.isArray(value) ? "list" : typeof value;
    if (kind) (kinds[name] ??= new Set()).add(kind);
  }
}
const first = events[0];
console.log(JSON.stringify({
  rows: events.length,
  onRecord: onRecord.length,
  kinds: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, [...v]])),
  first: { event_id: first.event_id, date_start: first.date_start.toISOString().slice(0, 10),
           actors: first.actors, event_type: first.event_type },
}));
"""


def test_the_javascript_example_reads_the_parquet_with_its_types(tmp_path: Any) -> None:
    node = shutil.which("node")
    if node is None:
        _missing("node not found: apt-get install nodejs npm")
    if not (READERS / "hyparquet-compressors").is_dir():
        _missing("tests/readers/node_modules not found: make readers")
    (tmp_path / "node_modules").symlink_to(READERS)
    script = tmp_path / "example.mjs"
    script.write_text(readme_example("javascript") + JS_REPORT, encoding="utf-8")
    report = run([str(node), str(script)])

    events = ukreport.load_events()
    assert report["rows"] == len(events)
    assert report["onRecord"] == len(ukreport.load_events(on_record_only=True))
    js_kind = {"list": "list", "date": "date", "boolean": "boolean"}
    for name, kind in expected_types().items():
        assert report["kinds"].get(name, ["string"]) == [js_kind.get(kind, "string")], name
    first = events.set_index("event_id").loc[report["first"]["event_id"]]
    assert report["first"]["date_start"] == first["date_start"].date().isoformat()
    assert report["first"]["actors"] == first["actors"]
    assert report["first"]["event_type"] == first["event_type"]


R_REPORT = """
kinds <- vapply(events, function(column) class(column)[1], "")
levels_of <- lapply(Filter(is.factor, events), levels)
cat(jsonlite::toJSON(list(rows = nrow(events), onRecord = nrow(on_record), kinds = as.list(kinds),
  levels = levels_of, actors = events$actors[[1]], first = as.character(events$date_start[1])),
  auto_unbox = TRUE), "\\n")
"""


def test_the_r_example_reads_the_csv_with_its_types(tmp_path: Any) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        _missing("Rscript not found: apt-get install r-base-core r-cran-readr r-cran-jsonlite")
    probe = subprocess.run(
        [str(rscript), "-e", "library(readr); library(jsonlite)"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        _missing("R lacks readr or jsonlite: apt-get install r-cran-readr r-cran-jsonlite")
    script = tmp_path / "example.R"
    script.write_text(readme_example("r") + R_REPORT, encoding="utf-8")
    report = run([str(rscript), str(script)])

    events = ukreport.load_events()
    assert report["rows"] == len(events)
    assert report["onRecord"] == len(ukreport.load_events(on_record_only=True))
    r_kind = {"list": "list", "date": "Date", "boolean": "logical", "category": "factor"}
    for name, kind in expected_types().items():
        assert report["kinds"][name] == r_kind.get(kind, "character"), name
    enumerations = [name for name, kind in expected_types().items() if kind == "category"]
    assert sorted(report["levels"]) == sorted(enumerations)
    for name, levels in report["levels"].items():
        assert levels == list(events[name].cat.categories), name
    assert report["actors"] == events.loc[0, "actors"]
    assert report["first"] == pd.Timestamp(events.loc[0, "date_start"]).date().isoformat()
