"""Markdown → one self-contained HTML file, with pandoc.

Everything the page needs (stylesheet, images) is embedded; maths is MathML, so the
page fetches nothing: no MathJax, no web fonts. Pandoc adds no timestamp, so the same
input gives the same bytes.

The head carries schema.org JSON-LD (:mod:`ukreport.report.render.jsonld`): the data
package as a ``Dataset`` and each of the essay's checked claims as a ``ClaimReview``.
The page passes the Nu Html Checker without a warning: the stylesheet goes in as a
plain ``<style>`` (pandoc's ``--css`` embedding adds ``type="text/css"``), and
:func:`tidy` drops what pandoc's HTML writer adds that HTML5 calls needless (the
trailing slash of void elements, ``role="img"`` on an ``<img>``).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from ukreport.report.render import jsonld
from ukreport.report.render.frontmatter import Value
from ukreport.report.render.reflist import convert_keeping_list

__all__ = ["tidy", "to_html"]

logger = logging.getLogger(__name__)

_VOID = "area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr"
_SELF_CLOSED = re.compile(rf"<({_VOID})\b([^<>]*?)\s*/>", re.IGNORECASE)
_IMG_ROLE = re.compile(r'(<img\b[^<>]*?)\s+role="img"', re.IGNORECASE)
# Elements whose content is raw text: their content is never a tag and is left alone.
_RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)


def tidy(html: str) -> str:
    """Drop the trailing slash of void elements (``<col />`` → ``<col>``) and the
    redundant ``role="img"`` of ``<img>`` elements, outside ``<script>`` and
    ``<style>``. In the text, pandoc escapes every ``<``, so only tags match."""
    parts = _RAW_TEXT.split(html)
    out = []
    # split() with two groups yields: text, element, tag name, text, element, name, …
    for i, part in enumerate(parts):
        if i % 3 == 0:
            out.append(_IMG_ROLE.sub(r"\1", _SELF_CLOSED.sub(r"<\1\2>", part)))
        elif i % 3 == 1:
            out.append(part)
    return "".join(out)


def to_html(
    tree: Path,
    metadata: Path,
    assets: Path,
    *,
    build_dir: Path,
    resource_path: list[Path],
    timestamp: int,
    timeout: float | None = None,
    store: Path | None = None,
    data_dir: Path | None = None,
) -> bytes:
    """Render the document ``tree`` (with ``metadata`` JSON) to HTML; return its bytes.

    ``timestamp`` (seconds, SOURCE_DATE_EPOCH's) dates the claim reviews; the JSON-LD
    describes the data package in ``data_dir``; the written reference list is kept in
    ``store`` (:mod:`.reflist`).
    """
    meta: dict[str, Value] = json.loads(metadata.read_text(encoding="utf-8"))
    style = (assets / "style.css").read_text(encoding="utf-8")
    head = build_dir / "head.html"
    head.write_text(
        f"<style>\n{style.strip()}\n</style>\n"
        + jsonld.head(tree, meta, timestamp=timestamp, data_dir=data_dir),
        encoding="utf-8",
    )
    out = convert_keeping_list(
        tree,
        metadata,
        assets,
        to="html5",
        template="template.html",
        out=build_dir / "document.html",
        resource_path=resource_path,
        options=("--embed-resources", f"--include-in-header={head}", "--mathml"),
        timeout=timeout,
        store=store,
    )
    page = tidy(out.read_text(encoding="utf-8")).encode("utf-8")
    logger.info("HTML rendered (%d bytes)", len(page))
    return page
