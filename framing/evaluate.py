"""Scorers with the official definitions. Pure functions: no I/O, no tracking.

Every scorer returns a :class:`Scores`: headline metrics (floats, named as
they are logged) and a per-class table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support


@dataclass(frozen=True)
class Scores:
    """What a scorer returns.

    Parameters
    ----------
    metrics : dict of str to float
        Headline metrics (``f1``, ``micro_f1``, ``macro_f1`` ...), all in [0, 1].
    per_class : list of dict
        One row per class: ``label``, ``precision``, ``recall``, ``f1``, ``support``.
    """

    metrics: dict[str, float]
    per_class: list[dict] = field(default_factory=list)


def _per_class_rows(labels, p, r, f, s) -> list[dict]:
    return [
        {"label": str(label), "precision": float(pi), "recall": float(ri), "f1": float(fi), "support": int(si)}
        for label, pi, ri, fi, si in zip(labels, p, r, f, s)
    ]


def binary_scores(y_true: Sequence, y_pred: Sequence, positive=1, labels: Sequence | None = None) -> Scores:
    """Precision, recall and F1 of the positive class, as NLP4IF-2019 scores SLC.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    positive : label, default 1
        The class scored (``1`` = propaganda for SLC).
    labels : sequence, optional
        Both classes, for the per-class table (default: sorted union).

    Returns
    -------
    Scores
        ``precision``, ``recall``, ``f1`` (positive class), ``accuracy``,
        ``macro_f1``; per-class rows for both classes.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    pos = labels.index(positive)
    metrics = {
        "precision": float(p[pos]),
        "recall": float(r[pos]),
        "f1": float(f[pos]),
        "accuracy": float(np.mean(y_true == y_pred)) if len(y_true) else 0.0,
        "macro_f1": float(np.mean(f)),
    }
    return Scores(metrics, _per_class_rows(labels, p, r, f, s))


def multiclass_scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> Scores:
    """Micro- and macro-averaged P/R/F1 over single-label predictions.

    Parameters
    ----------
    y_true, y_pred : sequence of str of length n_samples
    labels : sequence of str
        All classes, in the order of the per-class table. Macro-F1 averages
        over the classes with gold or predicted instances.

    Returns
    -------
    Scores
        ``micro_precision``, ``micro_recall``, ``micro_f1``, ``macro_f1``,
        ``accuracy``.
    """
    y_true, y_pred = list(y_true), list(y_pred)
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
    return Scores(metrics, _per_class_rows(labels, p, r, f, s))


def multilabel_scores(Y_true: np.ndarray, Y_pred: np.ndarray, labels: Sequence[str]) -> Scores:
    """Micro- and macro-F1 of multi-label predictions (indicator matrices).

    Parameters
    ----------
    Y_true, Y_pred : ndarray of shape (n_samples, n_labels), 0/1
    labels : sequence of str of length n_labels

    Returns
    -------
    Scores
        ``micro_precision``, ``micro_recall``, ``micro_f1``, ``macro_f1``
        (over labels with gold support), ``samples_f1``.
    """
    Y_true, Y_pred = np.asarray(Y_true), np.asarray(Y_pred)
    p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(Y_true, Y_pred, average="micro", zero_division=0)
    supported = s > 0
    metrics = {
        "micro_precision": float(mp),
        "micro_recall": float(mr),
        "micro_f1": float(mf),
        "macro_f1": float(np.mean(f[supported])) if supported.any() else 0.0,
        "samples_f1": float(f1_score(Y_true, Y_pred, average="samples", zero_division=0)),
    }
    return Scores(metrics, _per_class_rows(labels, p, r, f, s))


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
    (with one prediction per gold span, micro P = R = F1 = accuracy).
    Macro-F1 and the per-technique table are reported beside it.

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
