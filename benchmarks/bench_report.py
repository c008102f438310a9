"""How long ``make report`` takes: cold, step by step, and with nothing to do.

Cold means the environment is installed and every generated file is removed (the
processed data package, figures and report are rebuilt). The floor (``floor.py``) is
measured in the same run, so the ratio compares like with like on a noisy machine.

    python benchmarks/bench_report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEP = re.compile(r"^(?P<what>.*?)\s*\((?P<seconds>[\d.]+) s\)$")


def run(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout + result.stderr


def clean() -> None:
    for folder in ("reports/_build", "reports/figures"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    for path in (ROOT / "data/processed").iterdir():
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    floors, colds, noops = [], [], []
    steps: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeat):
        floors.append(run([sys.executable, "benchmarks/floor.py"])[0])
        clean()
        elapsed, output = run(["make", "report"])
        colds.append(elapsed)
        for line in output.splitlines():
            match = STEP.match(line.strip())
            if match:
                what = re.sub(r"[\d.]+ rows|\(\d+ rows\)|\d+ ", "", match["what"])[:52]
                steps[what].append(float(match["seconds"]))
        noops.append(run(["make", "report"])[0])

    floor, cold, noop = (statistics.median(x) for x in (floors, colds, noops))
    print(f"median of {args.repeat} runs")
    print(f"  floor (one process: imports, one kernel cell, pandoc, typst): {floor:6.2f} s")
    print(
        f"  cold make report:                                          {cold:6.2f} s"
        f"  ({cold / floor:.2f}x the floor)"
    )
    print("  time each step reports for its own work (the rest is process start-up):")
    for what, seconds in steps.items():
        print(f"    {what:<54} {statistics.median(seconds):6.2f} s")
    print(f"  no-op make report:                                         {noop:6.3f} s")


if __name__ == "__main__":
    main()
