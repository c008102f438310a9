"""The public loaders: the processed tables as typed, validated DataFrames.

The files come from the package itself (``importlib.resources``), so an installed
wheel needs no checkout and no network. Like ``palmerpenguins.load_penguins()``, each
loader returns a fresh DataFrame; unlike a bare CSV read, its dates are dates, its
booleans booleans and its lists lists.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport.paths import CHECKOUT, PROCESSED_DIR, TABLES

if TYPE_CHECKING:  # pandas is imported by the loaders, not by finding the data
    import pandas as pd


def data_path(folder: Path | None = None) -> Traversable:
    """The folder of the processed files (CSV, Parquet, ``datapackage.json``,
    ``references.json``), to hand to another reader: ``folder`` when given; else
    ``$UKREPORT_DATA_DIR`` when set (how the report's kernel is pointed at another copy
    of the data), else inside the installed package, else the checkout's
    ``data/processed``.

    It is a :class:`~importlib.resources.abc.Traversable`; inside an installed package
    it is a real folder, so ``str(data_path() / "events.parquet")`` is a path that
    DuckDB, Polars or R can open."""
    if folder is not None:
        return folder
    override = os.environ.get("UKREPORT_DATA_DIR")
    if override:
        return Path(override)
    try:
        return resources.files("ukreport.data")
    except ModuleNotFoundError:
        return CHECKOUT / PROCESSED_DIR


def list_datasets() -> list[str]:
    """Names accepted by :func:`load`."""
    return list(TABLES)


def load(name: str, *, data_dir: Path | None = None) -> pd.DataFrame:
    """Load the processed table ``name`` (see :func:`list_datasets`).

    The file must be the one ``datapackage.json`` describes: its SHA-256 is checked
    against the recorded hash, and a mismatch (a file changed after the package was
    written) raises :class:`~ukreport.errors.TamperedData` rather than returning data
    that no longer passed validation. The package is validated when it is written, so
    a file that matches its hash needs no second validation. Raises ``ValueError`` for
    an unknown name. ``data_dir`` reads another copy of the data (see :func:`data_path`).
    """
    if name not in TABLES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(TABLES)}")
    import io

    import pandas as pd
    import pyarrow.parquet as pq

    from ukreport import schemas

    folder = data_path(data_dir)
    data = folder.joinpath(f"{name}.parquet").read_bytes()
    _check_hash(folder, name, data)
    frame: pd.DataFrame = pq.read_table(io.BytesIO(data)).to_pandas(date_as_object=False)
    for column in schemas.SPECS[name].list_columns:
        frame[column] = [list(items) for items in frame[column]]
    for column, spec in schemas.processed_schema(name).columns.items():
        if frame[column].dtype.kind == "M":  # pandas' own unit, as validation coerced it
            frame[column] = frame[column].astype("datetime64[ns]")
        elif isinstance(spec.dtype.type, pd.CategoricalDtype):
            # the whole vocabulary, not only the values the file's dictionary holds
            frame[column] = frame[column].astype(object).astype(spec.dtype.type)
    return frame


def _check_hash(folder: Traversable, name: str, data: bytes, fmt: str = "parquet") -> None:
    """Refuse a file (the table's ``parquet`` or ``csv``) whose SHA-256 is not the one
    ``datapackage.json`` records for the resource at that path."""
    from ukreport._io import sha256
    from ukreport.errors import TamperedData

    try:
        package = json.loads(folder.joinpath("datapackage.json").read_text(encoding="utf-8"))
        path = f"{name}.{fmt}"
        described: dict[str, Any] = next(
            (r for r in package["resources"] if r.get("path") == path), {}
        )
        recorded = described.get("hash")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise TamperedData(
            f"{folder}/datapackage.json is not a readable data package ({type(error).__name__}:"
            f" {str(error)[:80]}); rebuild it with `make data` (or reinstall the package)"
        ) from None
    actual = f"sha256:{sha256(data)}"
    if recorded != actual:
        raise TamperedData(
            f"{folder}/{name}.{fmt} does not match datapackage.json (recorded "
            f"{recorded}, found {actual}): it changed after the package was written and "
            "validated; rebuild it with `make data` (or reinstall the package)"
        )


def read_rows(name: str, *, data_dir: Path | None = None) -> list[dict[str, str]]:
    """The rows of the processed table ``name`` as text, from its CSV, checked against
    ``datapackage.json`` like :func:`load`: for a reader that needs the words of a few
    rows and not pandas (the report's JSON-LD)."""
    import csv
    import io

    if name not in TABLES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(TABLES)}")
    folder = data_path(data_dir)
    data = folder.joinpath(f"{name}.csv").read_bytes()
    _check_hash(folder, name, data, "csv")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def load_events(*, on_record_only: bool = False) -> pd.DataFrame:
    """Diplomatic interactions among the US, Russia and Ukraine, 1994 onwards.

    Every row by default, including the essay's own rows that the record contradicts
    (``verification == "disputed"``, ``on_record`` false): the essay's tables and the
    claims table (``essay_row``) refer to them. To count only what is on record, pass
    ``on_record_only=True``, or keep ``events[events["on_record"]]``.
    """
    events = load("events")
    if on_record_only:
        events = events[events["on_record"]].reset_index(drop=True)
    return events


def load_initiatives() -> pd.DataFrame:
    """Diplomatic initiatives as periods, with verified periods where disputed."""
    return load("initiatives")


def load_cooperation() -> pd.DataFrame:
    """Areas of US–Russia cooperation the essay names, each with a sourced example."""
    return load("cooperation")


def load_claims() -> pd.DataFrame:
    """The essay's checkable claims, each with a verdict and the ids of its evidence."""
    return load("claims")
