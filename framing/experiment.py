"""``framing-experiment``: one dataset x task x features x model run, logged to MLflow.

``run(cfg)`` does the work and is what tests and ``framing reproduce`` call;
``main`` is the thin ``@hydra.main`` wrapper. :func:`prepare` checks the
config and reads the corpus before an MLflow run is opened, so a user error
leaves no run. In a ``--multirun`` sweep, :class:`framing.sweep.SweepCallback`
opens one MLflow parent run and every job becomes its child, named by its
overrides; a job that fails (also with a user error) is marked FAILED with its
traceback and the sweep goes on.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import sys
import time
import tracemalloc
import warnings
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import InterpolationToMissingValueError, MissingMandatoryValue

from framing.config import register_resolvers
from framing.data.errors import CorpusWarning
from framing.data.model import Corpus
from framing.errors import USER_ERRORS as _USER_ERRORS
from framing.errors import UserError, report
from framing.evaluate import Scores, summarize_folds
from framing.models import build_pipeline, instantiate_estimator, predict_with_scores, to_python
from framing.resources import console_script, user_path
from framing.significance import N_RESAMPLES, article_statistics, bootstrap_intervals, interval_metrics
from framing.sweep import SweepCallback  # noqa: F401  (its old place, named by configs of earlier releases)
from framing.tasks.base import Examples, Task

log = logging.getLogger("framing.experiment")


@dataclass
class RunResult:
    """What :func:`run` returns.

    Parameters
    ----------
    metrics : dict of str to float
        Logged metrics, ``<split>_<name>`` (``dev_f1``, ``cv_macro_f1``,
        ``cv_macro_f1_std``...), plus timings.
    run_id : str or None
        MLflow run id (None with ``tracking=none``).
    main_metric : str
        Name of the headline metric in ``metrics``.
    model_uri : str or None
    scores : dict of str to Scores
        Full scores per evaluated split.
    """

    metrics: dict[str, float]
    run_id: str | None
    main_metric: str
    model_uri: str | None = None
    scores: dict[str, Scores] = field(default_factory=dict)
    tracking_uri: str | None = None
    task: str = ""


@dataclass
class Outcome:
    """What :func:`compute` produced, for logging (:mod:`framing.run_artifacts`).

    Parameters
    ----------
    task : Task
    corpus : Corpus
    train : Examples
        The training rows (all rows of a cross-validated task).
    pipeline : sklearn.pipeline.Pipeline
        Fitted on ``train``.
    classes : ndarray or None
        The classifier's ``classes_``.
    outputs : dict of str to (Examples, y_pred, y_score)
        Decoded predictions per split (``cv``: out-of-fold).
    scores : dict of str to Scores
        Per labelled split.
    metrics : dict of str to float
    main_metric : str
    statistics : dict of str to framing.significance.ArticleStatistics
        Per-article statistics of each scored split (for paired tests later).
    """

    task: Task
    corpus: Corpus
    train: Examples
    pipeline: Any
    classes: np.ndarray | None
    outputs: dict[str, tuple[Examples, np.ndarray, np.ndarray | None]]
    scores: dict[str, Scores]
    metrics: dict[str, float]
    main_metric: str
    statistics: dict = field(default_factory=dict)


@dataclass
class Prepared:
    """What :func:`prepare` checked and read before any MLflow run exists.

    Parameters
    ----------
    seed : int
    task : Task
    features : dict
        Feature specs by name.
    pipeline : sklearn.pipeline.Pipeline
        Unfitted; every estimator parameter already checked by a trial fit.
    corpus : Corpus
    train : Examples
        The training rows (all rows of a cross-validated task).
    evaluation, predict_only : dict of str to Examples
        Labelled and unlabelled evaluation splits (empty under cross-validation).
    started, loaded : float
        ``time.perf_counter()`` at the start and once the rows were built.
    """

    seed: int
    task: Task
    features: dict
    pipeline: Any
    corpus: Corpus
    train: Examples
    evaluation: dict[str, Examples]
    predict_only: dict[str, Examples]
    started: float
    loaded: float
    tracing: bool = False


# --------------------------------------------------------------------------- building blocks


def load_corpus(dataset_cfg: Mapping[str, Any]) -> Corpus:
    """Read the corpus a ``dataset`` config describes (its ``reader`` spec)."""
    spec = dict(to_python(dataset_cfg["reader"]))
    target = spec.pop("_target_")
    from hydra.utils import get_method

    # folders the user gave, relative to where the command was launched (not the job's folder)
    for key in ("root", "test_labels_dir", "slc_labels_dir"):
        if spec.get(key):
            spec[key] = str(user_path(spec[key]))
    if isinstance(spec.get("paths"), Mapping):  # dataset=jsonl: one file per split
        spec["paths"] = {split: str(user_path(p)) if p else p for split, p in spec["paths"].items()}
    try:
        corpus = get_method(target)(**spec)
    except FileNotFoundError as exc:
        # Name the folder the user can fix, not only the file the reader wanted.
        raise FileNotFoundError(
            f"{exc}\n  dataset {dataset_cfg.get('name')!r} reads {spec.get('root')}: give the folder that holds "
            "the corpora as data_root=/path/to/corpora (default: $FRAMING_DATA, else the project's data/; "
            "README, 'The corpora'), or choose dataset=demo"
        ) from exc
    # the dataset's name (demo, ptc2019...) rather than the reader's
    return dataclasses.replace(corpus, name=str(dataset_cfg.get("name", corpus.name)))


def make_task(task_cfg: Mapping[str, Any]) -> Task:
    return instantiate_estimator(task_cfg, key="task")  # any class from a {_target_: ...} spec


def make_pipeline(cfg, task: Task, features: Mapping[str, Any], seed: int):
    """The run's unfitted pipeline; every estimator parameter is checked here, before any data is read."""
    return build_pipeline(
        features,
        cfg.model,
        columns=feature_columns(task, features),
        multilabel=task.kind == "multilabel",
        svd_components=int(cfg.get("svd_components", 300)),
        seed=seed,
    )


