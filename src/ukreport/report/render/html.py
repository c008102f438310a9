"""Markdown → one self-contained HTML file, with pandoc.

Everything the page needs (stylesheet, images) is embedded; maths is MathML, so the
page fetches nothing: no MathJax, no web fonts. Pandoc adds no timestamp, so the same
input gives the same bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ukreport.report.render.pandoc import convert

__all__ = ["to_html"]

logger = logging.getLogger(__name__)


def to_html(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    timeout: float | None = None,
) -> bytes:
    """Render the document ``tree`` (with ``metadata`` JSON) to HTML; return its bytes."""
    out = convert(
        tree,
        metadata,
        assets,
        to="html5",
        template="template.html",
        out=build_dir / "document.html",
        resource_path=resource_path,
        options=("--embed-resources", f"--css={assets / 'style.css'}", "--mathml"),
        timeout=timeout,
    )
    logger.info("HTML rendered (%d bytes)", out.stat().st_size)
    return out.read_bytes()
