"""schema.org JSON-LD for the HTML page's head: a ``ClaimReview`` for each of the essay's
checked claims and a ``Dataset`` for the data package the report is built from.

Fact-checking platforms read ``ClaimReview`` and dataset search engines read
``Dataset``; both are written from the data (the claims table, ``datapackage.json``)
and the front matter, never typed in. Every block is escaped so that nothing in the
data can end the ``<script>`` element (``<``, ``>`` and ``&`` become JSON ``\\u``
escapes), and is written with sorted keys, so the same inputs give the same bytes.

Every address in it is absolute, or is left out. A page read as JSON-LD by a crawler is
often read without the page's own address, so a relative ``#claim-x`` points nowhere;
and the report's address is known only when the front matter states it (``url:``):
the project's Homepage is its repository, which does not hold the rendered page, so an
address made from it would send readers to a page without the claim. Without ``url:``
the reviews therefore carry no ``url`` (Google's fact-check results ask for one: set
``url:`` where the report is published). An address the front matter gives must be
absolute.

Which claims the page reviews is read from the page itself: the essay's claims table
gives each claim an anchor ``claim-<claim_id>`` (:data:`ANCHOR_PREFIX`). A page with
none (a document other than the essay) is not the report on the data and gets no
JSON-LD at all.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ukreport.errors import RenderError
from ukreport.report.render.anchors import page_anchors
from ukreport.report.render.frontmatter import Value

__all__ = [
    "ANCHOR_PREFIX",
    "REVIEWED",
    "VERDICT_SCALE",
    "claim_reviews",
    "dataset",
    "head",
    "script",
]

logger = logging.getLogger(__name__)

ANCHOR_PREFIX = "claim-"
"""A claim's anchor in the page is this followed by its ``claim_id``."""

VERDICT_SCALE = {"disputed": 1, "partly supported": 2, "supported": 3}
REVIEWED = (*VERDICT_SCALE, "unverified")
"""The verdicts a ClaimReview is published for. A forecast or an opinion is not a
checkable fact: following Google's ClaimReview guidelines and the IFCN code, it gets no
ClaimReview at all (schemas.vocabulary.NOT_RATED)."""
"""The verdicts as ratings from worst (1) to best (3). ``unverified`` is not on the
scale (the record neither confirms nor contradicts the claim): it has a name only."""