def feature_columns(task: Task, features: Mapping[str, Any]) -> dict[str, list[str]]:
    """Which configured features read which text column."""
    columns = {"text": list(features)}
    for column in task.context_columns:
        wanted = [f for f in getattr(task, f"{column}_features", ()) if f in features]
        if wanted:
            columns[column] = wanted
    return columns


def warm_annotations(pipeline, frames: list[pd.DataFrame]) -> None:
    """Annotate every text the cue families will read, once, in parallel."""
    from framing.features.base import CueFeatures
    from framing.text import annotate

    union = pipeline.named_steps["features"]
    columns = set()
    for _, transformer, column in union.transformers:
        inner = transformer.steps[0][1] if hasattr(transformer, "steps") else transformer
        if isinstance(inner, CueFeatures):
            columns.add(column)
    texts = {t for frame in frames for c in columns if c in frame for t in frame[c]}
    if texts:
        annotate(sorted(texts))


def check_disjoint(train: Examples, evaluation: Mapping[str, Examples]) -> None:
    """No document may contribute rows to both training and evaluation."""
    seen = set(train.doc_ids)
    for name, ex in evaluation.items():
        shared = seen.intersection(ex.doc_ids)
        if shared:
            raise ValueError(
                f"{len(shared)} documents are in both the training data and the {name} split "
                f"(e.g. {sorted(shared)[:3]}): refusing to evaluate on training articles"
            )


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))


# --------------------------------------------------------------------------- run


