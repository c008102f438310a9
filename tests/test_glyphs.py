"""Characters the PDF's fonts or the figures' font cannot draw are refused in every text
column, with the column, the character's place and its code point; the characters they
draw (Latin with its accents, Greek, Cyrillic, Ukrainian's ї and ґ, typographic quotes
and dashes) pass. The table of what the fonts draw is regenerated from the fonts here,
and checked against typst and matplotlib themselves."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pandera.pandas as pa
import pytest
import typst
from matplotlib.figure import Figure

from helpers.paths import ASSETS
from helpers.tables import edit_table, read_rows, set_cell
from ukreport import glyphs, schemas
from ukreport.characters import INVISIBLE
from ukreport.cli import main
from ukreport.errors import RenderError
from ukreport.report.figures.style import RC
from ukreport.report.render import fontcover, render
from ukreport.report.render.pdf import PDF_STANDARDS, compile_typst
from ukreport.validation.explain import explain
from ukreport.validation.table import TEXT


def _members(ranges: tuple[tuple[int, int], ...]) -> list[str]:
    return [chr(code) for low, high in ranges for code in range(low, high + 1)]


DRAWABLE = _members(glyphs.DRAWABLE)

REFUSED = {
    "Chinese": "会谈",
    "Japanese kana": "キーウ",
    "Korean": "서울",
    "Georgian capital (Asomtavruli)": "Ⴀ",
    "Georgian Mtavruli": "Ა",
    "emoji": "👍",
    "flag": "🇺🇦",
    "noncharacter U+FFFF": "\uffff",
    "noncharacter U+FDD0": "\ufdd0",
    "private use": "\ue000",
    "supplementary private use": "\U000f0000",
    "Devanagari (figures' font lacks it)": "नमस्ते",
    "mathematical bold (figures' font lacks it)": "𝐀",
    "fullwidth digit": "２",
    "Thai": "ไทย",
}
"""Members of the class: each in the middle of an otherwise valid cell must be refused."""
DRAWN = {
    "Ukrainian": "Київ, ґанок, їжак, Ґалаґан, Їжакевич, є, Є, і, І",
    "Russian": "Москва, Ёлка, съезд",
    "Belarusian": "Лукашэнка, ў",
    "Greek": "Αθήνα, ΕΛΛΑΔΑ",
    "combining acute on a Latin letter": "Cafe\u0301",
    "combining diaeresis on a Cyrillic letter": "\u0438\u0308",
    "Latin accents": "Łódź, Zürich, São Paulo, Čapek, Þórr, Ærø, Straße",
    "typographic quotes": "“Minsk” ‘II’ «Мінськ» „Berlin“ ‹x›",
    "dashes and ellipsis": "2014–2015 — talks… a‐b a‑b",
    "currency": "€10, ₴5, ₽3, £2, $1",
    "symbols": "№ 5, § 2, ° 3, ½, ×, −, ±",
    "spaces inside": "a\u00a0b\u2009c\u202fd",
    "Armenian": "Երևան",
    "Georgian (Mkhedruli)": "თბილისი",
    "Hebrew": "ירושלים",
}
"""Members that must pass: what a record of US–Russia–Ukraine diplomacy writes."""


def _passes(cells: list[str]) -> list[bool]:
    result: list[bool] = pa.Check.drawable()(pd.Series(cells, dtype=TEXT)).check_output.tolist()
    return result


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_a_character_the_fonts_lack_is_refused_and_named(text: str) -> None:
    value = f"Talks in {text} ended"
    assert _passes([value, text]) == [False, False]
    message, fix = explain("drawable", value, {}, "description")
    char = text[0]
    assert message.startswith(f"character 10 is U+{ord(char):04X} ("), message
    assert "cannot draw" in message
    assert "src/ukreport/glyphs.py" in fix


@pytest.mark.parametrize("text", DRAWN.values(), ids=DRAWN.keys())
def test_what_the_fonts_draw_passes(text: str) -> None:
    assert _passes([text, f"In {text}."]) == [True, True]


def test_the_message_says_which_font_lacks_it_and_counts_the_rest() -> None:
    message, _ = explain("drawable", "Pact 会谈 👍 会", {}, "description")
    assert message == (
        "character 6 is U+4F1A (CJK UNIFIED IDEOGRAPH-4F1A), which the PDF's fonts cannot "
        "draw (and 2 other such characters)"
    )
    message, _ = explain("drawable", "x नमस्ते", {}, "location")
    assert message.startswith("character 3 is U+0928 (DEVANAGARI LETTER NA), which the figures'")
    message, _ = explain("drawable", "ab\ue000", {}, "location")
    assert message.startswith("character 3 is U+E000 (a private-use character), which")


def test_the_check_agrees_with_the_table_on_every_character() -> None:
    """Arrow's RE2 and the table say the same for every code point (surrogates aside,
    which UTF-8 text cannot hold): invisible ones are the clean-text rule's to refuse."""
    drawn = set(DRAWABLE) | set(_members(INVISIBLE))
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    passes = _passes([f"a{char}" for char in every])
    refused = {char for char, ok in zip(every, passes, strict=True) if not ok}
    assert refused == set(every) - drawn


