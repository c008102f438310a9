"""What the essay's cells call: its tables, their corrections, figures and appendices.

Everything here runs inside the Jupyter kernel that executes ``reports/essay.qmd`` and
returns Markdown that pandoc reads literally: data go through :func:`escape`, links
only to ``http(s)`` addresses, and the only markup is the structure written here.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import SVG, Markdown, display

from ukreport import datasets, references, schemas
from ukreport.report.codebook import codebook
from ukreport.report.provenance import markdown as _markdown
from ukreport.report.provenance import provenance
from ukreport.report.render.escape import Linked, Marked, escape, markdown_table
from ukreport.report.render.jsonld import ANCHOR_PREFIX

__all__ = [
    "ESSAY_TABLES",
    "RECORD_PAGE",
    "cite",
    "claims_table",
    "codebook",
    "corrections",
    "coverage",
    "essay_table",
    "evidence",
    "figure",
    "longest_gap",
    "provenance",
    "record_href",
    "when",
]

RECORD_PAGE = "record.html"
"""The record's own page, written beside the essay: every row, anchored by its id."""

DISPUTED_MARK = "†"
UNVERIFIED_MARK = "‡"
PARTLY_MARK = "§"

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


@functools.cache
def _table(name: str, where: str) -> pd.DataFrame:
    return datasets.load(name)


def _load(name: str) -> pd.DataFrame:
    """A processed table, loaded (and checked against its schema) once per data folder:
    the essay's cells ask for the same tables many times in one render. Read-only."""
    return _table(name, str(datasets.data_path()))


def _cited(name: str) -> pd.DataFrame:
    spec = ESSAY_TABLES[name]
    frame = _load(spec["dataset"])
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


def _verdicts() -> dict[str, str]:
    """The claims table's verdict for each essay row it judges."""
    claims = _load("claims")
    judged = claims[claims["essay_row"].notna()]
    return dict(zip(judged["essay_row"], judged["verdict"], strict=True))


def essay_table(name: str) -> Markdown:
    """One of the essay's tables, built from the rows marked as cited by the essay.

    Each row is marked as the claims table judges it: a disputed cell is marked (and
    followed by †), a partly supported row's first cell by § and an unverified one's by
    ‡; :func:`corrections` says what the record shows, beside the table.
    """
    spec = ESSAY_TABLES[name]
    frame = _cited(name)
    key = schemas.SPECS[spec["dataset"]].id_column
    verdicts = _verdicts()
    shown: dict[str, list[object]] = {heading: [] for heading in spec["columns"].values()}
    for row in frame.to_dict("records"):
        verdict = verdicts.get(row[key], "supported")
        for column, heading in spec["columns"].items():
            text = _text(row[column])
            first = column == next(iter(spec["columns"]))
            if verdict in ("unverified", "partly supported") and first:
                text = f"{text} {VERDICT_MARKS[verdict]}"
            disputed = verdict == "disputed" and column == spec["disputed"]
            if disputed:
                text = f"{text} {DISPUTED_MARK}"
            # the row's first cell links to the row in the record
            href = record_href(str(row[key])) if first else None
            value: object = text
            if disputed or href:
                value = Marked(text, "disputed" if disputed else "row", href=href)
            shown[heading].append(value)
    display(markdown_table(pd.DataFrame(shown)))  # type: ignore[no-untyped-call]
    return provenance(essay_table, [spec["dataset"], "claims"], list(frame["source_url"]))


