"""Frames: which of the 14 generic framing dimensions an article uses (SemEval-2023 Task 3 subtask 2).

Multi-label article classification over the frames of the Media Frames
Corpus codebook (Boydstun et al. 2014; Card et al. 2015), as annotated in
SemEval-2023 Task 3 (Piskorski et al. 2023). The official metric is
micro-averaged F1 over the 14 frames (the organisers' ``scorer-subtask-2.py``
binarises gold and predicted frame lists with ``MultiLabelBinarizer`` and
calls ``f1_score(average="micro", zero_division=1)``); its macro-F1 (over all
14 frames, an absent frame counting 1) and per-frame P/R/F1 are reported
beside it (:func:`framing.evaluate.multilabel_scores`).

The release has gold for the train split only, so the task is scored by
cross-validation on train (``cv.folds``, default 5): folds are stratified on
the frame indicator matrix by iterative stratification (Sechidis, Tsoumakas
& Vlahavas 2011; the ``iterative-stratification`` package's
``MultilabelStratifiedKFold``) and grouped by article: one row per article,
checked, so no article is in two folds.

The task reads the articles as whole texts (column ``text``). Which features
suit them: TF-IDF on words or characters (any language; ``tfidf_words`` is
the task config's default), and the sentence cue families aggregated over the
article with :class:`framing.features.document.DocumentFeatures` plus the
frame lexicon (:mod:`framing.features.frames`), which are English-only
(``doc_frames``, ``doc_all``). The task config (``conf/task/frames.yaml``)
selects subtask 2 of the dataset; see ``docs/frames_genre.md`` for the
feature comparison.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.data.model import Document
from framing.data.techniques import SEMEVAL2023_FRAMES
from framing.evaluate import Scores, multilabel_scores
from framing.models import predict_with_scores
from framing.tasks.base import Examples, Task


def _document_gold(doc: Document, key: str, task: str):
    """The article's gold under ``key`` (SemEval-2023 readers), else its document ``labels`` (JSONL).

    Frames are a tuple of frame names; a genre is one name. None when the document has neither.
    """
    if key in doc.metadata:
        return doc.metadata[key]
    labels = doc.metadata.get("labels")
    if labels is None:
        return None
    if key == "genre":
        if len(labels) != 1:
            raise ValueError(f"task={task}: document {doc.id} needs exactly one document label, its genre; "
                             f"it has {list(labels)}")
        return labels[0]
    return tuple(labels)


def article_rows(docs: Sequence[Document], key: str, task: str, subtask: int) -> tuple[pd.DataFrame, bool]:
    """One row per article (``doc_id``, ``start``, ``end``, ``text``, ``label``) and whether all are labelled.

    Parameters
    ----------
    docs : sequence of Document
    key : str
        The metadata key holding the article's gold (``"frames"``, ``"genre"``).
    task, subtask : str, int
        For the error message.

    Raises
    ------
    ValueError
        If a labelled document has no ``key`` (the dataset was read for
        another subtask), or an article id repeats.
    """
    rows, labelled = [], True
    for doc in docs:
        gold = _document_gold(doc, key, task) if doc.labelled else None
        if not doc.labelled:
            labelled = False
        elif gold is None:
            read = doc.metadata.get("subtask")
            raise ValueError(
                f"task={task} needs the {key} labels of each article, but document {doc.id} has none: for "
                f"SemEval-2023 Task 3 read subtask {subtask} (the dataset was read for subtask {read}; "
                f"dataset.subtask={subtask}); for a JSONL corpus give them as the line's \"labels\""
            )
        # repeats: the shape features' column (an article does not recur in itself)
        rows.append({"doc_id": doc.id, "start": 0, "end": len(doc.text), "text": doc.text, "repeats": 0,
                     "label": gold})
    frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "repeats", "label"])
    repeated = frame["doc_id"][frame["doc_id"].duplicated()].tolist()
    if repeated:
        raise ValueError(f"article ids repeat in one split: {repeated[:5]}")
    return frame, labelled and len(frame) > 0


def article_examples(frame: pd.DataFrame, y, labels) -> Examples:
    """:class:`Examples` of :func:`article_rows` (one row per article) with their gold ``y``."""
    return Examples(
        X=frame[["text", "repeats"]].copy(),
        y=y,
        doc_ids=frame["doc_id"].to_numpy(dtype=object),
        refs=frame[["doc_id", "start", "end"]],
        labels=tuple(labels),
    )


def _one_row_per_group(groups, n_samples: int) -> None:
    if groups is None:
        return
    groups = np.asarray(groups)
    if len(groups) != n_samples:
        raise ValueError(f"groups has {len(groups)} entries for {n_samples} samples")
    if len(set(groups.tolist())) != n_samples:
        raise ValueError(
            "article cross-validation needs one row per article: some article has several rows, "
            "so splitting rows would put one article in two folds"
        )


class ArticleMultilabelStratifiedKFold:
    """K folds of articles, stratified on a label indicator matrix, one row per article.

    A thin guard around ``iterstrat.ml_stratifiers.MultilabelStratifiedKFold``
    (iterative stratification, Sechidis et al. 2011): ``split`` checks that
    every group (article id) has exactly one row, so splitting rows is
    splitting articles, then delegates.

    Parameters
    ----------
    n_splits : int, default 5
    shuffle : bool, default True
    random_state : int or None
        Seeds the shuffle and the algorithm's random tie-breaks.

    Raises
    ------
    ImportError
        If ``iterative-stratification`` is not installed (the message says how).
    ValueError
        From ``split``: an article has several rows.
    """

    def __init__(self, n_splits: int = 5, shuffle: bool = True, random_state: int | None = None) -> None:
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def _splitter(self):
        try:
            from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ImportError(
                "multi-label stratified folds need the iterative-stratification package: "
                "pip install iterative-stratification"
            ) from exc
        return MultilabelStratifiedKFold(n_splits=self.n_splits, shuffle=self.shuffle, random_state=self.random_state)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def split(self, X, y, groups=None):
        """Yield ``(train_index, test_index)`` per fold.

        Parameters
        ----------
        X : array-like of length n_samples
        y : ndarray of shape (n_samples, n_labels), 0/1
        groups : array-like of length n_samples, optional
            Article ids; must be distinct.
        """
        y = np.asarray(y)
        if y.ndim != 2:
            raise ValueError(f"y must be a label indicator matrix (n_samples, n_labels), got shape {y.shape}")
        _one_row_per_group(groups, len(y))
        yield from self._splitter().split(np.zeros((len(y), 1)), y)

    def __repr__(self) -> str:
        return (f"ArticleMultilabelStratifiedKFold(n_splits={self.n_splits}, shuffle={self.shuffle}, "
                f"random_state={self.random_state})")


class ArticleStratifiedKFold:
    """K folds of articles stratified by a single label, one row per article.

    ``sklearn.model_selection.StratifiedKFold`` after the same one-row-per-
    article check as :class:`ArticleMultilabelStratifiedKFold`: with 10
    satire articles in 433 (SemEval-2023 English genre), each of 5 folds
    gets 2.

    Parameters
    ----------
    n_splits : int, default 5
    shuffle : bool, default True
    random_state : int or None
    """

    def __init__(self, n_splits: int = 5, shuffle: bool = True, random_state: int | None = None) -> None:
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def split(self, X, y, groups=None):
        """Yield ``(train_index, test_index)`` per fold (see ``StratifiedKFold.split``)."""
        from sklearn.model_selection import StratifiedKFold

        y = np.asarray(y)
        _one_row_per_group(groups, len(y))
        splitter = StratifiedKFold(
            n_splits=self.n_splits, shuffle=self.shuffle, random_state=self.random_state if self.shuffle else None
        )
        yield from splitter.split(np.zeros((len(y), 1)), y)

    def __repr__(self) -> str:
        return (f"ArticleStratifiedKFold(n_splits={self.n_splits}, shuffle={self.shuffle}, "
                f"random_state={self.random_state})")


class FramesTask(Task):
    """Frames of whole articles, multi-label over the 14 SemEval-2023 frames.

    ``y`` is an indicator matrix of shape (n_articles, 14) over
    :data:`~framing.data.techniques.SEMEVAL2023_FRAMES` (the corpus's label
    list, in its order).

    Parameters
    ----------
    semeval2023_subtask : int, default 2
        The SemEval-2023 Task 3 subtask whose files hold the frames; the
        dataset config reads it (``subtask: ${oc.select:task.semeval2023_subtask,3}``)
        so that ``task=frames`` reads subtask 2.
    min_frames : int, default 1
        Every gold article of the release has at least one frame; an article
        the one-vs-rest classifiers give fewer than ``min_frames`` frames
        gets its ``min_frames`` highest-scoring ones (``0`` keeps the raw
        predictions). Needs per-frame scores (``predict_proba`` or
        ``decision_function``).

    Notes
    -----
    Scores: ``micro_f1`` (official, headline), ``macro_f1`` (the official
    scorer's, over all 14 frames), ``micro_precision``, ``micro_recall``,
    ``macro_f1_present`` (ours: frames with gold support), ``samples_f1``,
    and a per-frame P/R/F1 table
    (:func:`framing.evaluate.multilabel_scores`). Official prediction file:
    ``article_id<TAB>frame1,frame2,...`` (``predictions-subtask-2.txt``).
    """

    name = "frames"
    kind = "multilabel"
    evaluation = "cv"
    main_metric = "micro_f1"

    def __init__(self, semeval2023_subtask: int = 2, min_frames: int = 1) -> None:
        self.semeval2023_subtask = semeval2023_subtask
        self.min_frames = min_frames

    def examples(self, docs, labels, segmentation) -> Examples:
        frame, labelled = article_rows(docs, "frames", self.name, self.semeval2023_subtask)
        index = {label: i for i, label in enumerate(labels)}
        y = None
        if labelled:
            y = np.zeros((len(frame), len(labels)), dtype=int)
            for r, frames in enumerate(frame["label"]):
                for f in frames:
                    if f not in index:
                        raise ValueError(
                            f"article {frame['doc_id'][r]}: frame {f!r} is not in the label list {list(labels)}"
                        )
                    y[r, index[f]] = 1
        return article_examples(frame, y, labels)

    def cv_splitter(self, folds: int, seed: int) -> ArticleMultilabelStratifiedKFold:
        return ArticleMultilabelStratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)

    def stratification_labels(self, y: np.ndarray) -> np.ndarray:
        """The indicator matrix itself: iterative stratification balances every frame."""
        return np.asarray(y)

    def decode(self, examples, y_pred, y_score, classes) -> np.ndarray:
        y_pred = np.array(y_pred, dtype=int, copy=True)
        if self.min_frames <= 0 or y_score is None or y_pred.ndim != 2:
            return y_pred
        k = min(int(self.min_frames), y_pred.shape[1])
        for row in np.flatnonzero(y_pred.sum(axis=1) < k):
            best = np.argsort(-np.asarray(y_score[row], dtype=float), kind="stable")[:k]
            y_pred[row, best] = 1
        return y_pred

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return multilabel_scores(examples.y, y_pred, examples.labels)

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        names = self.label_names(y_pred, examples.labels)
        lines = [f"{doc}\t{name}" for doc, name in zip(examples.refs["doc_id"], names)]
        return "predictions-subtask-2.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        labels = list(classes)
        return [",".join(labels[j] for j in np.flatnonzero(row)) for row in np.asarray(y)]


def predict_frames(
    model, text: str, labels: Sequence[str] | None = None, min_frames: int = 1
) -> list[tuple[str, float]]:
    """The frames a fitted frames model predicts for one article, with their scores.

    Parameters
    ----------
    model : sklearn Pipeline
        A pipeline fitted by ``task=frames`` (``ColumnTransformer`` on a
        ``text`` column, then ``OneVsRestClassifier``), e.g. loaded with
        ``mlflow.sklearn.load_model``.
    text : str
        The whole article.
    labels : sequence of str, optional
        Frame names in the model's column order; default the 14
        :data:`~framing.data.techniques.SEMEVAL2023_FRAMES`.
    min_frames : int, default 1
        As :class:`FramesTask`: at least this many frames, the best-scoring.

    Returns
    -------
    list of (frame, score)
        Predicted frames, highest score first; the score is the classifier's
        probability (``predict_proba``) or decision value.

    Raises
    ------
    ValueError
        If the model's output width differs from ``labels``.
    """
    labels = list(labels or SEMEVAL2023_FRAMES)
    task = FramesTask(min_frames=min_frames)
    y_pred, y_score = predict_with_scores(model, task.rows_for_text(text).X)
    y_pred = np.asarray(y_pred)
    if y_pred.ndim != 2 or y_pred.shape[1] != len(labels):
        raise ValueError(
            f"the model predicts {y_pred.shape[-1]} columns, expected {len(labels)} frames: is it a frames model?"
        )
    y_pred = task.decode(None, y_pred, y_score, None)
    scores = np.asarray(y_score[0], dtype=float) if y_score is not None else y_pred[0].astype(float)
    found = [(labels[j], float(scores[j])) for j in np.flatnonzero(y_pred[0])]
    return sorted(found, key=lambda item: -item[1])
