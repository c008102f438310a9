"""The record page: every row of the record as one self-contained HTML file.

The page is complete without JavaScript: each table holds every row, in the package's
order, readable as it stands. The script beside this module (``script.js``, inlined
with ``style.css``) only narrows and sorts what is already there, so the page makes
no request and a reader without scripts loses nothing but the filters.

Everything from the data is escaped (:func:`html.escape`), a source link is written
only for an ``http(s)`` address, and text holding right-to-left characters or bidi
controls is isolated in ``<bdi>``, so no row can change the page or the rows around it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from urllib.parse import quote

from ukreport.report.record.rows import Record, Row
from ukreport.report.render.jsonld import ANCHOR_PREFIX

__all__ = ["ESSAY_ANCHOR", "TABLE_NAMES", "href", "record_page"]

ESSAY_ANCHOR = ANCHOR_PREFIX
"""The essay anchors each claim's row in its claims table as ``claim-<claim_id>``
(the anchor its ClaimReview points to)."""

TABLE_NAMES = {
    "events": ("Events", "events"),
    "initiatives": ("Initiatives", "initiatives"),
    "cooperation": ("Areas of cooperation", "areas of cooperation"),
    "claims": ("The essay's claims", "claims"),
}
"""Each table's heading, and its noun in the plural."""

_FIELDS = {
    "events": "actors kind years verification source",
    "initiatives": "actors kind years verification source",
    "cooperation": "years verification source",
    "claims": "years",
}
"""The filters that apply to each table (a table is not narrowed by a field it lacks)."""

_BIDI = re.compile(
    "[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefc]"
)


def _text(value: str) -> str:
    """``value`` as HTML text, isolated when it holds right-to-left text or controls."""
    escaped = html.escape(value, quote=True)
    return f"<bdi>{escaped}</bdi>" if _BIDI.search(value) else escaped


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def href(url: str) -> str:
    """``url`` as a link's address: a character an address may not hold (a quote, a
    space, ``<``, a letter outside ASCII) percent-encoded, the rest as written."""
    return quote(url, safe=_URL_SAFE)


_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
"""What an address may hold as it is (RFC 3986's reserved and unreserved characters,
and ``%`` of the escapes already in it); letters and digits are always kept."""


def _link(url: str, label: str) -> str:
    """A link to an outside page; an address that is not ``http(s)`` stays text."""
    if re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{_attr(href(url))}" rel="external noreferrer">{_text(label)}</a>'
    return _text(label)


def _time(day: str) -> str:
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", day):
        return f'<time datetime="{day}">{day}</time>'
    return _text(day)


def _row_link(row_id: str) -> str:
    return f'<a href="#{_attr(row_id)}">{_text(row_id)}</a>'


def _list(items: Iterable[str]) -> str:
    inner = "".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="links">{inner}</ul>' if inner else ""


def _essay_link(essay: str, claim: str, label: str) -> str:
    """A link to the claim's row in the essay's claims table."""
    return f'<a href="{_attr(essay)}#{ESSAY_ANCHOR}{_attr(claim)}">{label}</a>'


def _claims_of(row: Row, record: Record, essay: str) -> str:
    """The claims ``row`` is evidence for, each linked in the record and in the essay."""
    items = [
        f"{_row_link(claim)} ({_essay_link(essay, claim, 'in the essay')})"
        for claim in record.evidence_for.get(row.id, ())
    ]
    return _list(items) or '<span class="none">none</span>'


def _verification(row: Row) -> str:
    mark = _attr(row.verification.replace(" ", "-"))
    parts = [f'<strong class="v v-{mark}">{_text(row.verification)}</strong>']
    if row.note:
        parts.append(f'<p class="note" dir="auto">{_text(row.note)}</p>')
    for label, value in row.corrected:
        shown = _link(value, value) if label == "Verified from" else _text(value)
        parts.append(f'<p class="note">{_text(label)}: {shown}</p>')
    return "".join(parts)


def _source(row: Row) -> str:
    if row.source is None:
        return ""
    source = row.source
    published = f"published {_time(source.published)}; " if source.published else ""
    return (
        f'<span class="publisher">{_text(source.publisher)}</span>: '
        f"{_link(source.url, source.title or source.url)} "
        f'<span class="meta">({_text(source.kind)}; {published}read {_time(source.accessed)})'
        "</span>"
    )