_CONTEXT = "https://schema.org"
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}
_SCRIPT_UNSAFE["\u2029"] = "\\u2029"
_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script(data: Mapping[str, Any]) -> str:
    """``data`` as a ``<script type="application/ld+json">`` element that no value can
    break out of: ``</script>`` or ``<!--`` in the data stays inside the JSON string."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    text = _UNSAFE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


# -- who and when ------------------------------------------------------------------------


def _authors(meta: Mapping[str, Value]) -> list[dict[str, str]]:
    """The front matter's authors as schema.org agents: an ``Organization`` unless an
    author given as a mapping says ``type: Person`` (the report is signed by a project,
    and schema.org's Person is one human)."""
    given = meta.get("author")
    entries = given if isinstance(given, list) else [given] if given else []
    agents = []
    for entry in entries:
        if isinstance(entry, dict):
            name, kind = entry.get("name"), entry.get("type", "Organization")
            if not isinstance(name, str) or kind not in ("Person", "Organization"):
                continue
            agent = {"@type": kind, "name": name}
            if isinstance(entry.get("url"), str) and _absolute(str(entry["url"])):
                agent["url"] = str(entry["url"])
            agents.append(agent)
        elif isinstance(entry, str) and entry.strip():
            agents.append({"@type": "Organization", "name": entry.strip()})
    return agents


def _day(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


def _string(meta: Mapping[str, Value], key: str) -> str:
    value = meta.get(key)
    return value.strip() if isinstance(value, str) else ""


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _address(meta: Mapping[str, Value], key: str, where: Path) -> str:
    """The front matter's address ``key``, which must be absolute; ``""`` without one."""
    given = _string(meta, key)
    if given and not _absolute(given):
        raise RenderError(
            where,
            None,
            f"{key}: {given!r} in the front matter is not an absolute address; give the "
            "whole address (https://…) or leave it out",
        )
    return given


# -- ClaimReview -------------------------------------------------------------------------


def _claims_shown(ids: list[str]) -> list[str]:
    return [i.removeprefix(ANCHOR_PREFIX) for i in ids if i.startswith(ANCHOR_PREFIX)]


def claim_reviews(
    claims: Sequence[Mapping[str, Any]],
    meta: Mapping[str, Value],
    *,
    headings: Mapping[str, str],
    anchored: list[str],
    timestamp: int,
    where: Path,
) -> list[dict[str, Any]]:
    """One schema.org ``ClaimReview`` per claim, in the claims table's order.

    ``claims`` are the rows of the claims table; ``anchored`` the claim ids the page
    has an anchor for, which must be every one of them (a claim the page does not show
    cannot be linked to). The review's ``url`` is the claim's anchor; the claim appears
    in the essay under its section's heading (the report itself for a section without
    one, as the introduction). Both are left out unless the front matter gives the
    report's address (``url:``). ``where`` names the page in errors.
    """
    known = {str(c["claim_id"]) for c in claims}
    missing = [str(c["claim_id"]) for c in claims if str(c["claim_id"]) not in anchored]
    stray = [i for i in anchored if i not in known]
    if missing or stray:
        problems = []
        if missing:
            problems.append(f"no anchor {ANCHOR_PREFIX}<id> for {', '.join(missing)}")
        if stray:
            problems.append(f"anchors for claims not in the table: {', '.join(stray)}")
        raise RenderError(
            where,
            None,
            f"the page's claim anchors do not match the claims table: {'; '.join(problems)}"
            " (the essay's claims table anchors every claim; is UKREPORT_DATA_DIR the data"
            " the essay was run on?)",
        )
    base = _address(meta, "url", where)
    authors = _authors(meta)
    if not authors:
        raise RenderError(
            where, None, "a ClaimReview needs an author: set author in the front matter"
        )
    title = _string(meta, "title")
    published = _day(timestamp)
    reviews = []
    for claim in claims:
        if str(claim["verdict"]) not in REVIEWED:
            continue
        ident = str(claim["claim_id"])
        if not _ID.fullmatch(ident):
            raise RenderError(where, None, f"claim_id {ident!r} is not a lower-case slug")
        verdict = str(claim["verdict"])
        section = headings.get(str(claim["section"]))
        rating: dict[str, Any] = {
            "@type": "Rating",
            "alternateName": verdict[:1].upper() + verdict[1:],
            "ratingExplanation": str(claim["reasoning"]),
        }
        if verdict in VERDICT_SCALE:
            rating |= {
                "ratingValue": VERDICT_SCALE[verdict],
                "worstRating": min(VERDICT_SCALE.values()),
                "bestRating": max(VERDICT_SCALE.values()),
            }
        appearance = {
            "@type": "CreativeWork",
            "name": title,
            "author": authors,
            "datePublished": published,
        }
        review: dict[str, Any] = {"@context": _CONTEXT, "@type": "ClaimReview"}
        if base:
            appearance["url"] = urljoin(base, f"#{section}") if section else base
            review["url"] = urljoin(base, f"#{ANCHOR_PREFIX}{ident}")
        reviews.append(
            review
            | {
                "claimReviewed": str(claim["quote"]).replace(" | ", ", "),
                "datePublished": published,
                "author": authors,
                "reviewRating": rating,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": authors,
                    "datePublished": published,
                    "appearance": appearance,
                },
            }
        )
    return reviews


# -- Dataset -----------------------------------------------------------------------------


def _homepage() -> str | None:
    """The project's Homepage URL from the installed package's metadata."""
    try:
        urls = metadata.metadata("ukreport").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and _absolute(url.strip()):
            return str(url.strip().rstrip("/"))
    return None


def _data_url(meta: Mapping[str, Value], where: Path) -> str:
    """Where the data package's files are published: the front matter's ``data-url``,
    else the project repository's ``data/processed`` on its main branch; ``""`` when
    neither is known."""
    given = _address(meta, "data-url", where)
    if given:
        return given if given.endswith("/") else given + "/"
    home = _homepage()
    return f"{home}/raw/main/data/processed/" if home else ""


def _downloads(package: Mapping[str, Any], base: str) -> Iterator[dict[str, str]]:
    yield {
        "@type": "DataDownload",
        "name": "datapackage.json",
        "description": "The Frictionless Data Package: every table's columns, types and hashes",
        "encodingFormat": "application/json",
        "contentUrl": urljoin(base, "datapackage.json"),
    }
    for resource in package.get("resources", []):
        path, kind = resource.get("path"), resource.get("mediatype")
        if isinstance(path, str) and isinstance(kind, str):
            yield {
                "@type": "DataDownload",
                "name": path,
                "encodingFormat": kind,
                "contentUrl": urljoin(base, path),
            }


def dataset(
    package: Mapping[str, Any], meta: Mapping[str, Value], *, where: Path
) -> dict[str, Any]:
    """The data package as a schema.org ``Dataset``: name, description, version,
    licence and a ``DataDownload`` for the descriptor and each CSV and Parquet file."""
    title, name = package.get("title"), package.get("name")
    if not isinstance(title, str) or not isinstance(name, str):
        raise RenderError(where, None, "datapackage.json has no title or name; run make data")
    tables = [str(r.get("name")) for r in package.get("resources", []) if r.get("type") == "table"]
    description = (
        f"{title}. A Frictionless Data Package of {len(tables)} tables ({', '.join(tables)}),"
        " each as CSV and Parquet, every column typed and described in datapackage.json;"
        " every row cites the public page it was read from."
    )
    base = _data_url(meta, where)
    out: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": "Dataset",
        "name": title,
        "alternateName": name,
        "description": description,
        "isAccessibleForFree": True,
    }
    if base:  # a download without an address is none
        out["distribution"] = list(_downloads(package, base))
    if isinstance(package.get("version"), str):
        out["version"] = package["version"]
    licences = [lic.get("path") for lic in package.get("licenses", [])]
    if licences and isinstance(licences[0], str) and _absolute(licences[0]):
        out["license"] = licences[0]
    page = _address(meta, "data-url", where) or _homepage()
    if page:
        out["url"] = page
    authors = _authors(meta)
    if authors:
        out["creator"] = authors
    return out


