"""The public loaders: the processed tables as typed, validated DataFrames.

The files come from the package itself (``importlib.resources``), so an installed
wheel needs no checkout and no network. Like ``palmerpenguins.load_penguins()``, each
loader returns a fresh DataFrame; unlike a bare CSV read, its dates are dates, its
booleans booleans and its lists lists.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from ukreport.paths import CHECKOUT, PROCESSED_DIR

DATASETS = ("events", "initiatives", "cooperation", "claims")


def data_path() -> Traversable:
    """Where the processed files are: ``$UKREPORT_DATA_DIR`` when set (to build the
    report from another copy of the data), else inside the installed package, else
    the checkout's ``data/processed``."""
    override = os.environ.get("UKREPORT_DATA_DIR")
    if override:
        return Path(override)
    try:
        return resources.files("ukreport.data")
    except ModuleNotFoundError:
        return CHECKOUT / PROCESSED_DIR


def list_datasets() -> list[str]:
    """Names accepted by :func:`load`."""
    return list(DATASETS)


def load(name: str) -> pd.DataFrame:
    """Load the processed table ``name`` (see :func:`list_datasets`).

    Raises ``ValueError`` for an unknown name.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    import pyarrow.parquet as pq

    from ukreport import schemas

    with data_path().joinpath(f"{name}.parquet").open("rb") as handle:
        table = pq.read_table(handle)
    frame = table.to_pandas(date_as_object=False)
    for column in schemas.LIST_COLUMNS[name]:
        frame[column] = [list(items) for items in frame[column]]
    frame["date_precision"] = frame["date_precision"].astype(
        pd.CategoricalDtype(["day", "month", "year"], ordered=True)
    )
    validated: pd.DataFrame = schemas.processed_schema(name).validate(frame, lazy=True)
    return validated


def load_events() -> pd.DataFrame:
    """Diplomatic interactions among the US, Russia and Ukraine, 1994 onwards."""
    return load("events")


def load_initiatives() -> pd.DataFrame:
    """Diplomatic initiatives as periods, with verified periods where disputed."""
    return load("initiatives")


def load_cooperation() -> pd.DataFrame:
    """Areas of US–Russia cooperation the essay names, each with a sourced example."""
    return load("cooperation")


def load_claims() -> pd.DataFrame:
    """The essay's checkable claims, each with a verdict and the ids of its evidence."""
    return load("claims")
