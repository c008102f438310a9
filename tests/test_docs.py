"""The documents say what the data and the code say.

Counts in the documents are checked, never trusted: each phrase that quotes a number
about the data is found by a pattern below and compared with the number computed from
``data/raw``, the published tables or the build graph (``helpers.docfacts``); and a
sweep fails on any number beside a word such as "rows", "pages" or "events" that no
check covers, so a count typed into a document without a check fails too. Beside them:
every relative link resolves, ``data/raw/README.md``'s column lists, template row and
id convention hold for the real tables, and the README names the essay by its title.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.docfacts import NUMBER_WORDS, Facts, day, documents, facts, number, raw_rows
from helpers.paths import ROOT
from ukreport import schemas
from ukreport.validation.validate import validate

Expected = Callable[[Facts], tuple[object, ...]]

RAW_README = "data/raw/README.md"

CHECKS: list[tuple[str, str, Expected]] = [
    # The README: the window's first year.
    ("README.md", r"stated scope since (\d{4})", lambda f: (f.coverage_start.year,)),
    # CITATION.cff's abstract (tests/test_citation_cff.py checks it against the package too).
    (
        "CITATION.cff",
        r"(\d+) diplomatic events \((\d{4})–(\d{4})\)",
        lambda f: (f.rows["events"], *f.years),
    ),
    ("CITATION.cff", r"(\d+) diplomatic initiatives", lambda f: (f.rows["initiatives"],)),
    ("CITATION.cff", r"(\d+) areas of US–Russia", lambda f: (f.rows["cooperation"],)),
    ("CITATION.cff", r"(\d+) checkable claims", lambda f: (f.rows["claims"],)),
    # docs/data.md: the tables.
    ("docs/data.md", r"(\w+) hand-curated tables", lambda f: (len(schemas.TABLES),)),
    (
        "docs/architecture.md",
        r"record as (\w+) hand-curated tables",
        lambda f: (len(schemas.TABLES),),
    ),
    *(
        ("docs/data.md", rf"\| `{table}\.csv` \| (\d+) \|", lambda f, t=table: (f.rows[t],))
        for table in schemas.TABLES
    ),
    (
        "docs/data.md",
        r"(\d{4}) to the day the sources were read, plus (\w+) anchors from (\d{4})–(\d{4})",
        lambda f: (f.coverage_start.year, f.anchors, *f.anchor_years),
    ),
    ("docs/data.md", r"the last event on record is of (\d+ \w+ \d{4})", lambda f: (f.last_event,)),
    # docs/pipeline.md: what the build's steps write, as the build graph declares it.
    ("docs/pipeline.md", r"wrote (\d+) files to data/processed", lambda f: (f.outputs["data"],)),
    ("docs/pipeline.md", r"drew (\d+) figure files", lambda f: (f.outputs["figures"],)),
    # data/raw/README.md: the pages and their publication dates, the window.
    (
        RAW_README,
        r"Of the (\d+) pages the record cites, (\d+) \((\d+\.\d)%\) are dated",
        lambda f: (
            len(f.pages),
            len(f.dated),
            f"{100 * len(f.dated) / len(f.pages):.1f}",
        ),
    ),
    (RAW_README, r"The (\d+) undated pages are listed", lambda f: (len(f.undated),)),
    (
        RAW_README,
        r"(\d+) of the (\d+) cited pages have no `source_published`",
        lambda f: (len(f.undated), len(f.pages)),
    ),
    (
        RAW_README,
        r"window runs from \*\*(\d{4}-\d\d-\d\d)\*\*",
        lambda f: (f.coverage_start,),
    ),
    (
        RAW_README,
        r"the day the sources were last read, \*\*(\d{4}-\d\d-\d\d)\*\*; the (\w+) rows before "
        r"(\d{4})",
        lambda f: (f.last_read, f.anchors, f.coverage_start.year),
    ),
    (
        RAW_README,
        r"Every row of the first (\w+) cites a page",
        lambda f: (len(schemas.SOURCED_TABLES),),
    ),
    (RAW_README, r"one of the (\w+) sourced tables", lambda f: (len(schemas.SOURCED_TABLES),)),
    (RAW_README, r"read its sources on (\d{4}-\d\d-\d\d)", lambda f: (f.last_read,)),
    (
        RAW_README,
        r"events are recorded through (\d+ \w+ \d{4})",
        lambda f: (f.last_event,),
    ),
]
"""(document, pattern, the values its groups must hold): every phrase quoting the data."""

ALLOWED: dict[str, list[tuple[str, str]]] = {
    RAW_README: [
        (
            "a sample of 49 rows",
            "the size of a past re-check's sample, a fact of that re-check, not of today's data",
        ),
        ("its three tables", "the essay's tables, a fact of the essay's text"),
        ("the essay's three tables", "the essay's tables, a fact of the essay's text"),
        ("where two rows would", "a rule for naming, not a count"),
    ],
    "docs/benchmarks.md": [
        ("10,000 events", "the benchmark's synthetic record, a parameter of the benchmark"),
    ],
    "docs/development.md": [
        ("20,000-row files", "the size of the slow tier's generated files, not of the data"),
    ],
    "docs/validation.md": [
        ("Two tables of one name", "a rule about input, not a count of the data"),
        ("two files of one table name", "a rule about input, not a count of the data"),
    ],
    "docs/reviewing.md": [
        ("999,900 more added rows", "an example of the diff's closing line"),
    ],
}
"""(document → phrases the sweep lets through, each with the reason it is not a count of
the data)."""

NOUNS = (
    r"(?:events?|rows?|pages?|sources?|claims?|initiatives?|areas?|files?|tests?|"
    r"references?|entries|anchors?|tables?|figures?)"
)
SWEEP = re.compile(
    rf"(?<![\w.\-/])(?!(?:19|20)\d\d\b)(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{'|'.join(NUMBER_WORDS[2:])})"
    rf"(?:[ -](?!{NOUNS}\b)[\w’'-]+){{0,2}}[ -]{NOUNS}\b",
    re.IGNORECASE,
)
"""A number (in digits, or a word from two to twenty; not a year, not inside an address)
and within two words a noun that counts the data."""


def text_of(name: str) -> str:
    """A document with its white space collapsed, so a phrase may cross a line break."""
    return re.sub(r"\s+", " ", (ROOT / name).read_text(encoding="utf-8"))


def same(found: str, expected: object) -> bool:
    if isinstance(expected, bool):
        raise TypeError("a boolean is not a fact a document quotes")
    if isinstance(expected, int):
        return number(found) == expected
    if isinstance(expected, dt.date):
        return day(found) == expected
    return found == str(expected)


@pytest.mark.parametrize(
    ("name", "pattern", "expected"),
    CHECKS,
    ids=[f"{name}:{pattern[:40]}" for name, pattern, _ in CHECKS],
)
def test_each_quoted_count_is_the_data(name: str, pattern: str, expected: Expected) -> None:
    found = list(re.finditer(pattern, text_of(name)))
    assert found, f"{name}: no phrase matches {pattern!r}: restore it, or remove its check"
    values = expected(facts())
    for match in found:
        for got, want in zip(match.groups(), values, strict=True):
            assert same(got, want), (
                f"{name}: {match[0]!r} quotes {got}, but the data give {want}: update the "
                "document (the number is computed, never typed)"
            )


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_count_of_the_data_is_left_unchecked(path: Path) -> None:
    name = path.relative_to(ROOT).as_posix()
    text = text_of(name)
    covered: list[tuple[int, int]] = []
    for document, pattern, _ in CHECKS:
        if document == name:
            covered += [m.span() for m in re.finditer(pattern, text)]
    for phrase, _reason in ALLOWED.get(name, []):
        spans = [m.span() for m in re.finditer(re.escape(phrase), text)]
        assert spans, f"{name}: the allowed phrase {phrase!r} is gone: remove it from ALLOWED"
        covered += spans
    unchecked = [
        m[0]
        for m in SWEEP.finditer(text)
        if not any(start <= m.start() and m.end() <= end for start, end in covered)
    ]
    assert not unchecked, (
        f"{name} quotes counts no test checks: {unchecked}. Say it without the number, or "
        "add a check to tests/test_docs.py that computes it from the data"
    )


def test_the_dated_pages_add_up() -> None:
    """How each dated page's date was found is not in the data; the parts must at least
    add up to the dated pages the data hold."""
    text = text_of(RAW_README)
    found = re.search(
        r"are dated: (\d+) from the date the page's text states, (\d+) from the stored "
        r"copy's date line, (\d+) from a dateline whose year a stated weekday fixes, (\d+) "
        r"from a dateline whose year the address gives, and (\d+) from a dateline",
        text,
    )
    assert found, f"{RAW_README}: the breakdown of the dated pages is gone"
    assert sum(int(part) for part in found.groups()) == len(facts().dated)


def test_the_undated_pages_are_listed_by_reason() -> None:
    """The table of reasons counts the lists below it, and the lists are exactly the
    cited pages without a publication date."""
    source = (ROOT / RAW_README).read_text(encoding="utf-8")
    section = source[source.index("### Pages without a publication date") :]
    table = dict(re.findall(r"^\| (.+?) \| (\d+) \|$", section, re.MULTILINE))
    assert table, "the table of reasons is gone"
    listed: set[str] = set()
    for reason, count in table.items():
        block = re.search(rf"^{re.escape(reason)}:\n\n((?:- <[^>]+>\n?)+)", section, re.MULTILINE)
        assert block, f"no list of pages under {reason!r}"
        pages = re.findall(r"^- <([^>]+)>", block[1], re.MULTILINE)
        assert len(pages) == int(count), reason
        listed |= set(pages)
    assert listed == facts().undated


# -- data/raw/README.md: columns, ids, the template row ---------------------------------


def raw_readme() -> str:
    return (ROOT / RAW_README).read_text(encoding="utf-8")


@pytest.mark.parametrize("table", schemas.TABLES)
def test_the_column_order_is_the_models_and_the_files(table: str) -> None:
    text = re.sub(r"\s+", " ", raw_readme())
    found = re.search(rf"- `{table}\.csv`: ((?:`\w+`(?:, )?)+)", text)
    assert found, f"{RAW_README} lists no columns for {table}.csv"
    listed = re.findall(r"`(\w+)`", found[1])
    assert listed == schemas.raw_columns(table)
    assert listed == list(raw_rows(table)[0])


def test_the_source_columns_are_described_in_order() -> None:
    section = raw_readme().split("## The source columns", 1)[1].split("\n## ", 1)[0]
    described = re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)
    shared = [
        c for c in schemas.raw_columns("events") if c.startswith(("source_", "verif", "accessed"))
    ]
    assert described == [c for c in shared if c != "verified_date"]


def template_row() -> tuple[str, str]:
    section = raw_readme().split("## A new row: the template", 1)[1]
    found = re.search(r"```csv\n(.+)\n(.+)\n```", section)
    assert found, "the template row is gone"
    return found[1], found[2]


def test_the_template_row_has_every_column_in_order() -> None:
    header, _row = template_row()
    assert header.split(",") == schemas.raw_columns("events")


def test_the_template_row_validates_with_the_real_record(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw, ignore=shutil.ignore_patterns("*.md"))
    _header, row = template_row()
    with (raw / "events.csv").open("a", encoding="utf-8") as events:
        events.write(row + "\n")
    report = validate([raw])
    assert report.failure_count == 0, [f.message for f in report.first(5)]
    assert report.rows["events"] == facts().rows["events"] + 1


MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}


def id_prefix(date: str) -> str:
    """The date an event's id starts with: ``October 2023`` → ``2023-10``."""
    if " " in date:
        month, year = date.split()
        return f"{year}-{MONTHS[month]:02d}"
    return date


