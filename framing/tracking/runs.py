"""MLflow runs: one :class:`Tracker` owns the client and the experiment; each run is a :class:`RunLog`.

Nothing here relies on MLflow's global active-run state, except the short
scope :meth:`RunLog.log_model` needs for ``mlflow.sklearn.log_model``.
:func:`search_runs` lists runs as flat rows (``framing compare``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mlflow
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

from framing.errors import UserError
from framing.resources import PROJECT_ROOT
from framing.tracking import (
    check_store,
    default_tracking_uri,
    local_artifact_location,
)
from framing.tracking.params import MAX_TAG_VALUE, fit_params, same_value, truncated


def flatten(cfg: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"model.C": "1.0", "features.tfidf_words.ngram_range": "[1, 2]"}`` from a nested mapping.

    Values are whole; :meth:`RunLog.log_params` fits them to MLflow's limits.
    """
    out: dict[str, str] = {}
    for key, value in cfg.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = json.dumps(value) if isinstance(value, (list, tuple, Mapping)) else str(value)
    return out


def git_state(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """``git_commit`` and ``git_dirty`` of the project checkout ("unknown" outside git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
        return {"git_commit": commit, "git_dirty": str(bool(status)).lower()}
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": "unknown", "git_dirty": "unknown"}


def scheduler_state(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Tags naming the batch-scheduler job a run ran in (empty outside SLURM).

    ``slurm_job_id`` is the job id SLURM shows (``<array job>_<task>`` for a
    job of an array, as ``squeue``/``sacct`` print it), ``slurm_partition``
    and ``slurm_node`` where it ran, and ``slurm_restart_count`` how often the
    job was requeued (pre-emption, node failure): a requeued job starts a new
    MLflow run, and these tags tell the runs of one job apart.

    Parameters
    ----------
    environ : mapping of str to str, optional
        The environment to read (default: ``os.environ``), as SLURM sets it in a job.
    """
    env = os.environ if environ is None else environ
    if "SLURM_JOB_ID" not in env:
        return {}
    array, task = env.get("SLURM_ARRAY_JOB_ID"), env.get("SLURM_ARRAY_TASK_ID")
    tags = {"slurm_job_id": f"{array}_{task}" if array and task else env["SLURM_JOB_ID"]}
    for tag, var in (("slurm_partition", "SLURM_JOB_PARTITION"), ("slurm_node", "SLURMD_NODENAME"),
                     ("slurm_restart_count", "SLURM_RESTART_COUNT")):
        if env.get(var):
            tags[tag] = env[var]
    return tags


def model_requirements(model) -> list[str]:
    """Pinned packages a logged pipeline needs to be unpickled and run.

    The pipeline's classes come from scikit-learn and this package (which
    reads NLTK data at prediction time); ``framing`` itself is installed from
    its checkout, so it is named without a version pin.
    """
    from importlib.metadata import PackageNotFoundError, version

    packages = ["scikit-learn", "numpy", "scipy", "pandas", "nltk", "cloudpickle"]
    if type(model[-1]).__module__.startswith("framing.crf"):
        packages.append("sklearn-crfsuite")
    from framing.features.embeddings import encoder_cards

    if encoder_cards(model):  # the optional extra `embeddings`
        packages += ["sentence-transformers", "torch"]
    pins = []
    for package in packages:
        try:
            pins.append(f"{package}=={version(package).split('+')[0]}")  # no local label (+cpu)
        except PackageNotFoundError:
            pins.append(package)
    return pins


#: The experiment's description in the MLflow UI (``mlflow.note.content``), set when none is there.
EXPERIMENT_NOTE = """Runs of the framing toolkit (propaganda and framing detection).

- One run = one dataset x task x features x model (`framing-experiment`); its description holds the
  command line and the overrides, its **Dataset** column the corpus splits it read (context = split).
- A sweep (`framing-experiment -m ...`) is a parent run `sweep-...` with one child per job, named by the
  job's overrides (`demo-slc-LogisticRegression model.C=0.3`).
- The tag `main_metric` names each run's headline metric (e.g. `dev_f1`); it is the first metric logged.
- From a terminal: `framing compare --sweep <parent run id>` or `framing compare --sort dev_f1`.
"""

#: The experiment's kind for the MLflow UI (tag ``mlflow.experimentKind``): opens on the runs table.
EXPERIMENT_KIND = "custom_model_development"


class Tracker:
    """An MLflow experiment to log runs into.

    Parameters
    ----------
    uri : str, optional
        Tracking URI; default :func:`default_tracking_uri`.
    experiment_name : str
        Created when missing (local SQLite: with artifacts in ``mlartifacts/``
        beside the database).
    artifact_location : str, optional
        Artifact root for a new experiment; default as above.
    """

    def __init__(self, uri: str | None = None, experiment_name: str = "framing", artifact_location: str | None = None):
        self.uri = uri or default_tracking_uri()
        check_store(self.uri)
        self.client = MlflowClient(tracking_uri=self.uri)
        self.experiment_name = experiment_name
        experiment = self._retry(self.client.get_experiment_by_name, experiment_name)
        if experiment is None:
            location = artifact_location or local_artifact_location(self.uri)
            try:
                self.experiment_id = self._retry(self.client.create_experiment, experiment_name, location)
            except mlflow.exceptions.MlflowException:
                # another job of a parallel sweep created it first
                self.experiment_id = self.client.get_experiment_by_name(experiment_name).experiment_id
        else:
            self.experiment_id = experiment.experiment_id
        # the UI's description, and its "model training" views (runs table) rather than the GenAI ones
        known = experiment.tags if experiment is not None else {}
        for key, value in (("mlflow.note.content", EXPERIMENT_NOTE), ("mlflow.experimentKind", EXPERIMENT_KIND)):
            if key not in known:
                self._retry(self.client.set_experiment_tag, self.experiment_id, key, value)

    @staticmethod
    def _retry(fn, *args, attempts: int = 8, **kwargs):
        """Call ``fn``, retrying SQLite's transient "database is locked" errors."""
        for attempt in range(attempts):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # sqlalchemy OperationalError arrives wrapped in MlflowException
                if "locked" not in str(exc).lower() or attempt == attempts - 1:
                    raise
                time.sleep(0.2 * 2**attempt)

    def start_run(self, run_name: str, tags: Mapping[str, str] | None = None, parent_run_id: str | None = None) -> RunLog:
        """Create a run (a child of ``parent_run_id`` when given)."""
        tags = dict(tags or {})
        if parent_run_id:
            tags["mlflow.parentRunId"] = parent_run_id
        run = self._retry(self.client.create_run, self.experiment_id, run_name=run_name, tags=tags)
        return RunLog(self, run.info.run_id)

    def share_view(self, key: str, metric: str | None, columns: Iterable[str] = (), search_filter: str = "") -> str:
        """Save a view of the runs table for the MLflow UI; return its URL fragment.

        The MLflow UI (3.x) opens a view stored in the experiment tag
        ``mlflow.sharedViewState.<key>`` from
        ``#/experiments/<id>/runs?viewStateShareKey=<key>``: here the runs
        sorted by ``metric`` (best first), with the metric, ``columns``
        (``params.model.C``, ``tags.features``), the Dataset, Source and
        Models columns shown (a run's description is on its page).

        Parameters
        ----------
        key : str
            The view's name (letters, digits, ``-`` and ``_``).
        metric : str or None
            The metric to sort by and show first.
        columns : iterable of str
            More columns, as ``params.<key>`` or ``tags.<key>``.
        search_filter : str
            MLflow search syntax, e.g. ``tags.mlflow.parentRunId = '<id>'``.
        """
        def column(kind: str, name: str) -> str:
            return f"{kind}.`{name}`"

        selected = [column("metrics", metric)] if metric else []
        selected += [column(*c.split(".", 1)) for c in columns]
        selected += [column("attributes", a) for a in ("Dataset", "Source", "Models")]
        state = {"searchFilter": search_filter, "orderByAsc": False, "selectedColumns": selected}
        if metric:
            state["orderByKey"] = column("metrics", metric)
        self._retry(self.client.set_experiment_tag, self.experiment_id, f"mlflow.sharedViewState.{key}",
                    json.dumps(state))
        return f"#/experiments/{self.experiment_id}/runs?viewStateShareKey={key}"

    def get_run(self, run_id: str):
        return self.client.get_run(run_id)

    def child_runs(self, parent_run_id: str) -> list:
        """Runs whose ``mlflow.parentRunId`` is ``parent_run_id``."""
        return self.client.search_runs(
            [self.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent_run_id}'", max_results=5000
        )


class RunLog:
    """Logging into one MLflow run; every call batches and retries lock errors."""

    def __init__(self, tracker: Tracker, run_id: str) -> None:
        self.tracker = tracker
        self.client = tracker.client
        self.run_id = run_id

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Log params within MLflow's limits (:func:`framing.tracking.params.fit_params`).

        A value over 6,000 characters is cut with a visible marker and its key
        listed in the tag ``params_truncated``; a key over 250 characters is
        shortened to a prefix and a hash, with a warning, and the tag
        ``params_shortened`` maps each short key to the whole one (JSON). The
        full values stay in the run's ``config.yaml``.
        """
        fitted, cut, shortened = fit_params(params)
        for short, key in shortened.items():
            warnings.warn(f"param key longer than MLflow's 250 characters, logged as {short!r}: {key!r}",
                          UserWarning, stacklevel=2)
        items = [Param(k, v) for k, v in fitted.items()]
        for i in range(0, len(items), 100):
            self.tracker._retry(self.client.log_batch, self.run_id, params=items[i : i + 100])
        notes = {}
        if cut:
            notes["params_truncated"] = ",".join(cut)
        if shortened:
            notes["params_shortened"] = json.dumps(shortened)
        if notes:
            self.set_tags(notes)

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        """Set tags; a value over MLflow's 8,000 characters is cut with a visible marker."""
        items = [RunTag(k, truncated(str(v), MAX_TAG_VALUE, "the run's artifacts")) for k, v in tags.items()]
        for i in range(0, len(items), 100):
            self.tracker._retry(self.client.log_batch, self.run_id, tags=items[i : i + 100])

    def set_description(self, text: str) -> None:
        """The run's description in the MLflow UI (tag ``mlflow.note.content``, Markdown)."""
        self.set_tags({"mlflow.note.content": text})

    def log_datasets(self, datasets: Iterable[Mapping[str, Any]]) -> None:
        """Log data the run read as MLflow dataset inputs (the UI's Dataset column).

        Parameters
        ----------
        datasets : iterable of mapping
            Each with ``frame`` (DataFrame of the rows, e.g. text columns and
            a ``label`` column), ``name``, ``source`` (the corpus folder or
            file), ``context`` (the split: ``train``, ``dev``, ``test``) and
            optionally ``targets`` (name of the label column). MLflow computes
            the digest and row count from ``frame``.
        """
        import mlflow.data
        from mlflow.entities import DatasetInput, InputTag
        from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

        inputs = []
        for item in datasets:
            with warnings.catch_warnings():
                # a folder matches several of MLflow's local source types (all the same class); the
                # digest code calls a pandas method whose signature pandas will change
                warnings.filterwarnings("ignore", message="The specified dataset source can be interpreted")
                warnings.filterwarnings("ignore", module=r"mlflow\.data")
                dataset = mlflow.data.from_pandas(item["frame"], source=str(item["source"]), name=item["name"],
                                                  targets=item.get("targets"))
                entity = dataset._to_mlflow_entity()
            inputs.append(DatasetInput(entity, tags=[InputTag(MLFLOW_DATASET_CONTEXT, str(item["context"]))]))
        if inputs:
            self.tracker._retry(self.client.log_inputs, self.run_id, datasets=inputs)

    def log_metrics(self, metrics: Mapping[str, float], step: int = 0, first: str | None = None) -> None:
        """Log metrics in batches; ``first`` (the main metric) is logged alone before the others.

        The MLflow UI orders metric columns and picks the compare page's
        default plot by the order metrics arrive in.
        """
        if first is not None and metrics.get(first) is not None:
            self.log_metrics({first: metrics[first]}, step)
            metrics = {k: v for k, v in metrics.items() if k != first}
        now = int(time.time() * 1000)
        items = [Metric(k, float(v), now, step) for k, v in metrics.items() if v is not None]
        for i in range(0, len(items), 1000):
            self.tracker._retry(self.client.log_batch, self.run_id, metrics=items[i : i + 1000])

    def log_text(self, text: str, artifact_file: str) -> None:
        self.tracker._retry(self.client.log_text, self.run_id, text, artifact_file)

    def log_dict(self, data: Any, artifact_file: str) -> None:
        self.tracker._retry(self.client.log_dict, self.run_id, data, artifact_file)

    def log_table(self, rows: Iterable[Mapping[str, Any]] | Any, artifact_file: str) -> None:
        """A table artifact (``.json``, shown by the MLflow UI) from rows or a DataFrame."""
        import pandas as pd

        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
        self.tracker._retry(self.client.log_table, self.run_id, data=frame, artifact_file=artifact_file)

    def log_figure(self, figure, artifact_file: str) -> None:
        import matplotlib.pyplot as plt

        try:
            self.tracker._retry(self.client.log_figure, self.run_id, figure, artifact_file)
        finally:
            plt.close(figure)

    def log_artifact(self, local_path: str | Path, artifact_path: str | None = None) -> None:
        self.tracker._retry(self.client.log_artifact, self.run_id, str(local_path), artifact_path)

    def log_model(
        self,
        model,
        input_example,
        name: str = "model",
        registered_model_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        optional_columns: Iterable[str] = (),
    ) -> str:
        """Log a fitted scikit-learn pipeline with its signature; return its model URI.

        The signature is inferred from ``input_example`` (a DataFrame of raw
        texts) and the pipeline's predictions on it; ``optional_columns`` are
        declared not required, so ``mlflow.pyfunc`` accepts input without them
        (the pipeline fills them in). ``metadata`` (JSON-like) is stored in the
        model's ``MLmodel`` file, so it travels with the model.
        """
        import mlflow.sklearn
        from mlflow.models import ModelSignature, infer_signature
        from mlflow.types import ColSpec, Schema

        # Integer columns (the span's `repeats`) are declared as doubles: MLflow warns that an
        # integer column cannot hold missing values, and a double accepts integers at serving time.
        integer_columns = input_example.select_dtypes("integer").columns
        input_example = input_example.astype({c: "float64" for c in integer_columns})
        signature = infer_signature(input_example, model.predict(input_example))
        optional = set(optional_columns)
        if optional:
            inputs = Schema([ColSpec(c.type, c.name, required=c.name not in optional) for c in signature.inputs.inputs])
            signature = ModelSignature(inputs, signature.outputs, signature.params)
        mlflow.set_tracking_uri(self.tracker.uri)
        # Stating the requirements spares MLflow its slow inference subprocess.
        with mlflow.start_run(run_id=self.run_id, nested=mlflow.active_run() is not None), _own_pickle():
            info = mlflow.sklearn.log_model(
                model,
                name=name,
                signature=signature,
                input_example=input_example,
                registered_model_name=registered_model_name,
                serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
                metadata=dict(metadata) if metadata else None,
                pip_requirements=model_requirements(model),
            )
        return info.model_uri

    def log_exception(self, exc: BaseException) -> None:
        """Store the traceback as ``error/traceback.txt`` and the message as a tag."""
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        try:
            self.log_text(text, "error/traceback.txt")
            self.set_tags({"error": f"{type(exc).__name__}: {exc}"[:5000]})
        except Exception:  # the run must still be marked FAILED below
            pass

    def end(self, status: str = "FINISHED") -> None:
        """Terminate the run: ``FINISHED``, ``FAILED`` or ``KILLED``."""
        self.tracker._retry(self.client.set_terminated, self.run_id, status)

    @contextmanager
    def temporary_dir(self):
        """A scratch folder whose files are logged as artifacts on exit."""
        with tempfile.TemporaryDirectory(prefix="framing-") as tmp:
            yield Path(tmp)
            self.log_artifact_dir(Path(tmp))

    def log_artifact_dir(self, folder: Path, artifact_path: str | None = None) -> None:
        self.tracker._retry(self.client.log_artifacts, self.run_id, str(folder), artifact_path)


class _OwnPickleFilter(logging.Filter):
    """Drops MLflow's advice against pickled scikit-learn models (and nothing else)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Saving scikit-learn models in the pickle or cloudpickle format")


@contextmanager
def _own_pickle():
    """Within the block, MLflow does not warn that pickles can execute code when loaded.

    The warning is meant for models of unknown origin; here the toolkit
    pickles its own pipeline, and ``framing analyze`` loads only models the
    user points it to (README, "The model store"). Other MLflow messages pass.
    """
    logger = logging.getLogger("mlflow.sklearn")
    own = _OwnPickleFilter()
    logger.addFilter(own)
    try:
        yield
    finally:
        logger.removeFilter(own)


class FilterSyntaxError(UserError, ValueError):
    """A run filter MLflow's search cannot parse; the message shows the syntax it accepts."""

    def __init__(self, filter_string: str, reason: str) -> None:
        reason = " ".join(str(reason).split())
        super().__init__(
            f"--filter {filter_string!r}: {reason.rstrip('.')}. MLflow's syntax: metrics.dev_f1 > 0.5, "
            "params.`model.C` = '1.0', tags.dataset = 'ptc2019', attributes.status = 'FINISHED', "
            "joined with AND; params and tags are strings (quote the value; =, !=, LIKE, ILIKE only): "
            "to match a param by value use --param model.C=1"
        )


def search_runs(
    uri: str | None = None,
    experiments: list[str] | None = None,
    filter_string: str = "",
    order_by: str | None = None,
    max_results: int = 1000,
    include_parents: bool = False,
    params: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Runs as flat rows: ``run_id``, ``run_name``, ``status``, ``experiment``,
    ``start_time``, ``metrics.<name>``, ``params.<name>``, ``tags.<name>``.

    Parameters
    ----------
    uri : str, optional
        Tracking URI (default :func:`default_tracking_uri`).
    experiments : list of str, optional
        Experiment names (default: all).
    filter_string : str
        MLflow search syntax, e.g. ``"tags.dataset = 'ptc2019' and metrics.dev_f1 > 0.5"``.
    order_by : str, optional
        A metric name to sort by, descending.
    include_parents : bool
        Keep sweep parent runs (they have no metrics of their own).
    params : mapping of str to str, optional
        Keep runs whose param equals the value as a value
        (:func:`framing.tracking.params.same_value`: ``1`` matches a logged
        ``1.0``, ``[1,2]`` a logged ``[1, 2]``), which MLflow's string
        comparison cannot do.

    Raises
    ------
    ValueError
        If a named experiment does not exist.
    FilterSyntaxError
        If MLflow cannot parse ``filter_string`` (the message shows the accepted syntax).
    """
    uri = uri or default_tracking_uri()
    check_store(uri, must_exist=True)
    client = MlflowClient(tracking_uri=uri)
    if experiments:
        found = []
        for name in experiments:
            exp = client.get_experiment_by_name(name)
            if exp is None:
                known = sorted(e.name for e in client.search_experiments())
                raise ValueError(f"no MLflow experiment named {name!r}; known: {known}")
            found.append(exp)
    else:
        found = client.search_experiments()
    names = {e.experiment_id: e.name for e in found}
    # Page through the runs so that hiding sweep parents still leaves max_results rows.
    runs, page_token = [], None
    wanted = dict(params or {})
    while len(runs) < max_results:
        try:
            page = client.search_runs(
                list(names),
                filter_string=filter_string,
                order_by=[f"metrics.`{order_by}` DESC"] if order_by else None,
                max_results=min(1000, max_results),
                page_token=page_token,
            )
        except mlflow.exceptions.MlflowException as exc:
            if exc.error_code != "INVALID_PARAMETER_VALUE":
                raise
            raise FilterSyntaxError(filter_string, exc.message) from None
        runs += [r for r in page if (include_parents or r.data.tags.get("sweep") != "true")
                 and all(same_value(r.data.params.get(k), v) for k, v in wanted.items())]
        page_token = page.token
        if not page_token:
            break
    rows = []
    for r in runs[:max_results]:
        row: dict[str, Any] = {
            "run_id": r.info.run_id,
            "run_name": r.info.run_name,
            "status": r.info.status,
            "experiment": names.get(r.info.experiment_id, r.info.experiment_id),
            "start_time": time.strftime("%Y-%m-%d %H:%M", time.localtime(r.info.start_time / 1000)),
        }
        row.update({f"metrics.{k}": v for k, v in r.data.metrics.items()})
        row.update({f"params.{k}": v for k, v in r.data.params.items()})
        row.update({f"tags.{k}": v for k, v in r.data.tags.items()})  # mlflow.parentRunId too
        rows.append(row)
    return rows


def read_run(run_id: str, artifacts: Iterable[str] = (), uri: str | None = None) -> dict[str, Any]:
    """A logged run's tags, metrics and some of its JSON artifacts (``framing compare --paired``).

    Parameters
    ----------
    run_id : str
    artifacts : iterable of str
        Artifact paths of JSON files (``metrics/dev_article_statistics.json``).
    uri : str, optional
        Tracking URI; default :func:`default_tracking_uri`.

    Returns
    -------
    dict
        ``tags``, ``metrics`` and ``artifacts`` (path -> parsed JSON; a
        missing artifact is absent).

    Raises
    ------
    ValueError
        If no run has that id.
    """
    uri = uri or default_tracking_uri()
    check_store(uri, must_exist=True)
    client = MlflowClient(tracking_uri=uri)
    try:
        run = client.get_run(run_id)
    except mlflow.exceptions.MlflowException:
        raise ValueError(f"no MLflow run {run_id!r} in {uri} (check the id with `framing compare`)") from None
    found = {}
    quiet = {"MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false"}  # one line of output, not a bar per file
    with tempfile.TemporaryDirectory(prefix="framing-run-") as tmp, _environment(quiet):
        for path in artifacts:
            try:
                local = client.download_artifacts(run_id, path, tmp)
            except (mlflow.exceptions.MlflowException, OSError):
                continue
            found[path] = json.loads(Path(local).read_text(encoding="utf-8"))
    return {"tags": dict(run.data.tags), "metrics": dict(run.data.metrics), "artifacts": found}


@contextmanager
def _environment(values: Mapping[str, str]):
    """Environment variables set within the block, restored after it."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
