"""How the essay's build grows with the record: cold build and prose edit at 1× and 10×.

Two copies of the repository (the working tree as it is, as ``make verify`` makes them)
sharing this checkout's ``.venv``: one with the real record, one whose events table is
the synthetic record of ``record10x.py`` (ten times the rows, each citing a page of its
own). In each run the two are measured in turn — every generated file removed, then
``make report`` (cold); then one more sentence in a paragraph of the essay and ``make
report`` again (prose edit) — so a machine that slows down slows both. Every figure is
the median of ``--repeat`` runs; beside them, what the 10× build writes (PDF pages, HTML
size), which should not grow with the record.

    python benchmarks/bench_scale.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import record10x
from bench_report import clean as _clean_checkout
from ukreport._proc import run
from ukreport.pipeline.reproduce import build_env, copy_worktree, link_venv

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPH = "Putin mark a significant moment in the ongoing dialogue surrounding the Ukraine war."
GOALS = {"cold": 2.5, "prose": 1.3}
"""The most a 10× build may cost, as a multiple of the 1× build's cost."""


def _make(root: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = run(["make", "--no-print-directory", "report"], cwd=root, env=env, check=False)
    elapsed = time.perf_counter() - start
    if not done.ok:
        tail = "\n".join((done.text() + done.errors()).strip().splitlines()[-20:])
        raise SystemExit(f"make report failed in {root}:\n{tail}")
    return elapsed


def clean(root: Path) -> None:
    """Remove what ``make report`` writes, as the loop benchmark's cold build does."""
    _clean_checkout(root)


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def prepare(scratch: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    """The two copies, by size, each with the environment that builds it from itself."""
    copies = {}
    for size in ("1x", "10x"):
        root = copy_worktree(ROOT, scratch / size / "ukreport")
        link_venv(ROOT / ".venv", root)
        if size == "10x":
            record10x.write(root / "data" / "raw")
        copies[size] = (root, build_env(root, scratch, 0))
    return copies


def measure(repeat: int) -> tuple[list[tuple[str, float, float, str]], dict[str, str]]:
    """Rows (what, 1× median, 10× median, the ratio against its goal) and what the
    builds wrote at each size."""
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="ukreport-scale-") as folder:
        copies = prepare(Path(folder))
        for n in range(repeat):
            for size, (root, env) in copies.items():
                clean(root)
                times["cold", size].append(_make(root, env))
                essay = root / "reports" / "essay.qmd"
                text = essay.read_text(encoding="utf-8")
                if PARAGRAPH not in text:
                    raise SystemExit(f"the paragraph to edit is no longer in {essay}")
                essay.write_text(text.replace(PARAGRAPH, f"{PARAGRAPH} Edit {n}."), "utf-8")
                times["prose", size].append(_make(root, env))
                essay.write_text(text, encoding="utf-8")
        written = {}
        for size, (root, _) in copies.items():
            built = root / "reports" / "_build"
            html = (built / "essay.html").stat().st_size
            written[size] = (
                f"essay.pdf {_pages(built / 'essay.pdf')} pages, essay.html {html / 1e6:.2f} MB"
            )
    rows = []
    for what, label in (("cold", "cold make report"), ("prose", "make report after a prose edit")):
        one, ten = (statistics.median(times[what, size]) for size in ("1x", "10x"))
        rows.append((label, one, ten, f"{ten / one:.2f}x (goal ≤ {GOALS[what]}x)"))
    return rows, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows, written = measure(args.repeat)
    print(f"median of {args.repeat} runs (seconds)")
    print(f"| {'measure':<34} | {'1x':>7} | {'10x':>7} | {'10x / 1x':<22} |")
    print(f"|{'-' * 36}|{'-' * 8}:|{'-' * 8}:|{'-' * 24}|")
    for what, one, ten, note in rows:
        print(f"| {what:<34} | {one:7.2f} | {ten:7.2f} | {note:<22} |")
    for size, text in written.items():
        print(f"  {size}: {text}")


if __name__ == "__main__":
    sys.exit(main())
