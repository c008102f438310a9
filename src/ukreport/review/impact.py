"""What a data change does to the report: the claims it touches and the counts it moves.

A claim's verdict rests on rows of the record (``claims.evidence``) and judges one of
the essay's rows (``claims.essay_row``); a change to any of those rows, or to the
claim's own verdict, evidence or essay row, is one the reviewer must weigh against the
verdict. The report's headline counts — events, distinct sources cited, and the
coverage window (the protocol's first day, the last event on record, the day the
sources were last read) — are computed here from each side's raw tables by the rules
the report applies to the processed ones (``reports/essay.qmd`` and
:func:`ukreport.report.essay.coverage`; a test holds the two to agree). They are read
from the raw text because either side may not validate (a release from before a new
column, a pull request with a mistake): a date that does not parse is left out, never
fatal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ukreport import schemas
from ukreport.dates import parse_dates
from ukreport.review.renames import find_renames
from ukreport.review.tables import Snapshot
from ukreport.schemas.rules import LIST_SEPARATOR

Snapshots = dict[str, Snapshot | None]
"""A side's tables by name; ``None`` where the table is absent."""

CLAIM_COLUMNS = ("verdict", "essay_row", "evidence")
"""A claim's own cells whose change changes what the report says of it."""


@dataclass(frozen=True)
class Counts:
    """The report's headline counts, on one side."""

    events: int
    sources: int
    start: pd.Timestamp
    last: pd.Timestamp | None
    read: pd.Timestamp | None

    @property
    def window(self) -> str:
        """``1 January 2014 to 9 November 2026, read on 26 November 2026``."""

        def day(value: pd.Timestamp | None) -> str:
            return "(none)" if value is None else str(value.strftime("%-d %B %Y"))

        return f"{day(self.start)} to {day(self.last)}, read on {day(self.read)}"


@dataclass(frozen=True)
class AffectedClaim:
    """A claim whose rows, or own verdict, evidence or essay row, changed."""

    claim_id: str
    verdict_before: str | None
    """``None`` where the claim is not on that side."""
    verdict_after: str | None
    reasons: tuple[str, ...]
    """What changed, in words: ``evidence 2014-09-05-minsk-protocol changed``."""

    @property
    def verdict(self) -> str:
        """``disputed``, or ``supported → forecast`` when the verdict changed."""
        before, after = self.verdict_before, self.verdict_after
        if before is None or after is None or before == after:
            return str(after if after is not None else before)
        return f"{before} → {after}"


@dataclass(frozen=True)
class Impact:
    """The claims a change touches, and the counts before and after."""

    claims: tuple[AffectedClaim, ...]
    before: Counts
    after: Counts

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The counts as (what, before, after, change), in the order the report gives
        them; the change is ``+2``, ``-1``, ``changed`` or ``same``."""
        b, a = self.before, self.after

        def change(before: int, after: int) -> str:
            return "same" if before == after else f"{after - before:+,}"

        return [
            ("events", f"{b.events:,}", f"{a.events:,}", change(b.events, a.events)),
            ("sources cited", f"{b.sources:,}", f"{a.sources:,}", change(b.sources, a.sources)),
            (
                "coverage window",
                b.window,
                a.window,
                "same" if b.window == a.window else "changed",
            ),
        ]


def _column(snapshot: Snapshot | None, name: str) -> pd.Series:
    column = None if snapshot is None else snapshot.column(name)
    return pd.Series([], dtype=object) if column is None else column


def _latest(text: pd.Series) -> pd.Timestamp | None:
    latest = parse_dates(text)["start"].max() if len(text) else pd.NaT
    return None if pd.isna(latest) else pd.Timestamp(latest)


def counts(tables: Snapshots) -> Counts:
    """The headline counts of one side's tables (a missing table counts as empty)."""
    record = schemas.SOURCED_TABLES
    urls = pd.concat(
        [_column(tables.get(t), c) for t in record for c in ("source_url", "verified_source_url")]
    )
    reads = [_latest(_column(tables.get(t), "accessed")) for t in record]
    known = [r for r in reads if r is not None]
    events = tables.get("events")
    return Counts(
        events=0 if events is None else len(events),
        sources=int(urls[urls != ""].nunique()),
        start=pd.Timestamp(schemas.COVERAGE_START),
        last=_latest(_column(events, "date")),
        read=max(known) if known else None,
    )


