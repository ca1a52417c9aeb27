"""SLC: sentence-level propaganda classification (NLP4IF-2019 shared task).

Gold, by what the corpus gives:

- *derived* (default): a sentence is propaganda when at least one technique
  span overlaps it (the way NLP4IF-2019 derived its sentence gold from the
  fragment annotation of Da San Martino et al. 2019);
- *official*: the NLP4IF-2019 SLC label files, one label per article line,
  when the dataset reads them (``dataset.slc_labels_dir``,
  :mod:`framing.data.slc_labels`). Scoring is then per line, exactly as the
  official scorer compares the submission with those files: a line is
  predicted propaganda when a sentence on it is, and empty lines count as
  predicted non-propaganda;
- *paragraph labels* where a split has no spans (SemEval-2023 Task 3 dev):
  the labelled paragraphs are the rows, propaganda when they carry a technique.

The official metric is F1 of the propaganda class, with its precision and
recall. Predictions are written in the NLP4IF-2019 format, one row per
article line, empty lines included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.data.model import Document, label_sentences
from framing.evaluate import Scores, binary_scores
from framing.features.shape import repeat_counts
from framing.tasks.base import Examples, MissingGoldError, Task
from framing.text import segment

PROPAGANDA, NON_PROPAGANDA = "propaganda", "non-propaganda"
ROW_COLUMNS = ["doc_id", "start", "end", "line", "text", "repeats", "techniques"]


def line_count(text: str) -> int:
    """Lines of an article as the NLP4IF-2019 files number them (``readlines()``)."""
    from framing.data.slc_labels import line_count as count

    return count(text)


def _gold_sentences(doc: Document, segmentation: str, task: str) -> list:
    """The labelled units of ``doc``: span-labelled sentences, or its labelled paragraphs where it has no spans."""
    if doc.metadata.get("span_gold") is False:
        paragraphs = doc.metadata.get("paragraphs")
        if paragraphs is not None:
            return list(paragraphs)
        if doc.labelled:
            split = doc.metadata.get("split", "?")
            raise MissingGoldError(
                f"task={task}: document {doc.id} of the {split!r} split has neither technique spans nor "
                "paragraph labels, so there is no gold to score; choose a split with gold (dataset.splits.eval)"
            )
    return label_sentences(segment(doc.text, segmentation), doc.spans)


def sentence_rows(docs: Sequence[Document], segmentation: str, task: str = "slc") -> tuple[list[dict], bool]:
    """Segment documents into labelled sentence rows.

    Where a document has no span gold but paragraph labels (SemEval-2023
    Task 3 dev, ``metadata["span_gold"] is False``), its rows are those
    paragraphs with their labels, at their ``paragraph_lines``.

    Returns
    -------
    rows : list of dict
        ``doc_id``, ``start``, ``end``, ``line`` (1-based line of the start),
        ``text``, ``repeats``, ``techniques``.
    labelled : bool
        Whether every document is labelled.

    Raises
    ------
    MissingGoldError
        A labelled document without spans and without paragraph labels.
    """
    rows, labelled = [], True
    for doc in docs:
        labelled &= doc.labelled
        sentences = _gold_sentences(doc, segmentation, task)
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


def _official_lines(docs: Sequence[Document]) -> dict[str, np.ndarray] | None:
    """Official SLC label per line (1 = propaganda) of each document, or None when they are not given."""
    given = [d for d in docs if "slc_labels" in d.metadata]
    if not given:
        return None
    if len(given) != len(docs):
        raise MissingGoldError(f"official SLC labels are given for {len(given)} of {len(docs)} documents of one "
                               "split: give them for all or none (dataset.slc_labels_dir)")
    return {d.id: np.array([label == PROPAGANDA for label in d.metadata["slc_labels"]], dtype=int) for d in given}


class SLCTask(Task):
    """Sentence-level classification: is a sentence propaganda?

    Rows are sentences (``text``); ``y`` is 1 for propaganda, 0 otherwise.
    Metric: precision, recall and F1 of the propaganda class (NLP4IF-2019,
    Da San Martino et al. 2019), plus accuracy, macro-F1 and weighted F1.

    Notes
    -----
    ``meta["n_lines"]``: the line count of each article (the rows of the
    official file); ``meta["label_source"]``: ``"official"`` or ``"derived"``;
    with official labels ``meta["official_lines"]``: per article, 0/1 per line.
    """

    name = "slc"
    kind = "binary"
    main_metric = "f1"

    def examples(self, docs, labels, segmentation) -> Examples:
        rows, labelled = sentence_rows(docs, segmentation, self.name)
        frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
        official = _official_lines(docs) if labelled else None
        meta = {"n_lines": {d.id: line_count(d.text) for d in docs},
                "label_source": "official" if official is not None else "derived"}
        y = None
        if official is not None:
            meta["official_lines"] = official
            y = np.array([official[d][line - 1] for d, line in zip(frame["doc_id"], frame["line"])], dtype=int)
        elif labelled:
            y = np.array([int(bool(t)) for t in frame["techniques"]], dtype=int)
        return Examples(
            X=frame[["text", "repeats"]].copy(),
            y=y,
            doc_ids=frame["doc_id"].to_numpy(dtype=object),
            refs=frame[["doc_id", "start", "end", "line", "techniques"]],
            labels=(NON_PROPAGANDA, PROPAGANDA),
            meta=meta,
        )

    def line_predictions(self, examples: Examples, y_pred) -> dict[str, np.ndarray]:
        """Per article (in row order), 0/1 per line: 1 when a row on that line is predicted propaganda."""
        n_lines = examples.meta["n_lines"]
        out: dict[str, np.ndarray] = {}
        for doc, line, pred in zip(examples.refs["doc_id"], examples.refs["line"], np.asarray(y_pred)):
            lines = out.setdefault(doc, np.zeros(n_lines[doc], dtype=int))
            lines[int(line) - 1] |= int(bool(pred))
        return out

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        official = examples.meta.get("official_lines")
        if official is None:
            return binary_scores(examples.y, y_pred, positive=1, labels=[0, 1])
        predicted = self.line_predictions(examples, y_pred)
        gold = np.concatenate([official[d] for d in predicted]) if predicted else np.zeros(0, dtype=int)
        pred = np.concatenate(list(predicted.values())) if predicted else np.zeros(0, dtype=int)
        return binary_scores(gold, pred, positive=1, labels=[0, 1])

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        # NLP4IF-2019 SLC format: article_id <TAB> sentence_id <TAB> label, one row per article line
        lines = [
            f"{doc}\t{i}\t{PROPAGANDA if p else NON_PROPAGANDA}"
            for doc, per_line in self.line_predictions(examples, y_pred).items()
            for i, p in enumerate(per_line, start=1)
        ]
        return "predictions-slc.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        return [PROPAGANDA if v else NON_PROPAGANDA for v in y]
