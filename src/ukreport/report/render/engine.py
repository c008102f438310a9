"""Render a ``.qmd`` essay: with the embedded engine (Jupyter + pandoc + typst) or Quarto.

Outputs are built in a temporary folder and moved into place only when every
requested format has succeeded, so a failure never leaves a half-written report
or damages the previous one.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ukreport import _cache, _meta, paths
from ukreport._io import dumps, temporary_folder, write_files
from ukreport.errors import EngineMissing, RenderError
from ukreport.report.render.citations import cite
from ukreport.report.render.document import Document, parse
from ukreport.report.render.docx import to_docx
from ukreport.report.render.execute import Kernel
from ukreport.report.render.freeze import execute_cached
from ukreport.report.render.frontmatter import Value
from ukreport.report.render.html import to_html
from ukreport.report.render.markdown import CELL_MEDIA, FIGURE_INDEX, assemble
from ukreport.report.render.pandoc import parse_markdown, run
from ukreport.report.render.pdf import to_pdf
from ukreport.report.render.sections import SectionReader

__all__ = [
    "DEFAULT_FORMATS",
    "ENGINES",
    "FORMATS",
    "find_assets",
    "quarto_program",
    "render",
    "source_date_epoch",
]

logger = logging.getLogger(__name__)

ENGINES = ("embedded", "quarto", "auto")
FORMATS = ("html", "pdf", "docx")
DEFAULT_FORMATS = ("html", "pdf")
"""What ``make report`` writes; ``make docx`` adds the Word document."""
_FALLBACK_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the ZIP epoch
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def source_date_epoch(meta: dict[str, Value]) -> int:
    """The build's fixed time: SOURCE_DATE_EPOCH, else the front matter date, else 1980."""
    epoch = _meta.source_date_epoch()
    if epoch is not None:
        return epoch
    date = meta.get("date")
    if isinstance(date, str) and _ISO_DATE.match(date.strip()):
        day = dt.date.fromisoformat(date.strip())
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    return _FALLBACK_EPOCH


def find_assets(source: Path, assets: Path | None = None) -> Path:
    """The folder with template.html, template.typst, style.css and ukreport.lua.

    Looked for, in order: ``assets``; ``assets/`` beside the source; the repository's
    ``reports/assets``.
    """
    candidates = [assets] if assets is not None else []
    candidates += [source.parent / "assets", paths.CHECKOUT / "reports/assets"]
    for folder in candidates:
        if folder is not None and (folder / "template.typst").is_file():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates if c is not None)
    raise RenderError(source, None, f"report assets (template.typst …) not in any of: {tried}")


def _metadata(meta: dict[str, Value], name: str) -> dict[str, Value]:
    """Front matter for pandoc; Quarto's ``date: today`` becomes the build date.

    The build date is SOURCE_DATE_EPOCH's when set; otherwise the output changes daily.
    Without a title, the file's ``name`` is the page's title (as pandoc would make it):
    HTML needs one, and so does an accessible PDF (PDF/UA).
    """
    out = dict(meta)
    if not out.get("title") and not out.get("pagetitle"):
        out["pagetitle"] = name
    date = out.get("date")
    if isinstance(date, str) and date.strip() in {"today", "now", "last-modified"}:
        when = _meta.build_time()
        if when is None:
            logger.info("date: %s uses today's date; set SOURCE_DATE_EPOCH to fix it", date)
            when = dt.datetime.now(dt.UTC)
        out["date"] = when.date().isoformat()
    out.setdefault("lang", "en")
    return out


def _render_embedded(
    doc: Document,
    *,
    out_dir: Path,
    formats: tuple[str, ...],
    timeout: int,
    figure_dir: Path | None,
    assets: Path,
    cache: bool,
    reader: Callable[[Path], Path],
    kernel: Kernel | None,
    data_dir: Path | None,
    figures_dir: Path | None,
) -> list[Path]:
    epoch = source_date_epoch(doc.meta)
    executed = execute_cached(
        doc,
        timeout=timeout,
        cache=cache,
        kernel=kernel,
        data_dir=data_dir,
        figures_dir=figures_dir,
    )
    files: dict[Path, bytes] = {}
    with temporary_folder("ukreport-render-") as build:
        markdown = build / "document.md"
        markdown.write_text(assemble(doc, executed, build), encoding="utf-8")
        metadata = build / "metadata.json"
        metadata.write_text(dumps(_metadata(doc.meta, doc.path.stem)), "utf-8")
        store = _cache.beside(doc.path, "citations") if cache else None
        cited = build / "cited.json"
        tree = cite(doc, reader(markdown), metadata, assets, cited, store=store, data_dir=data_dir)
        lists = _cache.beside(doc.path, "reference-lists") if cache else None
        resources = [build, doc.path.resolve().parent]
        stem = doc.path.stem
        # Each output is a pandoc process (and typst): on two cores, side by side.
        writers: dict[str, Callable[..., bytes]] = {
            "html": functools.partial(to_html, timestamp=epoch, store=lists, data_dir=data_dir),
            "pdf": functools.partial(to_pdf, timestamp=epoch, store=lists, source=doc.path),
            "docx": functools.partial(to_docx, source=doc.path, data_dir=data_dir),
        }
        with ThreadPoolExecutor(max_workers=min(len(formats), 2)) as pool:
            jobs: dict[str, Future[bytes]] = {
                fmt: pool.submit(
                    writers[fmt], tree, metadata, assets, build_dir=build, resource_path=resources
                )
                for fmt in formats
            }
            for fmt in FORMATS:
                if fmt in jobs:
                    files[out_dir / f"{stem}.{fmt}"] = jobs[fmt].result()
        if figure_dir is not None and (build / CELL_MEDIA).is_dir():
            for image in sorted((build / CELL_MEDIA).iterdir()):
                if image.name == FIGURE_INDEX:
                    continue
                files[figure_dir / image.name] = image.read_bytes()
        return write_files(files)


