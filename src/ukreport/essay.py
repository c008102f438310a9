"""What the essay's cells call: its tables, their corrections, figures and appendices.

Everything here runs inside the Jupyter kernel that executes ``reports/essay.qmd`` and
returns Markdown that pandoc reads literally: data go through :func:`escape`, links
only to ``http(s)`` addresses, and the only markup is the structure written here.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import SVG, Markdown, display

from ukreport import datasets, schemas
from ukreport.dates import DATE_PATTERN, PERIOD_PATTERN
from ukreport.gitfiles import GitError, git
from ukreport.render.escape import Marked, escape, markdown_table
from ukreport.tableschema import CLEAN_TEXT_PATTERN, table_schema

__all__ = [
    "ESSAY_TABLES",
    "codebook",
    "corrections",
    "essay_table",
    "figure",
    "provenance",
    "sources",
]

DISPUTED_MARK = "†"
UNVERIFIED_MARK = "‡"

ESSAY_TABLES: dict[str, dict[str, Any]] = {
    # The essay's three tables: which dataset, which of its columns, under which
    # heading, and which column a dispute is about.
    "interactions": {
        "dataset": "events",
        "columns": {"date": "Date", "participants": "Participant", "key_theme": "Key theme"},
        "disputed": "date",
        "sort": "date_start",
        "descending": True,
    },
    "initiatives": {
        "dataset": "initiatives",
        "columns": {"name": "Initiative", "period": "Year", "outcome": "Outcome"},
        "disputed": "period",
        "sort": "date_start",
        "descending": False,
    },
    "cooperation": {
        "dataset": "cooperation",
        "columns": {"area": "Area of Cooperation", "potential_benefits": "Potential Benefits"},
        "disputed": "area",
        "sort": None,
        "descending": False,
    },
}


def _markdown(text: str) -> Markdown:
    return Markdown(text)  # type: ignore[no-untyped-call]


def _cited(name: str) -> pd.DataFrame:
    spec = ESSAY_TABLES[name]
    frame = datasets.load(spec["dataset"])
    if "essay_cited" in frame:
        frame = frame[frame["essay_cited"]]
    else:
        frame = frame[frame["essay_context"] == "table"]
    if spec["sort"]:
        frame = frame.sort_values(spec["sort"], ascending=not spec["descending"], kind="stable")
    return frame.reset_index(drop=True)


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def essay_table(name: str) -> Markdown:
    """One of the essay's tables, built from the rows marked as cited by the essay.

    A disputed cell is marked (and followed by †), an unverified row's first cell by ‡;
    :func:`corrections` prints what the marks mean, beside the table.
    """
    spec = ESSAY_TABLES[name]
    frame = _cited(name)
    shown: dict[str, list[object]] = {heading: [] for heading in spec["columns"].values()}
    for row in frame.to_dict("records"):
        for column, heading in spec["columns"].items():
            value: object = _text(row[column])
            if row["verification"] == "disputed" and column == spec["disputed"]:
                value = Marked(f"{value} {DISPUTED_MARK}", "disputed")
            elif row["verification"] == "unverified" and column == next(iter(spec["columns"])):
                value = f"{value} {UNVERIFIED_MARK}"
            shown[heading].append(value)
    display(markdown_table(pd.DataFrame(shown)))  # type: ignore[no-untyped-call]
    return provenance(essay_table, [spec["dataset"]])


def link(text: str, url: str) -> str:
    """A Markdown link whose text is literal and whose target can only be a web page."""
    if not re.fullmatch(r"https?://[^\s]+", url):
        return escape(text)
    safe = re.sub(r"[<>()\[\]\\\"' ]", lambda m: f"%{ord(m.group()):02X}", url)
    return f"[{escape(text)}](<{safe}>)"


def corrections(name: str) -> Markdown:
    """A callout, right after an essay table, for each row the record disputes or lacks.

    It keeps the essay's claim visible and says what the verified record shows and
    where it was read.
    """
    spec = ESSAY_TABLES[name]
    frame = _cited(name)
    notes = []
    for row in frame.to_dict("records"):
        if row["verification"] == "verified":
            continue
        first = _text(row[next(iter(spec["columns"]))])
        claim = ", ".join(_text(row[c]) for c in spec["columns"] if c != "potential_benefits")
        if row["verification"] == "disputed":
            verified = _text(row.get("verified_date", row.get("verified_period")))
            record = f" The record: **{escape(verified)}**." if verified else ""
            source_url = _text(row.get("verified_source_url")) or row["source_url"]
            notes.append(
                f"- {DISPUTED_MARK} **Disputed** — the essay's “{escape(claim)}”. "
                f"{escape(row['verification_note'])}{record} "
                f"Source: {link(source_url, source_url)}."
            )
        else:
            notes.append(
                f"- {UNVERIFIED_MARK} **Unverified** — “{escape(first)}”. "
                f"{escape(row['verification_note'])} "
                f"Checked against: {link(row['source_title'], row['source_url'])}."
            )
    if not notes:
        return _markdown("")
    body = "\n".join(notes)
    return _markdown(f'::: {{.disputed title="Where the record differs"}}\n{body}\n:::\n')


def _figures_dir() -> Path:
    return Path(os.environ.get("UKREPORT_FIGURES_DIR", "figures"))


def figure(name: str) -> None:
    """Show a figure built by ``make figures``, with its alt text computed from the data,
    and the line saying what drew it from which data."""
    from ukreport.figures import FIGURES

    folder = _figures_dir()
    index = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    entry = index[name]
    svg = folder / f"{name}.svg"
    display(  # type: ignore[no-untyped-call]
        SVG(filename=str(svg)),  # type: ignore[no-untyped-call]
        metadata={"alt": entry["alt"]},
    )
    table, function, _ = FIGURES[name]
    display(provenance(function, [table]))  # type: ignore[no-untyped-call]


def _commit() -> str | None:
    """The commit the package's source is at, when it runs from a git checkout."""
    try:
        return git(["rev-parse", "HEAD"], Path(__file__).parent, check=False).strip() or None
    except GitError:
        return None


