"""How each feature of a family separates propaganda from other sentences (PTC-2020 train).

Sentences are the non-blank lines of the SemEval-2020 Task 11 articles; a
sentence is propaganda when a technique span of the TC gold overlaps it
(NLP4IF-2019's SLC rule, :func:`framing.data.model.label_sentences`). For each
feature column the script prints the mean over propaganda and over other
sentences and Cohen's d (difference of means over the pooled standard
deviation; Cohen 1988), sorted by |d|.

Usage::

    NLTK_DATA=... FRAMING_DATA=/path/to/data python scripts/feature_effects.py --family loaded
    python scripts/feature_effects.py --family loaded --param "external=('mpqa', 'hu_liu')" \\
        --param lexicon_dir=/path/to/lexicons --benchmark
"""

from __future__ import annotations

import argparse
import ast
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from framing.features import FAMILIES, family_class


def cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's d of samples ``a`` and ``b`` with the pooled standard deviation (nan if it is 0)."""
    na, nb = len(a), len(b)
    pooled = ((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2)
    return float((a.mean() - b.mean()) / math.sqrt(pooled)) if pooled > 0 else float("nan")


def ptc2020_sentences(root: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Sentence texts (non-blank lines) of a PTC-2020 split and their SLC labels (1 = propaganda)."""
    from framing.data.model import label_sentences
    from framing.data.semeval2020 import read_semeval2020
    from framing.text import segment

    corpus = read_semeval2020(root, split)
    texts, labels = [], []
    for doc in corpus[split]:
        for sentence in label_sentences(segment(doc.text, "lines"), doc.spans):
            texts.append(sentence.text)
            labels.append(int(sentence.is_propaganda))
    return texts, np.asarray(labels)


def effect_table(names, X: np.ndarray, y: np.ndarray) -> list[tuple[str, float, float, float]]:
    """Rows ``(name, mean propaganda, mean other, d)`` sorted by |d|, largest first (nan last)."""
    rows = []
    for j, name in enumerate(names):
        p, o = X[y == 1, j], X[y == 0, j]
        rows.append((str(name), float(p.mean()), float(o.mean()), cohens_d(p, o)))
    return sorted(rows, key=lambda r: -abs(r[3]) if not math.isnan(r[3]) else 1.0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", required=True, choices=FAMILIES)
    parser.add_argument("--data", type=Path, default=None,
                        help="PTC-2020 folder (default $FRAMING_DATA/ptc_semeval2020)")
    parser.add_argument("--split", default="train", choices=("train", "dev"))
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="estimator parameter; VALUE is a Python literal or a plain string (repeatable)")
    parser.add_argument("--benchmark", type=int, nargs="?", const=5, default=0, metavar="REPEATS",
                        help="also time transform on the already-annotated sentences, REPEATS times (default 5)")
    args = parser.parse_args(argv)

    root = args.data
    if root is None:
        env = os.environ.get("FRAMING_DATA")
        if not env:
            parser.error("pass --data or set FRAMING_DATA")
        root = Path(env) / "ptc_semeval2020"
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--param {item!r}: expected NAME=VALUE")
        try:
            params[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[name] = value

    cls = family_class(args.family)
    texts, y = ptc2020_sentences(root, args.split)
    features = cls(**params).fit()
    X = features.transform(texts)  # annotates (cached) and featurizes
    names = features.get_feature_names_out()
    n_prop = int(y.sum())
    print(f"PTC-2020 {args.split}: {len(texts)} sentences, {n_prop} propaganda, {len(texts) - n_prop} other; "
          f"family {args.family}, params {params or 'default'}")
    if args.benchmark:
        times = []
        for _ in range(args.benchmark):
            start = time.perf_counter()
            X2 = features.transform(texts)
            times.append(time.perf_counter() - start)
            assert np.array_equal(X, X2)
        rates = sorted(len(texts) / t for t in times)
        print(f"transform with annotations in memory, {len(texts)} sentences x {len(times)}: "
              f"best {rates[-1]:,.0f}, median {rates[len(rates) // 2]:,.0f}, worst {rates[0]:,.0f} sentences/s")
    print()
    print("| feature | mean propaganda | mean other | Cohen's d |")
    print("|---|---:|---:|---:|")
    for name, mp, mo, d in effect_table(names, X, y):
        print(f"| {name} | {mp:.4f} | {mo:.4f} | {d:+.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
