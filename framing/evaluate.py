"""Scorers with the official definitions. Pure functions: no I/O, no tracking.

Every scorer returns a :class:`Scores`: headline metrics (floats, named as
they are logged), a per-class table, and the scorer's *additive statistics*
(:class:`Statistics`): counts that, summed over any multiset of articles and
finished by the same formulas, give that multiset's metrics. They let
:mod:`framing.significance` resample articles (bootstrap intervals, paired
tests) without scoring again.

Official names follow the organisers' scorers; a variant of ours carries
another name (``macro_f1_present``, ``f1_all_articles``). Which leaderboard
used which metric: ``docs/metrics.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support


@dataclass(frozen=True)
class Statistics:
    """Additive sufficient statistics of one scorer, and how they become its metrics.

    Parameters
    ----------
    kind : str
        The finishing formula, a key of :data:`FINISHERS` (``"binary"``,
        ``"multiclass"``, ``"multilabel"``, ``"spans"``, ``"flc"``).
    values : mapping of str to ndarray
        Counts that add up over articles (true positives per class, overlap
        credit, span counts ...); each a float array of fixed shape.
    params : mapping
        What the formula needs besides the counts (JSON-friendly, e.g. the
        ``positive`` class index).
    suffix : str, default ""
        Appended to every metric name (``"_all_articles"``).
    labels : tuple of str, default ()
        The classes along the first axis of the per-class arrays; statistics
        of different articles are aligned by these names before adding (a
        class missing from one article counts zero there).
    class_keys : tuple of str, default ()
        Which entries of ``values`` are per-class arrays (indexed like ``labels``).
    """

    kind: str
    values: Mapping[str, np.ndarray]
    params: Mapping[str, Any] = field(default_factory=dict)
    suffix: str = ""
    labels: tuple[str, ...] = ()
    class_keys: tuple[str, ...] = ()

    def metrics(self, values: Mapping[str, np.ndarray] | None = None) -> dict[str, float]:
        """The metrics of ``values`` (default: this object's own), named as the scorer names them."""
        out = FINISHERS[self.kind](self.values if values is None else values, **dict(self.params))
        return {f"{name}{self.suffix}": value for name, value in out.items()}


@dataclass(frozen=True)
class Scores:
    """What a scorer returns.

    Parameters
    ----------
    metrics : dict of str to float
        Headline metrics (``f1``, ``micro_f1``, ``macro_f1`` ...), all in [0, 1].
    per_class : list of dict
        One row per class: ``label``, ``precision``, ``recall``, ``f1``, ``support``.
    statistics : tuple of Statistics
        The additive statistics behind ``metrics`` (see the module docstring);
        empty when a metric cannot be decomposed over articles.
    notes : tuple of str
        Sentences a run summary should show beside the scores (how articles
        without gold were treated ...).
    """

    metrics: dict[str, float]
    per_class: list[dict] = field(default_factory=list)
    statistics: tuple[Statistics, ...] = ()
    notes: tuple[str, ...] = ()


def merge_scores(primary: Scores, secondary: Scores, suffix: str) -> Scores:
    """``primary`` with ``secondary``'s metrics added under ``<name><suffix>`` (the per-class table stays primary's)."""
    stats = primary.statistics + tuple(
        Statistics(s.kind, s.values, s.params, s.suffix + suffix, s.labels, s.class_keys) for s in secondary.statistics
    )
    metrics = {**primary.metrics, **{f"{k}{suffix}": v for k, v in secondary.metrics.items()}}
    return Scores(metrics, primary.per_class, stats, primary.notes + secondary.notes)


_STATISTICS_ONLY: ContextVar[bool] = ContextVar("framing_statistics_only", default=False)


@contextmanager
def statistics_only() -> Iterator[None]:
    """Within this block, scorers return metrics finished from their statistics, without a per-class table.

    The library calls behind the headline metrics cost milliseconds each;
    scoring every article of a split on its own (:mod:`framing.significance`)
    needs only the statistics. The metrics are the same formulas (checked
    against the full computation on the whole split by the caller).
    """
    token = _STATISTICS_ONLY.set(True)
    try:
        yield
    finally:
        _STATISTICS_ONLY.reset(token)


def _fast(stats: Statistics) -> Scores | None:
    """The statistics-only Scores inside :func:`statistics_only`, else None."""
    return Scores(stats.metrics(), [], (stats,)) if _STATISTICS_ONLY.get() else None


# --------------------------------------------------------------------------- finishing formulas


def _ratio(num: float, den: float, empty: float = 0.0) -> float:
    return float(num) / float(den) if den > 0 else float(empty)


def _f1_counts(tp, fp, fn, empty: float = 0.0) -> np.ndarray:
    """F1 = 2tp / (2tp + fp + fn) per class; ``empty`` where the class has no gold and no prediction."""
    tp, fp, fn = (np.asarray(a, dtype=float) for a in (tp, fp, fn))
    den = 2 * tp + fp + fn
    return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1.0), empty)