def _facts(row: Row) -> str:
    """The labelled facts under a row's main text: actors, participants, details."""
    facts = []
    if row.actors:
        facts.append(("Actors", " ".join(_text(a) for a in row.actors)))
    if row.participants:
        facts.append(("Participants", _text("; ".join(row.participants))))
    facts.extend((label, _text(value)) for label, value in row.details)
    if row.initiative:
        facts.append(("Initiative", _row_link(row.initiative)))
    if not facts:
        return ""
    items = "".join(f"<dt>{_text(label)}</dt><dd>{value}</dd>" for label, value in facts)
    return f'<dl class="facts">{items}</dl>'


def _data(row: Row) -> str:
    """The row's filter and sort values, as ``data-`` attributes the script reads."""
    values = {"start": row.start, "kind": row.kind, "verification": row.verification}
    years = row.years
    if years is not None:
        values["from"], values["to"] = str(years[0]), str(years[1])
    if row.actors:
        values["actors"] = " ".join(row.actors)
    if row.source is not None:
        values["source"] = row.source.kind
        values["publisher"] = row.source.publisher
    return "".join(f' data-{key}="{_attr(value)}"' for key, value in values.items() if value)


def _cell(label: str, body: str, *, header: bool = False) -> str:
    if header:
        return f'<th scope="row" data-label="{label}">{body}</th>'
    return f'<td data-label="{label}">{body}</td>'


def _main_text(row: Row) -> str:
    title = f'<p class="title" dir="auto">{_text(row.title)}</p>' if row.title else ""
    text = f'<p dir="auto">{_text(row.text)}</p>' if row.text else ""
    anchor = f'<p class="id"><a href="#{_attr(row.id)}">#{_text(row.id)}</a></p>'
    return title + text + _facts(row) + anchor


def _sourced_row(row: Row, record: Record, essay: str, what: str) -> str:
    cells = [
        _cell("Date", _time(row.when), header=True),
        _cell("Kind", _text(row.kind)) if row.table != "cooperation" else "",
        _cell(what, _main_text(row)),
        _cell("Verification", _verification(row)),
        _cell("Source", _source(row)),
        _cell("Evidence for", _claims_of(row, record, essay)),
    ]
    return f'<tr id="{_attr(row.id)}"{_data(row)}>{"".join(cells)}</tr>'


def _claim_row(row: Row, essay: str) -> str:
    evidence = _list(_row_link(i) for i in row.links) or '<span class="none">none</span>'
    essay_link = f"<p>{_essay_link(essay, row.id, 'The claim in the essay')}</p>"
    cells = [
        _cell(
            "Date",
            _time(row.when) if row.when else '<span class="none">undated</span>',
            header=True,
        ),
        _cell("Claim", _main_text(row) + essay_link),
        _cell("Verdict", _verification(row)),
        _cell("Evidence", evidence),
    ]
    return f'<tr id="{_attr(row.id)}"{_data(row)}>{"".join(cells)}</tr>'


_COLUMNS = {
    "events": (
        ("Date", "date"),
        ("Kind", "kind"),
        ("Event", ""),
        ("Verification", "verification"),
        ("Source", "publisher"),
        ("Evidence for", ""),
    ),
    "initiatives": (
        ("Period", "date"),
        ("Kind", "kind"),
        ("Initiative", ""),
        ("Verification", "verification"),
        ("Source", "publisher"),
        ("Evidence for", ""),
    ),
    "cooperation": (
        ("Date", "date"),
        ("Area", ""),
        ("Verification", "verification"),
        ("Source", "publisher"),
        ("Evidence for", ""),
    ),
    "claims": (("Date", "date"), ("Claim", ""), ("Verdict", "verification"), ("Evidence", "")),
}
"""Each table's column headings, and the sort key each column answers to."""


def _table(name: str, rows: Sequence[Row], record: Record, essay: str) -> str:
    heading, plural = TABLE_NAMES[name]
    head = "".join(
        f'<th scope="col" class="c-{label.lower().replace(" ", "-")}"'
        + (f' data-key="{key}"' if key else "")
        + f">{label}</th>"
        for label, key in _COLUMNS[name]
    )
    what = _COLUMNS[name][2][0] if name != "cooperation" else "Area"
    body = "\n".join(
        _claim_row(row, essay) if name == "claims" else _sourced_row(row, record, essay, what)
        for row in rows
    )
    return (
        f'<section id="{name}" aria-labelledby="{name}-heading">\n'
        f'<h2 id="{name}-heading">{heading}</h2>\n'
        f'<table class="record t-{name}" data-noun="{plural}" data-fields="{_FIELDS[name]}">\n'
        f'<caption>{heading}: <span class="count">{len(rows)} {plural}</span></caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</section>"
    )


