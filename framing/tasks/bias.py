"""Sentence bias (BABE, MBIC): is a sentence biased? Scored by stratified k-fold CV.

Spinde et al. (2021) report, for BABE, the mean over 5 stratified folds of
the **weighted** F1 (sklearn ``f1_score(..., average='weighted')``: per-class
F1 weighted by support; ``classification.ipynb`` of the authors' repository
``Media-Bias-Group/Neural-Media-Bias-Detection-Using-Distant-Supervision-With-BABE``).
We log it as ``weighted_f1`` beside ``macro_f1`` (the unweighted mean over
the two classes, our headline) and the biased class's P/R/F1. There is no
official split. Each document is one sentence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.evaluate import Scores, binary_scores
from framing.tasks.base import Examples, Task

BIASED, NON_BIASED = "Biased", "Non-biased"


def _bias_label(doc) -> str | None:
    """BABE/MBIC's ``label_bias``, else the one bias label among a JSONL document's ``labels``."""
    if "label_bias" in doc.metadata:
        return doc.metadata["label_bias"]
    found = [label for label in doc.metadata.get("labels", ()) if label in (BIASED, NON_BIASED)]
    return found[0] if len(found) == 1 else None


class SentenceBiasTask(Task):
    """Binary sentence bias: ``y`` is 1 for ``Biased``, 0 for ``Non-biased``.

    Documents labelled anything else (``No agreement``) are left out.
    Metrics (:func:`framing.evaluate.binary_scores`): ``macro_f1`` (headline),
    ``weighted_f1`` (what Spinde et al. 2021 report), the biased class's
    ``precision``, ``recall``, ``f1``, and ``accuracy``.
    """

    name = "bias"
    kind = "binary"
    evaluation = "cv"
    main_metric = "macro_f1"

    def examples(self, docs, labels, segmentation) -> Examples:
        gold = [(d, _bias_label(d)) for d in docs]
        rows = [
            # repeats: the shape features' column; a BABE document is one sentence
            {"doc_id": d.id, "start": 0, "end": len(d.text), "text": d.text, "repeats": 0, "label": label}
            for d, label in gold
            if label in (BIASED, NON_BIASED)
        ]
        if docs and not rows:
            raise ValueError(f"task=bias: none of the {len(docs)} documents has a bias label ({BIASED!r} or "
                             f"{NON_BIASED!r}: BABE/MBIC's label_bias, or a JSONL line's \"labels\")")
        frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "repeats", "label"])
        return Examples(
            X=frame[["text", "repeats"]].copy(),
            y=(frame["label"] == BIASED).to_numpy(dtype=int),
            doc_ids=frame["doc_id"].to_numpy(dtype=object),
            refs=frame[["doc_id", "start", "end"]],
            labels=(NON_BIASED, BIASED),
        )

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return binary_scores(examples.y, y_pred, positive=1, labels=[0, 1])

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        lines = [f"{doc}\t{BIASED if p else NON_BIASED}" for doc, p in zip(examples.refs["doc_id"], y_pred)]
        return "predictions-bias.tsv", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        return [BIASED if v else NON_BIASED for v in np.asarray(y)]