def test_every_raw_text_column_carries_the_check() -> None:
    for table in schemas.TABLES:
        for name, column in schemas.raw_schema(table).columns.items():
            assert any(check.name == "drawable" for check in column.checks), (table, name)


def test_the_committed_table_is_what_the_fonts_draw_now() -> None:
    """Regenerated from typst's own fonts and matplotlib's: a new typst or matplotlib
    that draws more or less fails here until ``python -m
    ukreport.report.render.fontcover`` is run and the table committed."""
    assert fontcover.module_text() == fontcover.TABLE.read_text(encoding="utf-8")


def test_typst_sets_every_drawable_character_as_running_text() -> None:
    """The whole table as one paragraph, in every style the templates use, compiles to
    a PDF/A and PDF/UA file: not one character at a time, as the table was made."""
    text = "".join(("a" if unicodedata.category(c).startswith("M") else "") + c for c in DRAWABLE)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "all.json").write_text(json.dumps({"t": text}), encoding="utf-8")
        body = "".join(f"#{style.format('t')}\n\n" for style in fontcover.STYLES)
        (Path(folder) / "all.typ").write_text(
            '#set document(title: "all")\n#set text(font: ("Libertinus Serif",), lang: "en")\n'
            f'#let t = json("all.json").t\n{body}',
            encoding="utf-8",
        )
        pdf = typst.compile(
            str(Path(folder) / "all.typ"),
            root=folder,
            ignore_system_fonts=True,
            format="pdf",
            pdf_standards=list(PDF_STANDARDS),
        )
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_the_figures_font_draws_every_drawable_character() -> None:
    """matplotlib warns of each glyph its font lacks (and draws a box): none here."""
    text = "".join(c for c in DRAWABLE if not unicodedata.category(c).startswith("M"))
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = Figure()
        for at in range(0, len(text), 200):
            fig.text(0, at / len(text), text[at : at + 200])
        fig.savefig(io.BytesIO(), format="png", dpi=20)


def test_a_row_with_an_emoji_fails_validate_with_its_place(raw_dir: Path) -> None:
    """End to end, as a researcher meets it: exit status 1, one message naming the file,
    line, column and character, and no traceback."""
    path = raw_dir / "events.csv"
    header = read_rows(path)[0]
    edit_table(path, set_cell(3, "description", "Leaders met 🤝 in Geneva"))
    done = subprocess.run(
        [sys.executable, "-m", "ukreport.cli", "validate", str(raw_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stdout.splitlines() if "U+1F91D" in line]
    assert len(lines) == 1, done.stdout
    assert lines[0].startswith(f"{path}:4:{header.index('description') + 1}: description: ")
    assert "character 13 is U+1F91D (HANDSHAKE), which the PDF's fonts cannot draw" in lines[0]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("date", "２０２２-01-01", "U+FF12 (FULLWIDTH DIGIT TWO)"),
        ("location", "Kyiv\t北京", "a tab"),
        ("verification", "verified ✅", "U+2705"),
    ],
)
def test_one_mistake_one_message(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], column: str, value: str, said: str
) -> None:
    """A cell failing several rules is said once: a hidden character first, then the
    character the fonts lack, before its form or its allowed values."""
    path = raw_dir / "events.csv"
    edit_table(path, set_cell(1, column, value))
    assert main(["validate", str(raw_dir)]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if f"{path}:2:" in line]
    assert len(out) == 1, out
    assert said in out[0], out


@pytest.mark.render
def test_a_character_the_pdf_cannot_draw_in_the_essay_is_named_where_it_is_written(
    tmp_path: Path,
) -> None:
    """The essay's own text is not data: the HTML shows it, but the PDF stops, naming
    the character and its line in the source, not blaming figures' alt text."""
    source = tmp_path / "doc.qmd"
    source.write_text(
        '---\ntitle: "Talks 会谈"\n---\n\nA paragraph.\n\nThe leaders met 🤝 there.\n',
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as raised:
        render(source, tmp_path / "out", formats=["pdf"], assets=ASSETS, cache=False)
    message = str(raised.value)
    assert message.startswith(f"{source}:2: the PDF's fonts cannot draw "), message
    assert "U+4F1A (CJK UNIFIED IDEOGRAPH-4F1A) at line 2, character 15" in message
    assert "U+1F91D (HANDSHAKE) at line 7, character 17" in message
    assert "alt text" not in message
    assert not (tmp_path / "out" / "doc.pdf").exists()


def test_a_character_no_source_holds_is_sent_to_validation(tmp_path: Path) -> None:
    """The printed record is made from the data: the error says to validate them."""
    (tmp_path / "record.typ").write_text(
        '#set document(title: "r")\n#set text(lang: "en")\nIn Москва and 北京.\n', encoding="utf-8"
    )
    with pytest.raises(RenderError, match=r"cannot draw U\+5317 .*run `ukreport validate`") as e:
        compile_typst(tmp_path / "record.typ", root=tmp_path, timestamp=0)
    assert "U+041C" not in str(e.value)  # the Cyrillic it draws is not blamed
