"""What a run logs besides params and metrics, and where it goes in the run's artifact tree.

Every artifact is built by the module whose job it is (the task writes its
official predictions, :mod:`framing.report` draws views and figures,
:func:`framing.models.model_card` describes the model); this module only
decides what goes where::

    config.yaml                               (logged by framing.experiment.run)
    metrics/<split>_per_class.json            per-class P/R/F1 (MLflow table)
    metrics/<split>_article_statistics.json   per-article statistics (framing compare --paired)
    metrics/<split>_notes.txt                 what the scorer says about its numbers (e.g. SI articles without gold)
    predictions/<split>/<official file>       the task's submission format
    predictions/<split>/readable.tsv          text, gold, predicted, probability
    figures/<split>_confusion_matrix.png      (binary and multi-class tasks)
    figures/<split>_precision_recall.png      (binary tasks)
    figures/<split>_per_class_f1.png          (multi-label tasks)
    model/top_features.json, figures/top_features.png   (linear models)
    model/cue_rates.json                      training sentences' cue rates (SLC, sentence techniques; also in the model's card)
    report/articles.html                      cues and predictions highlighted
    model/                                    mlflow.sklearn model, its card in the MLmodel metadata
"""

from __future__ import annotations

import numpy as np
from omegaconf import OmegaConf

from framing.features.rates import cue_extractors, default_extractors
from framing.models import card_evaluation, model_card
from framing.report.figures import (
    confusion_matrix_figure,
    per_class_f1_figure,
    precision_recall_figure,
    top_features,
    top_features_figure,
)
from framing.report.html import render_html
from framing.report.views import article_views, readable_predictions


def log_run_artifacts(cfg, run_log, outcome) -> str | None:
    """Log tables, predictions, figures, the HTML report and the model; return the model URI.

    Parameters
    ----------
    cfg : DictConfig
        The run's configuration (``report_articles``, ``tracking.log_model``,
        ``tracking.register_model``, the dataset's splits and segmentation).
    run_log : framing.tracking.runs.RunLog
    outcome : framing.experiment.Outcome
        What :func:`framing.experiment.compute` returned.
    """
    task, classes = outcome.task, outcome.classes
    for split, score in outcome.scores.items():
        if score.per_class:
            run_log.log_table(score.per_class, f"metrics/{split}_per_class.json")
        if score.notes:
            run_log.log_text("\n".join(score.notes) + "\n", f"metrics/{split}_notes.txt")
    for split, stats in outcome.statistics.items():
        run_log.log_dict(stats.to_dict(), f"metrics/{split}_article_statistics.json")

    for split, (ex, y_pred, y_score) in outcome.outputs.items():
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
            positive = task.label_names(np.asarray(classes[1:2]), classes)[0] if classes is not None else "1"
            run_log.log_figure(precision_recall_figure(ex.y, y_score[:, 1], f"{split}: precision-recall", positive),
                               f"figures/{split}_precision_recall.png")
        if task.kind == "multilabel" and split in outcome.scores:
            run_log.log_figure(per_class_f1_figure(outcome.scores[split].per_class, f"{split}: F1 per label (support)"),
                               f"figures/{split}_per_class_f1.png")

    binary_names = task.label_names(np.asarray(classes), classes) if task.kind == "binary" and classes is not None else None
    rows = top_features(outcome.pipeline, k=20, class_names=binary_names)
    if rows:
        run_log.log_table(rows, "model/top_features.json")
        run_log.log_figure(top_features_figure(rows), "figures/top_features.png")

    n_articles = int(cfg.get("report_articles", 3))
    evaluated = [k for k in outcome.outputs if k != "cv"] or list(outcome.outputs)
    if n_articles > 0 and evaluated:
        split = evaluated[0]
        ex, y_pred, y_score = outcome.outputs[split]
        extractors = cue_extractors(outcome.pipeline) or default_extractors()
        views = article_views(task, outcome.corpus, ex, y_pred, y_score, classes, extractors, n_articles,
                              cfg.dataset.get("segmentation", "lines"))
        title = f"{outcome.corpus.name} / {task.name}: {split} predictions and framing cues"
        run_log.log_text(render_html(views, title=title), "report/articles.html")

    if not cfg.tracking.get("log_model", True):
        return None
    train = outcome.train
    card = model_card(
        task, outcome.pipeline, classes, labels=train.labels, dataset=outcome.corpus.name,
        train_split=cfg.dataset.splits.train, segmentation=cfg.dataset.get("segmentation", "lines"),
        task_params={k: v for k, v in OmegaConf.to_container(cfg.task, resolve=True).items() if k != "_target_"},
        train_texts=train.X["text"],
        evaluation=card_evaluation(outcome.metrics, outcome.main_metric, task.main_metric),
    )
    if card["cue_rates"]:
        run_log.log_dict(card["cue_rates"], "model/cue_rates.json")
    # "{task}" in the name becomes the task's name: one preset registers several tasks' models
    registered = (cfg.tracking.get("register_model") or "").replace("{task}", task.name) or None
    example = train.X.head(5).reset_index(drop=True)
    optional = [c for c, what in card["inputs"].items() if what.startswith("optional")]
    return run_log.log_model(outcome.pipeline, example, registered_model_name=registered, metadata=card,
                             optional_columns=optional)