def test_every_event_id_follows_the_convention() -> None:
    pattern = re.compile(schemas.ID_PATTERN)
    wrong = [
        row["event_id"]
        for row in raw_rows("events")
        if not row["event_id"].startswith(id_prefix(row["date"]) + "-")
        or not pattern.fullmatch(row["event_id"])
    ]
    assert not wrong, f"event ids that do not start with their date ({RAW_README}): {wrong}"
    _header, row = template_row()
    event_id, date = row.split(",")[:2]
    assert event_id.startswith(id_prefix(date) + "-")


# -- links and titles --------------------------------------------------------------------

LINKED = [
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
    ROOT / "data" / "raw" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def test_the_docs_pages_are_all_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in readme, f"README.md does not link docs/{page.name}"


@pytest.mark.parametrize("path", LINKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:
        file, _, anchor = target.partition("#")
        where = (path.parent / file).resolve() if file else path
        if not where.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{path.relative_to(ROOT)}: broken links: {broken}"


def test_the_readme_names_the_essay_by_its_title() -> None:
    """The package, CITATION.cff and the README share the project's title
    (tests/test_citation_cff.py); the essay keeps its own, and the README names it."""
    essay = (ROOT / "reports" / "essay.qmd").read_text(encoding="utf-8")
    found = re.search(r'^title: "(.+)"$', essay, re.MULTILINE)
    assert found
    readme = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert f"*{found[1]}*" in readme
