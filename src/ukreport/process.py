"""Turn validated raw tables into the published data package.

``data/processed/`` holds each table as CSV and Parquet with typed dates
(``date_start``, ``date_end``, ``date_precision``), booleans and lists, and a
Frictionless ``datapackage.json`` that records every file's schema, size and SHA-256.
Nothing is written unless every raw table validates, the folder is replaced as a whole
(never a new file beside an old index), and the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ukreport import _io, _meta, references, schemas
from ukreport._io import output_folder, sha256, write_package
from ukreport.dates import parse_dates, parse_periods
from ukreport.errors import InputError, ValidationFailed
from ukreport.paths import PROCESSED_DIR, RAW_DIR
from ukreport.publishers import publisher_of, secure
from ukreport.references import bibliography
from ukreport.schemas.rules import LIST_SEPARATOR
from ukreport.tableschema import dumps, table_schema
from ukreport.validation.report import Report
from ukreport.validation.validate import validate

log = logging.getLogger(__name__)

PACKAGE_NAME = "us-russia-ukraine-diplomacy"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
"""Frictionless Data Package v2: the version with ``list`` fields."""
PARQUET_SUFFIX = "-parquet"
"""A table's Parquet resource is named after its CSV resource with this suffix."""
KEYWORDS = [
    "diplomacy",
    "Ukraine",
    "Russia",
    "United States",
    "peace negotiations",
    "events data",
    "fact-checking",
]
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def _blank_to_na(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Blank cells of the raw model's optional text columns become nulls (a blank list
    is already an empty list)."""
    for name, column in schemas.raw_schema(table).columns.items():
        optional = not (column.metadata or {}).get("required")
        if optional and name not in schemas.SPECS[table].list_columns:
            frame[name] = frame[name].mask(frame[name] == "")
    return frame


def _dated(frame: pd.DataFrame, column: str, *, period: bool) -> pd.DataFrame:
    parsed = parse_periods(frame[column]) if period else parse_dates(frame[column])
    frame["date_start"] = parsed["start"]
    frame["date_end"] = parsed["end"]
    frame["date_precision"] = parsed["precision"]
    return frame


def _cite_publishers(frame: pd.DataFrame) -> None:
    """Name each row's publisher, and cite over https the pages of the hosts that serve
    them so (the reviewed table decides both; validation has checked every host is in it)."""
    urls = frame["source_url"].drop_duplicates()
    publishers = {url: publisher_of(url) for url in urls}
    frame["source_publisher"] = frame["source_url"].map(
        {url: found.name for url, found in publishers.items() if found}
    )
    for column in ("source_url", "verified_source_url"):
        if column in frame:
            frame[column] = frame[column].map(
                {url: secure(url) for url in frame[column].drop_duplicates()}
            )


def transform(table: str, raw: pd.DataFrame) -> pd.DataFrame:
    """The processed form of a validated raw table (typed, columns in file order)."""
    frame = raw.copy()
    frame.index = pd.RangeIndex(len(frame))
    if table in ("events", "claims"):
        _dated(frame, "date", period=False)
    elif table == "initiatives":
        _dated(frame, "period", period=True)
        verified = parse_periods(frame["verified_period"])
        # the record's own period decides, where it corrects the essay's
        stated = parse_periods(frame["period"])["ongoing"]
        frame["ongoing"] = verified["ongoing"].where(frame["verified_period"] != "", stated)
        frame["verified_date_start"] = verified["start"]
        frame["verified_date_end"] = verified["end"]
    else:
        _dated(frame, "date", period=True)
    for column in schemas.SPECS[table].list_columns:
        frame[column] = [
            value.split(LIST_SEPARATOR) if value else [] for value in frame[column].tolist()
        ]
    if "essay_cited" in frame:
        frame["essay_cited"] = frame["essay_cited"].isin(schemas.TRUE_SPELLINGS)
    if "on_record" in schemas.processed_schema(table).columns:
        frame["on_record"] = frame["verification"] != "disputed"
    if "accessed" in frame:
        frame["accessed"] = parse_dates(frame["accessed"])["start"]
    if "source_url" in frame:
        _cite_publishers(frame)
    frame = _blank_to_na(table, frame)
    schema = schemas.processed_schema(table)
    frame = frame[list(schema.columns)]
    validated: pd.DataFrame = schema.validate(frame, lazy=True)
    return validated


def to_csv(table: str, frame: pd.DataFrame) -> bytes:
    """CSV text: ISO dates, ``true``/``false``, lists joined with ``; ``, blanks for nulls."""
    out = frame.copy()
    for column in schemas.SPECS[table].list_columns:
        out[column] = [LIST_SEPARATOR.join(items) for items in out[column]]
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "true", False: "false"})
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def arrow_schema(table: str) -> pa.Schema:
    """The Parquet schema: strings, dictionary-encoded enumerations, ``date32`` days,
    booleans and string lists."""
    fields = []
    for name, column in schemas.processed_schema(table).columns.items():
        dtype = str(column.dtype)
        if name in schemas.SPECS[table].list_columns:
            arrow_type: pa.DataType = pa.list_(pa.string())
        elif dtype == "category":
            arrow_type = pa.dictionary(pa.int32(), pa.string())
        elif dtype.startswith("datetime64"):
            arrow_type = pa.date32()
        elif dtype == "bool":
            arrow_type = pa.bool_()
        else:
            arrow_type = pa.string()
        fields.append(pa.field(name, arrow_type, nullable=bool(column.nullable)))
    return pa.schema(fields)


def to_parquet(table: str, frame: pd.DataFrame) -> bytes:
    """Parquet bytes without pandas metadata, so they depend only on the data."""
    arrow = pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
    arrow = arrow.replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd", write_statistics=True)
    return bytes(sink.getvalue().to_pybytes())


def _sha256(data: bytes) -> str:
    return "sha256:" + sha256(data)


def _csv_resource(table: str, data: bytes) -> dict[str, Any]:
    return {
        "name": table,
        "type": "table",
        "path": f"{table}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": _sha256(data),
        "description": _description(table),
        "schema": table_schema(table, raw=False),
    }


def _parquet_resource(table: str, data: bytes) -> dict[str, Any]:
    """The Parquet file as a resource of its own, its size and hash checked by
    ``frictionless validate``. Its columns and types are the CSV resource's; it carries
    no Table Schema because Parquet types its own columns, and frictionless-py reads a
    Parquet list cell as an array its ``list`` field refuses and cannot count the file's
    bytes once it parses it as a table, so it is declared a file (``type: file``)."""
    return {
        "name": table + PARQUET_SUFFIX,
        "type": "file",
        "path": f"{table}.parquet",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "bytes": len(data),
        "hash": _sha256(data),
        "description": f"{_description(table)} The same rows, columns and types as "
        f"{table}.csv (the {table} resource), in Parquet: ZSTD-compressed, enumerations "
        "dictionary-encoded, dates as dates, booleans as booleans, lists as lists.",
    }


def _references_resource(data: bytes) -> dict[str, Any]:
    return {
        "name": "references",
        "type": "json",
        "path": references.FILE,
        "format": "json",
        "mediatype": "application/vnd.citationstyles.csl+json",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": _sha256(data),
        "description": "Every page the rows cite, as a CSL-JSON bibliography that citation "
        "managers (Zotero, pandoc's citeproc) read: one item per page, with its title, "
        "address and the day it was read. The first item is this data package itself.",
    }


def _description(table: str) -> str:
    """The table's description in plain text: its processed model's docstring, unwrapped."""
    return " ".join((schemas.SPECS[table].processed.__doc__ or "").split())


def _summary(frames: dict[str, pd.DataFrame]) -> str:
    """The package's description, its counts read from the data."""
    n = {table: len(frame) for table, frame in frames.items()}
    return (
        "A sourced record of diplomacy among the United States, Russia and Ukraine: "
        f"{n['events']} events (calls, meetings, summits, negotiation rounds, agreements, "
        "prisoner exchanges and acts that changed the negotiations; complete within its "
        f"stated scope from {schemas.COVERAGE_START[:4]}, with earlier anchors), "
        f"{n['initiatives']} diplomatic initiatives and {n['cooperation']} areas of "
        "US–Russia cooperation, each row citing the public page it was read from and "
        "marked verified, disputed or unverified; and the "
        f"{n['claims']} checkable claims of an analytical essay, each with a verdict and "
        "the ids of the rows that decide it. The essay's own rows stay in the tables it "
        "draws them from; events.on_record is false for those the record contradicts. "
        "Each table is given as CSV and as Parquet, with the same rows and types. The "
        "data are licensed CC BY 4.0; the code that builds and checks them (ukreport) "
        "is MIT-licensed."
    )


