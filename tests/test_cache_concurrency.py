"""The shared annotation cache under concurrency: two processes annotating one corpus into one folder.

Jobs of a sweep (joblib workers, SLURM jobs on one node) share ``$FRAMING_CACHE``.
Two processes start on an empty folder at the same moment (both create the
SQLite file and switch it to WAL), then write the same sentences in small
batches in opposite orders, so their transactions interleave. Afterwards the
database passes SQLite's integrity check, holds every sentence exactly once,
and every stored annotation equals a fresh one.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import sqlite3
from pathlib import Path

import pytest

from framing.data.ptc2019 import read_ptc2019
from framing.resources import PROJECT_ROOT
from framing.text import ANNOTATION_VERSION, AnnotationCache, _key, segment

pytestmark = pytest.mark.nltk

BATCH = 20


def _sentences() -> list[str]:
    corpus = read_ptc2019(PROJECT_ROOT / "data" / "demo", "train")
    base = [s.text for doc in corpus for s in segment(doc.text, "lines") if s.text.strip()]
    # more distinct sentences than the demo holds, so the writers overlap for a while
    return sorted(set(base + [f"{s} (copy {i})" for i in range(1) for s in base]))


def _worker(folder: str, texts: list[str], reverse: bool, barrier, results) -> None:
    cache = AnnotationCache(Path(folder), n_jobs=1, progress=False)
    order = list(reversed(texts)) if reverse else list(texts)
    barrier.wait(timeout=60)
    annotations = {}
    for i in range(0, len(order), BATCH):
        batch = order[i : i + BATCH]
        annotations.update(zip(batch, cache.annotate(batch)))
        cache.clear_memory()  # the next look-up goes to the shared file again
    # read everything back through the shared file, as a later job would
    cache.clear_memory()
    again = cache.annotate(texts)
    results.put((reverse, sum(a != annotations[t] for t, a in zip(texts, again))))


def test_two_processes_annotating_one_corpus_into_one_cache_lose_and_corrupt_nothing(tmp_path):
    texts = _sentences()
    assert len(texts) > 200
    fresh = dict(zip(texts, AnnotationCache(None, n_jobs=1, progress=False).annotate(texts)))
    ctx = mp.get_context("spawn")
    for round_ in range(2):  # two rounds: the race on creating the file is short
        folder = tmp_path / f"cache-{round_}"
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(str(folder), texts, rev, barrier, results)) for rev in (False, True)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=300)
        assert [p.exitcode for p in procs] == [0, 0], "a writer failed (see its traceback above)"
        assert sorted(results.get(timeout=10) for _ in procs) == [(False, 0), (True, 0)]

        con = sqlite3.connect(folder / f"annotations-v{ANNOTATION_VERSION}.sqlite")
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            rows = dict(con.execute("SELECT key, value FROM ann").fetchall())
        finally:
            con.close()
        assert len(rows) == len(texts)  # none lost, none twice
        assert set(rows) == {_key(t) for t in texts}
        stored = {t: pickle.loads(rows[_key(t)]) for t in texts}
        assert [t for t in texts if stored[t] != fresh[t]] == []