def _finish_binary(v, positive: int) -> dict[str, float]:
    tp, fp, fn = v["tp"], v["fp"], v["fn"]
    f1 = _f1_counts(tp, fp, fn)
    support = tp + fn
    return {
        "precision": _ratio(tp[positive], tp[positive] + fp[positive]),
        "recall": _ratio(tp[positive], tp[positive] + fn[positive]),
        "f1": float(f1[positive]),
        "accuracy": _ratio(v["correct"][0], v["n"][0]),
        "macro_f1": float(f1.mean()) if len(f1) else 0.0,
        "weighted_f1": _ratio(float((f1 * support).sum()), float(support.sum())),
    }


def _finish_multiclass(v) -> dict[str, float]:
    tp, fp, fn = v["tp"], v["fp"], v["fn"]
    f1 = _f1_counts(tp, fp, fn)
    present = (tp + fp + fn) > 0
    stp, sfp, sfn = tp.sum(), fp.sum(), fn.sum()
    return {
        "micro_precision": _ratio(stp, stp + sfp),
        "micro_recall": _ratio(stp, stp + sfn),
        "micro_f1": _ratio(2 * stp, 2 * stp + sfp + sfn),
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "accuracy": _ratio(stp, v["n"][0]),
    }


def _finish_multilabel(v) -> dict[str, float]:
    tp, fp, fn = v["tp"], v["fp"], v["fn"]
    supported = (tp + fn) > 0
    stp, sfp, sfn = tp.sum(), fp.sum(), fn.sum()
    return {
        "micro_precision": _ratio(stp, stp + sfp),
        "micro_recall": _ratio(stp, stp + sfn),
        # SemEval-2023 scorers: zero_division=1 (nothing labelled and nothing predicted scores 1)
        "micro_f1": _ratio(2 * stp, 2 * stp + sfp + sfn, empty=1.0),
        "macro_f1": float(_f1_counts(tp, fp, fn, empty=1.0).mean()) if len(tp) else 1.0,
        "macro_f1_present": float(_f1_counts(tp, fp, fn)[supported].mean()) if supported.any() else 0.0,
        "samples_f1": _ratio(v["samples_f1_sum"][0], v["n"][0]),
    }


def _finish_spans(v) -> dict[str, float]:
    p, r, f = _prf(v["prec_credit"][0], v["n_pred"][0], v["rec_credit"][0], v["n_gold"][0])
    return {"precision": p, "recall": r, "f1": f}


def _finish_flc(v) -> dict[str, float]:
    mp, mr, mf = _prf(v["prec_credit"].sum(), v["n_pred"].sum(), v["rec_credit"].sum(), v["n_gold"].sum())
    f1 = [
        _prf(pc, npred, rc, ngold)[2]
        for pc, npred, rc, ngold in zip(v["prec_credit"], v["n_pred"], v["rec_credit"], v["n_gold"])
        if ngold > 0
    ]
    return {"micro_precision": mp, "micro_recall": mr, "micro_f1": mf, "macro_f1": float(np.mean(f1)) if f1 else 0.0}


#: Finishing formulas of :class:`Statistics`, by ``kind``.
FINISHERS = {
    "binary": _finish_binary,
    "multiclass": _finish_multiclass,
    "multilabel": _finish_multilabel,
    "spans": _finish_spans,
    "flc": _finish_flc,
}


_CONFUSION = ("tp", "fp", "fn")