def datapackage(
    files: dict[str, dict[str, bytes]], frames: dict[str, pd.DataFrame]
) -> dict[str, Any]:
    """The Frictionless Data Package (v2) describing the written tables: each as a CSV
    and a Parquet resource."""
    pages = bibliography(frames, schemas.SOURCED_TABLES)
    resources = [_csv_resource(table, files[table]["csv"]) for table in schemas.TABLES]
    resources += [_parquet_resource(table, files[table]["parquet"]) for table in schemas.TABLES]
    package: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": PACKAGE_NAME,
        "title": (
            "US–Russia–Ukraine diplomacy: events, initiatives, areas of cooperation "
            "and the essay's claims"
        ),
        "description": _summary(frames),
        "version": _meta.version(),
        "keywords": KEYWORDS,
        "licenses": [DATA_LICENSE],
    }
    repository = _meta.repository()
    if repository:
        # the package as it is at this version, not as the default branch has it now
        release = f"v{package['version']}"
        package["homepage"] = f"{repository}/tree/{release}/{PROCESSED_DIR.as_posix()}"
    package["contributors"] = [
        {"title": "ukreport contributors", "roles": ["creator"]}
        | ({"path": repository} if repository else {})
    ]
    package["sources"] = [
        # Frictionless asks every source for a title: a page no row titles is named by
        # its address here, as nowhere else.
        {"title": page.get("title", page["URL"]), "path": page["URL"]}
        for page in sorted(pages, key=lambda page: str(page["URL"]))
    ]
    package["resources"] = resources
    return package


