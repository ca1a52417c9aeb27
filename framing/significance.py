"""How sure is a score? Bootstrap intervals and paired tests that resample articles.

The sentences, tokens or spans of one article are not independent (one
author, one topic, one annotator's reading), so the unit resampled is the
**article**: a replicate draws as many articles as the split has, with
replacement, and an article drawn twice counts twice.

This works for every task's metrics through the task API alone: each article
is scored on its own rows (``task.score``) and the scorer's additive
statistics (:class:`framing.evaluate.Statistics`: true positives per class,
overlap credit and span counts ...) are kept; a replicate's metrics are the
same formulas applied to the statistics summed with the replicate's article
counts. That is exactly the score of the resampled split, article copies
included, at the cost of one scoring pass. A metric whose value on the whole
split differs from its decomposition is reported in
:attr:`ArticleStatistics.undecomposed` and gets no interval.

- :func:`bootstrap_intervals`: percentile bootstrap confidence intervals
  (Efron & Tibshirani 1993; as used for NLP evaluation by Koehn 2004,
  "Statistical Significance Tests for Machine Translation Evaluation",
  EMNLP), seeded and reproducible.
- :func:`paired_test`: two systems' predictions on the same split. The
  difference, its paired bootstrap interval, and a two-sided p-value by the
  paired bootstrap (Koehn 2004; the shifted null of Berg-Kirkpatrick,
  Burkett & Klein 2012, "An Empirical Investigation of Statistical
  Significance in NLP", EMNLP-CoNLL) or by approximate randomization (Noreen
  1989), swapping the two systems' outputs article by article. Dror,
  Baumer, Shlomov & Reichart 2018 ("The Hitchhiker's Guide to Testing
  Statistical Significance in Natural Language Processing", ACL) recommend
  both for metrics such as F1 whose distribution is unknown.

Seeds vary the model; the bootstrap varies the data: a deterministic model
has seed sd 0 and the interval carries the uncertainty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from framing.evaluate import Statistics, statistics_only

#: Resamples by default: enough for a stable 95 % percentile interval (Koehn 2004 used 1,000).
N_RESAMPLES = 1000
#: Tolerance when checking that the statistics reproduce the point estimate.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ArticleStatistics:
    """Per-article additive statistics of one system's predictions on one split.

    Parameters
    ----------
    articles : tuple of str
        Article ids, in the order of the first axis of every value array.
    parts : tuple of Statistics
        The scorer's statistics, each value an array of shape
        (n_articles, ...) (per-class arrays aligned on ``labels``).
    metrics : dict of str to float
        The point estimates (``task.score`` on the whole split).
    undecomposed : tuple of str
        Metrics the summed statistics do not reproduce (no interval for them).
    """

    articles: tuple[str, ...]
    parts: tuple[Statistics, ...]
    metrics: dict[str, float]
    undecomposed: tuple[str, ...] = ()

    @property
    def decomposed(self) -> list[str]:
        """Metric names that intervals and tests can be computed for."""
        return [m for m in self.metrics if m not in self.undecomposed]

    def metrics_of(self, counts: np.ndarray) -> dict[str, float]:
        """Metrics of a multiset of articles, ``counts[i]`` copies of article ``i``.

        Parameters
        ----------
        counts : ndarray of shape (n_articles,)
        """
        return {k: v for k, v in self._metrics_many(np.asarray(counts, dtype=float)[None, :])[0].items()}

    def _metrics_many(self, counts: np.ndarray) -> list[dict[str, float]]:
        """Metrics of each row of ``counts`` (shape (n_replicates, n_articles))."""
        summed = []
        for part in self.parts:
            values = {}
            for key, arr in part.values.items():
                flat = arr.reshape(len(self.articles), -1)
                values[key] = (counts @ flat).reshape((len(counts),) + arr.shape[1:])
            summed.append(values)
        out = []
        for r in range(len(counts)):
            row: dict[str, float] = {}
            for part, values in zip(self.parts, summed):
                row.update(part.metrics({k: v[r] for k, v in values.items()}))
            out.append(row)
        return out

    def to_dict(self) -> dict:
        """A JSON-friendly form (lists), e.g. to log with a run for later paired tests."""
        return {
            "articles": list(self.articles),
            "metrics": dict(self.metrics),
            "undecomposed": list(self.undecomposed),
            "parts": [
                {"kind": p.kind, "params": dict(p.params), "suffix": p.suffix, "labels": list(p.labels),
                 "class_keys": list(p.class_keys), "values": {k: np.asarray(v).tolist() for k, v in p.values.items()}}
                for p in self.parts
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> ArticleStatistics:
        """Inverse of :meth:`to_dict`."""
        parts = tuple(
            Statistics(p["kind"], {k: np.asarray(v, dtype=float) for k, v in p["values"].items()}, dict(p["params"]),
                       p["suffix"], tuple(p["labels"]), tuple(p["class_keys"]))
            for p in data["parts"]
        )
        return cls(tuple(data["articles"]), parts, dict(data["metrics"]), tuple(data["undecomposed"]))


def _align(parts_per_article: list[tuple[Statistics, ...]]) -> tuple[Statistics, ...]:
    """Stack per-article statistics into arrays with a leading article axis, per-class arrays aligned by label."""
    first = parts_per_article[0]
    stacked = []
    for j, template in enumerate(first):
        parts = [p[j] for p in parts_per_article]
        if any((p.kind, p.suffix, dict(p.params)) != (template.kind, template.suffix, dict(template.params))
               for p in parts):
            raise ValueError("the scorer's statistics differ in kind between articles; cannot add them up")
        labels = list(template.labels)
        for p in parts:
            labels += [lab for lab in p.labels if lab not in labels]
        values = {}
        for key in template.values:
            if key in template.class_keys:
                arr = np.zeros((len(parts), len(labels)))
                for i, p in enumerate(parts):
                    index = [labels.index(lab) for lab in p.labels]
                    arr[i, index] = np.asarray(p.values[key], dtype=float)
            else:
                arr = np.stack([np.asarray(p.values[key], dtype=float) for p in parts])
            values[key] = arr
        stacked.append(Statistics(template.kind, values, dict(template.params), template.suffix, tuple(labels),
                                  template.class_keys))
    return tuple(stacked)


#: Above this many articles of one row each, articles with the same gold and prediction share one scoring.
_GROUP_ABOVE = 200


def _same(x: tuple[Statistics, ...], y: tuple[Statistics, ...]) -> bool:
    return len(x) == len(y) and all(
        p.labels == q.labels and p.values.keys() == q.values.keys()
        and all(np.array_equal(np.asarray(p.values[k]), np.asarray(q.values[k])) for k in p.values)
        for p, q in zip(x, y)
    )


def _one_row_articles(articles, rows_of, y_true, y_pred, score_of, checks: int = 20):
    """Per-article statistics when every article is one row (BABE sentences, SemEval-2023 articles), or None.

    Articles whose row has the same gold and the same prediction are scored
    once; the shortcut is taken only when scoring ``checks`` other articles
    on their own gives exactly their group's statistics (the caller then also
    checks the sum against the whole split).
    """
    if len(articles) <= _GROUP_ABOVE or any(len(rows_of[a]) != 1 for a in articles):
        return None
    keys = [(np.asarray(y_true[rows_of[a][0]]).tobytes(), np.asarray(y_pred[rows_of[a][0]]).tobytes(),
             repr(y_true[rows_of[a][0]]), repr(y_pred[rows_of[a][0]])) for a in articles]
    first: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    computed = {i: score_of(articles[i]) for i in first.values()}
    rng = np.random.default_rng(0)
    for i in rng.choice(len(articles), size=min(checks, len(articles)), replace=False):
        if not _same(score_of(articles[i]), computed[first[keys[i]]]):
            return None
    return [computed[first[key]] for key in keys]


def article_statistics(task, examples, y_pred, y_score=None, classes=None) -> ArticleStatistics:
    """Score each article of a split on its own and keep the additive statistics.

    Each article's rows are scored with ``task.score`` inside
    :func:`framing.evaluate.statistics_only`. Where every article is a
    single row (more than 200 of them: BABE sentences, SemEval-2023 articles),
    articles with the same gold and prediction are scored once, after a check
    on 20 articles that this gives their own statistics. The summed
    statistics are then compared with the whole split's metrics; a metric they
    do not reproduce is listed in ``undecomposed``.

    Parameters
    ----------
    task : framing.tasks.Task
    examples : framing.tasks.Examples
        The evaluated split (with gold).
    y_pred : array-like of length n_samples
        Decoded predictions, as passed to ``task.score``.
    y_score : ndarray of shape (n_samples, n_classes), optional
    classes : array-like, optional

    Returns
    -------
    ArticleStatistics

    Raises
    ------
    ValueError
        If the examples have no gold, or the task's scorer returns no
        statistics (a metric that cannot be decomposed over articles).
    """
    if examples.y is None:
        raise ValueError("these examples have no gold: nothing to resample")
    y_pred = np.asarray(y_pred) if not isinstance(y_pred, np.ndarray) else y_pred
    whole = task.score(examples, y_pred, y_score, classes)
    if not whole.statistics:
        raise ValueError(f"task={task.name}: its scorer gives no additive statistics, so articles cannot be resampled")
    doc_ids = np.asarray(examples.doc_ids, dtype=object)
    articles = list(dict.fromkeys(doc_ids.tolist()))
    rows_of: dict[object, list[int]] = {a: [] for a in articles}
    for i, a in enumerate(doc_ids.tolist()):
        rows_of[a].append(i)

    def score_of(article) -> tuple[Statistics, ...]:
        idx = np.asarray(rows_of[article], dtype=np.int64)
        sub = examples.subset(idx)
        return task.score(sub, y_pred[idx], None if y_score is None else y_score[idx], classes).statistics

    with statistics_only():  # the counts only: checked against ``whole`` below
        per_article = _one_row_articles(articles, rows_of, examples.y, y_pred, score_of)
        if per_article is None:
            per_article = [score_of(a) for a in articles]
    stats = ArticleStatistics(tuple(map(str, articles)), _align(per_article), dict(whole.metrics))
    total = stats.metrics_of(np.ones(len(articles)))
    undecomposed = tuple(m for m, v in whole.metrics.items() if m not in total or abs(total[m] - v) > _TOLERANCE)
    return ArticleStatistics(stats.articles, stats.parts, stats.metrics, undecomposed)


@dataclass(frozen=True)
class Interval:
    """A bootstrap confidence interval of one metric.

    Parameters
    ----------
    estimate : float
        The metric on the split itself.
    low, high : float
        The percentile interval bounds.
    confidence : float
        E.g. 0.95.
    n_resamples : int
    """

    estimate: float
    low: float
    high: float
    confidence: float
    n_resamples: int


def _draws(n_articles: int, n_resamples: int, seed: int) -> np.ndarray:
    """Article counts of each replicate, shape (n_resamples, n_articles): multinomial draws of n articles."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_articles, np.full(n_articles, 1.0 / n_articles), size=n_resamples).astype(float)


