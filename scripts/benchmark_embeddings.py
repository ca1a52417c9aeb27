"""Speed of sentence embeddings on PTC-2020 train sentences, beside TF-IDF (a benchmark, not a test).

Sentences are the non-blank lines of ``$FRAMING_DATA/ptc_semeval2020/train-articles/*.txt``
(16,673; as in ``scripts/benchmark_features.py``). One run measures, with the encoder given by
``--model`` (default all-MiniLM-L6-v2 from ``$FRAMING_MODELS``):

(a) cold: an empty disk cache (a temporary ``FRAMING_CACHE``) and a freshly loaded encoder;
    sentences/s of ``SentenceEmbeddings.transform`` (wall clock; the model load is timed apart),
    over the first ``--cold`` sentences (embedding all 16,673 cold takes minutes on a CPU);
(b) from the disk cache: the encoder's memory layer cleared, every sentence read from SQLite;
(c) from the memory cache;
(d) ``TfidfVectorizer(ngram_range=(1, 2)).fit_transform`` on all sentences, for the ratio.

Peak memory: this process's peak RSS (``ru_maxrss``) before and after the encoder runs.
The machine's load average is printed: on a shared machine the numbers are only as good as it was idle.

Usage::

    FRAMING_DATA=... FRAMING_MODELS=... python scripts/benchmark_embeddings.py --cold 2000 [--batch-size 64]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def ptc2020_train_sentences(root: Path) -> list[str]:
    """Non-blank lines (trimmed) of the PTC-2020 train articles, in file order."""
    from framing.data.io import read_text
    from framing.text import segment

    paths = sorted((root / "train-articles").glob("article*.txt"))
    if not paths:
        raise SystemExit(f"no train articles under {root / 'train-articles'}")
    return [s.text for p in paths for s in segment(read_text(p), "lines")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="sentence-transformers/all-MiniLM-L6-v2")
    parser.add_argument("--cold", type=int, default=2000, help="sentences embedded cold (0: all)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)

    root = Path(os.environ.get("FRAMING_DATA", "data")) / "ptc_semeval2020"
    sentences = ptc2020_train_sentences(root)
    cold = sentences[: args.cold] if args.cold else sentences
    print(f"{len(sentences)} PTC-2020 train sentences; load average {os.getloadavg()}; "
          f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FRAMING_CACHE"] = tmp
        import torch

        from framing.encoders import forget_encoders, get_encoder
        from framing.features.embeddings import SentenceEmbeddings

        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; peak RSS before {peak_mb():.0f} MB")
        t = time.perf_counter()
        features = SentenceEmbeddings(model=args.model, batch_size=args.batch_size, device=args.device,
                                      progress=False).fit(cold)
        print(f"model load: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        features.transform(cold)
        seconds = time.perf_counter() - t
        cold_rate = len(cold) / seconds
        print(f"(a) cold: {len(cold)} sentences in {seconds:.1f} s = {len(cold) / seconds:,.0f} sentences/s; "
              f"peak RSS {peak_mb():.0f} MB")
        encoder = get_encoder(args.model, device=args.device, batch_size=args.batch_size, progress=False)
        encoder.clear_memory()
        t = time.perf_counter()
        features.transform(cold)
        seconds = time.perf_counter() - t
        print(f"(b) disk cache: {len(cold) / seconds:,.0f} sentences/s")
        rates = []
        for _ in range(3):
            t = time.perf_counter()
            features.transform(cold)
            rates.append(len(cold) / (time.perf_counter() - t))
        print(f"(c) memory cache: best {max(rates):,.0f} sentences/s")
        forget_encoders()
    from sklearn.feature_extraction.text import TfidfVectorizer

    t = time.perf_counter()
    TfidfVectorizer(ngram_range=(1, 2)).fit_transform(sentences)
    seconds = time.perf_counter() - t
    tfidf_rate = len(sentences) / seconds
    print(f"(d) TF-IDF 1-2 grams fit_transform: {tfidf_rate:,.0f} sentences/s; "
          f"cold embedding takes {tfidf_rate / cold_rate:,.0f}x as long per sentence")
    print(f"peak RSS {peak_mb():.0f} MB; load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