def _confusion_counts(y_true, y_pred, labels) -> dict[str, np.ndarray]:
    """Per-label true positives, false positives and false negatives of single-label predictions."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    tp, fp, fn = (np.zeros(len(labels)) for _ in range(3))
    for j, label in enumerate(labels):
        t, p = y_true == label, y_pred == label
        tp[j], fp[j], fn[j] = np.sum(t & p), np.sum(~t & p), np.sum(t & ~p)
    return {"tp": tp, "fp": fp, "fn": fn}


def _with_extra_labels(labels, *arrays) -> list:
    """``labels`` plus any value of ``arrays`` outside it (sorted), so counts cover every class seen."""
    known = list(labels)
    seen = {v.item() if hasattr(v, "item") else v for a in arrays for v in np.asarray(a, dtype=object).ravel()}
    return known + sorted(seen - set(known), key=str)


def _per_class_rows(labels, p, r, f, s) -> list[dict]:
    return [
        {"label": str(label), "precision": float(pi), "recall": float(ri), "f1": float(fi), "support": int(si)}
        for label, pi, ri, fi, si in zip(labels, p, r, f, s)
    ]


def binary_scores(y_true: Sequence, y_pred: Sequence, positive=1, labels: Sequence | None = None) -> Scores:
    """Precision, recall and F1 of the positive class, as NLP4IF-2019 scores SLC.

    The official SLC scorer (NLP4IF-2019 ``task-SLC_scorer.py``,
    ``compute_score``: ``precision_score``/``recall_score``/``f1_score`` with
    ``pos_label="propaganda"``; a copy is ``tools/task-SLC_scorer.py`` in
    ``shehel/BERT_propaganda_detection``) scores the propaganda class alone.
    ``weighted_f1`` is sklearn's ``average="weighted"`` (per-class F1 weighted
    by support), the metric the BABE authors report (Spinde et al. 2021:
    ``f1_score(y, yhats, average='weighted')`` in ``classification.ipynb`` of
    ``Media-Bias-Group/Neural-Media-Bias-Detection-Using-Distant-Supervision-With-BABE``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    positive : label, default 1
        The class scored (``1`` = propaganda for SLC, biased for BABE).
    labels : sequence, optional
        Both classes, for the per-class table (default: sorted union).

    Returns
    -------
    Scores
        ``precision``, ``recall``, ``f1`` (positive class), ``accuracy``,
        ``macro_f1`` (mean over both classes), ``weighted_f1``; per-class rows
        for both classes; ``binary`` statistics.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = list(labels) if labels is not None else sorted(set(y_true.tolist()) | set(y_pred.tolist()))
    pos = labels.index(positive)
    values = {**_confusion_counts(y_true, y_pred, labels),
              "correct": np.array([float(np.sum(y_true == y_pred))]), "n": np.array([float(len(y_true))])}
    stats = Statistics("binary", values, {"positive": pos}, labels=tuple(map(str, labels)), class_keys=_CONFUSION)
    if (fast := _fast(stats)) is not None:
        return fast
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    metrics = {
        "precision": float(p[pos]),
        "recall": float(r[pos]),
        "f1": float(f[pos]),
        "accuracy": float(np.mean(y_true == y_pred)) if len(y_true) else 0.0,
        "macro_f1": float(np.mean(f)),
        "weighted_f1": float(f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0))
        if len(y_true) else 0.0,
    }
    return Scores(metrics, _per_class_rows(labels, p, r, f, s), (stats,))


def multiclass_scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> Scores:
    """Micro- and macro-averaged P/R/F1 over single-label predictions.

    ``macro_f1`` is the official metric of SemEval-2023 Task 3 subtask 1
    (news genre): the organisers' ``scorer-subtask-1.py`` calls
    ``f1_score(gold, pred, average="macro", zero_division=0)`` without
    ``labels`` (lines 153-154 of the copy in ``yrf1/SemEval23-Task-3-UIUC-Team``
    at commit ``abd8ae3``), so the average runs over the classes present in
    gold or predictions, as here. ``micro_f1`` is the official metric of
    SemEval-2020 Task 11 TC (see :func:`tc_scores`).

    Parameters
    ----------
    y_true, y_pred : sequence of str of length n_samples
    labels : sequence of str
        All classes, in the order of the per-class table.

    Returns
    -------
    Scores
        ``micro_precision``, ``micro_recall``, ``micro_f1``, ``macro_f1``,
        ``accuracy``; ``multiclass`` statistics.
    """
    y_true, y_pred = list(y_true), list(y_pred)
    counted = _with_extra_labels(labels, y_true, y_pred)
    values = {**_confusion_counts(y_true, y_pred, counted), "n": np.array([float(len(y_true))])}
    stats = Statistics("multiclass", values, labels=tuple(map(str, counted)), class_keys=_CONFUSION)
    if (fast := _fast(stats)) is not None:
        return fast
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(labels), zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    present = sorted(set(y_true) | set(y_pred))
    metrics = {
        "micro_precision": float(mp),
        "micro_recall": float(mr),
        "micro_f1": float(mf),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "accuracy": float(np.mean([a == b for a, b in zip(y_true, y_pred)])) if y_true else 0.0,
    }
    return Scores(metrics, _per_class_rows(labels, p, r, f, s), (stats,))