def record_href(ident: str) -> str:
    """The address of row ``ident`` on the record's page (its anchor is the id)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", ident):
        raise ValueError(f"a row id is a slug, not {ident!r}")
    return f"{RECORD_PAGE}#{ident}"


def cite(url: str) -> str:
    """A citation of the page at ``url`` (``[@key]``; formatted by citeproc from the data
    package's bibliography), or the address as text when it is not a web page."""
    if not re.fullmatch(r"https?://[^\s]+", url):
        return escape(url)
    return f"[@{references.key_of(url)}]"


def link(text: str, url: str) -> str:
    """A Markdown link whose text is literal and whose target can only be a web page."""
    if not re.fullmatch(r"https?://[^\s]+", url):
        return escape(text)
    safe = re.sub(r"[<>()\[\]\\\"' ]", lambda m: f"%{ord(m.group()):02X}", url)
    return f"[{escape(text)}](<{safe}>)"


VERDICT_MARKS = {
    "disputed": DISPUTED_MARK,
    "unverified": UNVERIFIED_MARK,
    "partly supported": PARTLY_MARK,
}
VERDICT_TITLES = {
    "supported": "Supported",
    "partly supported": "Partly supported",
    "disputed": "Disputed",
    "unverified": "Unverified",
    "forecast": "Not rated: a forecast",
    "opinion": "Not rated: an opinion",
}


def _record() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every row of the record by its id: (table, row)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for table in schemas.SOURCED_TABLES:
        key = schemas.SPECS[table].id_column
        for row in _load(table).to_dict("records"):
            out[str(row[key])] = (table, {str(k): v for k, v in row.items()})
    return out


def when(row: dict[str, Any]) -> str:
    """A row's date as a reader says it, to its precision (``12 February 2025``,
    ``October 2023``, ``2014``), or a period's two ends."""
    start, end, precision = row["date_start"], row.get("date_end"), str(row["date_precision"])
    form = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}[precision]
    text = str(start.strftime(form))
    if "period" in row:
        if end is None or pd.isna(end):
            return f"{text} to the present"
        if end != start:
            return f"{text} to {end.strftime('%-d %B %Y')}"
    return text


def _evidence_item(ident: str, record: dict[str, tuple[str, dict[str, Any]]]) -> str:
    table, row = record[ident]
    if table == "events":
        what = row["description"]
    elif table == "initiatives":
        what = f"{row['name']}: {row['outcome']}"
    else:
        what = row["precedent"]
    mark = "" if row["verification"] == "verified" else f" ({row['verification']})"
    day = f"[**{escape(when(row))}**]({record_href(ident)})"
    return f"{day} — {escape(what)}{escape(mark)} {cite(row['source_url'])}"


def evidence(claim_id: str) -> Markdown:
    """The rows of the record a claim's verdict rests on, one list item each, dated and
    linked to their sources: every recorded occasion, not one picked for the reader."""
    claims = _load("claims")
    record = _record()
    (ids,) = claims.loc[claims["claim_id"] == claim_id, "evidence"].tolist()
    items = [_evidence_item(i, record) for i in ids]
    return _markdown("".join(f"- {item}\n" for item in items))


def _claims_for(name: str) -> list[dict[str, Any]]:
    """The claims about the rows of one of the essay's tables, in the table's order."""
    key = schemas.SPECS[ESSAY_TABLES[name]["dataset"]].id_column
    order = list(_cited(name)[key])
    claims = _load("claims")
    mine: list[dict[str, Any]] = [
        {str(k): v for k, v in claim.items()}
        for claim in claims[claims["essay_row"].isin(order)].to_dict("records")
    ]
    return sorted(mine, key=lambda claim: order.index(claim["essay_row"]))


def corrections(name: str) -> Markdown:
    """A callout, right after an essay table, for each of its claims the record does not
    simply support, drawn from the claims table.

    It keeps the essay's claim visible, gives the verdict and the reasoning, and lists
    every row of the record the verdict rests on, dated and linked to its source.
    """
    record = _record()
    notes = []
    for claim in _claims_for(name):
        verdict = claim["verdict"]
        if verdict == "supported" or verdict in schemas.NOT_RATED:
            continue
        _, row = record[claim["essay_row"]]
        quote = claim["quote"].replace(" | ", ", ")
        title = f"{VERDICT_MARKS[verdict]} **{VERDICT_TITLES[verdict]}**"
        verified = _text(row.get("verified_date", row.get("verified_period")))
        on_record = ""
        if verified:
            source = _text(row.get("verified_source_url"))
            on_record = f" The record: **{escape(verified)}** {cite(source)}."
        items = [_evidence_item(i, record) for i in claim["evidence"] if i != claim["essay_row"]]
        listed = "".join(f"\n    - {item}" for item in items)
        if items:
            listed = "\n\n    On record:\n" + listed
        if verdict == "unverified" or not items:
            listed += f" Checked against: {cite(row['source_url'])}."
        notes.append(
            f"- {title} — the essay's “{escape(quote)}”. {escape(claim['reasoning'])}"
            f"{on_record}{listed}"
        )
    if not notes:
        return _markdown("")
    body = "\n".join(notes)
    return _markdown(f'::: {{.disputed title="Where the record differs"}}\n{body}\n:::\n')


