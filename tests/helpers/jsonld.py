"""Reading a page's JSON-LD as a search engine does, and what schema.org and Google's
structured-data guidelines require of the types the report writes.

The requirements are Google's for ``ClaimReview`` (required: ``claimReviewed``,
``reviewRating`` with ``alternateName``, ``url``; recommended: ``author`` with a name,
``datePublished``, ``itemReviewed`` a ``Claim`` with ``author``, ``datePublished`` and
``appearance`` or ``firstAppearance``) and for ``Dataset`` (required: ``name``,
``description`` of 50 to 5000 characters; recommended: ``license``, ``version``,
``url``, ``creator``, ``distribution`` of ``DataDownload`` with ``contentUrl`` and
``encodingFormat``). The ClaimReview list is the table of Google's "Fact check
(ClaimReview) structured data" page
(https://developers.google.com/search/docs/appearance/structured-data/factcheck), as
Full Fact's notes on it also give it
(https://fullfact.github.io/markup-investigation/docs/notes/01-basic-usage/): Rating
``bestRating``, ``worstRating``, ``ratingValue`` and ``name`` are recommended there too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from lxml.html import HtmlElement

LD_JSON = "application/ld+json"


def blocks(dom: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD block of the page, parsed (a block that is not JSON fails here)."""
    found = []
    for element in dom.iter("script"):
        if element.get("type") == LD_JSON:
            data = json.loads(element.text or "")
            assert isinstance(data, dict), data
            found.append(data)
    return found


def of_type(dom: HtmlElement, kind: str) -> list[dict[str, Any]]:
    return [b for b in blocks(dom) if b.get("@type") == kind]


def _text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _agents(value: object) -> list[str]:
    agents = value if isinstance(value, list) else [value]
    problems = []
    if not agents:
        problems.append("no author")
    for agent in agents:
        if not isinstance(agent, dict) or agent.get("@type") not in ("Person", "Organization"):
            problems.append(f"author {agent!r} is not a Person or Organization")
        elif not _text(agent.get("name")):
            problems.append(f"author {agent!r} has no name")
    return problems


def claim_review_problems(review: dict[str, Any], *, addressed: bool = True) -> list[str]:
    """What a ``ClaimReview`` lacks of Google's required and recommended properties;
    its ``url`` and its appearance's only when the page states its own address
    (``addressed``: without one, the report leaves them out rather than be relative)."""
    problems = []
    if review.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append("@context is not schema.org")
    for key in ("claimReviewed", "url") if addressed else ("claimReviewed",):
        if not _text(review.get(key)):
            problems.append(f"{key} missing or empty")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict) or rating.get("@type") != "Rating":
        problems.append("reviewRating is not a Rating")
    else:
        if not _text(rating.get("alternateName")):
            problems.append("reviewRating.alternateName missing")
        if "ratingValue" in rating:
            low, value, high = (rating.get(k) for k in ("worstRating", "ratingValue", "bestRating"))
            if not all(isinstance(n, int) for n in (low, value, high)):
                problems.append("ratingValue without integer worstRating and bestRating")
            elif not low <= value <= high:  # type: ignore[operator]
                problems.append(f"ratingValue {value} outside {low}..{high}")
    problems += _agents(review.get("author"))
    if not _date(review.get("datePublished")):
        problems.append("datePublished is not an ISO date")
    claim = review.get("itemReviewed")
    if not isinstance(claim, dict) or claim.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    else:
        problems += [f"itemReviewed: {p}" for p in _agents(claim.get("author"))]
        if not _date(claim.get("datePublished")):
            problems.append("itemReviewed.datePublished is not an ISO date")
        seen = claim.get("appearance") or claim.get("firstAppearance")
        if not isinstance(seen, dict) or (addressed and not _text(seen.get("url"))):
            problems.append("itemReviewed has no appearance with a url")
    return problems


ADDRESS_KEYS = frozenset({"url", "contentUrl", "license", "sameAs", "@id"})
"""The schema.org properties the report writes an address in."""


def addresses(data: object) -> list[str]:
    """Every address in a JSON-LD block (the values of :data:`ADDRESS_KEYS`)."""
    if isinstance(data, list):
        return [found for item in data for found in addresses(item)]
    if not isinstance(data, dict):
        return []
    found = [str(v) for k, v in data.items() if k in ADDRESS_KEYS]
    return found + [f for k, v in data.items() if k not in ADDRESS_KEYS for f in addresses(v)]


def dataset_problems(data: dict[str, Any]) -> list[str]:
    """What a ``Dataset`` lacks of Google's required and recommended properties."""
    problems = []
    if not _text(data.get("name")):
        problems.append("name missing")
    description = data.get("description")
    if not isinstance(description, str) or not 50 <= len(description) <= 5000:
        problems.append("description missing or not 50-5000 characters")
    for key in ("license", "version", "url"):
        if not _text(data.get(key)):
            problems.append(f"{key} missing")
    problems += _agents(data.get("creator"))
    downloads = data.get("distribution")
    if not isinstance(downloads, list) or not downloads:
        problems.append("no distribution")
    else:
        for download in downloads:
            if download.get("@type") != "DataDownload":
                problems.append(f"{download!r} is not a DataDownload")
            elif not (_text(download.get("contentUrl")) and _text(download.get("encodingFormat"))):
                problems.append(f"{download!r} lacks contentUrl or encodingFormat")
    return problems