def _rows(snapshot: Snapshot | None, ids: list[str]) -> dict[str, dict[str, str]]:
    """The rows of ``ids`` found in ``snapshot``, by id, looked up a column at a time."""
    if snapshot is None or not ids:
        return {}
    where = pc.index_in(pa.array(ids, pa.large_string()), value_set=pa.array(snapshot.ids.array))
    found = {}
    for row_id, position in zip(ids, where.to_pylist(), strict=True):
        if position is not None:
            found[row_id] = snapshot.row(int(position))
    return found


def _renames(base: Snapshot | None, head: Snapshot | None) -> dict[str, str]:
    """Every rename in a table: old id → new id (as the diff pairs them)."""
    if base is None or head is None:
        return {}
    base_ids, head_ids = pa.array(base.ids.array), pa.array(head.ids.array)
    removed = np.flatnonzero(~pc.is_in(base_ids, value_set=head_ids).to_numpy(zero_copy_only=False))
    added = np.flatnonzero(~pc.is_in(head_ids, value_set=base_ids).to_numpy(zero_copy_only=False))
    old, new = find_renames(base, head, removed, added)
    return dict(zip(base.ids.iloc[old].tolist(), head.ids.iloc[new].tolist(), strict=True))


def _referenced(claims: Snapshot | None) -> dict[str, dict[str, list[str]]]:
    """Each claim's essay row and evidence ids: ``{claim: {column: [ids]}}``."""
    if claims is None:
        return {}
    out = {}
    for row in (claims.row(i) for i in range(len(claims))):
        refs: dict[str, list[str]] = {c: [] for c, _ in schemas.SPECS["claims"].foreign_keys}
        for column in refs:
            refs[column] = [i for i in (row.get(column) or "").split(LIST_SEPARATOR) if i]
        out[row[claims.id_column]] = refs
    return out


def _statuses(base: Snapshots, head: Snapshots, ids: list[str]) -> dict[str, str]:
    """What happened to each of ``ids`` (rows of the record): ``changed``, ``removed``,
    ``added``, ``renamed to X`` or ``renamed from X``; unchanged rows are left out."""
    status: dict[str, str] = {}
    for table in schemas.SOURCED_TABLES:
        before, after = _rows(base.get(table), ids), _rows(head.get(table), ids)
        renames = None
        for row_id in ids:
            if row_id in status or (row_id not in before and row_id not in after):
                continue
            if row_id in before and row_id in after:
                if before[row_id] != after[row_id]:
                    status[row_id] = "changed"
                continue
            if renames is None:
                renames = _renames(base.get(table), head.get(table))
            if row_id in before:
                new = renames.get(row_id)
                status[row_id] = f"renamed to {new}" if new else "removed"
            else:
                old = next((o for o, n in renames.items() if n == row_id), None)
                status[row_id] = f"renamed from {old}" if old else "added"
    return status


def affected_claims(base: Snapshots, head: Snapshots) -> tuple[AffectedClaim, ...]:
    """The claims on either side whose rows, or own verdict, evidence or essay row,
    changed, by claim id."""
    refs_before, refs_after = _referenced(base.get("claims")), _referenced(head.get("claims"))
    ids = sorted(
        {
            i
            for refs in (refs_before, refs_after)
            for r in refs.values()
            for v in r.values()
            for i in v
        }
    )
    status = _statuses(base, head, ids)
    claims_before = _rows(base.get("claims"), list(refs_before))
    claims_after = _rows(head.get("claims"), list(refs_after))
    out = []
    for claim_id in sorted({*refs_before, *refs_after}):
        old, new = claims_before.get(claim_id), claims_after.get(claim_id)
        reasons = []
        if old is None or new is None:
            reasons.append("claim added" if old is None else "claim removed")
        else:
            reasons += [
                f"{column} changed"
                for column in CLAIM_COLUMNS
                if (old.get(column) or "") != (new.get(column) or "")
            ]
        seen = set()
        for refs in (refs_after.get(claim_id, {}), refs_before.get(claim_id, {})):
            for column, row_ids in refs.items():
                for row_id in row_ids:
                    if row_id in status and (column, row_id) not in seen:
                        seen.add((column, row_id))
                        reasons.append(f"{column.replace('_', ' ')} {row_id} {status[row_id]}")
        if reasons:
            out.append(
                AffectedClaim(
                    claim_id,
                    None if old is None else old.get("verdict"),
                    None if new is None else new.get("verdict"),
                    tuple(reasons),
                )
            )
    return tuple(out)


def impact(base: Snapshots, head: Snapshots) -> Impact:
    """The claims ``head`` touches and the counts on each side."""
    return Impact(affected_claims(base, head), counts(base), counts(head))
