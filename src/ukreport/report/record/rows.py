"""The data package as the record's rows: one model for every row of every table.

The record is built from the published package alone (``datapackage.json`` and the CSV
files it lists), never from the raw tables, so anyone holding the package can rebuild
it. Each CSV is checked against the SHA-256 the package records before a row is read:
the record shows what passed validation, or nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ukreport._io import sha256
from ukreport.errors import InputError, TamperedData
from ukreport.paths import TABLES
from ukreport.sources import host_of

__all__ = ["Record", "Row", "Source", "publisher", "read_record"]

LIST_SEPARATOR = "; "
"""How a list column is written in the processed CSV files."""

# The ids and columns the record reads, as :mod:`ukreport.schemas` names them; restated
# here because the record reads CSV without pandas or pandera, and checked against the
# schemas by tests/test_record_page.py.
_ID_COLUMNS = {
    "events": "event_id",
    "initiatives": "initiative_id",
    "cooperation": "cooperation_id",
    "claims": "claim_id",
}
_REQUIRED = {
    "events": ("date", "event_type", "description", "actors", "participants", "verification"),
    "initiatives": ("name", "initiative_type", "period", "status", "actors", "outcome"),
    "cooperation": ("area", "precedent", "potential_benefits", "verification"),
    "claims": ("quote", "section", "verdict", "evidence", "reasoning"),
}
_SOURCE = ("source_url", "source_title", "source_kind", "accessed", "verification_note")


def publisher(url: str, named: str = "") -> str:
    """The name a reader knows the page's publisher by: the data package's
    ``source_publisher`` (from the reviewed host table), else the page's host."""
    if named:
        return named
    host = host_of(url).removeprefix("www.").rstrip(".")
    return host or "unknown publisher"


@dataclass(frozen=True)
class Source:
    """The page a row was read from."""

    url: str
    title: str
    kind: str
    accessed: str
    named: str = ""
    """The publisher's name as the data package gives it (may be blank)."""
    published: str = ""
    """The day, month or year the page states it was published (may be blank)."""

    @property
    def publisher(self) -> str:
        return publisher(self.url, self.named)


@dataclass(frozen=True)
class Row:
    """One row of the record, whatever its table: the fields the page and the printed
    record show, in the words of the data."""

    table: str
    id: str
    when: str
    """The date or period as the source states it (empty for a claim without one)."""
    start: str
    end: str
    kind: str
    """The event's or initiative's type; empty where the table has none."""
    title: str
    """The initiative's name, the area of cooperation, the claim's quote."""
    text: str
    """The event's description, the initiative's outcome, the area's precedent."""
    actors: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    """Further labelled facts (location, theme, status, section …), in a fixed order."""
    verification: str = ""
    """``verified``, ``disputed`` or ``unverified``; for a claim, its verdict."""
    note: str = ""
    corrected: tuple[tuple[str, str], ...] = ()
    """The verified values where the record corrects the source's, with their page."""
    source: Source | None = None
    initiative: str = ""
    links: tuple[str, ...] = ()
    """A claim's evidence (row ids); the claims a row is evidence for are in
    :attr:`Record.evidence_for`."""

    @property
    def years(self) -> tuple[int, int] | None:
        """The first and last year the row spans, or ``None`` without a date."""
        if not self.start:
            return None
        return int(self.start[:4]), int((self.end or self.start)[:4])


