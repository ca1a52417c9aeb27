"""``framing reproduce``: published results beside ours, like with like, from one command.

Each experiment file ``experiments/experiment/<name>.yaml`` is a Hydra
experiment config (``# @package _global_``, ``override /dataset: ...``) with a
``paper`` block naming the published numbers it sits beside, each with its
split, whether it has our metric's definition, and where to check it
(:mod:`framing.papers`). Hydra finds the files through ``hydra.searchpath`` in
``conf/config.yaml`` (``file://${project_root:}/experiments``), so
``framing-experiment experiment=<name>`` runs one of them on its own too.

Running: every selected experiment is composed, then run once per seed
(``seed=0 .. N-1``) through :func:`framing.experiment.run`, each run an MLflow
child of one parent run named ``reproduce``; a run that fails is marked
FAILED and the others go on. The split we score is reported honestly:

- tasks scored by cross-validation (BABE): ``cv_<metric>``, split "5-fold CV";
- otherwise the number's split when we have its gold (``test_<metric>``:
  PTC-2019 with ``--test-labels DIR``), else the evaluation split (``dev``),
  and the split column says so ("dev (paper: test)") with the reason in the notes
  (PTC-2019 test labels not supplied; SemEval-2020 test gold not public).

The table (:data:`COLUMNS`) is printed, logged to the parent run as
``RESULTS.md`` and ``results.json``, and written with a header saying how it
was made to ``--output``, by default ``experiments/RESULTS.md`` for ``--all``
only (a run of a few files leaves the full table alone).

Definitions used in the table: *mean* and *sd* over the seeds' values, sd the
sample standard deviation (``ddof=1``; "(1 seed)" and no sd for one seed);
*95% CI*: the bootstrap interval over articles the runs logged as
``<metric>_ci_low``/``<metric>_ci_high`` (:mod:`framing.significance`; for
cross-validated rows the interval of the pooled out-of-fold predictions,
``cv_pooled_<metric>_ci_*``), its bounds averaged over the seeds; *comparison*: "same split, same metric" when
the split, the metric definition and the label source are the number's, else
"not comparable: <why>"; then only, Δ = ours mean − reported and *within
tolerance* "yes" when ``|Δ| ≤ tolerance``, else "no (below)" or "no (above)".
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import json
import shlex
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from framing.config import EXPERIMENTS_DIR, compose
from framing.papers import PaperMetric, PaperRef, comparability, parse_paper

__all__ = ["COLUMNS", "ExperimentRuns", "PaperMetric", "PaperRef", "SeedRun", "compose_experiment",
           "experiment_names", "parse_paper", "reproduce", "scored_split", "table_rows"]

#: Group folder of the experiment files under each experiments directory.
GROUP = "experiment"
#: Columns of the results table, in order.
COLUMNS = ["experiment", "paper", "task", "metric", "split", "reported", "ours mean ± sd", "95% CI", "comparison",
           "Δ", "within tolerance"]


# --------------------------------------------------------------------------- finding and composing experiments


def experiment_names(search_dirs: Sequence[Path]) -> list[str]:
    """Names of the experiment files in ``<dir>/experiment/*.yaml``, sorted."""
    names = {p.stem for d in search_dirs for p in (Path(d) / GROUP).glob("*.yaml")}
    return sorted(names)


def searchpath_override(search_dirs: Sequence[Path]) -> list[str]:
    """A ``hydra.searchpath`` override listing exactly these experiment roots.

    Needed only for roots other than the project's ``experiments/``, which
    ``conf/config.yaml`` already puts on the search path (a command-line
    ``hydra.searchpath`` replaces that list, so it names the default too when
    wanted).
    """
    dirs = [Path(d).resolve() for d in search_dirs]
    if dirs == [EXPERIMENTS_DIR.resolve()]:
        return []
    items = ",".join(f"'file://{d}'" for d in dirs)
    return [f"hydra.searchpath=[{items}]"]


def compose_experiment(
    name: str,
    overrides: Sequence[str] = (),
    search_dirs: Sequence[Path] = (EXPERIMENTS_DIR,),
    test_labels_dir: Path | None = None,
) -> DictConfig:
    """The composed config of one experiment file, as ``framing-experiment experiment=<name>`` sees it.

    Parameters
    ----------
    name : str
        Experiment file name without ``.yaml``.
    overrides : sequence of str
        Further Hydra overrides (applied after the experiment file).
    search_dirs : sequence of Path
        Experiment roots (each holds ``experiment/<name>.yaml``).
    test_labels_dir : Path, optional
        Set as ``dataset.test_labels_dir`` when the dataset has that key
        (PTC-2019), so the test split is scored.

    Raises
    ------
    ValueError
        If no experiment file has that name.
    """
    known = experiment_names(search_dirs)
    if name not in known:
        raise ValueError(
            f"no experiment {name!r} in {', '.join(str(Path(d) / GROUP) for d in search_dirs)}; known: {known}"
        )
    cfg = compose([*searchpath_override(search_dirs), f"{GROUP}={name}", *overrides])
    if test_labels_dir is not None and "test_labels_dir" in cfg.dataset:
        cfg.dataset.test_labels_dir = str(Path(test_labels_dir).resolve())
    return cfg


# --------------------------------------------------------------------------- running


@dataclass
class SeedRun:
    """One run of one experiment with one seed."""

    seed: int
    status: str  # FINISHED or FAILED
    metrics: dict[str, float] = field(default_factory=dict)
    run_id: str | None = None
    error: str = ""
    seconds: float = 0.0


@dataclass
class ExperimentRuns:
    """The runs of one experiment file, with what it compares against."""

    name: str
    paper: PaperRef
    cfg: DictConfig
    runs: list[SeedRun] = field(default_factory=list)

    @property
    def finished(self) -> list[SeedRun]:
        return [r for r in self.runs if r.status == "FINISHED"]


def _stderr(message: str) -> None:
    print(f"reproduce: {message}", file=sys.stderr, flush=True)


def run_experiment(exp: ExperimentRuns, seeds: Sequence[int], parent_run_id: str | None, tracker, progress=_stderr) -> None:
    """Run ``exp`` once per seed; failures are recorded (and FAILED in MLflow), not raised.

    Parameters
    ----------
    exp : ExperimentRuns
        Gets one :class:`SeedRun` per seed appended.
    seeds : sequence of int
    parent_run_id : str or None
        MLflow parent of the runs.
    tracker : framing.tracking.Tracker or None
    progress : callable of str
        Told about each finished or failed run (default: stderr).
    """
    from framing.experiment import run

    for seed in seeds:
        cfg = copy.deepcopy(exp.cfg)
        cfg.seed = int(seed)
        cfg.run_name = f"{exp.name}-seed{seed}"
        started = time.perf_counter()
        try:
            result = run(cfg, parent_run_id=parent_run_id, tracker=tracker)
        except Exception as exc:  # one failed run must not stop the others
            failed = SeedRun(seed, "FAILED", error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - started,
                             run_id=_last_child_id(tracker, parent_run_id, cfg.run_name))
            exp.runs.append(failed)
            progress(f"{exp.name} seed {seed}: FAILED after {failed.seconds:.1f} s: {failed.error}")
            _tag(tracker, failed.run_id, exp.name, seed)
            continue
        done = SeedRun(seed, "FINISHED", dict(result.metrics), result.run_id, seconds=time.perf_counter() - started)
        exp.runs.append(done)
        main = result.main_metric
        progress(f"{exp.name} seed {seed}: {main} {result.metrics.get(main, float('nan')):.4f} ({done.seconds:.1f} s)")
        _tag(tracker, result.run_id, exp.name, seed)


def _tag(tracker, run_id: str | None, name: str, seed: int) -> None:
    """Mark a child run with the experiment file and seed it reproduces."""
    if tracker is not None and run_id:
        from framing.tracking import RunLog

        RunLog(tracker, run_id).set_tags({"reproduce_experiment": name, "seed": seed})


def _last_child_id(tracker, parent_run_id, run_name) -> str | None:
    """The MLflow id of a child that failed (run() raised before returning it)."""
    if tracker is None or not parent_run_id:
        return None
    try:
        runs = [r for r in tracker.child_runs(parent_run_id) if r.info.run_name == run_name]
    except Exception:  # the table matters more than the id
        return None
    return max(runs, key=lambda r: r.info.start_time).info.run_id if runs else None


# --------------------------------------------------------------------------- the table


def scored_split(exp: ExperimentRuns, metric: str, wanted: str | None = None) -> tuple[str, str, str]:
    """Which of our splits a row reports: ``(metric key prefix, split label, reason)``.

    Cross-validated tasks report ``cv``; otherwise the number's split
    (``wanted``, default the paper block's) when every finished run scored
    it, else the evaluation split, with the reason the number's split could
    not be scored (empty when it is the number's split).
    """
    wanted = wanted or exp.paper.split
    if exp.finished and all(f"cv_{metric}" in r.metrics for r in exp.finished):
        label = f"{int(exp.cfg.cv.folds)}-fold CV"
        if wanted.lower() == label.lower():
            return "cv", label, ""
        return "cv", f"{label} (paper: {wanted})", f"ours is {label}, the number is on {wanted}"
    if exp.finished and all(f"{wanted}_{metric}" in r.metrics for r in exp.finished):
        return wanted, wanted, ""
    splits = exp.cfg.dataset.get("splits", {})
    evaluation = str(splits.get("eval") or "dev")
    if wanted == evaluation:
        return evaluation, evaluation, ""
    if not exp.finished:
        return evaluation, f"{evaluation} (paper: {wanted})", "no run finished"
    if "test_labels_dir" in exp.cfg.dataset and not exp.cfg.dataset.get("test_labels_dir"):
        reason = f"{wanted} labels not supplied: pass --test-labels DIR to score {wanted}"
    else:
        reason = f"the {wanted} gold is not public in this release"
    return evaluation, f"{evaluation} (paper: {wanted})", reason


def label_source(cfg: DictConfig) -> str:
    """Our gold's label source where it matters (PTC-2019 SLC): ``"official"`` or ``"derived"``; else ""."""
    if "slc_labels_dir" not in cfg.dataset or not str(cfg.task.get("_target_", "")).endswith("SLCTask"):
        return ""
    return "official" if cfg.dataset.get("slc_labels_dir") else "derived"


def _fmt(value: float | None, digits: int = 4, sign: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def table_rows(experiments: Sequence[ExperimentRuns]) -> list[dict[str, Any]]:
    """One row per (experiment, paper metric), with the raw numbers behind each cell.

    Returns
    -------
    list of dict
        The :data:`COLUMNS` as formatted strings, plus ``mean``, ``sd``,
        ``ci`` (``[low, high]`` or None), ``delta`` (None unless comparable),
        ``comparable``, ``values`` (per seed), ``n_seeds``, ``n_failed``,
        ``status``, ``metric_key``, ``reported_value`` (None: unverified),
        ``tolerance``, ``reason``, ``source``, ``unverified``, ``labels``,
        ``fold_sd``.
    """
    rows = []
    for exp in experiments:
        ours_labels = label_source(exp.cfg)
        for pm in exp.paper.metrics:
            prefix, split_label, reason = scored_split(exp, pm.ours, pm.split)
            key = f"{prefix}_{pm.ours}"
            values = [r.metrics[key] for r in exp.finished if key in r.metrics]
            fold_sd = [r.metrics[f"{key}_std"] for r in exp.finished if f"{key}_std" in r.metrics]
            # a cross-validated score is the mean over folds; its interval is of the pooled out-of-fold predictions
            ci_key = f"cv_pooled_{pm.ours}" if prefix == "cv" else key
            bounds = [(r.metrics[f"{ci_key}_ci_low"], r.metrics[f"{ci_key}_ci_high"]) for r in exp.finished
                      if f"{ci_key}_ci_low" in r.metrics and f"{ci_key}_ci_high" in r.metrics]
            ci = (statistics.fmean(b[0] for b in bounds), statistics.fmean(b[1] for b in bounds)) \
                if bounds and len(bounds) == len(values) else None
            failed = [r for r in exp.runs if r.status == "FAILED"]
            missing = len(exp.finished) - len(values)
            mean = statistics.fmean(values) if values else None
            sd = statistics.stdev(values) if len(values) > 1 else None
            ours_split = split_label.split(" (paper:")[0]
            comparable, comparison = comparability(pm, f"{ours_split} vs {pm.split}" if reason else "", ours_labels,
                                                   exp.paper.labels)
            delta = None if mean is None or pm.reported is None or not comparable else mean - pm.reported
            if mean is None:
                ours = "FAILED" if failed else f"no {key}"
                verdict = "FAILED" if failed else "n/a"
                status = "FAILED" if failed else "MISSING"
            else:
                ours = f"{mean:.4f} ± {sd:.4f}" if sd is not None else f"{mean:.4f} (1 seed)"
                if failed:
                    ours += f" [{len(failed)} of {len(exp.runs)} seeds FAILED]"
                verdict = ""
                if delta is not None:
                    verdict = "yes" if abs(delta) <= exp.paper.tolerance + 1e-12 else (
                        "no (below)" if delta < 0 else "no (above)")
                status = "PARTIAL" if failed or missing else "FINISHED"
            rows.append(
                {
                    "experiment": exp.name,
                    "paper": f"{exp.paper.short}, {pm.row}",
                    "task": exp.paper.task,
                    "metric": pm.name,
                    "split": split_label,
                    "reported": "—" if pm.reported is None else f"{pm.reported:.4f}",
                    "ours mean ± sd": ours,
                    "95% CI": f"[{ci[0]:.4f}, {ci[1]:.4f}]" if ci else "",
                    "comparison": comparison,
                    "Δ": _fmt(delta, sign=True),
                    "within tolerance": verdict,
                    # raw values (JSON artifact, tests)
                    "metric_key": key,
                    "reported_value": pm.reported,
                    "tolerance": exp.paper.tolerance,
                    "mean": mean,
                    "sd": sd,
                    "ci": list(ci) if ci else None,
                    "delta": delta,
                    "comparable": comparable,
                    "values": values,
                    "seeds": [r.seed for r in exp.finished if key in r.metrics],
                    "n_seeds": len(exp.runs),
                    "n_failed": len(failed),
                    "status": status,
                    "reason": reason,
                    "source": pm.source,
                    "unverified": pm.unverified,
                    "labels": ours_labels,
                    "fold_sd": fold_sd,
                    "run_ids": [r.run_id for r in exp.runs],
                }
            )
    return rows


#: How the notes describe our label source.
LABEL_WORDS = {
    "derived": "derived from the technique spans (NLP4IF-2019 rule: a line is propaganda when a span overlaps it)",
    "official": "the official NLP4IF-2019 SLC label files (dataset.slc_labels_dir)",
}


def _features_summary(cfg: DictConfig) -> str:
    model = str(cfg.model["_target_"]).rsplit(".", 1)[-1]
    params = [f"{k}={cfg.model[k]}" for k in ("C", "alpha") if k in cfg.model]
    extra = []
    if "length" in cfg.features and "units" in cfg.features.length:
        extra.append(f"length units {list(cfg.features.length.units)}")
    if "context_features" in cfg.task:
        extra.append(f"context features {list(cfg.task.context_features or [])}")
    text = f"features {list(cfg.features)}; {model}({', '.join(params)})"
    return text + (f"; {'; '.join(extra)}" if extra else "")


@dataclass
class Reproduction:
    """Everything one ``framing reproduce`` produced."""

    experiments: list[ExperimentRuns]
    rows: list[dict[str, Any]]
    seeds: list[int]
    wall_seconds: float
    command: str
    started_utc: str
    git: dict[str, str]
    test_labels_dir: Path | None
    parent_run_id: str | None = None
    tracking_uri: str | None = None
    experiment_name: str | None = None

    @property
    def failed(self) -> bool:
        return any(r.status == "FAILED" for e in self.experiments for r in e.runs)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s ({seconds:.0f} s)" if minutes else f"{seconds:.1f} s"


def render_markdown(rep: Reproduction) -> str:
    """``RESULTS.md``: how it was made, the table, and notes per experiment."""
    git = rep.git
    commit = git.get("git_commit", "unknown")
    dirty = {"true": " (with uncommitted changes)", "false": ""}.get(git.get("git_dirty", ""), "")
    sd_kind = "sample sd (ddof=1) over seeds" if len(rep.seeds) > 1 else "one seed: no sd"
    lines = [
        "# Reproduced results",
        "",
        "Generated by `framing reproduce`; do not edit by hand: run the command below to regenerate it.",
        "",
        f"- Command: `{rep.command}`",
        f"- Date: {rep.started_utc}",
        f"- Git commit: `{commit}`{dirty}",
        f"- Seeds: {', '.join(map(str, rep.seeds))} (ours = mean ± {sd_kind})",
        f"- Wall time: {_duration(rep.wall_seconds)}",
    ]
    if rep.parent_run_id:
        lines.append(
            f"- MLflow: parent run `{rep.parent_run_id}` (\"reproduce\", experiment '{rep.experiment_name}'), "
            "one child run per experiment and seed"
        )
    labels = f"supplied (`{rep.test_labels_dir}`): PTC-2019 rows are scored on test" if rep.test_labels_dir else (
        "not supplied: PTC-2019 rows are scored on **dev**, while the paper's numbers are on test "
        "(the split column says so); pass `--test-labels DIR` to score test"
    )
    lines += [f"- PTC-2019 test labels: {labels}", ""]
    lines += [
        "reported: the published number as a fraction (57.74 % → 0.5774; — when none could be verified), its source "
        "in the notes. ours: mean over the seeds of the metric on the split shown (\"dev (paper: test)\": not the "
        "number's split). 95% CI: bootstrap interval over articles (1,000 resamples, articles drawn with "
        "replacement; for cross-validated rows, of the pooled out-of-fold predictions), bounds averaged over the seeds; a deterministic model has sd 0 over seeds and the interval carries the uncertainty. comparison: \"same split, same metric\" when the split, the "
        "metric definition and the label source are those of the number, otherwise \"not comparable\" with the "
        "reasons, and then no Δ and no verdict. Δ = ours mean − reported; within tolerance: |Δ| ≤ the row's "
        "tolerance (in the notes), otherwise \"no (below)\" or \"no (above)\".",
        "",
        _markdown_table(rep.rows),
        "",
        "## Notes",
        "",
    ]
    by_name = {}
    for row in rep.rows:
        by_name.setdefault(row["experiment"], []).append(row)
    for exp in rep.experiments:
        p = exp.paper
        lines.append(f"### {exp.name}")
        lines.append("")
        lines.append(f"- Paper: {p.citation} Tolerance ±{p.tolerance:.3f}.")
        lines.append(f"- Ours: {_features_summary(exp.cfg)}; dataset `{exp.cfg.dataset.name}`, task `{exp.cfg.task['_target_'].rsplit('.', 1)[-1]}`.")
        labels = label_source(exp.cfg)
        if labels:
            lines.append(f"- Sentence labels: {LABEL_WORDS[labels]}" + (
                f" (the paper's numbers use {p.labels} labels)" if p.labels else "") + ".")
        for row, pm in zip(by_name.get(exp.name, []), p.metrics):
            reported = (f"reported {pm.reported:.4f} on {pm.split}, {pm.row}; source: {pm.source.rstrip('.')}"
                        if pm.reported is not None else f"no reported number: {pm.unverified.rstrip('.')}")
            per_seed = ", ".join(f"seed {s}: {v:.4f}" for s, v in zip(row["seeds"], row["values"]))
            text = f"- {row['metric']} (`{row['metric_key']}`): {reported}. Ours {per_seed or 'no value'}"
            if row["fold_sd"]:
                text += "; fold sd (population, per seed): " + ", ".join(f"{v:.4f}" for v in row["fold_sd"])
            text += f". {row['comparison'][0].upper()}{row['comparison'][1:]}"
            if row["reason"]:
                text += f" ({row['reason']})"
            lines.append(text + ".")
        for r in exp.runs:
            if r.status == "FAILED":
                lines.append(f"- seed {r.seed} FAILED: {r.error}" + (f" (MLflow run `{r.run_id}`)" if r.run_id else ""))
        if p.note:
            lines.append(f"- Note: {p.note}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_table(rows: Sequence[Mapping[str, Any]]) -> str:
    from framing.tables import format_table

    return format_table([{c: r[c] for c in COLUMNS} for r in rows], COLUMNS, fmt="markdown")


def json_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The table as JSON-friendly rows (the MLflow ``results.json`` artifact)."""
    out = []
    for row in rows:
        item = {k: v for k, v in row.items()}
        item["values"] = json.dumps(row["values"])
        item["seeds"] = json.dumps(row["seeds"])
        item["fold_sd"] = json.dumps(row["fold_sd"])
        item["ci"] = json.dumps(row["ci"])
        item["run_ids"] = json.dumps(row["run_ids"])
        out.append(item)
    return out


# --------------------------------------------------------------------------- the whole reproduction


def reproduce(
    names: Sequence[str],
    seeds: int = 3,
    test_labels_dir: Path | None = None,
    overrides: Sequence[str] = (),
    search_dirs: Sequence[Path] = (EXPERIMENTS_DIR,),
    command: str = "framing reproduce",
    output: Path | None = None,
) -> Reproduction:
    """Run experiment files with several seeds and compare with the papers.

    Parameters
    ----------
    names : sequence of str
        Experiment file names (``experiment/<name>.yaml`` under a search dir).
    seeds : int
        Runs per experiment, with ``seed=0 .. seeds-1``.
    test_labels_dir : Path, optional
        PTC-2019 test labels folder (``dataset.test_labels_dir``).
    overrides : sequence of str
        Hydra overrides applied to every experiment (``tracking.uri=...``).
    search_dirs : sequence of Path
        Experiment roots; default the project's ``experiments/``.
    command : str
        The command line, for the header of ``RESULTS.md``.
    output : Path, optional
        Where to write ``RESULTS.md`` (not written when None).

    Returns
    -------
    Reproduction

    Raises
    ------
    ValueError
        Before anything runs: an unknown experiment name, a bad paper block,
        ``seeds < 1`` or a missing test-labels folder.
    """
    from framing.tracking import git_state

    if seeds < 1:
        raise ValueError(f"--seeds must be at least 1, got {seeds}")
    if not names:
        raise ValueError("no experiments selected: name some or pass --all")
    if test_labels_dir is not None and not Path(test_labels_dir).is_dir():
        raise ValueError(f"--test-labels: {test_labels_dir} is not a folder")
    if test_labels_dir is not None and not any(Path(test_labels_dir).glob("article*.labels.tsv")):
        # checked before the runs: every seed would otherwise fail on it, one after the other
        raise ValueError(f"--test-labels: {test_labels_dir} holds no article<ID>.labels.tsv files "
                         "(the PTC-2019 test labels, one file per article)")
    started_utc = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    started = time.perf_counter()
    # compose and validate everything first: a typo fails before hours of runs
    experiments = []
    for name in dict.fromkeys(names):
        cfg = compose_experiment(name, overrides, search_dirs, test_labels_dir)
        paper = parse_paper(OmegaConf.to_container(cfg.paper, resolve=True) if "paper" in cfg else None, name)
        experiments.append(ExperimentRuns(name, paper, cfg))
    seed_list = list(range(seeds))

    tracker, parent = _open_parent(experiments[0].cfg, experiments, seed_list, command)
    rep = None
    try:
        for exp in experiments:
            run_experiment(exp, seed_list, parent.run_id if parent else None, tracker)
        rows = table_rows(experiments)
        rep = Reproduction(
            experiments, rows, seed_list, time.perf_counter() - started, command, started_utc, git_state(),
            Path(test_labels_dir).resolve() if test_labels_dir else None,
            parent.run_id if parent else None, tracker.uri if tracker else None,
            tracker.experiment_name if tracker else None,
        )
        markdown = render_markdown(rep)
        if output is not None:
            output = Path(output)
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(markdown, encoding="utf-8")
        if parent is not None:
            parent.log_text(markdown, "RESULTS.md")
            parent.log_table(json_rows(rows), "results.json")
            parent.log_metrics(
                {"time_total_s": rep.wall_seconds,
                 **{f"{r['experiment']}.{r['metric_key']}_mean": r["mean"] for r in rows if r["mean"] is not None}}
            )
            parent.set_tags({"children_failed": sum(r.status == "FAILED" for e in experiments for r in e.runs)})
    except BaseException as exc:
        if parent is not None:
            parent.log_exception(exc)
            parent.end("FAILED" if not isinstance(exc, KeyboardInterrupt) else "KILLED")
        raise
    if parent is not None:
        parent.end("FINISHED")
    return rep


def _open_parent(cfg: DictConfig, experiments, seeds, command):
    """The tracker and the parent run "reproduce" (both None when tracking is off)."""
    if not cfg.tracking.get("enabled", True) or not cfg.tracking.uri:
        return None, None
    from framing.tracking import Tracker, git_state

    tracker = Tracker(cfg.tracking.uri, cfg.tracking.experiment_name)
    parent = tracker.start_run(
        "reproduce",
        tags={
            # "sweep" hides the parent (it has no scores of its own) from `framing compare`
            "sweep": "true",
            "reproduce": "true",
            "experiments": ",".join(e.name for e in experiments),
            "seeds": ",".join(map(str, seeds)),
            "command": command,
            **git_state(),
        },
    )
    return tracker, parent


# --------------------------------------------------------------------------- command line


def _command_line(args) -> str:
    parts = ["framing", "reproduce"]
    parts += ["--all"] if args.all else list(args.names)
    parts += ["--seeds", str(args.seeds)]
    if args.test_labels:
        parts += ["--test-labels", str(args.test_labels)]
    for d in args.experiments_dir or []:
        parts += ["--experiments-dir", str(d)]
    if args.output:
        parts += ["--output", str(args.output)]
    parts += list(args.overrides)
    return " ".join(shlex.quote(p) for p in parts)


def _cmd_reproduce(args) -> int:
    from framing.experiment import corpus_warnings_as_lines

    with corpus_warnings_as_lines():
        return _reproduce_command(args)


def _reproduce_command(args) -> int:
    from framing.tables import format_table

    search_dirs = [Path(d).resolve() for d in (args.experiments_dir or [EXPERIMENTS_DIR])]
    for d in search_dirs:
        if not (d / GROUP).is_dir():
            raise ValueError(f"--experiments-dir: {d} has no {GROUP}/ folder of experiment files")
    positional = list(args.names)
    args.overrides = [p for p in positional if "=" in p]
    args.names = [p for p in positional if "=" not in p]
    if args.list:
        for name in experiment_names(search_dirs):
            print(name)
        return 0
    if args.all and args.names:
        raise ValueError("give experiment names or --all, not both")
    names = experiment_names(search_dirs) if args.all else args.names
    # RESULTS.md is the table of --all: a run of a few files writes a table only where --output says.
    output = Path(args.output) if args.output else (search_dirs[0] / "RESULTS.md" if args.all else None)
    rep = reproduce(names, args.seeds, args.test_labels, args.overrides, search_dirs, _command_line(args), output)
    print(format_table([{c: r[c] for c in COLUMNS} for r in rep.rows], COLUMNS))
    print()
    written = (f"table written to {output}" if output else
               "RESULTS.md left as it is (it is the table of --all); --output PATH writes this table")
    print(f"{len(rep.experiments)} experiment(s) x {len(rep.seeds)} seed(s) in {_duration(rep.wall_seconds)}; {written}")
    if rep.parent_run_id:
        print(f"MLflow parent run {rep.parent_run_id} (\"reproduce\", experiment '{rep.experiment_name}')")
    if rep.failed:
        print("some runs FAILED: see the notes in the table file and error/traceback.txt in their MLflow runs",
              file=sys.stderr)
        return 1
    return 0


def register(subparsers) -> None:
    """Add ``framing reproduce`` to the ``framing`` command line."""
    p = subparsers.add_parser(
        "reproduce",
        help="run the experiment files of published results and print the paper's numbers beside ours",
        description=__doc__.split("\n\n")[0].replace("``", "") + " With --all it rewrites experiments/RESULTS.md; "
                    "every run logs its table to MLflow.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "examples:\n"
            "  framing reproduce --all                      every experiment file, 3 seeds\n"
            "  framing reproduce ptc2019_slc_tfidf_lr --seeds 5   table printed and logged, RESULTS.md untouched\n"
            "  framing reproduce --all --test-labels /path/to/ptc2019-test-labels\n"
            "  framing reproduce --list                     the experiment files\n"
            "  framing reproduce babe_bias_tfidf_lr tracking.uri=sqlite:////tmp/mlflow.db"
        ),
    )
    p.add_argument("names", nargs="*", metavar="NAME|KEY=VALUE",
                   help="experiment files (experiments/experiment/NAME.yaml); arguments with '=' are Hydra "
                        "overrides applied to every experiment (give names and overrides together, after "
                        "the options)")
    p.add_argument("--all", action="store_true", help="every experiment file")
    p.add_argument("--list", action="store_true", help="list the experiment files and exit")
    p.add_argument("--seeds", type=int, default=3, metavar="N", help="runs per experiment, seeds 0..N-1 (default 3)")
    p.add_argument("--test-labels", type=Path, metavar="DIR",
                   help="PTC-2019 test labels folder: score the test split (default: dev, and the table says so)")
    p.add_argument("--output", type=Path, metavar="PATH",
                   help="where to write the table (default: experiments/RESULTS.md with --all, nowhere otherwise)")
    p.add_argument("--experiments-dir", type=Path, action="append", metavar="DIR",
                   help="experiment root(s) holding experiment/NAME.yaml, instead of the project's experiments/")
    p.set_defaults(func=_cmd_reproduce)