CONTACT_TYPES = ("call", "meeting", "summit", "talks")
"""Event types that are direct contact between the parties."""


def coverage() -> dict[str, Any]:
    """The record's coverage window, computed from the data: the protocol's first day,
    the last event on record and the day the sources were last read (the sweep)."""
    events = _load("events")
    start = pd.Timestamp(schemas.COVERAGE_START)
    last = events["date_start"].max()
    read = max(_load(t)["accessed"].max() for t in schemas.SOURCED_TABLES)
    return {
        "start": start,
        "last": last,
        "read": read,
        "text": (
            f"events from {start.strftime('%-d %B %Y')} to {last.strftime('%-d %B %Y')}, "
            f"read on {read.strftime('%-d %B %Y')}"
        ),
    }


def longest_gap(pair: tuple[str, str], since: pd.Timestamp) -> dict[str, Any]:
    """The longest stretch with no verified call, meeting, summit or round of talks
    between the two parties on record (both ends are contacts, from ``since`` on)."""
    events = _load("events")
    contact = events[
        events["event_type"].isin(CONTACT_TYPES)
        & events["actors"].map(lambda actors: set(pair) <= set(actors))
        & (events["verification"] == "verified")
        & (events["date_start"] >= since)
    ].sort_values("date_start", kind="stable")
    days = contact["date_start"].diff().dt.days
    if days.dropna().empty:
        return {"from": None, "to": None, "days": 0, "contacts": len(contact)}
    i = int(days.fillna(-1).to_numpy().argmax())
    before, after = contact.iloc[i - 1], contact.iloc[i]
    return {
        "from": before["date_start"].strftime("%-d %B %Y"),
        "to": after["date_start"].strftime("%-d %B %Y"),
        "from_what": before["description"],
        "to_what": after["description"],
        "days": int(days.iloc[i]),
        "contacts": len(contact),
    }


def claims_table() -> Markdown:
    """Every checkable claim of the essay with its verdict and the dates of its evidence."""
    record = _record()
    rows = []
    for claim in _load("claims").to_dict("records"):
        evidence = [i for i in claim["evidence"] if i != claim["essay_row"]]
        dates = [(when(record[i][1]), record_href(i)) for i in evidence if record[i][0] == "events"]
        others = [(i, record_href(i)) for i in evidence if record[i][0] != "events"]
        shown = Linked([*dates, *others], empty="the essay's row only")
        rows.append(
            (
                # anchored: the claim's ClaimReview (JSON-LD in the page's head) links here
                Marked(
                    f"“{claim['quote'].replace(' | ', ', ')}”",
                    "claim",
                    anchor=f"{ANCHOR_PREFIX}{claim['claim_id']}",
                    href=record_href(claim["claim_id"]),
                ),
                claim["section"],
                " ".join(
                    filter(
                        None,
                        (VERDICT_TITLES[claim["verdict"]], VERDICT_MARKS.get(claim["verdict"])),
                    )
                ),
                shown,
            )
        )
    frame = pd.DataFrame(rows, columns=["The essay says", "Section", "Verdict", "Evidence"])
    display(markdown_table(frame))  # type: ignore[no-untyped-call]
    return provenance(claims_table, ["claims", "events"])


def _figures_dir() -> Path:
    return Path(os.environ.get("UKREPORT_FIGURES_DIR", "figures"))


def figure(name: str) -> None:
    """Show a figure built by ``make figures``, with its alt text computed from the data,
    and the line saying what drew it from which data."""
    from ukreport.report.figures import FIGURES

    folder = _figures_dir()
    index = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    entry = index[name]
    svg = folder / f"{name}.svg"
    display(  # type: ignore[no-untyped-call]
        SVG(filename=str(svg)),  # type: ignore[no-untyped-call]
        metadata={"alt": entry["alt"], "figure": name},
    )
    spec = FIGURES[name]
    display(provenance(spec.draw, list(spec.tables)))  # type: ignore[no-untyped-call]