def _check(n_resamples: int, confidence: float) -> None:
    if int(n_resamples) < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")


def bootstrap_intervals(
    stats: ArticleStatistics,
    n_resamples: int = N_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
    metrics: Sequence[str] | None = None,
) -> dict[str, Interval]:
    """Percentile bootstrap confidence intervals of the metrics, resampling articles.

    Parameters
    ----------
    stats : ArticleStatistics
        From :func:`article_statistics`.
    n_resamples : int, default 1000
    confidence : float, default 0.95
    seed : int, default 0
        Seeds ``numpy.random.default_rng``: the same seed gives the same intervals.
    metrics : sequence of str, optional
        Default: every decomposable metric.

    Returns
    -------
    dict of str to Interval
        Empty when the split has no article.
    """
    _check(n_resamples, confidence)
    names = [m for m in (metrics or stats.decomposed) if m in stats.decomposed]
    if not stats.articles or not names:
        return {}
    replicates = stats._metrics_many(_draws(len(stats.articles), int(n_resamples), seed))
    tail = (1.0 - confidence) / 2 * 100
    out = {}
    for name in names:
        values = np.array([r[name] for r in replicates])
        low, high = np.percentile(values, [tail, 100 - tail])
        out[name] = Interval(float(stats.metrics[name]), float(low), float(high), float(confidence), int(n_resamples))
    return out


