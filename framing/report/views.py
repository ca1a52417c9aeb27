"""Views of a run's predictions: readable rows, and articles with their cues and predictions.

Pure functions from computed results (a task's examples, predictions and
scores, the corpus) to what a report shows: :func:`readable_predictions` (one
row per example: text, gold, prediction, probability) and
:func:`article_views` (the articles the HTML report highlights,
:mod:`framing.report.html`).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from framing.data.model import Corpus
from framing.features.base import Cue
from framing.report.html import ArticleView, SentenceView
from framing.tasks.base import Examples, Task
from framing.text import segment


def readable_predictions(task: Task, ex: Examples, y_pred, y_score, classes) -> pd.DataFrame:
    """Text, gold, prediction and its probability/score, one row per example."""
    frame = ex.refs[["doc_id", "start", "end"]].copy()
    frame["text"] = ex.X["text"].to_numpy()
    for column in ex.X.columns.drop(["text", "context"], errors="ignore"):
        frame[column] = ex.X[column].to_numpy()  # other model inputs (repeats...), to re-run the model
    if ex.y is not None:
        frame["gold"] = task.label_names(ex.y, ex.labels if task.kind == "multilabel" else classes)
    frame["predicted"] = task.label_names(y_pred, ex.labels if task.kind == "multilabel" else classes)
    if y_score is not None:
        if task.kind == "binary":
            frame["probability"] = np.round(y_score[:, 1], 4)
        elif task.kind == "multiclass":
            frame["probability"] = np.round(y_score.max(axis=1), 4)
        else:
            frame["probability"] = [
                ",".join(f"{s:.3f}" for s, p in zip(row, pred) if p) for row, pred in zip(y_score, y_pred)
            ]
    return frame



def explain_sentences(extractors, text: str, sentences) -> list[Cue]:
    """Cues of every extractor in each sentence, with offsets into ``text``."""
    texts = [text[s.start : s.end] for s in sentences]
    cues: list[Cue] = []
    for extractor in extractors:
        for sent, found in zip(sentences, extractor.explain_many(texts)):
            cues.extend(c.shifted(sent.start) for c in found)
    return cues


def article_views(task: Task, corpus: Corpus, ex: Examples, y_pred, y_score, classes, extractors, n: int, segmentation: str) -> list[ArticleView]:
    """Views of the first ``n`` articles of an evaluated split, for the HTML report."""
    docs = {d.id: d for d in corpus}
    rows_by_doc = defaultdict(list)
    for i, doc_id in enumerate(ex.refs["doc_id"]):
        rows_by_doc[doc_id].append(i)
    labels = list(ex.labels) if task.kind == "multilabel" else list(classes if classes is not None else [])
    # span tasks (SI, FLC) show their decoded spans, not their token rows
    predicted = defaultdict(list) if hasattr(task, "predicted_spans") else None
    if predicted is not None:
        for span in task.predicted_spans(ex, y_pred, y_score, classes):
            predicted[span.doc_id].append(span)
    views = []
    for doc_id in list(rows_by_doc)[:n]:
        doc = docs[doc_id]
        sentences = segment(doc.text, segmentation)
        rows = rows_by_doc[doc_id]
        span_cues = []
        sentence_views = []
        for sent in sentences:
            inside = [] if predicted is not None else [i for i in rows if ex.refs["start"][i] < sent.end and ex.refs["end"][i] > sent.start]
            prob, techniques = None, []
            for span in (predicted or {}).get(doc_id, ()):
                if span.start < sent.end and span.end > sent.start:
                    name = span.label or "propaganda span"
                    techniques.append((name, span.score if span.score is not None else 1.0))
                    if span.start >= sent.start:  # mark each span once
                        span_cues.append(Cue("spans", name, span.start, span.end, doc.text[span.start:span.end], "prediction"))
            for i in inside:
                if task.kind == "binary" and y_score is not None:
                    prob = float(y_score[i, 1])
                elif task.kind == "multilabel" and y_score is not None:
                    techniques += [(labels[j], float(y_score[i, j])) for j in np.flatnonzero(y_pred[i])]
                elif task.kind == "multiclass":
                    p = float(y_score[i].max()) if y_score is not None else 1.0
                    techniques.append((str(y_pred[i]), p))
                    span_cues.append(Cue("spans", str(y_pred[i]), int(ex.refs["start"][i]), int(ex.refs["end"][i]),
                                         doc.text[ex.refs["start"][i]:ex.refs["end"][i]], "prediction"))
            gold = sorted({s.label for s in doc.spans if s.label and s.start < sent.end and s.end > sent.start})
            sentence_views.append(SentenceView(sent.start, sent.end, prob, techniques, gold))
        cues = explain_sentences(extractors, doc.text, sentences) + span_cues
        views.append(ArticleView(doc_id, doc.text, sentence_views, cues, summary=((_rows_label(task), str(len(rows))),)))
    return views


#: What a task's rows are, for the report's row count (tasks not listed: "rows").
ROW_UNITS = {"slc": "sentences", "sentence_techniques": "sentences", "bias": "sentences", "tc": "gold spans",
             "si": "tokens", "flc": "tokens", "frames": "articles", "genre": "articles"}


def _rows_label(task: Task) -> str:
    """``rows (sentences)``: the number of the task's rows in the article, and what they are."""
    unit = ROW_UNITS.get(getattr(task, "name", ""))
    return f"rows ({unit})" if unit else "rows"
