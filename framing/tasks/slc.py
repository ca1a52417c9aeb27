"""SLC: sentence-level propaganda classification (NLP4IF-2019 shared task).

A sentence is propaganda when at least one technique span overlaps it (the
way NLP4IF-2019 derived its sentence gold from the fragment annotation of
Da San Martino et al. 2019). The official metric is F1 of the propaganda
class, with its precision and recall.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.data.model import Document, label_sentences
from framing.evaluate import Scores, binary_scores
from framing.features.shape import repeat_counts
from framing.tasks.base import Examples, Task
from framing.text import segment

PROPAGANDA, NON_PROPAGANDA = "propaganda", "non-propaganda"


def sentence_rows(docs: Sequence[Document], segmentation: str) -> tuple[list[dict], bool]:
    """Segment documents into labelled sentence rows.

    Returns the rows (``doc_id``, ``start``, ``end``, ``line``, ``text``,
    ``repeats``, ``techniques``) and whether every document is labelled.
    """
    rows, labelled = [], True
    for doc in docs:
        labelled &= doc.labelled
        sentences = label_sentences(segment(doc.text, segmentation), doc.spans)
        repeats = repeat_counts([s.text for s in sentences], doc.text)
        for sent, n_repeats in zip(sentences, repeats):
            rows.append(
                {
                    "doc_id": doc.id,
                    "start": sent.start,
                    "end": sent.end,
                    # 1-based line of the sentence start: the sentence id NLP4IF used
                    "line": doc.text.count("\n", 0, sent.start) + 1,
                    "text": sent.text,
                    # how often the sentence recurs in its article (TextShapeFeatures)
                    "repeats": n_repeats,
                    "techniques": sent.labels,
                }
            )
    return rows, labelled


class SLCTask(Task):
    """Sentence-level classification: is a sentence propaganda?

    Rows are sentences (``text``); ``y`` is 1 for propaganda, 0 otherwise.
    Metric: precision, recall and F1 of the propaganda class (NLP4IF-2019,
    Da San Martino et al. 2019), plus accuracy and macro-F1.
    """

    name = "slc"
    kind = "binary"
    main_metric = "f1"

    def examples(self, docs, labels, segmentation) -> Examples:
        rows, labelled = sentence_rows(docs, segmentation)
        frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "line", "text", "repeats", "techniques"])
        y = np.array([int(bool(t)) for t in frame["techniques"]], dtype=int) if labelled else None
        return Examples(
            X=frame[["text", "repeats"]].copy(),
            y=y,
            doc_ids=frame["doc_id"].to_numpy(dtype=object),
            refs=frame[["doc_id", "start", "end", "line", "techniques"]],
            labels=(NON_PROPAGANDA, PROPAGANDA),
        )

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return binary_scores(examples.y, y_pred, positive=1, labels=[0, 1])

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        # NLP4IF-2019 SLC format: article_id <TAB> sentence_id <TAB> label
        lines = [
            f"{doc}\t{line}\t{PROPAGANDA if p else NON_PROPAGANDA}"
            for doc, line, p in zip(examples.refs["doc_id"], examples.refs["line"], y_pred)
        ]
        return "predictions-slc.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        return [PROPAGANDA if v else NON_PROPAGANDA for v in y]
