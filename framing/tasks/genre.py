"""Genre: is an article opinion, reporting or satire? (SemEval-2023 Task 3 subtask 1).

Single-label article classification over
:data:`~framing.data.techniques.SEMEVAL2023_GENRES` (Piskorski et al. 2023).
The official metric is macro-averaged F1 over the classes, as the organisers'
``scorer-subtask-1.py`` computes it (``sklearn.metrics.f1_score(gold, pred,
average="macro", zero_division=0)``, i.e. over the classes present in gold or
predictions); micro-F1 (= accuracy here) and per-class P/R/F1 are reported
beside it.

Only train has gold, so the task is scored by stratified k-fold
cross-validation on train (``cv.folds``), grouped by article (one row per
article, checked). The English train split is very imbalanced (opinion 382,
reporting 41, satire 10): stratification gives every fold its share of
satire (2 of 10 with 5 folds), and the models' ``class_weight: balanced``
matters.

Features: as for :mod:`framing.tasks.frames`, TF-IDF (any language) and the
document-aggregated cue families (English-only); see ``docs/frames_genre.md``.
"""

from __future__ import annotations

import numpy as np

from framing.evaluate import Scores, multiclass_scores
from framing.tasks.base import Examples, Task
from framing.tasks.frames import ArticleStratifiedKFold, article_examples, article_rows


class GenreTask(Task):
    """News genre of whole articles: ``opinion``, ``reporting`` or ``satire``.

    ``y`` is an array of genre names of shape (n_articles,).

    Parameters
    ----------
    semeval2023_subtask : int, default 1
        The SemEval-2023 Task 3 subtask whose files hold the genres; the
        dataset config reads it so that ``task=genre`` reads subtask 1.

    Notes
    -----
    Scores (:func:`framing.evaluate.multiclass_scores`): ``macro_f1``
    (official, headline), ``micro_f1``, ``micro_precision``,
    ``micro_recall``, ``accuracy``, and per-genre P/R/F1. Official
    prediction file: ``article_id<TAB>genre`` (``predictions-subtask-1.txt``).
    """

    name = "genre"
    kind = "multiclass"
    evaluation = "cv"
    main_metric = "macro_f1"

    def __init__(self, semeval2023_subtask: int = 1) -> None:
        self.semeval2023_subtask = semeval2023_subtask

    def examples(self, docs, labels, segmentation) -> Examples:
        frame, labelled = article_rows(docs, "genre", self.name, self.semeval2023_subtask)
        y = None
        if labelled:
            unknown = sorted(set(frame["label"]) - set(labels))
            if unknown:
                raise ValueError(f"genres {unknown} are not in the label list {list(labels)}")
            y = frame["label"].to_numpy(dtype=object)
        return article_examples(frame, y, labels)

    def cv_splitter(self, folds: int, seed: int) -> ArticleStratifiedKFold:
        return ArticleStratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return multiclass_scores(examples.y, y_pred, examples.labels)

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        lines = [f"{doc}\t{genre}" for doc, genre in zip(examples.refs["doc_id"], np.asarray(y_pred))]
        return "predictions-subtask-1.txt", "\n".join(lines) + ("\n" if lines else "")