def build(raw_dir: Path = RAW_DIR, report: Report | None = None) -> dict[str, bytes]:
    """Validate ``raw_dir`` and return the processed files by name, without writing.

    ``report`` is the result of validating ``raw_dir`` when the caller already has it
    (the build runner records it in the manifest too). Raises :class:`ValidationFailed`
    when any raw table is invalid.
    """
    if report is None:
        report = validate([raw_dir])
    if not report.valid:
        raise ValidationFailed(report)
    frames = {t: transform(t, report.frames[t]) for t in schemas.TABLES}
    files = {
        t: {"csv": to_csv(t, frames[t]), "parquet": to_parquet(t, frames[t])}
        for t in schemas.TABLES
    }
    out: dict[str, bytes] = {}
    for table in schemas.TABLES:
        out[f"{table}.csv"] = files[table]["csv"]
        out[f"{table}.parquet"] = files[table]["parquet"]
    package = datapackage(files, frames)
    read = max(frames[t]["accessed"].max() for t in schemas.SOURCED_TABLES)
    cited = [
        references.dataset(package, authors=_meta.authors(), issued=read.date()),
        *bibliography(frames, schemas.SOURCED_TABLES),
    ]
    out[references.FILE] = _io.dumps(cited, sort_keys=True).encode("utf-8")
    package["resources"].append(_references_resource(out[references.FILE]))
    out["datapackage.json"] = dumps(package).encode("utf-8")
    return out


def process(
    raw_dir: Path = RAW_DIR, out_dir: Path = PROCESSED_DIR, *, report: Report | None = None
) -> list[Path]:
    """Validate ``raw_dir`` (unless ``report`` is its result) and write the data package
    to ``out_dir``.

    Nothing is written when validation fails, and the package is replaced as a whole
    (:func:`ukreport._io.write_package`), so ``datapackage.json`` always describes the
    files beside it. ``out_dir`` may not be, or be inside, ``raw_dir`` or any folder
    that holds raw tables (:class:`~ukreport.errors.OutputError`).
    """
    if not raw_dir.is_dir():
        what = "is not a folder" if raw_dir.exists() else "does not exist"
        raise InputError(raw_dir, f"{what}: give the folder that holds the four raw tables")
    output_folder(out_dir, raw=raw_dir)
    files = build(raw_dir, report)
    write_package(out_dir, files, raw=raw_dir)
    log.info("wrote %d files to %s", len(files), out_dir)
    return [out_dir / name for name in files]
