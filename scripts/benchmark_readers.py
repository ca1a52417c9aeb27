"""Benchmark: read and segment PTC-2020 (SemEval-2020 Task 11) train+dev.

Usage: ``python scripts/benchmark_readers.py [--data DIR]`` (default ``$FRAMING_DATA/ptc_semeval2020``).
Prints wall time of reading the articles and label files, of line segmentation (PTC's one sentence
per line, the SLC unit) and of Punkt segmentation (raw prose). Target of issue 2: read + segment under 5 s.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from framing.data.semeval2020 import read_semeval2020
from framing.text import segment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("FRAMING_DATA", "data")) / "ptc_semeval2020"
    parser.add_argument("--data", type=Path, default=default, help="PTC-2020 folder")
    args = parser.parse_args()

    start = time.perf_counter()
    corpus = read_semeval2020(args.data, ("train", "dev"))
    read = time.perf_counter()
    documents = [d for split in corpus.splits.values() for d in split]
    n_lines = sum(len(segment(d.text, "lines")) for d in documents)
    lines = time.perf_counter()
    n_punkt = sum(len(segment(d.text, "punkt")) for d in documents)
    punkt = time.perf_counter()
    print(f"PTC-2020 train+dev: {len(documents)} articles, {sum(len(d.spans) for d in documents)} spans")
    print(f"  read            {read - start:7.3f} s")
    print(f"  segment lines   {lines - read:7.3f} s  ({n_lines} sentences)")
    print(f"  segment punkt   {punkt - lines:7.3f} s  ({n_punkt} sentences)")
    print(f"  read + lines    {lines - start:7.3f} s  (target < 5 s)")


if __name__ == "__main__":
    main()
