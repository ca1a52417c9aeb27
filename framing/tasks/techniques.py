"""Sentence techniques: which techniques occur in a sentence (multi-label).

Each sentence's gold is the set of techniques whose spans overlap it
(NLP4IF-2019's overlap rule, kept per technique). Where a split has no spans
but paragraph labels (SemEval-2023 Task 3 dev), the labelled paragraphs are
the rows and their labels the gold: that is subtask 3 itself, and the
prediction file (``article_id<TAB>line<TAB>techniques``) is then the official
subtask-3 submission. A labelled split with neither is refused
(:class:`~framing.tasks.base.MissingGoldError`), never scored as 0.

Metrics (:func:`framing.evaluate.multilabel_scores`): ``micro_f1`` and
``macro_f1`` as the SemEval-2023 subtask-3 scorer computes them (over all
techniques, ``zero_division=1``), with ``macro_f1_present`` (ours) beside them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.evaluate import Scores, multilabel_scores
from framing.tasks.base import Examples, Task
from framing.tasks.slc import sentence_rows


class SentenceTechniquesTask(Task):
    """Multi-label technique detection per sentence.

    ``y`` is an indicator matrix of shape (n_sentences, n_techniques) over the
    corpus's technique list.
    """

    name = "sentence_techniques"
    kind = "multilabel"
    main_metric = "micro_f1"

    def examples(self, docs, labels, segmentation) -> Examples:
        rows, labelled = sentence_rows(docs, segmentation, self.name)
        frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "line", "text", "repeats", "techniques"])
        index = {label: i for i, label in enumerate(labels)}
        y = None
        if labelled:
            y = np.zeros((len(frame), len(labels)), dtype=int)
            for r, techniques in enumerate(frame["techniques"]):
                for t in techniques:
                    y[r, index[t]] = 1
        return Examples(
            X=frame[["text", "repeats"]].copy(),
            y=y,
            doc_ids=frame["doc_id"].to_numpy(dtype=object),
            refs=frame[["doc_id", "start", "end", "line", "techniques"]],
            labels=tuple(labels),
        )

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return multilabel_scores(examples.y, y_pred, examples.labels)

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        # article_id <TAB> sentence_id <TAB> comma-separated techniques (empty: none),
        # the layout of SemEval-2023 Task 3 subtask 3 at sentence granularity
        names = self.label_names(y_pred, examples.labels)
        lines = [
            f"{doc}\t{line}\t{name}"
            for doc, line, name in zip(examples.refs["doc_id"], examples.refs["line"], names)
        ]
        return "predictions-sentence-techniques.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        labels = list(classes)
        return [",".join(labels[j] for j in np.flatnonzero(row)) for row in np.asarray(y)]