def multilabel_scores(Y_true: np.ndarray, Y_pred: np.ndarray, labels: Sequence[str]) -> Scores:
    """Micro- and macro-F1 of multi-label predictions (indicator matrices), as SemEval-2023 scores them.

    ``micro_f1`` and ``macro_f1`` are the official metrics of SemEval-2023
    Task 3 subtasks 2 (frames; micro-F1 ranks) and 3 (persuasion techniques;
    micro-F1 ranks): the organisers' ``scorer-subtask-2.py`` (lines 137-142)
    and ``scorer-subtask-3.py`` (lines 140-145; copies in
    ``yrf1/SemEval23-Task-3-UIUC-Team`` at commit ``abd8ae3``) binarise gold
    and predictions over **all** classes (``MultiLabelBinarizer().fit([CLASSES])``)
    and call ``f1_score(gold, pred, average=..., zero_division=1)``. So a
    class with neither gold nor predictions counts F1 = 1 in the macro
    average, and with nothing labelled and nothing predicted both are 1.
    ``macro_f1_present`` is our variant: the mean F1 of the classes with gold
    support (an absent class counts nowhere, a missed one 0).

    Parameters
    ----------
    Y_true, Y_pred : ndarray of shape (n_samples, n_labels), 0/1
    labels : sequence of str of length n_labels
        Every class of the task (the official average runs over all of them).

    Returns
    -------
    Scores
        ``micro_f1``, ``macro_f1`` (official), ``micro_precision``,
        ``micro_recall``, ``macro_f1_present``, ``samples_f1``; per-class rows
        (F1 0 where a class has no gold and no prediction); ``multilabel``
        statistics.
    """
    Y_true, Y_pred = np.asarray(Y_true).astype(int), np.asarray(Y_pred).astype(int)
    if Y_true.ndim != 2 or Y_true.shape != Y_pred.shape or Y_true.shape[1] != len(labels):
        raise ValueError(f"gold {Y_true.shape} and predictions {Y_pred.shape} must both be (n_samples, {len(labels)})")
    both = (Y_true & Y_pred).sum(axis=1)
    sizes = Y_true.sum(axis=1) + Y_pred.sum(axis=1)
    per_sample = np.where(sizes > 0, 2 * both / np.where(sizes > 0, sizes, 1), 0.0)
    values = {
        "tp": (Y_true & Y_pred).sum(axis=0).astype(float),
        "fp": ((1 - Y_true) & Y_pred).sum(axis=0).astype(float),
        "fn": (Y_true & (1 - Y_pred)).sum(axis=0).astype(float),
        "samples_f1_sum": np.array([float(per_sample.sum())]),
        "n": np.array([float(len(Y_true))]),
    }
    stats = Statistics("multilabel", values, labels=tuple(map(str, labels)), class_keys=_CONFUSION)
    if (fast := _fast(stats)) is not None:
        return fast
    p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, zero_division=0)
    mp, mr, _, _ = precision_recall_fscore_support(Y_true, Y_pred, average="micro", zero_division=0)
    supported = s > 0
    metrics = {
        "micro_f1": float(f1_score(Y_true, Y_pred, average="micro", zero_division=1)),
        "macro_f1": float(f1_score(Y_true, Y_pred, average="macro", zero_division=1)),
        "micro_precision": float(mp),
        "micro_recall": float(mr),
        "macro_f1_present": float(np.mean(f[supported])) if supported.any() else 0.0,
        "samples_f1": float(f1_score(Y_true, Y_pred, average="samples", zero_division=0)) if len(Y_true) else 0.0,
    }
    return Scores(metrics, _per_class_rows(labels, p, r, f, s), (stats,))


