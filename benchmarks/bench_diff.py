"""``ukreport diff`` of a large change: time, peak memory and report size.

Compares the real ``data/raw`` with a synthetic folder (``generate.py``) whose events
table has every row added, in each format, one process a run, and prints for each size
the median wall-clock time, the peak resident memory of the process (``wait4``) and the
size of what it wrote. Time and memory should grow linearly with the rows, and the
reports should not grow at all (``--max-rows``, and the comment limit for Markdown).

    python benchmarks/bench_diff.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402

UKREPORT = Path(sys.executable).parent / "ukreport"
FORMATS = ("markdown", "text", "json")


def run_once(folder: Path, fmt: str, out: Path) -> tuple[float, int]:
    """Seconds and peak resident kilobytes of one ``ukreport diff`` process."""
    command = [str(UKREPORT), "diff", "data/raw", str(folder), "--format", fmt]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--output", str(out), "--exit-zero"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = HERE / "_data"
    print("| rows | MB | format | s | peak MB | report bytes |")
    print("|---:|---:|---|---:|---:|---:|")
    for rows in args.sizes:
        folder = data / f"events-{rows}"
        events = write(rows, folder)
        megabytes = events.stat().st_size / 1e6
        for fmt in FORMATS:
            out = data / f"diff-{rows}.{fmt}"
            runs = [run_once(folder, fmt, out) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs) / 1024
            size = out.stat().st_size
            print(f"| {rows:,} | {megabytes:.0f} | {fmt} | {seconds:.2f} | {peak:.0f} | {size:,} |")


if __name__ == "__main__":
    main()
