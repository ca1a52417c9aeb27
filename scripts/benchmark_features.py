"""Speed of annotation and of the cue feature families on PTC-2020 train sentences (a benchmark, not a test).

Sentences are the non-blank lines of ``$FRAMING_DATA/ptc_semeval2020/train-articles/*.txt``
(16,673; :func:`framing.text.segment` in ``"lines"`` mode). One run measures:

(a) annotation from cold: an empty on-disk cache in a temporary ``FRAMING_CACHE`` and a new
    :class:`framing.text.AnnotationCache` (empty memory layer) per repeat; sentences/s (wall
    clock; worker processes do the tagging) and peak memory as ``resource.getrusage``
    ``ru_maxrss``: the growth of this process's peak RSS over the first repeat, and the peak RSS
    of the largest annotation worker (``RUSAGE_CHILDREN``). The first repeat also loads the NLTK
    models into this process (its time is printed on its own);
(b) each family's ``transform`` from annotations cached in memory;
(c) the families together in a ``FeatureUnion``, from annotations in memory, and from the disk
    cache (memory layer cleared before each repeat);
(d) the families together with annotation included: a cold cache (new temporary folder, empty
    memory layer) before each repeat; the NLTK models are already loaded;
(e) ``TfidfVectorizer(ngram_range=(1, 2)).fit_transform`` on the same sentences, and the ratio
    of the families' time to it.

Every transform that reads the memory cache includes its look-up of the batch in the cache
(:func:`framing.text.forget_annotations` before each repeat). Rates are sentences per
second of wall-clock time, best and median of ``--repeat`` runs; the CPU column is the best rate
by this process's CPU time (``time.process_time``), steadier on a shared machine (not given for
(a) and (d), whose work is in worker processes). The machine's load and the busiest other
processes are printed before and after: the numbers are only as good as the machine was idle.

Targets (project issue): all families with annotation >= 2,000 sentences/s on a 2-core machine;
all families from cached annotations >= 20,000 sentences/s; each family alone >= 80,000.

Usage::

    NLTK_DATA=/path/to/nltk_data FRAMING_DATA=/path/to/data \\
        python scripts/benchmark_features.py --repeat 3 [--families loaded agency hedging style]
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

TARGET_WITH_ANNOTATION = 2_000
TARGET_CACHED_UNION = 20_000
TARGET_CACHED_FAMILY = 80_000


def ptc2020_train_sentences(root: Path) -> list[str]:
    """Non-blank lines (trimmed) of the PTC-2020 train articles, in file order."""
    from framing.data.io import read_text
    from framing.text import segment

    paths = sorted((root / "train-articles").glob("article*.txt"))
    if not paths:
        raise SystemExit(f"no train articles under {root / 'train-articles'}")
    return [s.text for path in paths for s in segment(read_text(path), "lines")]


def machine_state() -> str:
    """Load average and the busiest processes other than this one (``ps``)."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        ps = subprocess.run(
            ["ps", "-eo", "pid,pcpu,etime,args", "--sort=-pcpu"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        ps = []
    others = [line[:150] for line in ps[1:] if line.split(None, 1)[0] != str(os.getpid())][:5]
    return f"load average {load} on {os.cpu_count()} CPUs; busiest processes (pid %cpu elapsed command):\n    " + (
        "\n    ".join(others) if others else "(ps unavailable)"
    )


def max_rss_mib(who: int) -> float:
    """Peak resident set size (``ru_maxrss``, KiB on Linux) in MiB."""
    return resource.getrusage(who).ru_maxrss / 1024


class Timings:
    """Wall-clock and CPU seconds of the repeats of one measurement."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, fn, before=None):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result

    def best(self) -> float:
        return self.n / min(self.wall)

    def median(self) -> float:
        return self.n / statistics.median(self.wall)

    def best_cpu(self) -> float:
        return self.n / min(self.cpu)


def fresh_cache(parent: Path, label: str) -> None:
    """Point ``FRAMING_CACHE`` at a new empty folder: the next annotate() starts cold."""
    from framing.text import forget_annotations

    folder = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=parent))
    os.environ["FRAMING_CACHE"] = str(folder)
    forget_annotations()


def main(argv=None) -> int:
    from framing.features import FAMILIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="PTC-2020 folder (default $FRAMING_DATA/ptc_semeval2020)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (best and median reported)")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=FAMILIES, metavar="FAMILY",
                        help=f"families to time (default all: {' '.join(FAMILIES)})")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    root = args.data
    if root is None:
        if not os.environ.get("FRAMING_DATA"):
            parser.error("pass --data or set FRAMING_DATA")
        root = Path(os.environ["FRAMING_DATA"]) / "ptc_semeval2020"

    with tempfile.TemporaryDirectory(prefix="framing-benchmark-") as tmp:
        return run(args, root, Path(tmp))


def run(args, root: Path, tmp: Path) -> int:
    # Before anything annotates: every cache this run uses lives in tmp.
    os.environ["FRAMING_CACHE"] = str(tmp / "unused")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    from framing.features import family_class
    from framing.text import annotate, default_cache, forget_annotations

    texts = ptc2020_train_sentences(root)
    n = len(texts)
    print(f"PTC-2020 train: {n:,} sentences (non-blank lines) from {root / 'train-articles'}")
    print(f"python {sys.version.split()[0]}; {args.repeat} repeat(s); families: {' '.join(args.families)}")
    print("machine before:", machine_state())
    print()
    rows = []  # (label, timings or None, target, cpu column?)

    # (a) annotation from cold.
    annotation = Timings(n)
    rss_before = max_rss_mib(resource.RUSAGE_SELF)
    first_cold = None
    for r in range(args.repeat):
        fresh_cache(tmp, "cold-annotation")
        annotation.run(lambda: annotate(texts))
        if r == 0:
            first_cold = annotation.wall[0]
            rss_first = max_rss_mib(resource.RUSAGE_SELF)
            rss_worker = max_rss_mib(resource.RUSAGE_CHILDREN)
    rows.append(("(a) annotation, cold cache", annotation, TARGET_WITH_ANNOTATION, False))

    families = {name: family_class(name)().fit() for name in args.families}

    # (b) each family from the memory cache.
    for name, family in families.items():
        family.transform(texts)  # warm the family's per-token memos
        timing = Timings(n)
        for _ in range(args.repeat):
            timing.run(lambda: family.transform(texts), before=forget_annotations)
        rows.append((f"(b) {name}, memory cache", timing, TARGET_CACHED_FAMILY, True))

    # (c) all together: memory cache, then disk cache.
    union = FeatureUnion([(name, family_class(name)()) for name in args.families]).fit(texts[:10])
    reference = union.transform(texts)
    memory = Timings(n)
    for _ in range(args.repeat):
        out = memory.run(lambda: union.transform(texts), before=forget_annotations)
    assert np.array_equal(out, reference)
    rows.append(("(c) all families, memory cache", memory, TARGET_CACHED_UNION, True))

    def clear_memory() -> None:
        default_cache().clear_memory()

    disk = Timings(n)
    for _ in range(args.repeat):
        out = disk.run(lambda: union.transform(texts), before=clear_memory)
    assert np.array_equal(out, reference)
    rows.append(("(c) all families, disk cache", disk, None, True))

    # (d) all together with annotation (cold cache each repeat).
    with_annotation = Timings(n)
    for _ in range(args.repeat):
        out = with_annotation.run(lambda: union.transform(texts), before=lambda: fresh_cache(tmp, "cold-union"))
    assert np.array_equal(out, reference)
    rows.append(("(d) all families + annotation, cold", with_annotation, TARGET_WITH_ANNOTATION, False))

    # (e) TF-IDF word 1-2 grams, for scale.
    tfidf = Timings(n)
    for _ in range(args.repeat):
        tfidf.run(lambda: TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts))
    rows.append(("(e) TfidfVectorizer(1, 2) fit_transform", tfidf, None, True))

    # The table.
    print(f"| measurement | best sent/s | median sent/s | best sent/s by CPU time | target | met |")
    print("|---|---:|---:|---:|---:|---|")
    for label, timing, target, cpu in rows:
        met = "" if target is None else ("yes" if timing.best() >= target else "NO")
        print(
            f"| {label} | {timing.best():,.0f} | {timing.median():,.0f} | "
            f"{f'{timing.best_cpu():,.0f}' if cpu else '-'} | {'' if target is None else f'>= {target:,}'} | {met} |"
        )
    print()
    print(f"(a) first repeat {first_cold:.2f} s ({n / first_cold:,.0f} sent/s) includes loading the NLTK models "
          f"into this process; peak memory (ru_maxrss): this process +{rss_first - rss_before:,.0f} MiB "
          f"({rss_before:,.0f} -> {rss_first:,.0f} MiB), largest annotation worker {rss_worker:,.0f} MiB")
    t_tfidf = statistics.median(tfidf.wall)
    print(f"(e) families / TF-IDF time (medians): from the memory cache "
          f"{statistics.median(memory.wall) / t_tfidf:.2f}x, with annotation {statistics.median(with_annotation.wall) / t_tfidf:.2f}x "
          f"(TF-IDF {t_tfidf:.2f} s)")
    print()
    print("machine after:", machine_state())
    return 0


if __name__ == "__main__":
    sys.exit(main())