# -- the head ----------------------------------------------------------------------------


def _package(data_dir: Path | None) -> dict[str, Any] | None:
    """``datapackage.json`` of the data the report reads, or ``None`` when there is none."""
    from ukreport import datasets

    descriptor = datasets.data_path(data_dir).joinpath("datapackage.json")
    if not descriptor.is_file():
        return None
    loaded: dict[str, Any] = json.loads(descriptor.read_text(encoding="utf-8"))
    return loaded


def _claims(data_dir: Path | None) -> list[dict[str, Any]]:
    """The rows of the claims table as text (hash-checked): the reviews need only their
    words, and reading them so needs no pandas in a render whose cells were frozen."""
    from ukreport.datasets import read_rows

    return list(read_rows("claims", data_dir=data_dir))


def head(
    tree: Path, meta: Mapping[str, Value], *, timestamp: int, data_dir: Path | None = None
) -> str:
    """The JSON-LD blocks for the page built from the pandoc document ``tree`` (JSON),
    describing the data package in ``data_dir`` (by default the packaged data).

    A page that reviews the essay's claims (it anchors them) is the report on the data:
    it gets the data package's ``Dataset`` and a ``ClaimReview`` per claim. Any other
    page (a document that is not the essay) describes neither, and gets none.
    """
    document = json.loads(tree.read_text(encoding="utf-8"))
    headings, ids = page_anchors(document)
    anchored = _claims_shown(ids)
    if not anchored:
        logger.info("the page anchors no claim: it gets no JSON-LD")
        return ""
    blocks = []
    package = _package(data_dir)
    if package is None:
        raise RenderError(
            tree, None, "the page reviews claims but the data have no datapackage.json: make data"
        )
    blocks.append(script(dataset(package, meta, where=tree)))
    reviews = claim_reviews(
        _claims(data_dir),
        meta,
        headings=headings,
        anchored=anchored,
        timestamp=timestamp,
        where=tree,
    )
    blocks.extend(script(review) for review in reviews)
    return "".join(blocks)
