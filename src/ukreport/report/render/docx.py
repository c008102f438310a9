"""The essay as a Word document (DOCX), for journals that ask for one.

pandoc writes it from the same tree as the HTML and the PDF (citations formatted,
figures and tables numbered) through the reference document in the report's assets,
which sets its styles. Word wants raster images beside vector ones and pandoc makes
them with ``rsvg-convert``, which a machine with only Python packages lacks; so each
report figure is drawn once more, by its own code from the same data, as a PNG at the
figures' print resolution, and the document shows that. pandoc dates the files in the
archive from ``SOURCE_DATE_EPOCH``, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ukreport._io import write_files
from ukreport.errors import RenderError
from ukreport.report.render.markdown import CELL_MEDIA, FIGURE_INDEX
from ukreport.report.render.pandoc import convert, nodes

__all__ = ["REFERENCE_DOC", "to_docx"]

logger = logging.getLogger(__name__)

REFERENCE_DOC = "reference.docx"
"""The reference document in the report's assets: the styles the DOCX takes."""
_RASTER = "docx-figures"


def _rasters(build_dir: Path, names: dict[str, str], data_dir: Path | None) -> dict[str, str]:
    """Draw each report figure shown as a PNG in ``build_dir``, from the data in
    ``data_dir``; image → its PNG."""
    from ukreport.datasets import load
    from ukreport.report.figures import FIGURES, figure_data, render

    tables = {
        name: load(name, data_dir=data_dir)
        for name in {t for spec in FIGURES.values() for t in spec.tables}
    }
    files: dict[Path, bytes] = {}
    drawn: dict[str, str] = {}
    for image, figure in sorted(names.items()):
        data = figure_data(figure, tables)
        png = render(FIGURES[figure].draw(data), figure, formats=("png",))["png"]
        target = f"{_RASTER}/{Path(image).stem}.png"
        files[build_dir / target] = png
        drawn[f"{CELL_MEDIA}/{image}"] = target
    write_files(files)
    return drawn


def to_docx(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    source: Path,
    timeout: float | None = None,
    data_dir: Path | None = None,
) -> bytes:
    """Render the document ``tree`` to DOCX bytes (``source`` names the essay in errors;
    the figures are drawn again, as PNG, from the data in ``data_dir``)."""
    index = build_dir / CELL_MEDIA / FIGURE_INDEX
    names: dict[str, str] = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else {}
    document = json.loads(tree.read_text(encoding="utf-8"))
    images = [node for node in nodes(document) if node.get("t") == "Image"]
    vectors = [image for image in images if str(image["c"][2][0]).endswith(".svg")]
    drawn = _rasters(build_dir, names, data_dir) if vectors else {}
    for image in vectors:
        target = str(image["c"][2][0])
        if target not in drawn:
            raise RenderError(
                source,
                None,
                f"{target}: an SVG image that is not a report figure cannot go in the DOCX "
                "(show a PNG, or the figure with essay.figure())",
            )
        image["c"][2][0] = drawn[target]
    rastered = build_dir / "docx.json"
    rastered.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = convert(
        rastered,
        metadata,
        assets,
        to="docx",
        template=None,  # the reference document styles it
        out=build_dir / "document.docx",
        resource_path=resource_path,
        options=(f"--reference-doc={assets / REFERENCE_DOC}",),
        timeout=timeout,
    )
    logger.info("DOCX rendered (%d bytes)", out.stat().st_size)
    return out.read_bytes()
