"""Hydra ``--multirun`` sweeps in MLflow: names that say what differs, a parent run, a closing table.

- :class:`SweepCallback` (a Hydra callback, ``conf/config.yaml``) opens one
  MLflow parent run per sweep, hands its id and the swept keys to the jobs,
  and at the end prints the children sorted by their main metric with the
  ``framing compare`` line that shows them again.
- :func:`job_overrides` is what sets a job apart: its overrides of the swept
  keys (``model.C=0.3``, ``features=[tfidf_words,loaded]``); :func:`run_name`
  appends them to the run's short name (``demo-slc-LogisticRegression C=0.3``).
- :func:`description` is the run's description in the MLflow UI.
- :func:`once_per_sweep` lets each corpus warning be shown once per sweep,
  also when a launcher runs the jobs in separate processes.

mlflow is reached only through :mod:`framing.tracking`.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

#: Environment variable and file (in the sweep folder) holding the swept keys as a JSON list.
SWEPT_KEYS_ENV = "FRAMING_SWEPT_KEYS"
SWEPT_KEYS_FILE = "swept_keys.json"
#: Environment variable naming the file of corpus warnings already shown in this sweep.
SHOWN_WARNINGS_ENV = "FRAMING_SWEEP_WARNINGS"
#: MLflow's limit on a run name.
MAX_RUN_NAME = 250


def swept_keys(overrides: Sequence[str], sweeper_params: Any = None) -> list[str]:
    """The keys a sweep varies: its overrides with several values, and ``hydra.sweeper.params``.

    Parameters
    ----------
    overrides : sequence of str
        The sweep's command-line overrides (``model.C=0.1,1.0``, ``features=glob(*)``).
    sweeper_params : mapping, optional
        ``hydra.sweeper.params`` of the config.

    Returns
    -------
    list of str
        Keys or group names (``model.C``, ``features``), in command-line order.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    keys = [o.key_or_group for o in OverridesParser.create().parse_overrides(list(overrides))
            if o.is_sweep_override()]
    keys += [str(k) for k in (sweeper_params or {}) if str(k) not in keys]
    return keys


def label(override: str) -> str:
    """``model.C=0.3`` -> ``C=0.3`` (the model is in the short name); others unchanged."""
    text = override.lstrip("+~")
    return text[len("model.") :] if text.startswith("model.") else text


def job_overrides() -> list[str]:
    """This job's overrides of the swept keys (empty outside a sweep, or when none is known)."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        hydra_cfg = HydraConfig.get()
        task = list(hydra_cfg.overrides.task)
    except ValueError:
        return []
    keys = os.environ.get(SWEPT_KEYS_ENV)
    if keys is None:
        path = Path(hydra_cfg.sweep.dir) / SWEPT_KEYS_FILE
        keys = path.read_text(encoding="utf-8") if path.exists() else "null"
    wanted = json.loads(keys)
    if wanted is None:
        return []
    parsed = OverridesParser.create().parse_overrides(task)
    return [text for text, o in zip(task, parsed) if o.key_or_group in wanted]


def run_name(base: str, overrides: Sequence[str] = ()) -> str:
    """``base`` followed by the overrides that set the run apart, within MLflow's 250 characters."""
    name = " ".join([base, *(label(o) for o in overrides)])
    return name if len(name) <= MAX_RUN_NAME else name[: MAX_RUN_NAME - 1] + "…"


def command_line() -> str:
    """The command as the user typed it (``framing-experiment -m model.C=0.1,1.0``)."""
    prog = Path(sys.argv[0]).name
    prog = "framing-experiment" if prog in ("experiment.py", "__main__.py") else prog
    return " ".join([prog, *map(shlex.quote, sys.argv[1:])])


