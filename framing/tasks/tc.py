"""TC: technique classification of given spans (SemEval-2020 Task 11, subtask TC).

Each gold span becomes a row with the span text (``text``), the lines it
lies on (``context``) and how often its text recurs in the article
(``repeats``, for :class:`~framing.features.shape.TextShapeFeatures`). The official metric is micro-averaged F1 over the gold
spans, computed as the official scorer does (:func:`framing.evaluate.tc_scores`).
Predictions are written in the official format
``article_id<TAB>technique<TAB>start<TAB>end``, in the row order of the gold
file or template (``metadata["file_spans"]`` of the SemEval-2020 reader): the
official scorer sorts each article's spans by start only and pairs them with
the gold's one by one, so spans sharing a start must come in the gold's order,
and the articles too. A template with ``?`` labels (the test split) is filled
the same way.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from framing.evaluate import Scores, tc_scores
from framing.features.shape import repeat_counts
from framing.tasks.base import Examples, Task

TEMPLATE = "?"


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The full lines a span lies on (its sentence context in PTC's layout)."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


class TCTask(Task):
    """Technique classification of gold spans.

    Parameters
    ----------
    distinct_labels_for_repeated_spans : bool, default True
        When the same offsets occur k times (one fragment annotated with k
        techniques), give them the k most probable distinct techniques
        instead of k copies of the best one. The official scorer pairs
        labels of identical spans to maximise matches, so repeating one
        label can never score on the second copy.
    context_features : sequence of str, default ()
        Configured features that also read the ``context`` column (the
        lines around the span); the rest read the span text only.
    """

    name = "tc"
    kind = "multiclass"
    main_metric = "micro_f1"
    context_columns = ("context",)

    def __init__(self, distinct_labels_for_repeated_spans: bool = True, context_features=()) -> None:
        self.distinct_labels_for_repeated_spans = distinct_labels_for_repeated_spans
        self.context_features = tuple(context_features or ())

    def examples(self, docs, labels, segmentation) -> Examples:
        rows, labelled = [], True
        for doc in docs:
            # the file's row order where the reader kept it (the official scorer needs it), else sorted
            spans = doc.metadata.get("file_spans") or doc.spans
            repeats = repeat_counts([doc.text[sp.start : sp.end] for sp in spans], doc.text)
            for span, n_repeats in zip(spans, repeats):
                if span.label == TEMPLATE or not doc.labelled:
                    labelled = False
                left, right = _line_bounds(doc.text, span.start, span.end)
                rows.append(
                    {
                        "doc_id": doc.id,
                        "start": span.start,
                        "end": span.end,
                        "text": doc.text[span.start : span.end],
                        "context": doc.text[left:right].strip(),
                        "repeats": n_repeats,
                        "label": span.label,
                    }
                )
        frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "context", "repeats", "label"])
        y = frame["label"].to_numpy(dtype=object) if labelled else None
        return Examples(
            X=frame[["text", "context", "repeats"]].copy(),
            y=y,
            doc_ids=frame["doc_id"].to_numpy(dtype=object),
            refs=frame[["doc_id", "start", "end"]],
            labels=tuple(labels),
        )

    def decode(self, examples, y_pred, y_score, classes):
        if not self.distinct_labels_for_repeated_spans or y_score is None:
            return y_pred
        y_pred = np.array(y_pred, dtype=object)
        groups = defaultdict(list)
        for i, key in enumerate(zip(examples.refs["doc_id"], examples.refs["start"], examples.refs["end"])):
            groups[key].append(i)
        classes = np.asarray(classes, dtype=object)
        for rows in groups.values():
            if len(rows) > 1:
                ranked = classes[np.argsort(-y_score[rows[0]], kind="stable")]
                for i, label in zip(rows, ranked):
                    y_pred[i] = label
        return y_pred

    def _by_article(self, examples, labels) -> dict[str, list[tuple[int, int, str]]]:
        out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for doc, start, end, label in zip(
            examples.refs["doc_id"], examples.refs["start"], examples.refs["end"], labels
        ):
            out[doc].append((int(start), int(end), str(label)))
        return out

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return tc_scores(
            self._by_article(examples, examples.y), self._by_article(examples, y_pred), examples.labels
        )

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        lines = [
            f"{doc}\t{label}\t{start}\t{end}"
            for doc, start, end, label in zip(
                examples.refs["doc_id"], examples.refs["start"], examples.refs["end"], y_pred
            )
        ]
        return "predictions-tc.txt", "\n".join(lines) + ("\n" if lines else "")
