"""End-to-end speed of ``framing analyze`` on an article of about 800 words.

Each run is a fresh ``framing analyze ARTICLE`` process (model loading
included), timed from outside: wall clock, and the CPU time of the process
and its children (on a busy machine CPU time says more than wall time).
Three situations:

- ``cold``: empty cache folder: resolve the latest registered models through
  MLflow, download them, annotate the article;
- ``warm``: the models are in the cache, the article is new (its annotation
  cache is removed before each run) -- the case the 2 s target is about;
- ``repeat``: the same article again (its sentences' annotations are cached).

Then one ``python -X importtime`` run of the warm case says which imports
dominate. Usage::

    MLFLOW_TRACKING_URI=sqlite:////tmp/analyze/mlflow.db \\
    NLTK_DATA=/path/to/nltk_data python scripts/benchmark_analyze.py --repeats 5

The article is ``--article PATH``, or by default the Moscow Times sample
(``../shared/samples/news_putin_syria.txt``, if present) topped up with demo
articles (``data/demo``) to at least ``--words`` words.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "news_putin_syria.txt"


def build_article(words: int) -> str:
    """The sample article, then lines of demo articles until it has ``words`` words (as ``wc -w`` counts)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines() if SAMPLE.exists() else []
    for path in sorted((ROOT / "data" / "demo").glob("*/article*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if sum(len(x.split()) for x in lines) >= words:
                return "\n".join(lines) + "\n"
            lines.append(line)
    return "\n".join(lines) + "\n"


def command() -> list[str]:
    script = Path(sys.executable).parent / "framing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "framing.cli"]


def timed_run(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, process and children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def summary(name: str, runs: list[tuple[float, float]]) -> str:
    walls = [w for w, _ in runs]
    cpus = [c for _, c in runs]
    return (f"{name:<8} n={len(runs)}  wall median {statistics.median(walls):.2f} s "
            f"(min {min(walls):.2f}, max {max(walls):.2f})  cpu median {statistics.median(cpus):.2f} s")


def import_profile(argv: list[str], env: dict, top: int = 8) -> list[str]:
    """Cumulative import time of the heaviest top-level packages in one run."""
    py = [sys.executable, "-X", "importtime", "-m", "framing.cli", *argv[len(command()):]]
    done = subprocess.run(py, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    totals: dict[str, int] = {}
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)  # top level: no indentation
        if m:
            package = m.group(2).split(".")[0]
            totals[package] = totals.get(package, 0) + int(m.group(1))
    ranked = sorted(totals.items(), key=lambda x: -x[1])[:top]
    return [f"  {name:<16} {us / 1e6:.2f} s" for name, us in ranked]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", type=Path, help="article to analyse (default: built, see above)")
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", action="append", default=[], help="passed to framing analyze")
    parser.add_argument("--format", default="text", choices=["text", "json", "html"])
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="benchmark-analyze-"))
    article = args.article or work / "article.txt"
    if not args.article:
        article.write_text(build_article(args.words), encoding="utf-8")
    text = article.read_text(encoding="utf-8")
    argv = [*command(), "analyze", str(article), "--format", args.format]
    for uri in args.model:
        argv += ["--model", uri]
    print(f"article: {article} ({len(text.split())} words as wc -w counts, {len(text)} characters)")
    print(f"command: {' '.join(argv)}")
    print(f"tracking: {os.environ.get('MLFLOW_TRACKING_URI', '(project default)')}; "
          f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")

    def env_for(cache: Path) -> dict:
        return {**os.environ, "FRAMING_CACHE": str(cache)}

    try:
        cold = []
        for i in range(args.repeats):
            cache = work / f"cold-{i}"
            cold.append(timed_run(argv, env_for(cache)))
            shutil.rmtree(cache, ignore_errors=True)
        warm_cache = work / "warm"
        timed_run(argv, env_for(warm_cache))  # download the models once
        warm = []
        for _ in range(args.repeats):
            shutil.rmtree(warm_cache / "annotations", ignore_errors=True)
            warm.append(timed_run(argv, env_for(warm_cache)))
        repeat = [timed_run(argv, env_for(warm_cache)) for _ in range(args.repeats)]
        print(summary("cold", cold))
        print(summary("warm", warm))
        print(summary("repeat", repeat))
        shutil.rmtree(warm_cache / "annotations", ignore_errors=True)
        print("imports of one warm run (cumulative, top-level packages):")
        print("\n".join(import_profile(argv, env_for(warm_cache))))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
