"""Validation throughput: ``ukreport validate`` against ``frictionless validate``.

Both validate the same synthetic events file (``generate.py``) with the same rules
(frictionless reads the Table Schema exported from the pandera models), timed end to
end as separate processes, in the same run. Prints the median of several runs for
each size and the ratio between the two.

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

from generate import write  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``command``; each must succeed."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return times


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
        f" {'ukreport rows/s':>16}"
    )
    for rows in args.sizes:
        folder = HERE / "_data" / str(rows)
        events = write(rows, folder)
        (folder / "schemas").mkdir(exist_ok=True)
        shutil.copy(ROOT / "schemas" / "raw" / "events.json", folder / "schemas" / "events.json")
        size = events.stat().st_size / 1e6
        ours = timed([str(BIN / "ukreport"), "validate", "events.csv"], folder, args.repeat)
        repeat = 1 if rows == max(args.sizes) and rows >= 1_000_000 else args.frictionless_repeat
        theirs = timed(
            [
                str(BIN / "frictionless"),
                "validate",
                "--schema",
                "schemas/events.json",
                "events.csv",
            ],
            folder,
            repeat,
        )
        ours_median = statistics.median(ours)
        theirs_median = statistics.median(theirs)
        print(
            f"{rows:>9} {size:>6.0f} {ours_median:>8.2f} ({len(ours)}) "
            f"{theirs_median:>11.2f} ({len(theirs)}) {theirs_median / ours_median:>5.1f}x"
            f" {rows / ours_median:>16,.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
