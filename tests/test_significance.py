"""Bootstrap intervals and paired tests over articles (framing.significance)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.data.model import Document, Span
from framing.significance import (
    ArticleStatistics,
    article_statistics,
    bootstrap_ci,
    bootstrap_intervals,
    interval_metrics,
    paired_test,
)
from framing.tasks import SITask, SLCTask, TCTask

TEXT = "Title of {i}\n\nThey lie about {i}.\nThe sky is blue.\nCrooks and liars, all of them.\nRain today.\n"


def _docs(n=12):
    docs = []
    for i in range(n):
        text = TEXT.format(i=i)
        lie = text.index("lie")
        crooks = text.index("Crooks")
        spans = [Span(lie, lie + 3, "Loaded_Language")]
        if i % 3:
            spans.append(Span(crooks, crooks + 6, "Name_Calling,Labeling"))
        docs.append(Document(f"{100 + i}", text, tuple(spans)))
    return docs


@pytest.fixture()
def slc():
    task = SLCTask()
    ex = task.examples(_docs(), (), "lines")
    rng = np.random.default_rng(3)
    good = ex.y.copy()
    good[rng.random(len(good)) < 0.15] ^= 1  # a decent system
    bad = rng.integers(0, 2, len(good))  # a coin
    return task, ex, good, bad


def test_interval_covers_the_estimate_and_is_reproducible(slc):
    task, ex, good, _ = slc
    stats = article_statistics(task, ex, good)
    assert stats.undecomposed == () and len(stats.articles) == 12
    cis = bootstrap_intervals(stats, n_resamples=500, seed=7)
    assert set(cis) == set(task.score(ex, good, None, None).metrics)
    for name, ci in cis.items():
        assert ci.low <= ci.estimate <= ci.high, name
        assert ci.estimate == pytest.approx(stats.metrics[name])
    assert cis["f1"].high - cis["f1"].low > 0  # the articles differ, so the interval has width
    again = bootstrap_intervals(stats, n_resamples=500, seed=7)
    assert again == cis
    other = bootstrap_intervals(stats, n_resamples=500, seed=8)
    assert other["f1"] != cis["f1"]
    logged = interval_metrics(cis, prefix="dev_")
    assert logged["dev_f1_ci_low"] == cis["f1"].low and logged["dev_f1_ci_high"] == cis["f1"].high
    assert bootstrap_ci(task, ex, good, n_resamples=500, seed=7) == cis


def test_an_article_drawn_twice_counts_twice(slc):
    task, ex, good, _ = slc
    stats = article_statistics(task, ex, good)
    counts = np.zeros(len(stats.articles))
    counts[[0, 3]] = [2, 1]  # article 0 twice, article 3 once
    # the same multiset scored directly, the copy of article 0 renamed
    docs = {d.id: d for d in _docs()}
    a0, a3 = stats.articles[0], stats.articles[3]
    copy = Document(f"{a0}#2", docs[a0].text, docs[a0].spans)
    resampled = task.examples([docs[a0], copy, docs[a3]], (), "lines")
    rows = {a: np.flatnonzero(ex.doc_ids == a) for a in (a0, a3)}
    pred = np.concatenate([good[rows[a0]], good[rows[a0]], good[rows[a3]]])
    direct = task.score(resampled, pred, None, None).metrics
    assert stats.metrics_of(counts) == pytest.approx(direct)


def test_span_and_tc_tasks_decompose_over_articles():
    docs = _docs(6)
    si = SITask()
    ex = si.examples(docs, (), "lines")
    tags = np.zeros(len(ex), dtype=int)
    tags[::3] = 1
    stats = article_statistics(si, ex, tags)
    assert stats.undecomposed == ()
    assert stats.metrics_of(np.ones(6)) == pytest.approx(si.score(ex, tags, None, None).metrics)
    tc = TCTask()
    labels = ("Loaded_Language", "Name_Calling,Labeling")
    tex = tc.examples(docs, labels, "lines")
    pred = np.array(["Loaded_Language"] * len(tex), dtype=object)
    tstats = article_statistics(tc, tex, pred)
    assert tstats.undecomposed == () and tstats.metrics["micro_f1"] == pytest.approx(6 / 10)


def test_paired_test_identical_systems_gives_p_one(slc):
    task, ex, good, _ = slc
    a = article_statistics(task, ex, good)
    b = article_statistics(task, ex, good.copy())
    for method in ("bootstrap", "permutation"):
        result = paired_test(a, b, "f1", n_resamples=300, seed=1, method=method)
        assert result.difference == 0.0 and result.p_value == 1.0
        assert result.low == result.high == 0.0


def test_paired_test_finds_a_clearly_better_system(slc):
    task, ex, good, bad = slc
    a, b = article_statistics(task, ex, good), article_statistics(task, ex, bad)
    for method in ("bootstrap", "permutation"):
        result = paired_test(a, b, "f1", n_resamples=500, seed=1, method=method)
        assert result.difference > 0.2 and result.p_value < 0.01
        assert result.low > 0  # the interval of the difference excludes 0
        assert result.p_value >= 1 / 501  # add-one smoothing: never 0
    reverse = paired_test(b, a, "f1", n_resamples=500, seed=1)
    assert reverse.difference == pytest.approx(-result.difference) and reverse.high < 0
    assert "p = " in result.summary() and "95% CI" in result.summary()


def test_paired_test_needs_the_same_articles(slc):
    task, ex, good, _ = slc
    a = article_statistics(task, ex, good)
    part = ex.subset(np.flatnonzero(ex.doc_ids != ex.doc_ids[0]))
    b = article_statistics(task, part, good[ex.doc_ids != ex.doc_ids[0]])
    with pytest.raises(ValueError, match="different articles"):
        paired_test(a, b, "f1")
    with pytest.raises(ValueError, match="no metric"):
        paired_test(a, a, "nonsense")
    with pytest.raises(ValueError, match="method"):
        paired_test(a, a, "f1", method="t-test")


def test_statistics_round_trip_through_json(slc):
    task, ex, good, _ = slc
    stats = article_statistics(task, ex, good)
    back = ArticleStatistics.from_dict(json.loads(json.dumps(stats.to_dict())))
    assert back.articles == stats.articles
    assert bootstrap_intervals(back, 200, seed=2) == bootstrap_intervals(stats, 200, seed=2)


def test_one_row_articles_take_the_grouped_path():
    from framing.tasks import SentenceBiasTask

    rng = np.random.default_rng(0)
    docs = [Document(str(i), f"Sentence {i}.", metadata={"label_bias": "Biased" if rng.random() < 0.5 else "Non-biased"})
            for i in range(300)]
    task = SentenceBiasTask()
    ex = task.examples(docs, (), "lines")
    pred = np.where(rng.random(300) < 0.8, ex.y, 1 - ex.y)
    stats = article_statistics(task, ex, pred)
    assert stats.undecomposed == () and len(stats.articles) == 300
    assert stats.metrics_of(np.ones(300)) == pytest.approx(task.score(ex, pred, None, None).metrics)


def test_bad_arguments(slc):
    task, ex, good, _ = slc
    stats = article_statistics(task, ex, good)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_intervals(stats, confidence=95)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_intervals(stats, n_resamples=0)
    unlabelled = task.examples([Document("1", "x\n", labelled=False)], (), "lines")
    with pytest.raises(ValueError, match="no gold"):
        article_statistics(task, unlabelled, np.zeros(1, dtype=int))
