"""Figures and tables of a run: confusion matrix, precision-recall curve, top features.

Pure presentation: every function takes computed results and returns a
matplotlib figure or rows; logging them is :mod:`framing.tracking`'s job.
Figures are ``matplotlib.figure.Figure`` objects made without pyplot, so no
backend is chosen and no global figure state is touched (they render headless).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import ConfusionMatrixDisplay, PrecisionRecallDisplay


def confusion_matrix_figure(y_true: Sequence, y_pred: Sequence, labels: Sequence, display_labels: Sequence[str] | None = None, title: str = ""):
    """Confusion matrix (rows: gold, columns: predicted), counts annotated.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : sequence
        Class values in display order.
    display_labels : sequence of str, optional
        Names shown for ``labels``.
    """
    n = len(labels)
    size = max(4.5, 0.55 * n + 2.5)
    fig = Figure(figsize=(size, size))
    ax = fig.subplots()
    ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=list(labels),
        display_labels=list(display_labels) if display_labels is not None else None,
        ax=ax,
        colorbar=False,
        xticks_rotation="vertical" if n > 4 else "horizontal",
        cmap="Blues",
    )
    ax.set_title(title or "Confusion matrix")
    fig.tight_layout()
    return fig


def precision_recall_figure(y_true: Sequence[int], y_score: Sequence[float], title: str = "",
                            positive_name: str = "positive class"):
    """Precision-recall curve of the positive class with its average precision.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class, 0 otherwise.
    y_score : array-like of shape (n_samples,)
        Probability (or score) of the positive class.
    title : str
    positive_name : str
        The positive class's name in the axis labels (``propaganda``), as the
        confusion matrix names it; scikit-learn would write "Positive label: 1".
    """
    fig = Figure(figsize=(5, 4.5))
    ax = fig.subplots()
    PrecisionRecallDisplay.from_predictions(y_true, y_score, ax=ax, name="model", plot_chance_level=True)
    ax.set_xlabel(f"Recall (positive class: {positive_name})")
    ax.set_ylabel(f"Precision (positive class: {positive_name})")
    ax.set_title(title or f"Precision-recall ({positive_name})")
    fig.tight_layout()
    return fig


def linear_coefficients(pipeline) -> tuple[np.ndarray, list[str], list[str]] | None:
    """Coefficients of a fitted linear classifier, with row (class) and column (feature) names.

    Returns ``(coef, classes, features)``, ``coef`` of shape (n_rows, n_features).

    Returns ``None`` when the final estimator has no ``coef_`` (trees, MLP)
    or the feature names are unavailable.
    """
    clf = pipeline[-1]
    try:
        names = list(pipeline[:-1].get_feature_names_out())
    except Exception:
        return None
    if hasattr(clf, "estimators_") and all(hasattr(e, "coef_") for e in clf.estimators_):  # one-vs-rest
        coef = np.vstack([np.ravel(e.coef_) for e in clf.estimators_])
        rows = [str(c) for c in clf.classes_]
    elif hasattr(clf, "coef_"):
        coef = np.atleast_2d(clf.coef_)
        classes = [str(c) for c in getattr(clf, "classes_", range(coef.shape[0]))]
        rows = classes[1:] if coef.shape[0] == 1 and len(classes) == 2 else classes
    else:
        return None
    coef = coef.toarray() if hasattr(coef, "toarray") else np.asarray(coef)
    if coef.shape[1] != len(names):
        return None
    return coef, rows, names


def top_features(pipeline, k: int = 20, class_names: Sequence[str] | None = None) -> list[dict]:
    """The ``k`` most positive and ``k`` most negative weights per class of a linear model.

    Returns
    -------
    list of dict
        Rows ``class``, ``feature``, ``weight``, ``rank`` (1 = strongest),
        ``direction`` (``positive``/``negative``); empty for non-linear models.
    """
    found = linear_coefficients(pipeline)
    if found is None:
        return []
    coef, row_names, names = found
    if class_names is not None and len(class_names) == len(row_names):
        row_names = list(class_names)
    elif class_names is not None and len(class_names) == 2 and len(row_names) == 1:
        row_names = [str(class_names[1])]  # a binary model's one row of weights is for its second class
    out = []
    for row, cls in zip(coef, row_names):
        order = np.argsort(row)
        for direction, idx in (("positive", order[::-1][:k]), ("negative", order[:k])):
            for rank, j in enumerate(idx, start=1):
                out.append({"class": cls, "direction": direction, "rank": rank, "feature": names[j], "weight": float(row[j])})
    return out


#: Font size (points) of the feature names on the top-features chart: readable at 100% in the MLflow UI.
FEATURE_LABEL_SIZE = 10


def top_features_figure(rows: Sequence[dict], k: int = 15):
    """Horizontal bar chart of the strongest weights, one panel per class (at most 6).

    Each panel is titled ``strongest weights for class 'propaganda'``; red
    bars push towards the class, blue ones away from it. The height grows
    with the number of bars, so the feature names keep
    :data:`FEATURE_LABEL_SIZE` points.
    """
    classes = list(dict.fromkeys(r["class"] for r in rows))[:6]
    panels = [(cls, sorted([r for r in rows if r["class"] == cls and r["direction"] == "positive"][:k]
                           + [r for r in rows if r["class"] == cls and r["direction"] == "negative"][:k],
                           key=lambda r: r["weight"])) for cls in classes]
    heights = [max(2.5, 0.24 * len(chosen) + 1.2) for _, chosen in panels]
    fig = Figure(figsize=(9, sum(heights)))
    axes = fig.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, (cls, chosen) in zip(axes[:, 0], panels):
        ax.barh([r["feature"] for r in chosen], [r["weight"] for r in chosen],
                color=["#c0392b" if r["weight"] > 0 else "#2e86c1" for r in chosen])
        ax.set_title(f"strongest weights for class {cls!r}", fontsize=12)
        ax.set_xlabel("weight (red: towards the class, blue: away from it)", fontsize=FEATURE_LABEL_SIZE)
        ax.tick_params(axis="y", labelsize=FEATURE_LABEL_SIZE)
        ax.tick_params(axis="x", labelsize=FEATURE_LABEL_SIZE - 1)
        ax.axvline(0, color="#555", linewidth=0.8)
    fig.tight_layout()
    return fig


def per_class_f1_figure(per_class: Sequence[dict], title: str = ""):
    """Horizontal bars of each label's F1, with its support, lowest first (multi-label tasks)."""
    rows = sorted(per_class, key=lambda r: r["f1"])
    fig = Figure(figsize=(7, 0.32 * len(rows) + 1.5))
    ax = fig.subplots()
    ax.barh([f"{r['label']} ({r['support']})" for r in rows], [r["f1"] for r in rows], color="#5d6d7e")
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title(title or "F1 per label (support)")
    fig.tight_layout()
    return fig
