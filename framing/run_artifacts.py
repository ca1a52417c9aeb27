"""Everything a run logs besides params and metrics: tables, predictions, figures, report, model.

Computation stays in the tasks, scorers and report modules; this module
decides what goes where in the run's artifact tree::

    config.yaml
    metrics/<split>_per_class.json            per-class P/R/F1 (MLflow table)
    predictions/<split>/<official file>       the task's submission format
    predictions/<split>/readable.tsv          text, gold, predicted, probability
    figures/<split>_confusion_matrix.png      (binary and multi-class tasks)
    figures/<split>_precision_recall.png      (binary tasks)
    figures/<split>_per_class_f1.png          (multi-label tasks)
    model/top_features.json, figures/top_features.png   (linear models)
    model/cue_rates.json                      training sentences' cue rates (SLC, sentence techniques; also in the model's metadata)
    report/articles.html                      cues and predictions highlighted
    model/                                    mlflow.sklearn model
"""

from __future__ import annotations

import logging
from collections import defaultdict

import numpy as np
from omegaconf import OmegaConf

from framing.data.model import Corpus
from framing.features.base import Cue, CueFeatures
from framing.highlight import ArticleView, SentenceView, render_html
from framing.report import confusion_matrix_figure, precision_recall_figure, top_features, top_features_figure
from framing.tasks.base import Examples, Task
from framing.text import segment

log = logging.getLogger("framing.run_artifacts")


def cue_extractors(pipeline) -> list[CueFeatures]:
    """The fitted cue families of a pipeline (reading the ``text`` column)."""
    found = []
    for _, transformer, column in pipeline.named_steps["features"].transformers_:
        inner = transformer.steps[0][1] if hasattr(transformer, "steps") else transformer
        if isinstance(inner, CueFeatures) and column == "text":
            found.append(inner)
    return found


def default_extractors() -> list[CueFeatures]:
    """The four families with their default configuration, fitted."""
    from framing.features import default_families

    return [f.fit() for f in default_families()]


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
        views.append(ArticleView(doc_id, doc.text, sentence_views, cues, summary=(("rows", str(len(rows))),)))
    return views


def log_run_artifacts(cfg, run_log, task: Task, pipeline, corpus: Corpus, train: Examples, outputs, scores, classes) -> str | None:
    """Log tables, predictions, figures, the HTML report and the model; return the model URI."""
    from framing.experiment import readable_predictions

    for split, score in scores.items():
        if score.per_class:
            run_log.log_table(score.per_class, f"metrics/{split}_per_class.json")

    for split, (ex, y_pred, y_score) in outputs.items():
        name, content = task.official_predictions(ex, y_pred)
        run_log.log_text(content, f"predictions/{split}/{name}")
        frame = readable_predictions(task, ex, y_pred, y_score, classes)
        run_log.log_text(frame.to_csv(sep="\t", index=False), f"predictions/{split}/readable.tsv")
        if not ex.labelled:
            continue
        if task.kind in ("binary", "multiclass"):
            values = list(classes) if classes is not None else sorted(set(ex.y))
            shown = task.label_names(np.asarray(values), classes) if task.kind == "binary" else [str(v) for v in values]
            run_log.log_figure(confusion_matrix_figure(ex.y, y_pred, values, shown, f"{split}: confusion matrix"),
                               f"figures/{split}_confusion_matrix.png")
        if task.kind == "binary" and y_score is not None and len(set(ex.y)) == 2:
            run_log.log_figure(precision_recall_figure(ex.y, y_score[:, 1], f"{split}: precision-recall"),
                               f"figures/{split}_precision_recall.png")
        if task.kind == "multilabel" and split in scores:
            run_log.log_figure(_per_class_f1_figure(scores[split].per_class, split), f"figures/{split}_per_class_f1.png")

    rows = top_features(pipeline, k=20, class_names=task.label_names(np.asarray(classes), classes) if task.kind == "binary" and classes is not None else None)
    if rows:
        run_log.log_table(rows, "model/top_features.json")
        run_log.log_figure(top_features_figure(rows), "figures/top_features.png")

    n_articles = int(cfg.get("report_articles", 3))
    evaluated = [k for k in outputs if k != "cv"] or list(outputs)
    if n_articles > 0 and evaluated:
        split = evaluated[0]
        ex, y_pred, y_score = outputs[split]
        extractors = cue_extractors(pipeline) or default_extractors()
        views = article_views(task, corpus, ex, y_pred, y_score, classes, extractors, n_articles,
                              cfg.dataset.get("segmentation", "lines"))
        title = f"{corpus.name} / {task.name}: {split} predictions and framing cues"
        run_log.log_text(render_html(views, title=title), "report/articles.html")

    model_uri = None
    if cfg.tracking.get("log_model", True):
        example = train.X.head(5).reset_index(drop=True)
        card = model_card(cfg, task, pipeline, corpus, train, classes)
        if card["cue_rates"]:
            run_log.log_dict(card["cue_rates"], "model/cue_rates.json")
        # "{task}" in the name becomes the task's name: one preset registers several tasks' models
        registered = (cfg.tracking.get("register_model") or "").replace("{task}", task.name) or None
        model_uri = run_log.log_model(pipeline, example, registered_model_name=registered, metadata=card)
    return model_uri


def model_card(cfg, task: Task, pipeline, corpus: Corpus, train: Examples, classes) -> dict:
    """What reading the model's output needs, stored in its ``MLmodel`` metadata.

    ``task``, ``kind``, ``labels`` (the name of each ``predict_proba``
    column; for multi-label tasks the corpus's technique list), the dataset,
    train split and segmentation, and ``cue_rates``: the training sentences'
    cue counts per 1,000 words from the pipeline's own cue extractors
    (:func:`framing.analyze.corpus_cue_rates`), which ``framing analyze``
    compares articles with (None for tasks whose rows are not sentences).
    """
    from framing.analyze import corpus_cue_rates

    if task.kind == "multilabel":
        labels = list(train.labels)
    elif task.kind == "binary" and classes is not None:
        labels = task.label_names(np.asarray(classes), classes)
    else:
        labels = [str(c) for c in classes] if classes is not None else []
    return {
        "task": task.name,
        "kind": task.kind,
        "labels": labels,
        "dataset": corpus.name,
        "train_split": str(cfg.dataset.splits.train),
        "segmentation": str(cfg.dataset.get("segmentation", "lines")),
        # how the task decodes predictions (SI/FLC: tagging, threshold...), to decode the same way later
        "task_params": {k: v for k, v in OmegaConf.to_container(cfg.task, resolve=True).items() if k != "_target_"},
        # spans, tokens or documents as rows would give rates no article is compared with
        "cue_rates": corpus_cue_rates(cue_extractors(pipeline), list(train.X["text"]))
        if task.name in ("slc", "sentence_techniques") else None,
    }


def _per_class_f1_figure(per_class, split):
    import matplotlib.pyplot as plt

    rows = sorted(per_class, key=lambda r: r["f1"])
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(rows) + 1.5))
    ax.barh([f"{r['label']} ({r['support']})" for r in rows], [r["f1"] for r in rows], color="#5d6d7e")
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title(f"{split}: F1 per label (support)")
    fig.tight_layout()
    return fig
