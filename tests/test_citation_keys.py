"""Citation keys: one per page, never shared. Eight hex digits of the address's SHA-256
clash (two Reuters pages share ``reuters.com-29a09274``); the pages that would share a
key each get more digits, whatever the order of the rows, and every other page keeps
the short key it had."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from helpers.paths import ROOT
from helpers.tables import edit_table, read_rows, set_cell
from ukreport import references
from ukreport.process import process
from ukreport.references import _keys, key, key_of, keys

A = "https://www.reuters.com/world/europe/ukraine-talks-26973/"
B = "https://www.reuters.com/world/europe/ukraine-talks-35259/"
"""Two pages whose keys, at eight digits, are the same."""


def test_the_reuters_pair_shares_eight_digits_and_gets_two_keys() -> None:
    assert key(A) == key(B) == "reuters.com-29a09274"  # each alone: the short key
    both = keys([A, B])
    assert both[A] != both[B]
    assert both == {A: "reuters.com-29a09274c", B: "reuters.com-29a092746"}
    assert keys([B, A, B]) == both
    assert key(A, among=[B]) == both[A] and key(B, among=[A]) == both[B]


def test_a_page_without_a_clash_keeps_its_short_key() -> None:
    other = "https://tass.com/politics/1"
    short = f"tass.com-{hashlib.sha256(other.encode()).hexdigest()[:8]}"
    assert keys([A, B, other])[other] == short == key(other)


def _frame(urls: list[str], titles: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_url": urls,
            "source_title": titles,
            "source_kind": ["news"] * len(urls),
            "accessed": [pd.Timestamp("2026-11-26")] * len(urls),
        }
    )


def test_the_bibliography_keeps_both_pages_whatever_the_order() -> None:
    frame = _frame([A, B, A], ["Page A", "Page B", "Page A again"])
    items = references.bibliography({"events": frame}, ["events"])
    assert {(item["id"], item["URL"], item["title"]) for item in items} == {
        (keys([A, B])[A], A, "Page A"),
        (keys([A, B])[B], B, "Page B"),
    }
    reordered = frame.iloc[::-1].reset_index(drop=True)
    again = references.bibliography({"events": reordered}, ["events"])
    assert {(i["id"], i["URL"]) for i in again} == {(i["id"], i["URL"]) for i in items}


def test_the_published_keys_are_the_short_keys_where_nothing_clashes() -> None:
    """The keys already published do not move: a page keeps its eight digits unless
    another page shares them."""
    loaded = json.loads((ROOT / "data/processed" / references.FILE).read_text("utf-8"))
    pages = [item for item in loaded if item["type"] != "dataset"]
    short = {item["URL"]: key(item["URL"]) for item in pages}
    counts = pd.Series(list(short.values())).value_counts()
    for item in pages:
        if counts[short[item["URL"]]] == 1:
            assert item["id"] == short[item["URL"]], item["URL"]
    assert len({item["id"] for item in loaded}) == len(loaded)


def test_rows_citing_the_pair_cite_each_its_own_page(raw_dir: Path, tmp_path: Path) -> None:
    """Through the data package: both pages are in ``references.json``, and the key the
    essay cites a row's page by (:func:`~ukreport.references.key_of`) is that page's."""
    events = raw_dir / "events.csv"
    assert len(read_rows(events)) > 3
    edit_table(
        events,
        set_cell(1, "source_url", A),
        set_cell(1, "source_title", "Page A"),
        set_cell(2, "source_url", B),
        set_cell(2, "source_title", "Page B"),
    )
    out = tmp_path / "processed"
    process(raw_dir, out)
    items = json.loads((out / references.FILE).read_text(encoding="utf-8"))
    by_url = {item.get("URL"): item for item in items}
    assert by_url[A]["title"] == "Page A" and by_url[B]["title"] == "Page B"
    assert by_url[A]["id"] != by_url[B]["id"]
    assert key_of(A, out) == by_url[A]["id"] and key_of(B, out) == by_url[B]["id"]
    # a page the bibliography lacks never gets the key of one it has
    left = [item for item in items if item.get("URL") != B]
    (out / references.FILE).write_text(json.dumps(left), encoding="utf-8")
    assert key_of(A, out) == by_url[A]["id"]
    assert key_of(B, out) not in {str(item["id"]) for item in left}


_PATHS = st.text(alphabet="abcxyz/-_.?=%0123456789", max_size=12)
_URLS = st.builds(
    lambda host, path: f"https://{host}/{path}",
    st.sampled_from(["reuters.com", "www.reuters.com", "tass.com", "a-b.org", "kremlin.ru."]),
    _PATHS,
)


@given(urls=st.lists(_URLS, max_size=40), seed=st.randoms(use_true_random=False))
def test_keys_are_unique_and_independent_of_order(urls: list[str], seed: object) -> None:
    """With one hex digit, almost every page clashes with another: the keys stay one
    per page, the same in any order, short where nothing clashes and otherwise longer
    than short and starting with it."""
    made = _keys(urls, 1)
    assert set(made) == set(urls)
    assert len(set(made.values())) == len(made)
    shuffled = list(urls)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _keys(shuffled, 1) == made
    for url in made:
        alone = _keys([url], 1)[url]
        sharing = [u for u in made if _keys([u], 1)[u] == alone]
        if len(sharing) == 1:
            assert made[url] == alone
        else:
            assert made[url].startswith(alone) and len(made[url]) > len(alone)
