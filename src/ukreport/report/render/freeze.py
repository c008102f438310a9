"""Frozen cell outputs: a prose edit re-renders without starting a kernel.

The outputs of the cells and inline expressions are kept on disk, under a key that
hashes everything that can change them: the code of every cell and inline expression
in order, the data package the cells read (``datapackage.json``, which holds each
file's hash), the figures they show, every file of the ``ukreport`` package (the
cells' helpers and all they import; hashing them all takes milliseconds, following the
imports a fifth of a second), the package's installed metadata (the provenance lines
link its ``Source`` URL and version), the Python and library versions of the kernel,
the commit the package is at (the provenance lines name it) and the variables that
point the cells at their inputs. Anything else in the document (prose, headings,
options that only shape the Markdown) can change and the stored outputs still hold.

The key is made again once the cells have run, and the outputs are kept only if it is
unchanged: data, figures or code changed while the kernel ran would otherwise be kept
under the key of what was there before.

Unlike Quarto's ``freeze: auto``, which notices only a change to the document, the
key sees a change to the data or the code, so a cached render is the render a fresh
kernel would give, byte for byte.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from ukreport import _cache, _meta, datasets, paths
from ukreport._git import source_state
from ukreport.report.render.document import Document
from ukreport.report.render.execute import SETUP, Executed, Kernel, execute

__all__ = ["CACHE_DIR", "cache_key", "cache_path", "execute_cached"]

logger = logging.getLogger(__name__)

CACHE_DIR = _cache.FOLDER
"""The folder, beside the document, that holds its frozen outputs (git-ignored)."""
_FORMAT = "4"
"""Bumped when what is stored, or how the key is made, changes."""
_ENVIRONMENT = ("UKREPORT_DATA_DIR", "UKREPORT_FIGURES_DIR", "SOURCE_DATE_EPOCH")
"""Variables the cells read (through :mod:`ukreport.report.essay`) to find their inputs:
the kernel inherits them, unless the render sets the data folder for it."""


def cache_path(doc: Document) -> Path:
    """Where ``doc``'s frozen outputs are kept."""
    return _cache.beside(doc.path) / f"{doc.path.stem}.json"


def _figures(doc: Document, figures_dir: Path | None) -> Path:
    """The figures the cells show: ``figures_dir``, else ``$UKREPORT_FIGURES_DIR``, else
    ``figures``; relative to the document's folder."""
    chosen = figures_dir or Path(os.environ.get("UKREPORT_FIGURES_DIR", "figures"))
    return doc.path.resolve().parent / chosen


def _parts(
    doc: Document, data_dir: Path | None, figures_dir: Path | None
) -> Iterator[tuple[str, bytes]]:
    """Every input of the cells' outputs, labelled, in a fixed order."""
    yield "setup", SETUP.encode()
    code = [cell.code if cell.flag("eval", True) else "" for cell in doc.cells]
    code += [expr.expr for expr in doc.inline]
    for index, text in enumerate(code):
        yield f"code {index}", text.encode()
    yield "data", datasets.data_path(data_dir).joinpath("datapackage.json").read_bytes()
    figures = _figures(doc, figures_dir)
    if figures.is_dir():
        for path in sorted(figures.iterdir()):
            if path.is_file():
                yield f"figure {path.name}", path.read_bytes()
    for path in _meta.package_files():
        yield f"module {path.relative_to(paths.PACKAGE_DIR).as_posix()}", path.read_bytes()
    yield "package metadata", _meta.metadata_text().encode()
    commit, dirty = source_state(paths.PACKAGE_DIR)  # what the provenance lines say
    yield "commit", f"{commit} {dirty}".encode()
    for name in _ENVIRONMENT:
        yield f"env {name}", os.environ.get(name, "").encode()
    yield "data folder", str(data_dir or "").encode()
    yield "figures folder", str(figures_dir or "").encode()


def cache_key(
    doc: Document, *, data_dir: Path | None = None, figures_dir: Path | None = None
) -> str:
    """The SHA-256 of everything that can change ``doc``'s cell outputs, when its cells
    read the data package in ``data_dir`` (by default the packaged data) and show the
    figures in ``figures_dir``."""
    parts = _parts(doc, data_dir, figures_dir)
    return _cache.Key("frozen cells", _FORMAT).add_all(parts).hexdigest()


def _load(store: _cache.Store, name: str, key: str) -> Executed | None:
    stored = store.load_json(name)
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    try:
        return Executed(stored["cells"], stored["inline"])
    except KeyError:
        return None


def execute_cached(
    doc: Document,
    *,
    timeout: int = 120,
    cache: bool = True,
    kernel: Kernel | None = None,
    data_dir: Path | None = None,
    figures_dir: Path | None = None,
) -> Executed:
    """``doc``'s cell outputs: from the cache when its key matches, else from a fresh kernel
    started to read the data in ``data_dir`` and the figures in ``figures_dir``, or from
    ``kernel`` when one was started ahead (then stored; an unused ``kernel`` is
    stopped). ``cache=False`` always executes and stores nothing."""
    if not cache:
        return execute(
            doc, timeout=timeout, kernel=kernel, data_dir=data_dir, figures_dir=figures_dir
        )
    path = cache_path(doc)
    store = _cache.Store(path.parent)
    key = cache_key(doc, data_dir=data_dir, figures_dir=figures_dir)
    executed = _load(store, path.name, key)
    if executed is not None:
        logger.info("cell outputs of %s from %s", doc.path, path)
        if kernel is not None:
            kernel.close()
        return executed
    executed = execute(
        doc, timeout=timeout, kernel=kernel, data_dir=data_dir, figures_dir=figures_dir
    )
    if cache_key(doc, data_dir=data_dir, figures_dir=figures_dir) != key:
        logger.warning(
            "the data, figures or code of %s changed while its cells ran: their outputs "
            "are not kept, and the next render runs them again",
            doc.path,
        )
        return executed
    stored = {"key": key, "cells": executed.cells, "inline": executed.inline}
    store.store_json(path.name, stored, sort_keys=True)  # a read-only checkout still renders
    return executed
