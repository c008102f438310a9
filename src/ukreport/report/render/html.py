"""Markdown → one self-contained HTML file, with pandoc.

Everything the page needs (stylesheet, images) is embedded; maths is MathML, so the
page fetches nothing: no MathJax, no web fonts. Pandoc adds no timestamp, so the same
input gives the same bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ukreport.report.render.pandoc import run_pandoc

__all__ = ["MARKDOWN_FORMAT", "to_html"]

logger = logging.getLogger(__name__)

MARKDOWN_FORMAT = "markdown-citations"
"""Pandoc Markdown without citations: a stray ``@name`` stays text, never a dangling cite."""


def to_html(
    markdown: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    timeout: float | None = None,
) -> bytes:
    """Render ``markdown`` (with ``metadata`` JSON) to HTML and return its bytes."""
    out = build_dir / "document.html"
    run_pandoc(
        [
            markdown,
            f"--from={MARKDOWN_FORMAT}",
            f"--metadata-file={metadata}",
            "--to=html5",
            "--standalone",
            "--embed-resources",
            f"--template={assets / 'template.html'}",
            f"--css={assets / 'style.css'}",
            f"--lua-filter={assets / 'ukreport.lua'}",
            "--toc",
            "--toc-depth=3",
            "--mathml",
            "--wrap=none",
            f"--resource-path={':'.join(str(p) for p in resource_path)}",
            f"--output={out}",
        ],
        cwd=build_dir,
        timeout=timeout,
    )
    logger.info("HTML rendered (%d bytes)", out.stat().st_size)
    return out.read_bytes()
