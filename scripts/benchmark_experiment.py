"""Benchmark: one ``framing-experiment`` run end to end, cold and with cached annotations.

A benchmark, not a test: it runs the command line as a user would, in a
fresh process each time, and reports wall time and peak memory.

- cold: an empty annotation cache (a new temporary ``FRAMING_CACHE``);
- cached: the same command again, annotations read from the disk cache.

Peak memory is the largest resident set size of any process of the run
(``ru_maxrss`` of waited-for children: the experiment process and its
forked annotation workers), so it is the figure a machine's memory limit
applies to per process.

Usage::

    FRAMING_DATA=/path/to/corpora NLTK_DATA=... python scripts/benchmark_experiment.py \\
        --repeat 2 -- dataset=ptc2019 task=slc features=all

Targets (issue 4): SLC on PTC-2019 with all features at most 60 s cold and
15 s with cached annotations; peak memory at most 2 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run_once(overrides: list[str], cache: Path, tracking: str) -> tuple[float, float, int]:
    env = {**os.environ, "FRAMING_CACHE": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "framing-experiment"), *overrides, f"tracking.uri={tracking}"],
        env=env, capture_output=True, text=True,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"framing-experiment failed with exit code {proc.returncode}")
    # ru_maxrss of children only grows: a smaller peak than before means "not above it"
    return wall, max(peak, before) / 1024.0, proc.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="cold/cached pairs to run")
    parser.add_argument("overrides", nargs="*", default=["dataset=ptc2019", "task=slc", "features=all"])
    args = parser.parse_args(argv)
    overrides = [o for o in args.overrides if o != "--"] or ["dataset=ptc2019", "task=slc", "features=all"]

    cold, warm, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        tracking = f"sqlite:///{Path(tmp) / 'mlflow.db'}"
        for i in range(args.repeat):
            cache = Path(tmp) / f"cache-{i}"
            wall, peak, _ = run_once(overrides, cache, tracking)
            cold.append(wall)
            peaks.append(peak)
            wall, peak, _ = run_once(overrides, cache, tracking)
            warm.append(wall)
            peaks.append(peak)
            print(f"repeat {i + 1}: cold {cold[-1]:.1f} s, cached {warm[-1]:.1f} s", flush=True)
    load = os.getloadavg()[0]
    print(f"\nframing-experiment {' '.join(overrides)}")
    print(f"  cold (empty annotation cache): best {min(cold):.1f} s, median {statistics.median(cold):.1f} s  (target <= 60 s)")
    print(f"  cached annotations:            best {min(warm):.1f} s, median {statistics.median(warm):.1f} s  (target <= 15 s)")
    print(f"  peak memory of one process:    {max(peaks):.0f} MB  (target <= 2048 MB)")
    print(f"  machine: {os.cpu_count()} cores, load average {load:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