def interval_metrics(intervals: Mapping[str, Interval], prefix: str = "") -> dict[str, float]:
    """``{<prefix><metric>_ci_low: ..., <prefix><metric>_ci_high: ...}``, the names runs log them under."""
    out = {}
    for name, ci in intervals.items():
        out[f"{prefix}{name}_ci_low"] = ci.low
        out[f"{prefix}{name}_ci_high"] = ci.high
    return out


def bootstrap_ci(task, examples, y_pred, y_score=None, classes=None, *, n_resamples: int = N_RESAMPLES,
                 confidence: float = 0.95, seed: int = 0) -> dict[str, Interval]:
    """:func:`article_statistics` then :func:`bootstrap_intervals`: every metric's interval in one call."""
    stats = article_statistics(task, examples, y_pred, y_score, classes)
    return bootstrap_intervals(stats, n_resamples, confidence, seed)


@dataclass(frozen=True)
class PairedResult:
    """A paired comparison of systems A and B on one metric of one split.

    Parameters
    ----------
    metric : str
    a, b : float
        Each system's metric on the split.
    difference : float
        ``a - b``.
    low, high : float
        Paired bootstrap percentile interval of the difference.
    p_value : float
        Two-sided, add-one smoothed (never 0): ``(1 + #extreme) / (1 + n_resamples)``.
    method : str
        ``"bootstrap"`` or ``"permutation"`` (approximate randomization).
    n_resamples : int
    confidence : float
    n_articles : int
    """

    metric: str
    a: float
    b: float
    difference: float
    low: float
    high: float
    p_value: float
    method: str
    n_resamples: int
    confidence: float
    n_articles: int = 0

    def summary(self) -> str:
        """One line: the difference, its interval and the p-value."""
        pct = int(round(self.confidence * 100))
        return (f"{self.metric}: A {self.a:.4f} - B {self.b:.4f} = {self.difference:+.4f} "
                f"({pct}% CI [{self.low:+.4f}, {self.high:+.4f}]), p = {self.p_value:.4f} "
                f"({self.method}, {self.n_resamples} resamples of {self.n_articles} articles)")