def _select(name: str, label: str, values: Iterable[tuple[str, str]]) -> str:
    """A labelled drop-down list; ``values`` are (value, text) pairs, the first chosen."""
    options = "".join(f'<option value="{_attr(v)}">{_text(text)}</option>' for v, text in values)
    return (
        f'<div class="field"><label for="{name}">{label}</label>'
        f'<select id="{name}" name="{name}">{options}</select></div>'
    )


def _year(name: str, label: str, first: int, last: int) -> str:
    return (
        f'<label for="{name}">{label}</label> <input type="number" id="{name}" name="{name}" '
        f'min="{first}" max="{last}" inputmode="numeric">'
    )


_SORTS = (
    ("", "Date, oldest first"),
    ("-date", "Date, newest first"),
    ("kind", "Kind"),
    ("verification", "Verification"),
    ("publisher", "Publisher"),
    ("id", "Id"),
)
"""The orders the rows can be sorted in: the sort key (``-`` for descending), its name."""


def _form(record: Record) -> str:
    """The filters, hidden until the script shows them (without it they would do nothing)."""
    sourced = [row for name in _FIELDS if name != "claims" for row in record.tables[name]]
    actors = Counter(a for row in sourced for a in row.actors)
    choices = {
        "kind": sorted({row.kind for row in sourced if row.kind}),
        "verification": sorted({row.verification for row in sourced if row.verification}),
        "source": sorted({row.source.kind for row in sourced if row.source}),
    }
    years = [y for rows in record.tables.values() for row in rows if (y := row.years)]
    first, last = min(y[0] for y in years), max(y[1] for y in years)
    boxes = "".join(
        f'<label class="check"><input type="checkbox" name="actor" value="{_attr(a)}"> '
        f"{_text(a)}</label>"
        for a, _ in sorted(actors.items(), key=lambda item: (-item[1], item[0]))
    )
    return "\n".join(
        (
            '<form id="filters" class="filters" role="search" aria-label="Narrow the record" '
            "hidden>",
            '<div class="field wide"><label for="q">Search every word of a row</label>',
            '<input type="search" id="q" name="q" autocomplete="off" spellcheck="false"></div>',
            '<details class="actors" id="actors"><summary>Actors</summary>',
            "<fieldset><legend>Rows that involve every actor checked</legend>",
            f"{boxes}</fieldset></details>",
            _select("kind", "Kind", [("", "Any kind"), *((k, k) for k in choices["kind"])]),
            '<fieldset class="years"><legend>Years</legend>',
            f"{_year('from', 'From', first, last)} {_year('to', 'to', first, last)}</fieldset>",
            _select(
                "verification",
                "Verification",
                [("", "Any"), *((v, v) for v in choices["verification"])],
            ),
            _select("source", "Source kind", [("", "Any"), *((v, v) for v in choices["source"])]),
            _select("sort", "Sort by", _SORTS),
            '<div class="field"><button type="reset" id="clear">Clear</button></div>',
            '<p class="hint">Actors, kind, verification and source kind narrow the tables that '
            "have them; search and years narrow every table. The address bar holds the view: "
            "copy it to share it.</p>",
            "</form>",
        )
    )


def _counts(record: Record) -> str:
    parts = [f"{len(record.tables[name])} {TABLE_NAMES[name][1]}" for name in TABLE_NAMES]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def record_page(record: Record, *, essay: str = "essay.html") -> str:
    """The whole page as text. ``essay`` is the essay's address from the page's folder."""
    title = "The record: US–Russia–Ukraine diplomacy"
    nav = "".join(f'<li><a href="#{name}">{TABLE_NAMES[name][0]}</a></li>' for name in TABLE_NAMES)
    tables = "\n".join(_table(name, record.tables[name], record, essay) for name in TABLE_NAMES)
    version = _text(record.version)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} (data package {version})</title>
<style>
{_asset("style.css")}</style>
</head>
<body>
<a class="skip" href="#events">Skip to the events</a>
<header>
<h1>{title}</h1>
<p class="lede">Every row of the data package {_text(record.title)}, version {version}, current
to {_time(record.last_read)}: {_counts(record)}. Each row cites the page it was read from,
with the day it was read; each claim lists the rows that decide it. The argument is in
<a href="{_attr(essay)}">the essay</a>.</p>
<p class="lede">To link to a row, add its id to this page's address after <code>#</code>.
A view narrowed with the filters is in the address bar too, so a link reproduces it.</p>
<nav aria-label="Tables of the record"><ul>{nav}</ul></nav>
</header>
<main>
{_form(record)}
<p id="status" class="status" role="status" aria-live="polite">{_counts(record)}.</p>
{tables}
</main>
<script>
{_asset("script.js")}</script>
</body>
</html>
"""