def _uncommitted() -> bool:
    """Whether the package's source differs from its commit, so links may not match."""
    try:
        return bool(git(["status", "--porcelain", "--", "."], Path(__file__).parent).strip())
    except GitError:
        return False


def _source_link(function: Callable[..., object]) -> str:
    """Where ``function`` is in the public repository, at the commit being built."""
    name = f"{function.__module__}.{function.__qualname__}"
    urls = metadata.metadata("ukreport").get_all("Project-URL") or []
    repository = next(
        (url.split(",", 1)[1].strip() for url in urls if url.lower().startswith("source")),
        None,
    )
    source = inspect.getsourcefile(function)
    if repository is None or source is None:
        return f"`{escape(name)}`"
    package_root = Path(__file__).resolve().parents[1]
    path = "src/" + Path(source).resolve().relative_to(package_root).as_posix()
    line = inspect.getsourcelines(function)[1]
    ref = _commit() or f"v{metadata.version('ukreport')}"
    return f"[`{name}`](<{repository}/blob/{ref}/{path}#L{line}>)"


def provenance(function: Callable[..., object], tables: list[str]) -> Markdown:
    """One discreet line: which function built a figure or table, from which tables
    (with the first characters of their SHA-256), validated, and a link to its source."""
    package = json.loads(
        datasets.data_path().joinpath("datapackage.json").read_text(encoding="utf-8")
    )
    hashes = {r["name"]: r["hash"].split(":", 1)[1][:8] for r in package["resources"]}
    used = ", ".join(f"{table}.csv (sha256 {hashes[table]})" for table in tables)
    commit = _commit()
    at = f" at commit {commit[:7]}" if commit else ""
    if commit and _uncommitted():
        at += " (with uncommitted changes)"
    return _markdown(
        f"::: {{.provenance}}\nBuilt by {_source_link(function)}{at} from {used}, "
        f"validated against its schema, data package version {package['version']}.\n:::\n"
    )


def _sources(frames: Iterable[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    rows = []
    for table, frame in frames:
        key = schemas.ID_COLUMNS[table]
        for row in frame.to_dict("records"):
            rows.append((row["source_url"], row["source_title"], row["accessed"], row[key]))
            verified = row.get("verified_source_url")
            if isinstance(verified, str) and verified:
                rows.append((verified, "(verified value)", row["accessed"], row[key]))
    out = pd.DataFrame(rows, columns=["url", "title", "accessed", "row"])
    return out


def sources() -> Markdown:
    """Every page the data cite, once each, with the rows that cite it."""
    frames = [(t, datasets.load(t)) for t in schemas.TABLES]
    table = _sources(frames)
    items = []
    for url, group in table.groupby("url", sort=True):
        titles = [t for t in group["title"] if t != "(verified value)"]
        title = titles[0] if titles else str(url)
        accessed = group["accessed"].max().strftime("%Y-%m-%d")
        rows = ", ".join(sorted(set(group["row"])))
        items.append(f"1. {link(title, str(url))}. Accessed {accessed}. Cited by: {escape(rows)}.")
    return _markdown("\n".join(items) + "\n")


_PATTERNS = {
    schemas.ID_PATTERN: "a lower-case slug",
    schemas.URL_PATTERN: "an http(s) address",
    DATE_PATTERN: "a date: YYYY-MM-DD, Month YYYY, YYYY-MM or YYYY, 1991–2030",
    PERIOD_PATTERN: "a date, START/END, YYYY-YYYY or START-Present, 1991–2030",
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
    elif pattern:
        parts.append("codes separated by '; '")
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
        if field["name"] in schemas.LIST_COLUMNS[table]:
            kind = "list of strings"
        source = raw.get(field["name"])
        rule = _rule(source, derived=False) if source else _rule(field, derived=True)
        rows.append((field["name"], kind, rule, field.get("description", "")))
    frame = pd.DataFrame(rows, columns=["Column", "Type", "Rule", "Description"])
    display(markdown_table(frame))  # type: ignore[no-untyped-call]
    return provenance(codebook, [table])