def description(cfg: DictConfig, overrides: Sequence[str] = (), command: str | None = None) -> str:
    """The run's description in the MLflow UI (Markdown): the command, the job's overrides, what was run.

    Parameters
    ----------
    cfg : DictConfig
    overrides : sequence of str
        The overrides that set this job apart in its sweep.
    command : str, optional
        The command line (None: started from Python, e.g. by ``framing reproduce``).
    """
    lines = [f"Command: `{command}`" if command else "Started from Python (`framing.experiment.run`)."]
    if overrides:
        lines.append(f"This job of the sweep: `{' '.join(overrides)}`")
    try:
        from hydra.core.hydra_config import HydraConfig

        every = list(HydraConfig.get().overrides.task)
    except ValueError:
        every = []
    if every:
        lines.append(f"All overrides: `{' '.join(every)}`")
    lines.append(f"Dataset `{cfg.dataset.name}`, task `{str(cfg.task.get('_target_')).rsplit('.', 1)[-1]}`, "
                 f"model `{str(cfg.model.get('_target_')).rsplit('.', 1)[-1]}`, features "
                 f"`{', '.join(cfg.features or {})}`. The resolved config is the artifact `config.yaml`.")
    return "\n\n".join(lines)


def parent_run_id() -> str | None:
    """The sweep's parent run id (environment, else the file in the sweep folder)."""
    from hydra.core.hydra_config import HydraConfig

    from framing.tracking import PARENT_RUN_ENV, PARENT_RUN_FILE

    if os.environ.get(PARENT_RUN_ENV):
        return os.environ[PARENT_RUN_ENV]
    try:
        path = Path(HydraConfig.get().sweep.dir) / PARENT_RUN_FILE
    except ValueError:
        return None
    return path.read_text().strip() if path.exists() else None


