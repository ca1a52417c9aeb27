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
    return Scores({"precision": p, "recall": r, "f1": f}, [row])


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
    return Scores(metrics, rows)