def quarto_program(source: Path) -> str:
    """The ``quarto`` program to render ``source`` with; :class:`EngineMissing` when
    there is none on PATH (checked before a build starts, so that it says so at once)."""
    found = shutil.which("quarto")
    if found is None:
        raise EngineMissing(
            source,
            "quarto",
            "Quarto is not installed (no quarto program on PATH)",
            "install it (https://quarto.org/docs/get-started/)",
        )
    return found


def _render_quarto(
    source: Path, out_dir: Path, formats: tuple[str, ...], timeout: int
) -> list[Path]:
    quarto = quarto_program(source)
    written: list[Path] = []
    for fmt in formats:
        target = "typst" if fmt == "pdf" else fmt
        run(
            [quarto, "render", source.name, "--to", target, "--output-dir", out_dir.resolve()],
            cwd=source.parent,
            timeout=timeout * 10,
        )
        path = out_dir / f"{source.stem}.{fmt}"
        if not path.is_file():
            raise RenderError(source, None, f"quarto finished but {path} was not written")
        written.append(path)
    return written


def render(
    source: Path,
    out_dir: Path,
    *,
    engine: str = "embedded",
    formats: Iterable[str] = DEFAULT_FORMATS,
    timeout: int = 120,
    figure_dir: Path | None = None,
    assets: Path | None = None,
    cache: bool = True,
    reader: Callable[[Path], Path] | None = None,
    kernel: Kernel | None = None,
    data_dir: Path | None = None,
    figures_dir: Path | None = None,
) -> list[Path]:
    """Render the essay ``source`` into ``out_dir`` and return the paths written.

    Parameters
    ----------
    source : Path
        The ``.qmd`` file (Quarto syntax).
    out_dir : Path
        Where ``<stem>.html`` and ``<stem>.pdf`` go; created if missing.
    engine : {"embedded", "quarto", "auto"}
        ``embedded`` runs Jupyter, pandoc and typst from Python packages; ``quarto``
        hands the file to ``quarto render``; ``auto`` uses Quarto when it is on PATH.
    formats : iterable of {"html", "pdf", "docx"}
        Default HTML and PDF.
    timeout : int
        Seconds each cell may run.
    figure_dir : Path, optional
        Also keep the images taken from cell outputs here.
    assets : Path, optional
        Templates and stylesheet; by default ``assets/`` beside ``source``.
    cache : bool
        Reuse the cell outputs frozen by an earlier render when nothing they depend on
        has changed (:mod:`ukreport.report.render.freeze`); ``False`` always executes.
    reader : callable, optional
        Reads the assembled Markdown into pandoc's tree (a JSON file). By default, with
        ``cache``, a :class:`~ukreport.report.render.sections.SectionReader` that keeps
        each section's tree beside the frozen cell outputs and re-reads only the
        sections that changed; without, one pandoc run. A long-lived caller passes its
        own reader, which also keeps the trees in memory.
    kernel : Kernel, optional
        A kernel started ahead of time (by the build, while it made the data and the
        figures) to run the cells on, if they have to run. Unused, it is stopped; used,
        it shuts down on its own thread once the last cell is done, and its owner waits
        for that with :meth:`~ukreport.report.render.execute.Kernel.close`.
    data_dir : Path, optional
        The data package the cells, the citations and the JSON-LD read (by default the
        packaged data, :func:`ukreport.datasets.data_path`). The cells run in a kernel,
        which is told it when it starts.
    figures_dir : Path, optional
        The figures the cells show, relative to ``source``'s folder (by default
        ``figures``); told to the kernel as it starts.
    """
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise RenderError(source, None, f"unknown format(s) {unknown}; choose from {FORMATS}")
    if engine not in ENGINES:
        raise RenderError(source, None, f"unknown engine {engine!r}; choose from {ENGINES}")
    if not source.is_file():
        raise RenderError(source, None, "report source not found")
    if engine == "auto":
        engine = "quarto" if shutil.which("quarto") else "embedded"
    logger.info("rendering %s with the %s engine to %s", source, engine, out_dir)
    if engine == "quarto":
        return _render_quarto(source, out_dir, chosen, timeout)
    doc = parse(source)
    data_dir = data_dir.resolve() if data_dir is not None else None  # pandoc runs elsewhere
    if reader is None:
        reader = SectionReader(store=_cache.beside(source, "sections")) if cache else parse_markdown
    return _render_embedded(
        doc,
        out_dir=out_dir,
        formats=chosen,
        timeout=timeout,
        figure_dir=figure_dir,
        assets=find_assets(source, assets),
        cache=cache,
        reader=reader,
        kernel=kernel,
        data_dir=data_dir,
        figures_dir=figures_dir,
    )