def once_per_sweep(message: str) -> bool:
    """True the first time ``message`` is seen in this sweep (always True outside a sweep).

    The messages shown are appended, under a file lock, to the file
    ``$FRAMING_SWEEP_WARNINGS`` that :class:`SweepCallback` names, so jobs in
    other processes (``hydra/launcher=joblib``) skip them too.
    """
    path = os.environ.get(SHOWN_WARNINGS_ENV)
    if not path:
        return True
    import fcntl

    key = " ".join(message.split())
    try:
        with open(path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            if key in fh.read().splitlines():
                return False
            fh.write(key + "\n")
            return True
    except OSError:
        return True


def summary_table(children: Sequence[Any]) -> tuple[list[dict[str, Any]], str | None]:
    """The sweep's children as rows sorted by their main metric (best first, failed runs last).

    Parameters
    ----------
    children : sequence of mlflow.entities.Run

    Returns
    -------
    rows : list of dict
        ``run_name``, ``status``, the main metric's value, ``run_id``.
    metric : str or None
        The main metric's name (None when the children name none, e.g. all failed).
    """
    names = [c.data.tags.get("main_metric") for c in children]
    metric = next((n for n in names if n), None)
    rows = []
    for c in children:
        value = c.data.metrics.get(metric) if metric else None
        rows.append({"run_name": c.info.run_name, "status": c.info.status, metric or "main metric": value,
                     "run_id": c.info.run_id})
    rows.sort(key=lambda r: (r[metric or "main metric"] is None, -(r[metric or "main metric"] or 0.0)))
    return rows, metric


try:
    from hydra.experimental.callback import Callback as _HydraCallback
except ImportError:  # pragma: no cover
    _HydraCallback = object


class SweepCallback(_HydraCallback):
    """Hydra callback: one MLflow parent run per ``--multirun`` sweep.

    ``on_multirun_start`` creates the parent run and hands its id and the
    swept keys to the jobs (environment variables and files in the sweep
    folder, so launchers that start fresh processes find them too);
    ``on_multirun_end`` logs the children's table to the parent (and the best
    child's main metric under its own name, with the tag ``best_run_id``), closes it,
    and prints the table (sorted by the main metric) with the
    ``framing compare --sweep`` line that shows it again. The process exits
    with status 1 when any job failed.
    """

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from framing.config import register_resolvers
        from framing.tracking import PARENT_RUN_ENV, PARENT_RUN_FILE

        register_resolvers()
        # what `framing compare` will use without --uri (read now: jobs may set MLFLOW_TRACKING_URI)
        self.default_uri = _default_uri()
        sweep_dir = Path(config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        overrides = list(config.hydra.overrides.task)
        keys = swept_keys(overrides, config.hydra.get("sweeper", {}).get("params"))
        (sweep_dir / SWEPT_KEYS_FILE).write_text(json.dumps(keys), encoding="utf-8")
        os.environ[SWEPT_KEYS_ENV] = json.dumps(keys)
        shown = sweep_dir / "corpus_warnings_shown.txt"
        shown.write_text("", encoding="utf-8")
        os.environ[SHOWN_WARNINGS_ENV] = str(shown.resolve())
        if not config.tracking.get("enabled", True) or not config.tracking.uri:
            return
        from framing.tracking import Tracker, git_state

        self.tracker = Tracker(config.tracking.uri, config.tracking.experiment_name)
        self.parent = self.tracker.start_run(
            f"sweep-{sweep_dir.parent.name}-{sweep_dir.name}",
            tags={"sweep": "true", "sweep_dir": str(sweep_dir.resolve()), "overrides": " ".join(overrides),
                  "swept": ",".join(keys), "mlflow.source.name": "framing-experiment",
                  "mlflow.note.content": f"Sweep: `{command_line()}`\n\nSwept: `{', '.join(keys) or '-'}`; "
                                         "one child run per job.",
                  **git_state()},
        )
        (sweep_dir / PARENT_RUN_FILE).write_text(self.parent.run_id)
        os.environ[PARENT_RUN_ENV] = self.parent.run_id

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from framing.tables import format_table
        from framing.tracking import PARENT_RUN_ENV

        for name in (SWEPT_KEYS_ENV, SHOWN_WARNINGS_ENV):
            os.environ.pop(name, None)
        parent = getattr(self, "parent", None)
        if parent is None:
            return
        os.environ.pop(PARENT_RUN_ENV, None)
        children = self.tracker.child_runs(parent.run_id)
        statuses = [c.info.status for c in children]
        failed = statuses.count("FAILED")
        rows = [
            {"run_id": c.info.run_id, "run_name": c.info.run_name, "status": c.info.status,
             **{k: v for k, v in c.data.metrics.items() if not k.startswith(("time_", "n_", "peak_"))}}
            for c in children
        ]
        if rows:
            parent.log_table(rows, "sweep_summary.json")
        table, metric = summary_table(children)
        best = table[0] if table and metric and table[0].get(metric) is not None else None
        parent.set_tags({"children": len(children), "children_finished": statuses.count("FINISHED"),
                         "children_failed": failed, **({"best_run_id": best["run_id"], "main_metric": metric}
                                                       if best else {})})
        if best:  # MLflow's convention for tuning runs: the parent shows its best child's value
            parent.log_metrics({metric: best[metric]})
        parent.end("FINISHED")
        same = config.tracking.uri == getattr(self, "default_uri", None)
        uri = "" if same else f" --uri {shlex.quote(str(config.tracking.uri))}"
        print(
            f"sweep: {len(children)} runs ({statuses.count('FINISHED')} finished, {failed} failed), "
            f"parent MLflow run {parent.run_id}" + (f", sorted by {metric}" if metric else ""),
            flush=True,
        )
        if table:
            print(format_table([{k: v for k, v in r.items() if k != "run_id"} for r in table]), flush=True)
        print(f"again: framing compare --sweep {parent.run_id}{uri}", flush=True)
        if metric:
            view = self.tracker.share_view(f"sweep-{parent.run_id[:8]}", metric, _view_columns(children),
                                           f"tags.mlflow.parentRunId = '{parent.run_id}'")
            print(f"in the MLflow UI: {ui_address(self.tracker.uri, view)}", flush=True)
        if failed:
            print(f"{failed} job(s) failed: see error/traceback.txt in their MLflow runs", file=sys.stderr)
            raise SystemExit(1)


def ui_address(uri: str, fragment: str) -> str:
    """Where a view of the MLflow UI opens: on the tracking server, or on `mlflow ui`'s default address."""
    from framing.tracking import ui_command

    if uri.startswith(("http://", "https://")):
        return f"{uri.rstrip('/')}/{fragment}"
    return f"http://127.0.0.1:5000/{fragment}  (once `{ui_command(uri)}` runs)"


def _view_columns(children: Sequence[Any]) -> list[str]:
    """Columns of the sweep's view: the swept params (``params.model.C``), ``tags.features`` for feature sets."""
    columns: list[str] = []
    for child in children:
        for item in str(child.data.tags.get("overrides", "")).split():
            key = item.partition("=")[0].lstrip("+~")
            found = f"params.{key}" if key in child.data.params else ("tags.features" if key == "features" else None)
            if found and found not in columns:
                columns.append(found)
    return columns


def _default_uri() -> str:
    from framing.tracking import default_tracking_uri

    return default_tracking_uri()