def _paired(stats_a: ArticleStatistics, stats_b: ArticleStatistics) -> ArticleStatistics:
    """``stats_b`` reordered to ``stats_a``'s articles; both must cover the same articles."""
    if set(stats_a.articles) != set(stats_b.articles) or len(stats_a.articles) != len(stats_b.articles):
        only_a = sorted(set(stats_a.articles) - set(stats_b.articles))[:3]
        only_b = sorted(set(stats_b.articles) - set(stats_a.articles))[:3]
        raise ValueError(f"the two systems were scored on different articles (only A: {only_a}, only B: {only_b}): "
                         "a paired test needs the same split")
    order = [stats_b.articles.index(a) for a in stats_a.articles]
    parts = tuple(Statistics(p.kind, {k: v[order] for k, v in p.values.items()}, p.params, p.suffix, p.labels,
                             p.class_keys) for p in stats_b.parts)
    return ArticleStatistics(stats_a.articles, parts, stats_b.metrics, stats_b.undecomposed)


def _both(stats_a: ArticleStatistics, stats_b: ArticleStatistics) -> ArticleStatistics:
    """A's articles followed by B's, per-class arrays aligned on the union of labels (for approximate randomization)."""
    parts = []
    for p, q in zip(stats_a.parts, stats_b.parts):
        labels = list(p.labels) + [lab for lab in q.labels if lab not in p.labels]
        values = {}
        for key in p.values:
            if key in p.class_keys:
                block = np.zeros((2 * len(stats_a.articles), len(labels)))
                block[: len(stats_a.articles), : len(p.labels)] = p.values[key]
                block[len(stats_a.articles):, [labels.index(lab) for lab in q.labels]] = q.values[key]
            else:
                block = np.concatenate([p.values[key], q.values[key]])
            values[key] = block
        parts.append(Statistics(p.kind, values, p.params, p.suffix, tuple(labels), p.class_keys))
    return ArticleStatistics(stats_a.articles + stats_a.articles, tuple(parts), stats_a.metrics)