def prepare(cfg: DictConfig, started: float | None = None) -> Prepared:
    """Check the config and read the corpus: everything that can be the user's mistake, before any run.

    The seed, the task, every estimator parameter (a trial fit of the
    pipeline), the corpus folder and files, the training rows (two classes at
    least) and the evaluation splits (no shared articles) are checked here;
    :func:`run` opens an MLflow run only once this has returned.

    Parameters
    ----------
    cfg : DictConfig
    started : float, optional
        ``time.perf_counter()`` at the start of the run (timings count from it).

    Returns
    -------
    Prepared

    Raises
    ------
    framing.errors.UserError, FileNotFoundError
        A bad value, a missing corpus or unusable training data (exit status 2).
    """
    register_resolvers()
    started = time.perf_counter() if started is None else started
    seed = _checked_seed(cfg.get("seed"))
    set_seed(seed)
    task = make_task(cfg.task)
    features = to_python(cfg.features)
    # a value an estimator refuses stops the run here, before the corpus is read
    pipeline = make_pipeline(cfg, task, features, seed)
    tracing = False
    if cfg.get("measure_memory", False) and not tracemalloc.is_tracing():
        tracemalloc.start()
        tracing = True
    corpus = load_corpus(cfg.dataset)
    splits = cfg.dataset.splits
    segmentation = cfg.dataset.get("segmentation", "lines")
    available = ", ".join(sorted(corpus.splits))
    if splits.train not in corpus.splits:
        raise ExperimentInputError(f"dataset.splits.train={splits.train!r}: corpus {corpus.name} has no such split "
                                   f"(it has: {available})")
    train = task.examples(corpus[splits.train], corpus.labels, segmentation)
    if not train.labelled:
        raise ExperimentInputError(f"the train split {splits.train!r} of {corpus.name} has no gold labels")
    _check_train(train, task, corpus, splits.train)
    evaluation: dict[str, Examples] = {}
    predict_only: dict[str, Examples] = {}
    if task.evaluation == "split":
        for role in ("eval", "test"):
            split = splits.get(role)
            if split and split not in corpus.splits:
                # a mistyped eval split would silently make test the main metric
                if role == "eval":
                    raise ExperimentInputError(f"dataset.splits.eval={split!r}: corpus {corpus.name} has no such "
                                               f"split (it has: {available}); give one of them, or null for none")
                log.warning("dataset.splits.test=%r: corpus %s has no such split (it has: %s): not scored",
                            split, corpus.name, available)
            if split and split in corpus.splits:
                ex = task.examples(corpus[split], corpus.labels, segmentation)
                if len(ex) == 0:  # e.g. a prediction-only split without TC template spans
                    log.warning("split %r of %s gives task=%s no examples: skipped", split, corpus.name, task.name)
                    continue
                (evaluation if ex.labelled else predict_only)[split] = ex
        check_disjoint(train, {**evaluation, **predict_only})
    return Prepared(seed, task, features, pipeline, corpus, train, evaluation, predict_only,
                    started, time.perf_counter(), tracing)


def run(cfg: DictConfig, parent_run_id: str | None = None, tracker=None, overrides: Sequence[str] = (),
        command: str | None = None) -> RunResult:
    """Run one experiment end to end and log it: prepare, compute, then log.

    :func:`prepare` checks the config and reads the corpus first: a user
    error there leaves no MLflow run, except in a sweep (``parent_run_id``
    given), where the job becomes a FAILED child with its traceback so the
    sweep's table shows it. The run's params, resolved config, description
    and dataset inputs are logged when it starts (so a crash still has them);
    metrics (the main metric first), predictions, figures, the report and the
    model once :func:`compute` has returned (:mod:`framing.run_artifacts`).

    Parameters
    ----------
    cfg : DictConfig
        The composed configuration (``conf/config.yaml``).
    parent_run_id : str, optional
        Make the MLflow run a child of this run (sweeps, reproduction).
    tracker : framing.tracking.Tracker, optional
        Reuse an open tracker; default one from ``cfg.tracking``.
    overrides : sequence of str
        What sets this run apart from the others of its sweep (``model.C=0.3``):
        appended to its name (:func:`framing.sweep.run_name`).
    command : str, optional
        The command line, written into the run's description.

    Returns
    -------
    RunResult

    Raises
    ------
    Exception
        Whatever failed; once the MLflow run exists it is marked FAILED with
        the traceback as ``error/traceback.txt`` before the error propagates.
    """
    register_resolvers()
    started = time.perf_counter()
    tracking = cfg.tracking.get("enabled", True) and cfg.tracking.uri
    if tracking and tracker is None:
        from framing.tracking import check_store

        check_store(cfg.tracking.uri)  # an unreachable server fails now, not after the corpus is read
    try:
        prepared = prepare(cfg, started)
    except BaseException as exc:
        if tracking and parent_run_id:  # a sweep job: a FAILED child says which job and why
            from framing.tracking import Tracker

            try:
                tracker = tracker or Tracker(cfg.tracking.uri, cfg.tracking.experiment_name)
                run_log = _start_run(cfg, tracker, None, {}, parent_run_id, overrides, command)
                run_log.log_exception(exc)
                run_log.end("FAILED")
            except Exception as logging_error:  # the job's own error is the one to report
                log.warning("the failed job could not be logged to MLflow: %s", logging_error)
        raise
    task, features = prepared.task, prepared.features
    run_log = None
    if tracking:
        from framing.tracking import Tracker

        tracker = tracker or Tracker(cfg.tracking.uri, cfg.tracking.experiment_name)
        run_log = _start_run(cfg, tracker, task, features, parent_run_id, overrides, command)
    try:
        if run_log is not None:
            try:
                run_log.log_datasets(dataset_inputs(cfg, prepared))
            except Exception as exc:  # the UI's Dataset column is a convenience: never fail a run on it
                log.warning("the corpus splits were not logged as MLflow dataset inputs: %s: %s",
                            type(exc).__name__, exc)
        outcome = compute(cfg, prepared)
        result = RunResult(outcome.metrics, None, outcome.main_metric, None, outcome.scores, task=task.name)
        if run_log is not None:
            from framing.run_artifacts import log_run_artifacts

            run_log.set_tags({"data_sha256": outcome.corpus.sha256(), "corpus": outcome.corpus.name,
                              "task_kind": task.kind, "main_metric": outcome.main_metric})
            run_log.log_metrics(outcome.metrics, first=outcome.main_metric)
            if outcome.main_metric:  # the MLflow UI's runs table sorted by this metric, shown first
                tracker.share_view(f"by-{outcome.main_metric}", outcome.main_metric)
            result.model_uri = log_run_artifacts(cfg, run_log, outcome)
            result.run_id = run_log.run_id
    except BaseException as exc:
        if run_log is not None:
            run_log.log_exception(exc)
            run_log.end("FAILED")
        raise
    if run_log is not None:
        run_log.end("FINISHED")
        result.tracking_uri = tracker.uri
    return result


