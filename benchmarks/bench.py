"""``make bench``: every speed figure of the package in one table, each a median of
several runs with its ratio to the reference measured in the same run (the 10× record's
builds against the 1× record's, measured in turn in copies of the repository).

    python benchmarks/bench.py [--repeat 3] [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_record
import bench_report
import bench_scale
import bench_validate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--record-rows", type=int, default=10_000)
    args = parser.parse_args()

    loop, steps = bench_report.measure(args.repeat)
    scale, written = bench_scale.measure(args.repeat)
    validation = bench_validate.measure(args.sizes, args.repeat, args.repeat)
    record = bench_record.measure(args.record_rows, args.repeat) if bench_record.ready() else None

    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores;"
        f" medians of {args.repeat} runs (frictionless once at 10⁶ rows)"
    )
    print(f"| {'measure':<58} | {'seconds':>8} | {'against its reference':<32} |")
    print(f"|{'-' * 60}|{'-' * 9}:|{'-' * 34}|")
    for what, seconds, note in loop:
        print(f"| {what:<58} | {seconds:8.2f} | {note:<32} |")
    for what, one, ten, note in scale:
        print(f"| {what + ', 1× record':<58} | {one:8.2f} | {'reference':<32} |")
        print(f"| {what + ', 10× record':<58} | {ten:8.2f} | {note:<32} |")
    for rows, _size, ours, _, theirs, _, bad in validation:
        label = f"validate {rows:,} event rows (frictionless {theirs:.2f} s)"
        print(
            f"| {label:<58} | {ours:8.2f} | {f'{theirs / ours:.1f}x faster; goal 20x at 10⁶':<32} |"
        )
        label = f"validate {rows:,} rows, every one bad"
        print(
            f"| {label:<58} | {bad:8.2f} | {f'{bad / ours:.1f}x the valid file; goal < 3x':<32} |"
        )
    if record is None:
        print(f"| {'record page: skipped, no ' + bench_record.CHROMIUM:<58} | {'':>8} | {'':<32} |")
    else:
        for label, seconds, note in bench_record.rows(args.record_rows, record):
            print(f"| {label:<58} | {seconds:8.3f} | {note:<32} |")
    print()
    for size, text in written.items():
        print(f"{size} record: {text}")
    print(
        "cold build, each step's own work (s): "
        + ", ".join(f"{what.split(' ')[0]} {seconds:.2f}" for what, seconds in steps.items())
    )
    print(bench_validate.ALL_BAD)


if __name__ == "__main__":
    main()
