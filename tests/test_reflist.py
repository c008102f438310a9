"""The reference list is written once per format and kept: a render that takes it from
the store gives the same bytes as one that writes the document whole; a changed list
is written again; text that happens to hold the placeholder is left as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers.paths import ASSETS
from test_citations import ITEMS, URL, essay
from ukreport.references import key
from ukreport.report.render import reflist, render
from ukreport.report.render.freeze import CACHE_DIR
from ukreport.report.render.reflist import FORMATS, without_list

pytestmark = pytest.mark.render

BODY = (
    f"They met [@{key(URL)}].\n\n# References\n\n::: {{#refs}}\n:::\n\n"
    "# After the list\n\nA footnote after it.[^1]\n\n[^1]: The note.\n"
)


def _store(source: Path) -> Path:
    return source.parent / CACHE_DIR / "reference-lists"


def _not_again(*args: object) -> str:
    raise AssertionError("the kept list was written again")


def _bytes(paths: list[Path]) -> list[bytes]:
    return [path.read_bytes() for path in paths]


def test_a_kept_list_gives_the_bytes_of_a_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source = essay(tmp_path, BODY, front='nocite: "@*"\n')
    whole = _bytes(render(source, tmp_path / "whole", assets=ASSETS, cache=False))
    assert not _store(source).exists()
    written = _bytes(render(source, tmp_path / "written", assets=ASSETS))
    kept = sorted(p.name.split("-")[0] for p in _store(source).iterdir())
    assert kept == ["html5", "typst"]
    monkeypatch.setattr(reflist, "_write_alone", _not_again)
    again = _bytes(render(source, tmp_path / "again", assets=ASSETS))
    assert whole == written == again
    assert b"Another Page" in whole[0] and b"The note." in whole[0]


def test_a_changed_list_is_written_again(tmp_path: Path) -> None:
    source = essay(tmp_path, BODY)
    render(source, tmp_path / "one", assets=ASSETS, formats=("html",))
    items = [{**item, "title": "Talks in Jeddah"} if item["URL"] == URL else item for item in ITEMS]
    (tmp_path / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    [html] = render(source, tmp_path / "two", assets=ASSETS, formats=("html",))
    page = html.read_text(encoding="utf-8")
    assert "Talks in Jeddah" in page and "Talks in Riyadh" not in page
    assert len(list(_store(source).iterdir())) == 1  # the new list in place of the old


@pytest.mark.parametrize(
    "text",
    [
        "```{=html}\n<!--ukreport-reference-list-placeholder-->\n```\n\n"
        "```{=typst}\nukreport-reference-list-placeholder\n```\n\n",
        "The word ukreport-reference-list-placeholder, once.\n\n",
    ],
    ids=["raw blocks", "prose"],
)
def test_the_placeholder_in_the_text_is_left_as_it_is(tmp_path: Path, text: str) -> None:
    """The essay's own text holding the placeholder, even as raw HTML and Typst: the
    document is written whole, as without the store."""
    source = essay(tmp_path, text + BODY)
    whole = _bytes(render(source, tmp_path / "whole", assets=ASSETS, cache=False))
    assert _bytes(render(source, tmp_path / "kept", assets=ASSETS)) == whole
    assert not _store(source).exists()


def test_a_heading_inside_the_list_keeps_it_in_the_document(tmp_path: Path) -> None:
    """A heading the author put inside ``{#refs}`` is in the table of contents, which is
    written with the document: such a list is not written apart."""
    body = BODY.replace("::: {#refs}\n", "::: {#refs}\n## Sources listed\n\n")
    source = essay(tmp_path, body, front="toc: true\n")
    whole = _bytes(render(source, tmp_path / "whole", assets=ASSETS, cache=False))
    assert b'href="#sources-listed"' in whole[0]
    assert _bytes(render(source, tmp_path / "kept", assets=ASSETS)) == whole
    assert not _store(source).exists()


def test_a_placeholder_the_writer_lost_falls_back_to_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a template or filter drop the placeholder, the document is written whole."""
    source = essay(tmp_path, BODY)
    whole = _bytes(render(source, tmp_path / "whole", assets=ASSETS, cache=False))

    def lost(document: dict[str, Any], to: str) -> tuple[dict[str, Any], str] | None:
        taken = without_list(document, to)
        return None if taken is None else (taken[0], "not-in-the-output")

    monkeypatch.setattr(reflist, "without_list", lost)
    assert _bytes(render(source, tmp_path / "kept", assets=ASSETS)) == whole


def _doc(*blocks: dict[str, object]) -> dict[str, object]:
    return {"pandoc-api-version": [1, 23], "meta": {}, "blocks": list(blocks)}


def _refs(name: str = "refs") -> dict[str, object]:
    entry = {"t": "Div", "c": [["ref-a", ["csl-entry"], []], [{"t": "Para", "c": []}]]}
    return {"t": "Div", "c": [[name, [], []], [entry]]}


def test_only_one_list_inside_divs_is_taken_out_and_only_for_html_and_typst() -> None:
    nested = _doc({"t": "Div", "c": [["outer", [], []], [_refs()]]})
    alone, placeholder = without_list(nested, "html5") or ({}, "")
    assert placeholder == FORMATS["html5"][1]
    assert alone["blocks"] == [_refs()]
    assert nested["blocks"][0]["c"][1] == [{"t": "RawBlock", "c": ["html", placeholder]}]  # type: ignore[index]
    assert without_list(_doc(_refs()), "docx") is None
    assert without_list(_doc(_refs(), _refs()), "typst-citations") is None
    assert without_list(_doc(_refs("other")), "html5") is None
    heading = {"t": "Header", "c": [2, ["sources", [], []], []]}
    with_heading = _refs()
    with_heading["c"][1].insert(0, heading)  # type: ignore[index]
    assert without_list(_doc(with_heading), "html5") is None


def test_the_records_own_items_format_the_same_from_cold_and_warm_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items as the data package writes them (publishers, dates at a day's, a month's or
    no precision, bylines, titles not in English) and citations whose year suffixes
    (TASS 2025a, 2025b …) the list must repeat: the same bytes with no store, from a
    cold store and from a warm one."""
    from helpers.paths import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    loaded = json.loads((ROOT / "data/processed/references.json").read_text(encoding="utf-8"))
    tass = [item for item in loaded if item.get("container-title") == "TASS"]
    others = [
        item
        for item in loaded
        if item.get("language") not in (None, "en")
        or "author" in item
        or item["type"] != "article-newspaper"
    ]
    items = tass + others[:40]
    assert {len(i["issued"]["date-parts"][0]) for i in items if "issued" in i} >= {3}
    assert any("issued" not in item for item in tass)
    (tmp_path / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    cited = "; ".join(f"@{item['id']}" for item in tass[::3])
    body = (
        f"They met [{cited}]. Later [@{others[0]['id']}].\n\n# References\n\n::: {{#refs}}\n:::\n"
    )
    source = tmp_path / "essay.qmd"
    source.write_text(
        f'---\ntitle: Cited\nlang: en\nbibliography: refs.json\nnocite: "@*"\n---\n\n{body}',
        encoding="utf-8",
    )
    whole = _bytes(render(source, tmp_path / "whole", assets=ASSETS, cache=False))
    cold = _bytes(render(source, tmp_path / "cold", assets=ASSETS))
    monkeypatch.setattr(reflist, "_write_alone", _not_again)
    warm = _bytes(render(source, tmp_path / "warm", assets=ASSETS))
    assert whole == cold == warm
    page = whole[0].decode("utf-8")
    assert re.search(r"<em>TASS</em> 20\d\d[a-z]", page) and "Tass.com" not in page
