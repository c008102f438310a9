"""The report's schema.org JSON-LD: a ClaimReview for every checkable claim of the claims table,
pointing at the claim's anchor in the page, and a Dataset for the data package, each
meeting Google's requirements; and the escaping that keeps hostile data inside it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers.html import by_id, text_of
from helpers.jsonld import addresses, blocks, claim_review_problems, dataset_problems, of_type
from helpers.paths import ESSAY
from helpers.report import EPOCH, Report
from ukreport.errors import RenderError
from ukreport.report.render.document import parse
from ukreport.report.render.engine import source_date_epoch
from ukreport.report.render.html import tidy
from ukreport.report.render.jsonld import REVIEWED, claim_reviews, script
from ukreport.schemas.vocabulary import NOT_RATED, VERDICTS

pytestmark = pytest.mark.render


def test_every_block_is_json_ld_in_the_head(report: Report) -> None:
    found = blocks(report.dom)
    rated = report.frames["claims"]["verdict"].isin(REVIEWED)
    assert len(found) == int(rated.sum()) + 1
    (head,) = report.dom.cssselect("head")
    assert len([s for s in head.iter("script")]) == len(found)
    assert all(block["@context"] == "https://schema.org" for block in found)


def test_every_address_is_absolute(report: Report) -> None:
    """The essay states no address of its own (``url:``): its reviews carry none, and
    every address there is (the data's downloads, the licence) is absolute."""
    assert "url" not in parse(ESSAY).meta
    found = addresses(blocks(report.dom))
    assert len(found) > 10
    for address in found:
        parts = urlparse(address)
        assert parts.scheme == "https" and parts.netloc, address
    for review in of_type(report.dom, "ClaimReview"):
        assert "url" not in review and "url" not in review["itemReviewed"]["appearance"]


def test_every_claim_has_a_claim_review_that_meets_the_requirements(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviews = of_type(report.dom, "ClaimReview")
    meta = parse(ESSAY).meta
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the report's, as it was built
    day = dt.datetime.fromtimestamp(source_date_epoch(meta), dt.UTC).date().isoformat()
    claims = [c for c in report.frames["claims"].to_dict("records") if c["verdict"] in REVIEWED]
    assert len(reviews) == len(claims)
    for claim, review in zip(claims, reviews, strict=True):
        problems = claim_review_problems(review, addressed=False)
        assert not problems, (claim["claim_id"], problems)
        assert review["claimReviewed"] == claim["quote"].replace(" | ", ", ")
        assert review["reviewRating"]["alternateName"].lower() == claim["verdict"]
        assert review["reviewRating"]["ratingExplanation"] == claim["reasoning"]
        assert review["datePublished"] == review["itemReviewed"]["datePublished"] == day
        assert [a["name"] for a in review["author"]] == [meta["author"]]
        assert review["itemReviewed"]["appearance"]["name"] == meta["title"]


def test_verdicts_are_rated_worst_to_best(report: Report) -> None:
    ratings = {
        r["reviewRating"]["alternateName"]: r["reviewRating"].get("ratingValue")
        for r in of_type(report.dom, "ClaimReview")
    }
    assert ratings["Disputed"] < ratings["Partly supported"] < ratings["Supported"]
    if "Unverified" in ratings:
        assert ratings["Unverified"] is None


def test_claim_review_urls_are_the_claims_anchors_in_the_report(report: Report) -> None:
    """Given the report's address, each review's ``url`` is its claim's anchor in the
    page, and its appearance the heading of the claim's section."""
    claims = report.frames["claims"].to_dict("records")
    rated = [c for c in claims if c["verdict"] in REVIEWED]
    ids = [str(n.get("id")) for n in report.main.iter() if n.get("id")]
    headings = {text_of(h): str(h.get("id")) for h in report.main.cssselect("h2[id], h3[id]")}
    meta = {"title": "T", "author": "A", "url": "https://example.org/essay.html"}
    reviews = claim_reviews(
        claims,
        meta,
        headings=headings,
        anchored=[i.removeprefix("claim-") for i in ids if i.startswith("claim-")],
        timestamp=0,
        where=report.html_path,
    )
    for claim, review in zip(rated, reviews, strict=True):
        assert not claim_review_problems(review), claim_review_problems(review)
        assert review["url"].startswith(meta["url"] + "#")
        fragment = urlparse(review["url"]).fragment
        assert fragment == f"claim-{claim['claim_id']}"
        anchor = by_id(report.main, fragment)
        assert claim["quote"].replace(" | ", ", ") in text_of(anchor)
        assert anchor.xpath("ancestor::table[@id='tbl-claims']"), fragment
        seen = urlparse(review["itemReviewed"]["appearance"]["url"]).fragment
        if claim["section"] == "Introduction":  # the essay's opening has no heading
            assert seen == ""
        else:
            heading = by_id(report.main, seen)
            assert heading.tag in ("h2", "h3") and text_of(heading) == claim["section"]


def test_dataset_describes_the_data_package(report: Report) -> None:
    (data,) = of_type(report.dom, "Dataset")
    assert not dataset_problems(data), dataset_problems(data)
    package = json.loads((report.processed / "datapackage.json").read_text(encoding="utf-8"))
    assert data["name"] == package["title"]
    assert data["version"] == package["version"]
    assert data["license"] == package["licenses"][0]["path"]
    files = {Path(urlparse(d["contentUrl"]).path).name: d for d in data["distribution"]}
    expected = {"datapackage.json"} | {r["path"] for r in package["resources"]}
    assert {"events.parquet", "references.json"} <= expected
    assert set(files) == expected
    for name, download in files.items():
        assert (report.processed / name).is_file(), name
        assert urlparse(download["contentUrl"]).scheme == "https"
    assert files["events.csv"]["encodingFormat"] == "text/csv"


def test_script_keeps_hostile_text_inside_the_json() -> None:
    hostile = '</script><script>alert(1)</script><!-- & \u2028 \\ "quoted" </SCRIPT >'
    element = script({"claimReviewed": hostile})
    body = element.removeprefix('<script type="application/ld+json">').removesuffix("</script>\n")
    assert not re.search(r"[<>&\u2028\u2029]", body)
    assert json.loads(body) == {"claimReviewed": hostile}
    assert script({"b": 1, "a": [2]}) == script({"a": [2], "b": 1})  # keys sorted


def test_forecasts_and_opinions_get_no_claim_review(tmp_path: Path) -> None:
    assert set(VERDICTS) - set(REVIEWED) == set(NOT_RATED)
    claims = [
        {"claim_id": ident, "section": "S", "quote": "q", "verdict": verdict, "reasoning": "r"}
        for ident, verdict in [("a", "forecast"), ("b", "opinion"), ("c", "disputed")]
    ]
    reviews = claim_reviews(
        claims,
        {"title": "T", "author": "A", "url": "https://example.org/e.html"},
        headings={},
        anchored=["a", "b", "c"],
        timestamp=0,
        where=tmp_path,
    )
    assert [r["url"] for r in reviews] == ["https://example.org/e.html#claim-c"]


def test_claim_anchors_must_match_the_claims_table(tmp_path: Path) -> None:
    claims = [
        {
            "claim_id": "a",
            "section": "S",
            "quote": "q",
            "verdict": "supported",
            "reasoning": "r",
        }
    ]
    meta = {"title": "T", "author": "A"}
    with pytest.raises(RenderError, match=r"no anchor claim-<id> for a.*not in the table: b"):
        claim_reviews(claims, meta, headings={}, anchored=["b"], timestamp=0, where=tmp_path)
    with pytest.raises(RenderError, match="needs an author"):
        claim_reviews(
            claims, {"title": "T"}, headings={}, anchored=["a"], timestamp=0, where=tmp_path
        )
    (review,) = claim_reviews(
        claims,
        {**meta, "url": "https://example.org/essay.html"},
        headings={"S": "s"},
        anchored=["a"],
        timestamp=0,
        where=tmp_path,
    )
    assert review["url"] == "https://example.org/essay.html#claim-a"
    assert review["itemReviewed"]["appearance"]["url"] == "https://example.org/essay.html#s"
    assert review["datePublished"] == "1970-01-01"
    assert not claim_review_problems(review)


def test_tidy_drops_trailing_slashes_and_img_roles_outside_raw_text() -> None:
    page = (
        '<col style="width: 24%" /><br/><img role="img" alt="x" src="a.svg" />'
        '<p>&lt;br /&gt;</p><script type="application/ld+json">{"a":"<br />"}</script>'
        "<style>a::after{content:'<hr />'}</style><hr/>"
    )
    assert tidy(page) == (
        '<col style="width: 24%"><br><img alt="x" src="a.svg">'
        '<p>&lt;br /&gt;</p><script type="application/ld+json">{"a":"<br />"}</script>'
        "<style>a::after{content:'<hr />'}</style><hr>"
    )


def test_without_an_address_nothing_relative_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ``url:``: the reviews carry no address; no Homepage either: the dataset has no
    download (an address relative to an unknown page is none); an address the front
    matter gives must be absolute, and is refused, named, when it is not."""
    from ukreport.report.render import jsonld

    claims = [
        {"claim_id": "a", "section": "S", "quote": "q", "verdict": "supported", "reasoning": "r"}
    ]
    meta = {"title": "T", "author": [{"name": "A", "url": "/about"}]}
    (review,) = claim_reviews(
        claims, meta, headings={"S": "s"}, anchored=["a"], timestamp=0, where=tmp_path
    )
    assert not addresses(review)
    assert not claim_review_problems(review, addressed=False)
    assert claim_review_problems(review) == [
        "url missing or empty",
        "itemReviewed has no appearance with a url",
    ]
    package = {
        "title": "Data",
        "name": "data",
        "version": "1",
        "licenses": [{"path": "LICENSE"}],
        "resources": [{"path": "events.csv", "mediatype": "text/csv"}],
    }
    with_home = jsonld.dataset(package, {"author": "A"}, where=tmp_path)
    assert all(a.startswith("https://") for a in addresses(with_home)), addresses(with_home)
    assert "license" not in with_home  # a licence path relative to the package
    monkeypatch.setattr(jsonld, "_homepage", lambda: None)
    alone = jsonld.dataset(package, {"author": "A"}, where=tmp_path)
    assert not addresses(alone) and "distribution" not in alone
    for given in ("essay.html", "/essay.html", "//example.org/e", "javascript:alert(1)"):
        with pytest.raises(RenderError, match=r"url: '.*' in the front matter is not an"):
            claim_reviews(
                claims,
                {**meta, "url": given},
                headings={},
                anchored=["a"],
                timestamp=0,
                where=tmp_path,
            )
        with pytest.raises(RenderError, match=r"data-url: '.*' in the front matter is not an"):
            jsonld.dataset(package, {"data-url": given}, where=tmp_path)