@dataclass(frozen=True)
class Record:
    """Every row of the package, by table in :data:`~ukreport.paths.TABLES` order."""

    title: str
    version: str
    tables: Mapping[str, Sequence[Row]]
    evidence_for: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each row id → the claims that cite it as evidence, in claim order."""

    @property
    def last_read(self) -> str:
        """The last day a source was read: the day the record is current to."""
        days = [r.source.accessed for rows in self.tables.values() for r in rows if r.source]
        return max(days, default="")


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())


def _source(row: Mapping[str, str]) -> Source:
    return Source(
        row["source_url"],
        row["source_title"],
        row["source_kind"],
        row["accessed"],
        row.get("source_publisher", ""),
        row.get("source_published", ""),
    )


def _details(
    row: Mapping[str, str], labels: Sequence[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    return tuple((label, row[column]) for column, label in labels if row.get(column, ""))


def _event(row: Mapping[str, str]) -> Row:
    corrected = _details(row, [("verified_date", "Verified date")])
    return Row(
        "events",
        row["event_id"],
        row["date"],
        row["date_start"],
        row["date_end"],
        row["event_type"],
        "",
        row["description"],
        _split(row["actors"]),
        _split(row["participants"]),
        _details(row, [("location", "Location"), ("key_theme", "Theme")]),
        row["verification"],
        row["verification_note"],
        _with_page(corrected, row),
        _source(row),
        row.get("initiative_id", ""),
    )


def _initiative(row: Mapping[str, str]) -> Row:
    corrected = _details(row, [("verified_period", "Verified period")])
    return Row(
        "initiatives",
        row["initiative_id"],
        row["period"],
        row["date_start"],
        row["date_end"],
        row["initiative_type"],
        row["name"],
        row["outcome"],
        _split(row["actors"]),
        (),
        _details(row, [("status", "Status")]),
        row["verification"],
        row["verification_note"],
        _with_page(corrected, row),
        _source(row),
    )


def _cooperation(row: Mapping[str, str]) -> Row:
    return Row(
        "cooperation",
        row["cooperation_id"],
        row["date"],
        row["date_start"],
        row["date_end"],
        "",
        row["area"],
        row["precedent"],
        details=_details(row, [("potential_benefits", "Potential benefits")]),
        verification=row["verification"],
        note=row["verification_note"],
        source=_source(row),
    )


def _claim(row: Mapping[str, str]) -> Row:
    return Row(
        "claims",
        row["claim_id"],
        row["date"],
        row["date_start"],
        row["date_end"],
        "",
        row["quote"],
        "",
        details=_details(row, [("section", "Section")]),
        verification=row["verdict"],
        note=row["reasoning"],
        links=_split(row["evidence"]),
    )


def _with_page(
    corrected: tuple[tuple[str, str], ...], row: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    page = row.get("verified_source_url", "")
    return (*corrected, ("Verified from", page)) if page else corrected


_BUILDERS = {
    "events": _event,
    "initiatives": _initiative,
    "cooperation": _cooperation,
    "claims": _claim,
}


def _package(folder: Path) -> dict[str, Any]:
    path = folder / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            path, "no data package here; give the folder `ukreport process` writes (--data)"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(path, f"is not a readable data package: {error}") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise InputError(path, "has no list of resources; rebuild it with `make data`")
    return package


def _read_table(folder: Path, resource: Mapping[str, Any], name: str) -> list[dict[str, str]]:
    """The rows of one resource's CSV, once its bytes match the recorded hash."""
    path = folder / str(resource.get("path", f"{name}.csv"))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None
    recorded = resource.get("hash")
    if recorded != f"sha256:{sha256(data)}":
        raise TamperedData(
            f"{path} does not match datapackage.json (recorded {recorded}): it changed "
            "after the package was written and validated; rebuild it with `make data`"
        )
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    wanted = (_ID_COLUMNS[name], "date_start", "date_end", *_REQUIRED[name])
    if name != "claims":
        wanted += _SOURCE
    missing = [c for c in wanted if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            path, f"line 1: no column {', '.join(missing)}; rebuild it with `make data`"
        )
    return list(reader)


def read_record(folder: Path) -> Record:
    """Read the data package in ``folder`` as the record's rows.

    Raises :class:`InputError` for a missing or unreadable file or column,
    :class:`TamperedData` for a file whose hash is not the recorded one.
    """
    package = _package(folder)
    resources = {r.get("name"): r for r in package["resources"] if isinstance(r, dict)}
    tables: dict[str, list[Row]] = {}
    seen: dict[str, str] = {}
    for name in TABLES:
        if name not in resources:
            raise InputError(folder / "datapackage.json", f"lists no resource {name!r}")
        rows = [_BUILDERS[name](row) for row in _read_table(folder, resources[name], name)]
        for row in rows:
            if row.id in seen:  # the ids are the page's anchors: one per row
                raise InputError(
                    folder / f"{name}.csv",
                    f"id {row.id!r} is also a row of {seen[row.id]}; each row needs its own id",
                )
            seen[row.id] = name
        tables[name] = rows
    evidence_for: dict[str, list[str]] = {}
    for claim in tables["claims"]:
        for row_id in claim.links:
            evidence_for.setdefault(row_id, []).append(claim.id)
    return Record(
        str(package.get("title", "")),
        str(package.get("version", "")),
        tables,
        {key: tuple(ids) for key, ids in evidence_for.items()},
    )