def _start_run(cfg, tracker, task: Task | None, features, parent_run_id, overrides, command):
    """Open the MLflow run: name, tags, description, params and ``config.yaml``."""
    from framing.sweep import description, run_name
    from framing.tracking import flatten, git_state, scheduler_state

    if task is None:  # prepare() failed: name the job as a finished run would be, when the task can be built
        try:
            task = make_task(cfg.task)
        except Exception:
            pass
    task_name = task.name if task is not None else str(cfg.task.get("_target_", "?")).rsplit(".", 1)[-1]
    git = git_state()
    tags = {"dataset": cfg.dataset.name, "task": task_name, "model": _model_name(cfg),
            "features": ",".join(features or to_python(cfg.features) or {}), **git, **scheduler_state(),
            "mlflow.source.name": "framing-experiment", "mlflow.source.type": "LOCAL",
            "mlflow.note.content": description(cfg, overrides, command)}
    if git["git_commit"] != "unknown":
        tags["mlflow.source.git.commit"] = git["git_commit"]
    try:  # the UI's "Created by" (MlflowClient, unlike mlflow.start_run, does not set it)
        import getpass

        tags["mlflow.user"] = getpass.getuser()
    except (KeyError, OSError):
        pass
    if overrides:
        tags["overrides"] = " ".join(overrides)
    short = f"{cfg.dataset.name}-{task_name}-{_model_name(cfg)}"
    run_log = tracker.start_run(run_name(cfg.get("run_name") or short, overrides), tags=tags,
                                parent_run_id=parent_run_id)
    resolved = OmegaConf.to_container(cfg, resolve=True)
    resolved.pop("hydra", None)
    run_log.log_params(flatten(resolved))
    run_log.log_text(OmegaConf.to_yaml(resolved), "config.yaml")
    return run_log


def dataset_inputs(cfg, prepared: Prepared) -> list[dict[str, Any]]:
    """The splits a run reads, as MLflow dataset inputs (:meth:`framing.tracking.runs.RunLog.log_datasets`).

    Each split's task rows (text columns and the gold label as text) under
    the name ``<corpus>-<split>``, with the split as context and the corpus
    folder (or file) as source; MLflow computes the digest from the rows.
    """
    spec = cfg.dataset.get("reader") or {}
    paths = spec.get("paths") if isinstance(spec.get("paths"), Mapping) else {}
    root = spec.get("root")
    out = []
    for split, ex in {cfg.dataset.splits.train: prepared.train, **prepared.evaluation,
                      **prepared.predict_only}.items():
        frame = ex.X.copy()
        # integer columns as doubles, as in the model's signature (MLflow hints that ints cannot hold NaN)
        frame = frame.astype({c: "float64" for c in frame.select_dtypes("integer").columns})
        targets = None
        if ex.y is not None and ex.labelled:
            y = np.asarray(ex.y)
            frame["label"] = [",".join(map(str, np.flatnonzero(r))) if y.ndim == 2 else str(r) for r in y]
            targets = "label"
        source = paths.get(split) if paths else root
        out.append({"frame": frame, "name": f"{prepared.corpus.name}-{split}", "context": split,
                    "source": str(user_path(source)) if source else prepared.corpus.name, "targets": targets})
    return out