# --------------------------------------------------------------------------- TC

SpanLabels = Mapping[str, Sequence[tuple[int, int, str]]]


class SubmissionFormatError(ValueError):
    """A prediction file does not cover exactly the gold spans."""


def align_tc_labels(gold: SpanLabels, pred: SpanLabels) -> tuple[list[str], list[str]]:
    """Pair predicted with gold labels span by span, as the official TC scorer does.

    The SemEval-2020 Task 11 TC scorer (``tools/task-TC_scorer.py``,
    ``Articles_annotations.align_annotations``) sorts each article's spans and,
    where several annotations share the same offsets (one span carrying two
    techniques), reorders them so that equal labels are paired, maximising
    matches.

    Parameters
    ----------
    gold, pred : mapping of article id to sequence of (start, end, label)

    Returns
    -------
    gold_labels, pred_labels : list of str
        Equal length, paired.

    Raises
    ------
    SubmissionFormatError
        If the article lists or any article's span multiset differ (the
        official scorer refuses to score then).
    """
    if set(gold) != set(pred):
        missing = sorted(set(gold) - set(pred))[:5]
        extra = sorted(set(pred) - set(gold))[:5]
        raise SubmissionFormatError(
            f"article lists differ: missing from predictions {missing}, not in gold {extra}"
        )
    gold_labels, pred_labels = [], []
    for article in sorted(gold):
        g_by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
        p_by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
        for start, end, label in gold[article]:
            g_by_span[(start, end)].append(label)
        for start, end, label in pred[article]:
            p_by_span[(start, end)].append(label)
        if {k: len(v) for k, v in g_by_span.items()} != {k: len(v) for k, v in p_by_span.items()}:
            raise SubmissionFormatError(
                f"article {article}: the predicted spans are not the gold spans "
                f"({sum(map(len, p_by_span.values()))} predicted vs {sum(map(len, g_by_span.values()))} gold)"
            )
        for span in sorted(g_by_span):
            g, p = list(g_by_span[span]), list(p_by_span[span])
            # pair equal labels first, then the rest in order
            for label in list(g):
                if label in p:
                    g.remove(label)
                    p.remove(label)
                    gold_labels.append(label)
                    pred_labels.append(label)
            gold_labels.extend(g)
            pred_labels.extend(p)
    return gold_labels, pred_labels


def tc_scores(gold: SpanLabels, pred: SpanLabels, techniques: Sequence[str]) -> Scores:
    """SemEval-2020 Task 11 TC score: micro-averaged P/R/F1 over the gold spans.

    Labels are paired by :func:`align_tc_labels`, then scored with
    ``sklearn.metrics`` micro averaging, exactly as the official scorer does
    (``Annotations.compute_TC_score`` in the scorer's ``src/annotations.py``;
    with one prediction per gold span, micro P = R = F1 = accuracy).
    Macro-F1 (ours, over the techniques present) and the per-technique table
    are reported beside it. The official scorer itself needs the submission
    rows in the gold file's order (it sorts each article's spans by start
    only and compares them pairwise, articles in file order):
    :class:`~framing.tasks.tc.TCTask` writes them so.

    Parameters
    ----------
    gold, pred : mapping of article id to sequence of (start, end, technique)
    techniques : sequence of str
        The task's technique list.

    Returns
    -------
    Scores
        ``micro_precision``, ``micro_recall``, ``micro_f1`` (official),
        ``macro_f1``, ``accuracy``.
    """
    gold_labels, pred_labels = align_tc_labels(gold, pred)
    return multiclass_scores(gold_labels, pred_labels, techniques)


