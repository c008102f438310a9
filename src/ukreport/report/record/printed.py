"""The printed record: every event by year, with its source, as a tagged, archival PDF.

The rows go to Typst as JSON (``record.json``) that the template ``record.typ`` reads,
so data is never parsed as Typst markup: a row holding ``#set page(...)`` prints those
characters. The PDF is compiled by the same door to Typst as the essay's
(:func:`~ukreport.report.render.pdf.compile_typst`): built-in fonts only, a fixed
creation time, PDF/A-2a and PDF/UA-1.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from ukreport import _meta
from ukreport._io import temporary_folder
from ukreport.report.record.page import TABLE_NAMES
from ukreport.report.record.rows import Record, Row
from ukreport.report.render.pdf import compile_typst

__all__ = ["printed_record", "record_epoch", "typst_data"]

_FALLBACK_EPOCH = 315532800  # 1980-01-01T00:00:00Z, as for the essay


def record_epoch(record: Record) -> int:
    """The PDF's creation time: ``SOURCE_DATE_EPOCH``, else the last day a source was read
    (the day the record is current to), so the same data give the same bytes."""
    epoch = _meta.source_date_epoch()
    if epoch is not None:
        return epoch
    try:
        day = dt.date.fromisoformat(record.last_read)
    except ValueError:
        return _FALLBACK_EPOCH
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _entry(row: Row, record: Record) -> dict[str, Any]:
    facts = []
    if row.actors:
        facts.append(["Actors", ", ".join(row.actors)])
    if row.participants:
        facts.append(["Participants", "; ".join(row.participants)])
    facts += [[label, value] for label, value in row.details]
    if row.initiative:
        facts.append(["Initiative", row.initiative])
    facts += [[label, value] for label, value in row.corrected]
    source = row.source
    if row.table == "claims":
        links, links_label = list(row.links), "Evidence"
    else:
        links, links_label = list(record.evidence_for.get(row.id, ())), "Evidence for the claims"
    return {
        "id": row.id,
        "when": row.when or "undated",
        "kind": row.kind,
        "title": row.title,
        "text": row.text,
        "facts": facts,
        "verification": row.verification,
        "note": row.note,
        "url": source.url if source else "",
        "publisher": source.publisher if source else "",
        "source_title": source.title if source else "",
        "source_kind": source.kind if source else "",
        "accessed": source.accessed if source else "",
        "links": links,
        "links_label": links_label,
    }


def typst_data(record: Record) -> dict[str, Any]:
    """What ``record.typ`` reads: the rows as strings, events grouped by year."""
    years: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(record.tables["events"], key=lambda r: r.start):
        years.setdefault(row.start[:4] or "undated", []).append(_entry(row, record))
    counts = {name: len(rows) for name, rows in record.tables.items()}
    intro = (
        f"Every row of the data package, version {record.version}, current to "
        f"{record.last_read}: {counts['events']} events, {counts['initiatives']} initiatives, "
        f"{counts['cooperation']} areas of cooperation and {counts['claims']} claims of the "
        "essay. Each row gives the page it was read from and the day it was read; each "
        "claim gives the rows that decide it, by id. The record page (record.html) holds "
        "the same rows, with search and filters."
    )
    return {
        "title": "The record: US–Russia–Ukraine diplomacy",
        "version": record.version,
        "current": record.last_read,
        "intro": intro,
        "years": [{"year": year, "events": rows} for year, rows in sorted(years.items())],
        "sections": [
            {
                "heading": TABLE_NAMES[name][0],
                "rows": [_entry(row, record) for row in record.tables[name]],
            }
            for name in ("initiatives", "cooperation", "claims")
        ],
    }


def printed_record(record: Record) -> bytes:
    """The printed record as PDF bytes (PDF/A-2a, PDF/UA-1)."""
    template = resources.files(__package__).joinpath("record.typ").read_bytes()
    data = json.dumps(typst_data(record), ensure_ascii=False, sort_keys=True).encode("utf-8")
    with temporary_folder(".ukreport-record-") as folder:
        (folder / "record.typ").write_bytes(template)
        (folder / "record.json").write_bytes(data)
        return compile_typst(folder / "record.typ", root=folder, timestamp=record_epoch(record))
