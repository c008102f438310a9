"""Validation throughput: ``ukreport validate`` against ``frictionless validate``.

Both validate the same synthetic events file (``generate.py``) with the same rules
(frictionless reads the Table Schema exported from the pandera models), timed end to
end as separate processes, in the same run, taking turns. A third process validates
the same rows with every one of them wrong (``generate.py --all-bad``): reporting
millions of failures, it prints the first hundred and counts the rest. Prints the
median of several runs for each size, the ratio between ukreport and frictionless, and
the ratio of the all-bad run to the valid one.

    python benchmarks/bench_validate.py [--sizes 10000 100000 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import all_bad_failures, write  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, expect: int = 0, says: str = "") -> float:
    """Wall-clock seconds of one run of ``command``, which must exit with ``expect`` and
    say ``says`` on standard error."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != expect or says not in result.stderr:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return elapsed


Row = tuple[int, float, float, int, float, int, float]
"""rows, MB, ukreport s (median), ukreport runs, frictionless s (median), its runs, all-bad s."""


def measure(sizes: list[int], repeat: int, frictionless_repeat: int) -> list[Row]:
    """Time ukreport, frictionless and the all-bad file at each size, taking turns."""
    out: list[Row] = []
    for rows in sizes:
        folder = HERE / "_data" / str(rows)
        events = write(rows, folder)
        (folder / "schemas").mkdir(exist_ok=True)
        shutil.copy(ROOT / "schemas" / "raw" / "events.json", folder / "schemas" / "events.json")
        bad_folder = HERE / "_data" / f"{rows}-all-bad"
        bad_events = write(rows, bad_folder, all_bad=True)
        with bad_events.open(encoding="utf-8") as lines:
            failures = all_bad_failures(sum(1 for _ in lines) - 1)
        size = events.stat().st_size / 1e6
        # --no-cache: every run validates (a repeated question is otherwise answered from
        # the remembered result, which is not what this measures).
        ukreport = [str(BIN / "ukreport"), "validate", "events.csv", "--no-cache"]
        frictionless = [
            str(BIN / "frictionless"),
            "validate",
            "--schema",
            "schemas/events.json",
            "events.csv",
        ]
        theirs_repeat = 1 if rows == max(sizes) and rows >= 1_000_000 else frictionless_repeat
        ours: list[float] = []
        theirs: list[float] = []
        bad: list[float] = []
        # Taking turns spreads whatever else the machine is doing over all three.
        for turn in range(max(repeat, theirs_repeat)):
            if turn < repeat:
                ours.append(timed(ukreport, folder))
                bad.append(timed(ukreport, bad_folder, 1, f": {failures} failure(s)"))
            if turn < theirs_repeat:
                theirs.append(timed(frictionless, folder))
        out.append(
            (
                rows,
                size,
                statistics.median(ours),
                len(ours),
                statistics.median(theirs),
                len(theirs),
                statistics.median(bad),
            )
        )
    return out


ALL_BAD = (
    "all-bad: the same rows, each with a day that does not exist, an address without its"
    " scheme and (every second row) a duplicate id; the first 100 failures printed"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of ukreport per size")
    parser.add_argument(
        "--frictionless-repeat",
        type=int,
        default=3,
        help="runs of frictionless per size (1 at the largest size: it takes minutes)",
    )
    args = parser.parse_args()

    print(
        f"{'rows':>9} {'MB':>6} {'ukreport s':>11} {'frictionless s':>15} {'ratio':>6}"
        f" {'ukreport rows/s':>16} {'all-bad s':>10} {'all-bad/valid':>14}"
    )
    for rows, size, ours, n_ours, theirs, n_theirs, bad in measure(
        args.sizes, args.repeat, args.frictionless_repeat
    ):
        print(
            f"{rows:>9} {size:>6.0f} {ours:>8.2f} ({n_ours}) "
            f"{theirs:>11.2f} ({n_theirs}) {theirs / ours:>5.1f}x"
            f" {rows / ours:>16,.0f} {bad:>10.2f} {bad / ours:>13.1f}x",
            flush=True,
        )
    print(ALL_BAD)


if __name__ == "__main__":
    main()