def summarize_folds(fold_metrics: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean and standard deviation of each metric over cross-validation folds.

    Returns ``{name: mean, name_std: sd}`` (population sd, ``ddof=0``).
    """
    out: dict[str, float] = {}
    for name in fold_metrics[0]:
        values = np.array([m[name] for m in fold_metrics], dtype=float)
        out[name] = float(values.mean())
        out[f"{name}_std"] = float(values.std())
    return out


# --------------------------------------------------------------------------- SI and FLC (span scorers)

#: ``article id -> [(start, end), ...]``: unlabelled spans (SI gold or predictions).
Spans = Mapping[str, Sequence[tuple[int, int]]]


def _checked_spans(spans: Mapping[str, Sequence], labelled: bool, what: str) -> dict[str, list[tuple]]:
    """Spans as ``(start, end[, label])`` tuples of ints, checked as the official scorers check rows."""
    out: dict[str, list[tuple]] = {}
    for article, rows in spans.items():
        checked = []
        for row in rows:
            if labelled:
                start, end, label = row
            else:
                start, end = row[0], row[1]
            start, end = int(start), int(end)
            if start < 0 or end <= start:
                raise SubmissionFormatError(
                    f"{what}, article {article}: span [{start}, {end}) needs 0 <= start < end"
                )
            checked.append((start, end, str(label)) if labelled else (start, end))
        out[str(article)] = checked
    return out


def merge_overlapping(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character, as the official SI scorer merges gold spans.

    The SemEval-2020 Task 11 SI scorer (``tools/task-SI_scorer.py``,
    ``merge_spans``) replaces overlapping spans by their union; spans that
    only touch (``[0, 5)`` and ``[5, 9)``) share no character and stay apart.

    Parameters
    ----------
    spans : sequence of (int, int)
        Character offsets, end exclusive.

    Returns
    -------
    list of (int, int)
        Sorted, pairwise disjoint.
    """
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _first_overlap(spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    ordered = sorted(spans)
    for a, b in zip(ordered, ordered[1:]):
        if b[0] < a[1]:
            return a, b
    return None


def _prf(prec_numerator: float, prec_denominator: int, rec_numerator: float, rec_denominator: int):
    """Precision, recall and F1 with the official scorers' conventions for empty sets.

    As ``compute_prec_rec_f1`` in the PTC scorers: a zero denominator gives 0
    for that measure; F1 is 1 when there are neither predictions nor gold
    spans, the harmonic mean when both P and R are positive, else 0.
    """
    p = prec_numerator / prec_denominator if prec_denominator > 0 else 0.0
    r = rec_numerator / rec_denominator if rec_denominator > 0 else 0.0
    if prec_denominator == 0 and rec_denominator == 0:
        f1 = 1.0
    elif p > 0 and r > 0:
        f1 = 2 * p * r / (p + r)
    else:
        f1 = 0.0
    return float(p), float(r), float(f1)


def _overlap_credit(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """``(sum C(s, t, |s|), sum C(s, t, |t|))`` over all pairs of ``pred`` x ``gold``."""
    prec = rec = 0.0
    for s_start, s_end in pred:
        s_len = s_end - s_start
        for t_start, t_end in gold:
            inter = min(s_end, t_end) - max(s_start, t_start)
            if inter > 0:
                prec += inter / s_len
                rec += inter / (t_end - t_start)
    return prec, rec


def _check_articles(gold: Mapping, pred: Mapping) -> None:
    extra = sorted(set(pred) - set(gold))
    if extra:
        raise SubmissionFormatError(
            f"{len(extra)} predicted article(s) have no gold (e.g. {extra[:3]}): "
            "the official scorer refuses such submissions"
        )


def si_scores(gold: Spans, pred: Spans, *, merge_predictions: bool = False) -> Scores:
    """SemEval-2020 Task 11 SI score: precision, recall and F1 with partial-overlap credit.

    The definition of the task paper (Da San Martino et al. 2020, §3) and of
    the official scorer (``tools/task-SI_scorer.py``, ``compute_score_pr`` with
    ``prop_vs_non_propaganda=True``): with spans as sets of character offsets
    and ``C(s, t, h) = |s ∩ t| / h``,

    - ``P = (1/|S|) Σ_{s∈S} Σ_{t∈T} C(s, t, |s|)``,
    - ``R = (1/|T|) Σ_{s∈S} Σ_{t∈T} C(s, t, |t|)``,
    - ``F1 = 2PR / (P + R)``,

    where the sums and the counts ``|S|``, ``|T|`` run over all articles
    together (micro over spans) and spans of different articles never
    overlap. Before scoring, overlapping gold spans of an article are merged
    into their union (as the official scorer always does); overlapping
    predicted spans are an error, as in the official scorer, unless
    ``merge_predictions`` (its ``-m`` option) merges them too. Empty cases
    follow the official ``compute_prec_rec_f1``: no predictions gives P = 0,
    no gold spans R = 0, neither gives F1 = 1.

    Parameters
    ----------
    gold, pred : mapping of article id to sequence of (start, end)
        Character offsets, end exclusive. Articles of ``gold`` missing from
        ``pred`` count as articles without predictions (their gold spans are
        in the recall denominator).
    merge_predictions : bool, default False

    Returns
    -------
    Scores
        ``precision``, ``recall``, ``f1``; one per-class row ``propaganda``
        with ``support`` (gold spans after merging) and ``predicted`` (spans).

    Raises
    ------
    SubmissionFormatError
        A predicted article that is not in ``gold``; a span with
        ``start >= end`` or a negative offset; overlapping predicted spans
        of one article (unless ``merge_predictions``).
    """
    gold_spans = {a: merge_overlapping(s) for a, s in _checked_spans(gold, False, "gold").items()}
    pred_spans = _checked_spans(pred, False, "predictions")
    _check_articles(gold_spans, pred_spans)
    for article, spans in pred_spans.items():
        if merge_predictions:
            pred_spans[article] = merge_overlapping(spans)
        else:
            clash = _first_overlap(spans)
            if clash:
                raise SubmissionFormatError(
                    f"article {article}: predicted spans {list(clash[0])} and {list(clash[1])} overlap "
                    "(the official SI scorer rejects this; merge them or pass merge_predictions=True)"
                )
    prec_num = rec_num = 0.0
    for article, spans in pred_spans.items():
        p, r = _overlap_credit(spans, gold_spans[article])
        prec_num += p
        rec_num += r
    n_pred = sum(map(len, pred_spans.values()))
    n_gold = sum(map(len, gold_spans.values()))
    p, r, f = _prf(prec_num, n_pred, rec_num, n_gold)
    row = {"label": "propaganda", "precision": p, "recall": r, "f1": f, "support": n_gold, "predicted": n_pred}
    values = {"prec_credit": np.array([prec_num]), "rec_credit": np.array([rec_num]),
              "n_pred": np.array([float(n_pred)]), "n_gold": np.array([float(n_gold)])}
    return Scores({"precision": p, "recall": r, "f1": f}, [row], (Statistics("spans", values),))


def flc_scores(gold: SpanLabels, pred: SpanLabels, techniques: Sequence[str], *, merge_predictions: bool = False) -> Scores:
    """FLC score (Da San Martino et al. 2019, §4): partial-overlap P/R/F1 that credits matching techniques only.

    As :func:`si_scores`, with ``C(s, t, h) = |s ∩ t| / h · δ(l(s), l(t))``:
    a predicted span earns credit only from gold spans of its own technique.
    Micro scores sum the credit and count the spans over all techniques and
    articles; per-technique scores restrict both to one technique. This is
    ``compute_score_pr`` of the PTC scorers with ``prop_vs_non_propaganda=False``
    (NLP4IF-2019 ``task-FLC_scorer.py``), empty cases included (per
    technique too: a technique with neither gold nor predicted spans has
    F1 = 1 there). Overlapping gold spans of the same technique in an article
    are merged (``check_annotation_spans_with_category_matching``); spans of
    different techniques may overlap freely, in gold and predictions alike.
    Overlapping predicted spans of the same technique are an error unless
    ``merge_predictions``.

    Parameters
    ----------
    gold, pred : mapping of article id to sequence of (start, end, technique)
    techniques : sequence of str
        The technique list (rows of the per-class table, in this order).
        Labels outside it still count in the micro scores.
    merge_predictions : bool, default False

    Returns
    -------
    Scores
        ``micro_precision``, ``micro_recall``, ``micro_f1`` (official), and
        ``macro_f1``: the mean F1 of the techniques with gold spans (not an
        official number). Per-class rows: ``label``, ``precision``,
        ``recall``, ``f1``, ``support`` (gold spans), ``predicted``.

    Raises
    ------
    SubmissionFormatError
        As :func:`si_scores`.
    """
    def by_technique(spans: dict[str, list[tuple]], merge: bool) -> dict[str, dict[str, list]]:
        out: dict[str, dict[str, list]] = {}
        for article, rows in spans.items():
            groups: dict[str, list] = defaultdict(list)
            for start, end, label in rows:
                groups[label].append((start, end))
            for label, group in groups.items():
                if merge:
                    groups[label] = merge_overlapping(group)
                else:
                    clash = _first_overlap(group)
                    if clash:
                        raise SubmissionFormatError(
                            f"article {article}: predicted {label} spans {list(clash[0])} and "
                            f"{list(clash[1])} overlap (merge them or pass merge_predictions=True)"
                        )
            out[article] = dict(groups)
        return out

    gold_by = by_technique(_checked_spans(gold, True, "gold"), True)
    pred_by = by_technique(_checked_spans(pred, True, "predictions"), merge_predictions)
    _check_articles(gold_by, pred_by)
    labels = list(techniques) + sorted(
        {t for g in (gold_by, pred_by) for groups in g.values() for t in groups} - set(techniques)
    )
    credit = {t: [0.0, 0.0] for t in labels}
    n_pred = dict.fromkeys(labels, 0)
    n_gold = dict.fromkeys(labels, 0)
    for groups in gold_by.values():
        for label, spans in groups.items():
            n_gold[label] += len(spans)
    for article, groups in pred_by.items():
        for label, spans in groups.items():
            n_pred[label] += len(spans)
            p, r = _overlap_credit(spans, gold_by[article].get(label, ()))
            credit[label][0] += p
            credit[label][1] += r
    rows = []
    for label in labels:
        p, r, f = _prf(credit[label][0], n_pred[label], credit[label][1], n_gold[label])
        rows.append({"label": label, "precision": p, "recall": r, "f1": f,
                     "support": n_gold[label], "predicted": n_pred[label]})
    mp, mr, mf = _prf(
        sum(c[0] for c in credit.values()), sum(n_pred.values()),
        sum(c[1] for c in credit.values()), sum(n_gold.values()),
    )
    supported = [row["f1"] for row in rows if row["support"] > 0]
    metrics = {
        "micro_precision": mp,
        "micro_recall": mr,
        "micro_f1": mf,
        "macro_f1": float(np.mean(supported)) if supported else 0.0,
    }
    values = {
        "prec_credit": np.array([credit[t][0] for t in labels]), "rec_credit": np.array([credit[t][1] for t in labels]),
        "n_pred": np.array([float(n_pred[t]) for t in labels]), "n_gold": np.array([float(n_gold[t]) for t in labels]),
    }
    stats = Statistics("flc", values, labels=tuple(labels), class_keys=tuple(values))
    return Scores(metrics, rows, (stats,))


def si_submission_scores(gold: Spans, pred: Spans, *, merge_predictions: bool = False) -> Scores:
    """SI scores as the official scorer gives them for the file we submit, and the stricter variant.

    The SemEval-2020 SI scorer reads one gold file in which an article
    without gold spans has no line, and refuses a submission with more
    articles than that file (``check_data_file_lists`` in
    ``tools/task-SI_scorer.py``). Our submission file therefore leaves out the
    predictions of articles without gold spans (dev article 730081389 of the
    release); ``precision``, ``recall`` and ``f1`` score that file, the
    number the official scorer prints for it. ``precision_all_articles``,
    ``recall_all_articles`` and ``f1_all_articles`` (ours) count those
    predictions as false positives, as the formula of :func:`si_scores` does
    over every article.

    Parameters
    ----------
    gold, pred : mapping of article id to sequence of (start, end)
        Every evaluated article is a key of ``gold`` (with an empty list when
        it has no gold span).
    merge_predictions : bool, default False

    Returns
    -------
    Scores
        Official metrics, the ``*_all_articles`` variants, both statistics,
        and a note when predictions were left out.
    """
    scored = {a for a, spans in gold.items() if len(spans)}
    official = si_scores({a: gold[a] for a in scored}, {a: s for a, s in pred.items() if a in scored},
                         merge_predictions=merge_predictions)
    every = si_scores(gold, pred, merge_predictions=merge_predictions)
    left_out = {a: len(s) for a, s in pred.items() if a not in scored and len(s)}
    notes = ()
    if left_out:
        notes = (
            f"{sum(left_out.values())} predicted span(s) in {len(left_out)} article(s) without gold spans "
            f"({', '.join(sorted(left_out)[:3])}{' ...' if len(left_out) > 3 else ''}) are not in the SI "
            "submission file nor in precision/recall/f1, as the official scorer cannot take them; "
            "*_all_articles count them as false positives",
        )
    merged = merge_scores(official, every, "_all_articles")
    return Scores(merged.metrics, merged.per_class, merged.statistics, merged.notes + notes)