def paired_test(
    stats_a: ArticleStatistics,
    stats_b: ArticleStatistics,
    metric: str,
    n_resamples: int = N_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
    method: str = "bootstrap",
) -> PairedResult:
    """Is system A better than system B on ``metric``? A paired test over the articles of one split.

    Parameters
    ----------
    stats_a, stats_b : ArticleStatistics
        The two systems' statistics on the same articles (same gold).
    metric : str
        E.g. ``"f1"``, ``"micro_f1"``.
    n_resamples : int, default 1000
    confidence : float, default 0.95
    seed : int, default 0
    method : {"bootstrap", "permutation"}, default "bootstrap"
        ``"bootstrap"``: paired bootstrap; the p-value counts replicates whose
        difference is at least as far from the observed one as the observed
        one is from 0 (the shifted null, Berg-Kirkpatrick et al. 2012).
        ``"permutation"``: approximate randomization; each replicate swaps
        the systems' outputs on a random half of the articles, and the
        p-value counts replicates whose difference is at least as large in
        absolute value. The interval is the paired bootstrap's in both cases.

    Returns
    -------
    PairedResult
        With identical predictions the difference is 0 and ``p_value`` 1.

    Raises
    ------
    ValueError
        Different article sets, an unknown method, or a metric that cannot be
        decomposed over articles.
    """
    _check(n_resamples, confidence)
    if method not in ("bootstrap", "permutation"):
        raise ValueError(f"method={method!r}: choose 'bootstrap' or 'permutation'")
    stats_b = _paired(stats_a, stats_b)
    for stats, name in ((stats_a, "A"), (stats_b, "B")):
        if metric not in stats.metrics:
            raise ValueError(f"system {name} has no metric {metric!r} (it has {sorted(stats.metrics)})")
        if metric in stats.undecomposed:
            raise ValueError(f"{metric!r} of system {name} cannot be decomposed over articles: no paired test")
    n = len(stats_a.articles)
    a, b = stats_a.metrics[metric], stats_b.metrics[metric]
    observed = a - b
    draws = _draws(n, int(n_resamples), seed)
    deltas = np.array([ra[metric] - rb[metric] for ra, rb in zip(stats_a._metrics_many(draws),
                                                                   stats_b._metrics_many(draws))])
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(deltas, [tail, 100 - tail])
    if method == "bootstrap":
        extreme = np.sum(np.abs(deltas - observed) >= abs(observed) - _TOLERANCE)
    else:
        # each replicate gives A's output of an article to B and B's to A with probability 1/2
        swap = (np.random.default_rng(seed + 1).random((int(n_resamples), n)) < 0.5).astype(float)
        both = _both(stats_a, stats_b)
        new_a = both._metrics_many(np.hstack([1.0 - swap, swap]))
        new_b = both._metrics_many(np.hstack([swap, 1.0 - swap]))
        diffs = np.array([ra[metric] - rb[metric] for ra, rb in zip(new_a, new_b)])
        extreme = np.sum(np.abs(diffs) >= abs(observed) - _TOLERANCE)
    p_value = (1.0 + float(extreme)) / (1.0 + int(n_resamples))
    return PairedResult(metric, float(a), float(b), float(observed), float(low), float(high), float(p_value),
                        method, int(n_resamples), float(confidence), n)