class ExperimentInputError(UserError, ValueError):
    """The config or the corpus cannot make this experiment (a bad seed, a train split without two classes)."""


def _checked_seed(value) -> int:
    # bool is an int in Python, and "7" from the command line is a str: accept integers only
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ExperimentInputError(f"seed must be a whole number >= 0, got {value!r} (e.g. seed=42)")
    return value


def _check_train(train: Examples, task: Task, corpus: Corpus, split: str) -> None:
    """Refuse, in the field's terms, training data no classifier can learn from."""
    if len(train) == 0:
        raise ExperimentInputError(f"the {split!r} split of {corpus.name} gives task={task.name} no training examples")
    if task.kind in ("binary", "multiclass") and train.y is not None and np.asarray(train.y).ndim == 1:
        classes = sorted({str(c) for c in train.y})
        if len(classes) < 2:
            raise ExperimentInputError(
                f"the {split!r} split of {corpus.name} has one class only ({classes}): task={task.name} "
                "needs examples of at least two"
            )


def _model_name(cfg) -> str:
    return str(cfg.model["_target_"]).rsplit(".", 1)[-1]


def compute(cfg, prepared: Prepared) -> Outcome:
    """Fit, predict and score what :func:`prepare` read; no logging.

    Parameters
    ----------
    cfg : DictConfig
    prepared : Prepared

    Returns
    -------
    Outcome
    """
    task, pipeline, seed, corpus = prepared.task, prepared.pipeline, prepared.seed, prepared.corpus
    train, evaluation, predict_only = prepared.train, prepared.evaluation, prepared.predict_only
    started, loaded = prepared.started, prepared.loaded
    tracemalloc_started = prepared.tracing

    warm_annotations(pipeline, [train.X] + [e.X for e in (*evaluation.values(), *predict_only.values())])
    annotated = time.perf_counter()

    metrics: dict[str, float] = {
        "n_train": float(len(train)),
        "time_load_s": loaded - started,
        "time_annotate_s": annotated - loaded,
    }
    scores: dict[str, Scores] = {}
    outputs: dict[str, tuple[Examples, np.ndarray, np.ndarray | None]] = {}

    if task.evaluation == "cv":
        fold_metrics, oof_pred, oof_score = _cross_validate(cfg, task, pipeline, train, seed)
        summary = summarize_folds(fold_metrics)
        metrics.update({f"cv_{k}": v for k, v in summary.items()})
        scores["cv"] = task.score(train, oof_pred, oof_score, None)
        outputs["cv"] = (train, oof_pred, oof_score)
        pipeline.fit(train.X, train.y)  # the logged model is fitted on all the data
    else:
        pipeline.fit(train.X, train.y)
    fitted = time.perf_counter()
    classes = _classes(pipeline)

    for split, ex in {**evaluation, **predict_only}.items():
        y_pred, y_score = predict_with_scores(pipeline, ex.X)
        y_pred = task.decode(ex, y_pred, y_score, classes)
        outputs[split] = (ex, y_pred, y_score)
        if ex.labelled:
            scores[split] = _with_label_source(task.score(ex, y_pred, y_score, classes), ex)
            metrics.update({f"{split}_{k}": v for k, v in scores[split].metrics.items()})
            metrics[f"n_{split}"] = float(len(ex))
    metrics["time_fit_s"] = fitted - annotated
    statistics = _intervals(cfg, task, scores, outputs, classes, seed, metrics)
    metrics["time_total_s"] = time.perf_counter() - started
    if tracemalloc_started:
        metrics["peak_traced_memory_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    metrics["peak_rss_mb"] = _peak_rss_mb()

    main_split = "cv" if task.evaluation == "cv" else next(iter(scores), None)
    main_metric = f"{main_split}_{task.main_metric}" if main_split else ""
    return Outcome(task, corpus, train, pipeline, classes, outputs, scores, metrics, main_metric, statistics)


#: What the summary and the run's notes say about where SLC gold comes from.
_LABEL_SOURCES = {
    "official": "gold from the official NLP4IF-2019 SLC label files (dataset.slc_labels_dir)",
    "derived": "gold derived from the spans: a sentence is propaganda when a technique span overlaps it",
}


def _with_label_source(score: Scores, ex: Examples) -> Scores:
    source = ex.meta.get("label_source")
    if source not in _LABEL_SOURCES:
        return score
    return dataclasses.replace(score, notes=(*score.notes, _LABEL_SOURCES[source]))


def _intervals(cfg, task: Task, scores, outputs, classes, seed: int, metrics: dict[str, float]) -> dict:
    """Bootstrap intervals over articles of every scored split, added to ``metrics``; the per-article statistics.

    ``<split>_<metric>_ci_low`` / ``_ci_high`` for dev and test. Under
    cross-validation ``cv_<metric>`` is the mean over folds, so the interval is
    of the pooled out-of-fold predictions, logged with their score as
    ``cv_pooled_<metric>`` and ``cv_pooled_<metric>_ci_low`` / ``_ci_high``.
    ``bootstrap.resamples=0`` turns this off.
    """
    boot = cfg.get("bootstrap") or {}
    resamples = int(boot.get("resamples", N_RESAMPLES))
    out: dict = {}
    if resamples <= 0:
        return out
    for split, score in scores.items():
        ex, y_pred, y_score = outputs[split]
        try:
            stats = article_statistics(task, ex, y_pred, y_score, None if split == "cv" else classes)
        except ValueError as exc:  # a metric that cannot be decomposed over articles: no interval
            log.warning("no bootstrap interval for %s: %s", split, exc)
            continue
        intervals = bootstrap_intervals(stats, resamples, float(boot.get("confidence", 0.95)), seed)
        if split == "cv":
            metrics.update({f"cv_pooled_{k}": v for k, v in score.metrics.items()})
            metrics.update(interval_metrics(intervals, "cv_pooled_"))
        else:
            metrics.update(interval_metrics(intervals, f"{split}_"))
        out[split] = stats
    return out


def _classes(pipeline) -> np.ndarray | None:
    clf = pipeline[-1]
    return getattr(clf, "classes_", None)


def _cross_validate(cfg, task: Task, pipeline, train: Examples, seed: int):
    from sklearn.base import clone

    splitter = task.cv_splitter(int(cfg.cv.folds), seed)
    y_strat = train.y if train.y.ndim == 1 else task.stratification_labels(train.y)
    fold_metrics = []
    oof_pred = np.empty_like(train.y)
    oof_score = None
    for fold, (tr, te) in enumerate(splitter.split(train.X, y_strat, groups=train.doc_ids)):
        model = clone(pipeline).fit(train.X.iloc[tr], train.y[tr])
        part = train.subset(te)
        y_pred, y_score = predict_with_scores(model, part.X)
        y_pred = task.decode(part, y_pred, y_score, _classes(model))
        fold_metrics.append(task.score(part, y_pred, y_score, _classes(model)).metrics)
        oof_pred[te] = y_pred
        if y_score is not None:
            if oof_score is None:
                oof_score = np.zeros((len(train),) + y_score.shape[1:], dtype=float)
            oof_score[te] = y_score
        log.info("fold %d: %s", fold, fold_metrics[-1].get(task.main_metric))
    return fold_metrics, oof_pred, oof_score


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --------------------------------------------------------------------------- Hydra entry point


def summary_text(cfg, result: RunResult) -> str:
    """One screen after a run: main metrics, run id, and how to open the UI."""
    from framing.tracking import ui_command

    lines = [f"framing-experiment: dataset={cfg.dataset.name} task={result.task} model={_model_name(cfg)}"]
    metrics = result.metrics
    shown = [k for k in metrics if not k.startswith(("time_", "n_", "peak_", "cv_pooled_"))
             and not k.endswith(("_std", "_ci_low", "_ci_high"))]
    width = max((len(k) for k in shown), default=10)
    pooled = False
    for key in shown:
        sd = metrics.get(f"{key}_std")
        # a cross-validated score is a mean over folds; its interval is of the pooled out-of-fold predictions
        ci_key = f"cv_pooled_{key[3:]}" if key.startswith("cv_") else key
        low, high = metrics.get(f"{ci_key}_ci_low"), metrics.get(f"{ci_key}_ci_high")
        pooled |= low is not None and ci_key != key
        star = " *" if key == result.main_metric else ""
        lines.append(f"  {key:<{width}}  {metrics[key]:.4f}" + (f" ± {sd:.4f}" if sd is not None else "")
                     + (f"  [{low:.4f}, {high:.4f}]" if low is not None else "") + star)
    if result.main_metric in shown:
        lines.append(f"  *: the main metric, the task's headline score "
                     f"({console_script('framing')} compare --sort {result.main_metric} ranks runs by it)")
    if any(k.endswith("_ci_low") for k in metrics):
        level = int(round(100 * float((cfg.get("bootstrap") or {}).get("confidence", 0.95))))
        lines.append(f"  [..]: {level}% bootstrap interval over articles"
                     + (" (of the pooled out-of-fold predictions; ± is the sd over folds)" if pooled else ""))
    for split, score in result.scores.items():
        lines.extend(f"  note ({split}): {note}" for note in score.notes)
    lines.append(
        f"  time: {result.metrics.get('time_total_s', 0):.1f} s in the run, start-up not counted "
        f"(annotate {result.metrics.get('time_annotate_s', 0):.1f} s, fit {result.metrics.get('time_fit_s', 0):.1f} s), "
        f"peak RSS {result.metrics.get('peak_rss_mb', 0):.0f} MB"
    )
    if result.run_id:
        lines.append(f"  MLflow run: {result.run_id}  (experiment {cfg.tracking.experiment_name!r})")
        lines.append(f"  open the UI: {ui_command(result.tracking_uri or cfg.tracking.uri)}")
    return "\n".join(lines)


def _is_multirun() -> bool:
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    try:
        return HydraConfig.get().mode == RunMode.MULTIRUN
    except ValueError:
        return False


# Errors of the user's input or environment (missing corpus, malformed label file, missing NLTK
# resource or lexicon, unreachable tracking server, a ??? config value left unset): a single run
# reports them in one line and exits with status 2.
USER_ERRORS: tuple[type[BaseException], ...] = (*_USER_ERRORS, MissingMandatoryValue, InterpolationToMissingValueError)


def hydra_entry(cfg: DictConfig) -> float | None:
    """Body of the Hydra app: run, print the summary, return the main metric.

    In a sweep, a failed job is reported (and is FAILED in MLflow) but does
    not stop the sweep; :class:`SweepCallback` reports it at the end.
    """
    from framing.sweep import command_line, job_overrides, parent_run_id

    multirun = _is_multirun()
    try:
        with corpus_warnings_as_lines():  # also here: a launcher may run the job in another process
            result = run(cfg, parent_run_id=parent_run_id() if multirun else None,
                         overrides=job_overrides() if multirun else (), command=command_line())
    except Exception as exc:
        if not multirun:
            if isinstance(exc, USER_ERRORS):
                # Bad input, not a bug: one clear line instead of a traceback (and no MLflow run: prepare()
                # checks the config and the corpus before a run is opened).
                raise SystemExit(report("framing-experiment", exc)) from None
            raise
        log.error("job failed: %s: %s (marked FAILED in MLflow; the sweep goes on)", type(exc).__name__, exc)
        return None
    print(summary_text(cfg, result), flush=True)
    return result.metrics.get(result.main_metric)


#: Corpus warnings this process has shown (:func:`corpus_warnings_as_lines`).
_SHOWN_CORPUS_WARNINGS: set[str] = set()


@contextmanager
def corpus_warnings_as_lines():
    """Within the block, print the corpus readers' warnings as ``warning: ...`` lines, each once.

    The readers' warnings name file and line themselves; Python's default
    display would add the reader's source line. A corpus warning is shown
    once per process (Python would show it again after any change of the
    warning filters, e.g. for every seed of ``framing reproduce``) and once
    per sweep (:func:`framing.sweep.once_per_sweep`, across the jobs'
    processes). Other warnings are shown as before, and the previous display
    is restored on exit (command lines wrap their whole run in this; a
    library caller is never affected).
    """
    from framing.sweep import once_per_sweep

    default = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if issubclass(category, CorpusWarning):
            text = str(message)
            if text in _SHOWN_CORPUS_WARNINGS or not once_per_sweep(text):
                return
            _SHOWN_CORPUS_WARNINGS.add(text)
            print(f"warning: {text}", file=sys.stderr if file is None else file)
        else:
            default(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = default


def main() -> None:
    """Console script ``framing-experiment``."""
    import hydra

    from framing.config import CONFIG_DIR

    register_resolvers()
    app = hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")(hydra_entry)
    with corpus_warnings_as_lines():
        app()


if __name__ == "__main__":
    main()
