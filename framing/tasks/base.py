"""What a task is: how documents become rows, how predictions are scored and written.

A task turns documents into :class:`Examples` (a frame of texts plus labels and
where each row comes from), scores predictions with the task's official metric
(:mod:`framing.evaluate`), and writes them in the task's official format.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np
import pandas as pd

from framing.data.model import Document
from framing.errors import UserError
from framing.evaluate import Scores


class MissingGoldError(UserError, ValueError):
    """A labelled split has no gold of the kind the task scores (no spans for SI, ...).

    Raised instead of scoring predictions against empty gold, which would
    report a silent 0. The message names the split, the task and the fix; a
    user error (:mod:`framing.errors`): one line, exit status 2.
    """


def require_span_gold(docs: Sequence[Document], task: str) -> None:
    """Refuse labelled documents whose reader says their spans are not gold (``metadata["span_gold"] is False``).

    SemEval-2023 Task 3 has character spans for train only; scoring span
    predictions of its dev split against no spans would report 0.

    Raises
    ------
    MissingGoldError
    """
    missing = [d for d in docs if d.labelled and d.metadata.get("span_gold") is False]
    if missing:
        split = missing[0].metadata.get("split", "?")
        raise MissingGoldError(
            f"task={task} needs character-span gold, which {len(missing)} of the {len(docs)} articles of the "
            f"{split!r} split lack (e.g. {missing[0].id}; SemEval-2023 Task 3 gives spans for train only): score "
            "a split with spans, or use task=sentence_techniques, which scores its paragraph labels"
        )


@dataclass
class Examples:
    """Rows of one split, ready for a scikit-learn pipeline.

    Parameters
    ----------
    X : pandas.DataFrame of shape (n_samples, n_columns)
        Text columns the features read: always ``text``; some tasks add
        ``context`` (the sentence around a span).
    y : ndarray or None
        Gold labels: shape (n_samples,) for binary/multiclass tasks, an
        indicator matrix (n_samples, n_labels) for multi-label tasks; ``None``
        when the split has no gold.
    doc_ids : ndarray of str of shape (n_samples,)
        The document each row comes from (the grouping unit: no document
        contributes rows to both training and evaluation).
    refs : pandas.DataFrame
        Per row, where it is in its document: ``doc_id``, ``start``, ``end``
        (character offsets) and task-specific columns (``line``...).
    labels : tuple of str
        The task's classes.
    meta : dict
        Task-specific extras (SI gold spans, line counts ...). A value that is
        a dict keyed by document id is per-document data, looked up for the
        documents in ``doc_ids`` (a subset keeps the whole dict).
    """

    X: pd.DataFrame
    y: np.ndarray | None
    doc_ids: np.ndarray
    refs: pd.DataFrame
    labels: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.X)

    @property
    def labelled(self) -> bool:
        return self.y is not None

    def subset(self, index: np.ndarray) -> Examples:
        """Rows at ``index`` (positions)."""
        return Examples(
            X=self.X.iloc[index].reset_index(drop=True),
            y=None if self.y is None else self.y[index],
            doc_ids=self.doc_ids[index],
            refs=self.refs.iloc[index].reset_index(drop=True),
            labels=self.labels,
            meta=self.meta,
        )


class Task(ABC):
    """A classification task over a corpus.

    Subclasses set ``name``, ``kind`` and ``evaluation`` and implement
    :meth:`examples`, :meth:`score` and :meth:`official_predictions`.
    """

    name: ClassVar[str]
    kind: ClassVar[Literal["binary", "multiclass", "multilabel"]]
    #: "split": train on the train split, score the evaluation split(s);
    #: "cv": stratified k-fold cross-validation on one split.
    evaluation: ClassVar[Literal["split", "cv"]] = "split"
    #: Name of the headline metric (logged first, used to sort runs).
    main_metric: ClassVar[str]
    #: Extra text columns (beyond ``text``) the features may read.
    context_columns: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def examples(self, docs: Sequence[Document], labels: Sequence[str], segmentation: str) -> Examples:
        """Rows of these documents (unlabelled when the documents have no gold)."""

    @abstractmethod
    def score(self, examples: Examples, y_pred: np.ndarray, y_score: np.ndarray | None, classes) -> Scores:
        """The task's official metrics for predictions on ``examples``."""

    @abstractmethod
    def official_predictions(self, examples: Examples, y_pred: np.ndarray) -> tuple[str, str]:
        """``(file name, content)`` of predictions in the task's official format."""

    def cv_splitter(self, folds: int, seed: int):
        """Cross-validation folds: stratified by label, grouped by document."""
        from sklearn.model_selection import StratifiedGroupKFold

        return StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)

    def stratification_labels(self, y: np.ndarray) -> np.ndarray:
        """One label per row to stratify a multi-label ``y`` on (its label set)."""
        return np.array(["|".join(map(str, np.flatnonzero(row))) for row in y], dtype=object)

    def decode(self, examples: Examples, y_pred: np.ndarray, y_score: np.ndarray | None, classes) -> np.ndarray:
        """Turn raw classifier output into the task's predictions (default: as is)."""
        return y_pred

    def label_names(self, y: np.ndarray, classes) -> list[str]:
        """Human-readable label(s) of each prediction row, for readable TSVs."""
        return [str(v) for v in y]

    def rows_for_text(self, text: str, segmentation: str = "punkt", doc_id: str = "text") -> Examples:
        """The rows of one raw, unlabelled text, built exactly as for training.

        The one row builder of both sides: ``framing analyze`` (and anyone
        applying a fitted model to new text) gets the rows :meth:`examples`
        gives a training document, so a model never sees rows built another way.

        Parameters
        ----------
        text : str
            The whole article, as read (offsets index into it).
        segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"
            How the text is split into sentences (:func:`framing.text.segment`).
        doc_id : str
            The id the rows carry.

        Returns
        -------
        Examples
            Unlabelled (``y`` is None); empty for tasks whose rows need gold
            spans (TC).
        """
        return self.examples([Document(doc_id, text, labelled=False)], (), segmentation)
