"""How long the researcher's loop takes: cold build, no-op, prose edit, command start.

Cold means the environment is installed and every generated file is removed (the
processed data package, figures, frozen cell outputs and report are rebuilt). The floor
(``floor.py``) is measured in the same run, alternating with the builds, so the ratio
compares like with like on a noisy machine. A prose edit appends a sentence to a
paragraph of ``reports/essay.qmd`` and runs ``make report`` (the essay is restored
afterwards). Every figure is the median of ``--repeat`` runs.

    python benchmarks/bench_report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESSAY = ROOT / "reports" / "essay.qmd"
STEP = re.compile(r"^(?P<what>.*?)\s*\((?P<seconds>[\d.]+) s\)$")
PARAGRAPH = "Putin mark a significant moment in the ongoing dialogue surrounding the Ukraine war."
UKREPORT = str(Path(sys.executable).parent / "ukreport")


def run(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout + result.stderr


def clean(root: Path = ROOT) -> None:
    """Remove what ``make report`` writes in the checkout ``root``: a cold build."""
    for folder in ("reports/_build", "reports/figures", "reports/.ukreport-cache"):
        shutil.rmtree(root / folder, ignore_errors=True)
    for path in (root / "data/processed").iterdir():
        path.unlink()


def prose_edit(original: str, n: int) -> float:
    """Seconds for ``make report`` after one more sentence in a paragraph."""
    if PARAGRAPH not in original:
        raise SystemExit(f"the paragraph to edit is no longer in {ESSAY}; update PARAGRAPH")
    edited = original.replace(PARAGRAPH, f"{PARAGRAPH} An edit, number {n}.")
    ESSAY.write_text(edited, encoding="utf-8")
    return run(["make", "report"])[0]


def preview_reload(original: str, repeat: int) -> list[float]:
    """Seconds from saving a prose edit to the preview saying it rebuilt the page (the
    page then fetches it: about 0.1 s more in a browser), with ``make preview``."""
    process = subprocess.Popen(
        ["make", "-s", "preview", "PORT=0", "OPEN=no"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stderr], daemon=True
    ).start()

    def rebuilt() -> None:
        while True:
            line = lines.get(timeout=300)
            if ("the preview" in line and "rebuilt" in line) or "could not" in line:
                if "could not" in line:
                    raise SystemExit(f"the preview failed: {line}")
                return

    times = []
    try:
        rebuilt()  # the first build
        for n in range(repeat):
            time.sleep(0.5)
            edited = original.replace(PARAGRAPH, f"{PARAGRAPH} A preview edit, number {n}.")
            start = time.perf_counter()
            ESSAY.write_text(edited, encoding="utf-8")
            rebuilt()
            times.append(time.perf_counter() - start)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        ESSAY.write_text(original, encoding="utf-8")
    return times


def measure(repeat: int) -> tuple[list[tuple[str, float, str]], dict[str, float]]:
    """The loop's rows (what, median seconds, reference) and the cold build's steps."""
    times: dict[str, list[float]] = defaultdict(list)
    steps: dict[str, list[float]] = defaultdict(list)
    original = ESSAY.read_text(encoding="utf-8")
    try:
        for n in range(repeat):
            times["floor"].append(run([sys.executable, "benchmarks/floor.py"])[0])
            clean()
            elapsed, output = run(["make", "report"])
            times["cold"].append(elapsed)
            for line in output.splitlines():
                match = STEP.match(line.strip())
                if match:
                    what = re.sub(r"[\d.]+ rows|\(\d+ rows\)|\d+ ", "", match["what"])[:52]
                    steps[what].append(float(match["seconds"]))
            times["noop"].append(run(["make", "report"])[0])
            times["prose"].append(prose_edit(original, n))
            times["help"].append(run([UKREPORT, "--help"])[0])
            times["version"].append(run([UKREPORT, "--version"])[0])
            times["validate"].append(run([UKREPORT, "validate", "data/raw", "--no-cache"])[0])
            times["remembered"].append(run([UKREPORT, "validate", "data/raw"])[0])
        times["preview"] = preview_reload(original, repeat)
    finally:
        ESSAY.write_text(original, encoding="utf-8")
        run(["make", "report"])
    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["floor"]
    rows = [
        ("floor: one process, imports, one cell, pandoc, typst", floor, "reference"),
        ("cold make report", median["cold"], f"{median['cold'] / floor:.2f}x the floor"),
        ("no-op make report", median["noop"], ""),
        ("make report after a prose edit", median["prose"], "goal < 1 s"),
        ("preview: prose edit saved to page rebuilt", median["preview"], "goal < 2 s"),
        ("ukreport --help", median["help"], "goal < 0.2 s"),
        ("ukreport --version", median["version"], "goal < 0.2 s"),
        ("ukreport validate data/raw --no-cache", median["validate"], "goal < 0.5 s"),
        ("ukreport validate data/raw, asked again", median["remembered"], "goal < 0.5 s"),
    ]
    return rows, {what: statistics.median(seconds) for what, seconds in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows, steps = measure(args.repeat)
    print(f"median of {args.repeat} runs (seconds; ratio to the reference)")
    for what, seconds, note in rows:
        print(f"  {what:<56} {seconds:7.2f}  {note}")
    print("  what each step of the cold build reports for its own work:")
    for what, seconds in steps.items():
        print(f"    {what:<54} {seconds:7.2f}")


if __name__ == "__main__":
    main()
