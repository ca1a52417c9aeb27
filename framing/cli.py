"""``framing``: the utility command line (set-up, corpus statistics, comparing runs...).

Subcommands::

    framing setup                       check NLTK resources, download missing ones
    framing data stats DATASET          counts per split and technique
    framing compare                     runs from MLflow as a table
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from framing.errors import USER_ERRORS, report

#: Subcommands added by their own modules through ``register(subparsers)``.
COMMAND_MODULES: dict[str, str] = {"reproduce": "framing.reproduce", "analyze": "framing.analyze_cli"}


def _cmd_setup(args) -> int:
    from framing.resources import ensure_nltk_resources

    report = ensure_nltk_resources(download=not args.no_download)
    for name, status in report.statuses.items():
        print(f"  {status.state:8} {name}")
    bad = {name: st for name, st in report.statuses.items() if st.state != "ok"}
    if not bad:
        print("NLTK resources: all present.")
        return 0
    for name, status in bad.items():
        if name in report.download_errors:
            print(f"framing setup: could not download {name!r} into {report.download_dir}: "
                  f"{report.download_errors[name]}", file=sys.stderr)
        if status.state == "refused" or report.download_dir is None:
            print(f"framing setup: {status.error}", file=sys.stderr)
    missing = [name for name, st in bad.items() if st.state == "missing"]
    if missing and report.download_dir is not None:
        print(f"Install the missing ones with\n  python -m nltk.downloader -d {report.download_dir} {' '.join(missing)}\n"
              "or set NLTK_DATA to a folder that has them.", file=sys.stderr)
    return 1


def _cmd_data_stats(args) -> int:
    from framing.config import compose
    from framing.experiment import load_corpus
    from framing.report.corpus_stats import corpus_stats
    from framing.tables import format_table

    cfg = compose([f"dataset={args.dataset}", *args.override])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(cfg.dataset)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    splits = args.split or None
    overview, per_technique = corpus_stats(corpus, splits, cfg.dataset.get("segmentation", "lines"))
    print(f"{corpus.name}: {len(corpus.labels)} labels; files read: {len(corpus.files)}")
    print(format_table(overview, fmt=args.format))
    print()
    if any(len(row) > 1 for row in per_technique):
        print(format_table(per_technique, fmt=args.format))
    return 0


def _cmd_paired(args) -> int:
    """``framing compare --paired A B``: a paired test of two runs on the same split, over its articles."""
    from framing.significance import ArticleStatistics, paired_test
    from framing.tracking import read_run

    run_a, run_b = args.paired
    path = f"metrics/{args.split}_article_statistics.json"
    runs = [read_run(run_id, [path], args.uri) for run_id in (run_a, run_b)]
    for run_id, run in zip((run_a, run_b), runs):
        if path not in run["artifacts"]:
            raise ValueError(f"run {run_id} has no {path}: it was not scored on {args.split!r} with article "
                             "statistics (runs log them since bootstrap intervals were added; choose --split)")
    data = [r["tags"].get("data_sha256") for r in runs]
    if data[0] != data[1]:
        raise ValueError(f"the runs read different corpus files (data_sha256 {data[0]} vs {data[1]}): "
                         "a paired test needs the same split of the same data")
    stats = [ArticleStatistics.from_dict(r["artifacts"][path]) for r in runs]
    main = runs[0]["tags"].get("main_metric", "")  # "dev_f1": the task's headline metric, after its split
    metric = args.metric or (main.split("_", 1)[1] if "_" in main else _main_metric(stats[0]))
    result = paired_test(stats[0], stats[1], metric, n_resamples=args.resamples, seed=args.seed, method=args.method)
    print(f"A = {run_a} ({runs[0]['tags'].get('mlflow.runName', '')}), B = {run_b} "
          f"({runs[1]['tags'].get('mlflow.runName', '')}), split {args.split}")
    print(result.summary())
    return 0


def _main_metric(stats) -> str:
    for name in ("f1", "micro_f1", "macro_f1"):
        if name in stats.metrics:
            return name
    return sorted(stats.metrics)[0]


def _cmd_compare(args) -> int:
    from framing.tables import format_table
    from framing.tracking import search_runs

    if args.paired:
        return _cmd_paired(args)

    filters = [args.filter] if args.filter else []
    if args.sweep:
        filters.append(f"tags.mlflow.parentRunId = '{args.sweep}'")
    for item in args.tag:
        key, _, value = item.partition("=")
        filters.append(f"tags.`{key}` = '{value}'")
    params = dict(item.partition("=")[::2] for item in args.param)  # compared by value, not as strings
    sort = args.sort
    if args.sweep and not sort:  # a sweep's children by their main metric
        found = search_runs(args.uri, args.experiment or None, " and ".join(filters), None, 1000)
        sort = next((r["tags.main_metric"] for r in found if r.get("tags.main_metric")), None)
    rows = search_runs(args.uri, args.experiment or None, " and ".join(filters), sort, args.limit,
                       include_parents=args.include_parents, params=params)
    if not rows:
        print("no runs match" + (f" (no child runs of {args.sweep})" if args.sweep else ""), file=sys.stderr)
        return 1
    present = {k for r in rows for k in r}
    if args.sort and f"metrics.{args.sort}" not in present:
        known = sorted(k.removeprefix("metrics.") for k in present if k.startswith("metrics."))
        raise ValueError(f"--sort {args.sort}: no listed run has this metric; metrics: {', '.join(known)}")
    if args.columns:
        columns = [c if "." in c or c in rows[0] else f"metrics.{c}" for c in args.columns.split(",")]
        columns = ["run_id", *[c for c in columns if c != "run_id"]]
        unknown = [c for c in columns if c not in present]
        if unknown:
            raise ValueError(
                f"--columns: no listed run has {', '.join(c.removeprefix('metrics.') for c in unknown)}; "
                "columns are run_name, status, experiment, start_time, metric names, params.<name>, tags.<name>")
    else:
        metric_cols = sorted({k for r in rows for k in r if k.startswith("metrics.") and not k.startswith(("metrics.time_", "metrics.n_", "metrics.peak_"))})
        # the sort metric first, else the runs' main metric (tag main_metric), then the others
        mains = [r.get("tags.main_metric") for r in rows if r.get("tags.main_metric")]
        lead = sort or (max(set(mains), key=mains.count) if mains else None)
        if lead and f"metrics.{lead}" in present:
            metric_cols = [f"metrics.{lead}"] + [c for c in metric_cols if c != f"metrics.{lead}"]
        columns = ["run_id", "run_name", "status", "tags.dataset", "tags.task", "tags.features",
                   *differing_params(rows), *metric_cols[:6]]
    shown = [{c.removeprefix("metrics."): r.get(c) for c in columns} for r in rows]
    if args.short_ids:
        for r in shown:
            r["run_id"] = (r["run_id"] or "")[:8]
    print(format_table(shown, [c.removeprefix("metrics.") for c in columns], fmt=args.format))
    return 0


#: ``framing --help``: plain text (the module docstring is reStructuredText for the API docs).
DESCRIPTION = ("framing: the utility command line of the framing toolkit: set-up, corpus statistics, "
               "comparing runs, reproducing published results, analysing articles.")
EPILOG = ("Experiments run with framing-experiment (framing-experiment --help lists the presets). "
          "framing COMMAND --help describes each command; README.md has examples.")


def differing_params(rows, limit: int = 4) -> list[str]:
    """``params.<key>`` columns worth showing: the swept keys, else params whose values differ.

    A swept key is one a run's ``overrides`` tag sets (``model.C=0.3``); group
    overrides (``features=...``) are already in the ``tags.features`` column.
    Values are compared by value (``1`` equals ``1.0``). At most ``limit``.
    """
    from framing.tracking.params import same_value

    keys = {k for r in rows for k in r if k.startswith("params.")}
    swept = [f"params.{item.partition('=')[0].lstrip('+~')}" for r in rows
             for item in str(r.get("tags.overrides") or "").split() if "=" in item]
    found = [k for k in dict.fromkeys(swept) if k in keys]
    if not found:
        skip = ("params.dataset.", "params.task.", "params.features.", "params.tracking.", "params.data_root",
                "params.lexicon_dir", "params.run_name")
        for key in sorted(keys):
            values = [r.get(key) for r in rows]
            if not key.startswith(skip) and any(
                    v != values[0] and (v is None or values[0] is None or not same_value(values[0], v))
                    for v in values[1:]):
                found.append(key)
    return found[:limit]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``framing`` parser; ``only`` (a command name) skips importing the other command modules."""
    parser = argparse.ArgumentParser(prog="framing", description=DESCRIPTION, epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("setup", help="check NLTK resources and download the missing ones")
    p.add_argument("--no-download", action="store_true", help="only check")
    p.set_defaults(func=_cmd_setup)

    data = sub.add_parser("data", help="corpus utilities").add_subparsers(dest="data_command", required=True)
    p = data.add_parser("stats", help="articles, sentences, spans and propaganda sentences per technique and split")
    p.add_argument("dataset", help="a conf/dataset option: demo, ptc2019, ptc2020, semeval2023_en, babe, mbic")
    p.add_argument("--split", action="append", help="only this split (repeatable)")
    p.add_argument("--format", choices=["table", "markdown", "tsv"], default="table")
    p.add_argument("override", nargs="*", help="Hydra overrides, e.g. dataset.test_labels_dir=/path")
    p.set_defaults(func=_cmd_data_stats)

    p = sub.add_parser("compare", help="list MLflow runs sorted by a metric")
    p.add_argument("--uri", help="tracking URI (default: $MLFLOW_TRACKING_URI or the project's mlflow.db)")
    p.add_argument("--experiment", action="append", help="experiment name (repeatable; default all)")
    p.add_argument("--filter", help="MLflow filter, e.g. \"metrics.dev_f1 > 0.5\"")
    p.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="e.g. --tag dataset=ptc2019")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="compared by value: --param model.C=1 matches a logged 1.0")
    p.add_argument("--sort", metavar="METRIC", help="sort by this metric, descending (e.g. dev_f1)")
    p.add_argument("--columns", help="comma-separated columns: metric names, params.X, tags.X, run_name, status...")
    p.add_argument("--format", choices=["table", "markdown", "tsv"], default="table")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--include-parents", action="store_true", help="also list sweep parent runs")
    p.add_argument("--sweep", metavar="PARENT_RUN_ID",
                   help="the runs of one sweep (its parent run id, printed when the sweep ends), "
                        "sorted by their main metric")
    p.add_argument("--short-ids", action="store_true", help="show 8-character run ids")
    p.add_argument("--paired", nargs=2, metavar=("RUN_A", "RUN_B"),
                   help="paired test of two runs on the same split, resampling articles: the difference A - B, "
                        "its 95%% interval and a p-value (framing.significance)")
    p.add_argument("--split", default="dev", help="with --paired: the split (dev, test, cv; default dev)")
    p.add_argument("--metric", help="with --paired: the metric without split (default: the task's headline, e.g. f1)")
    p.add_argument("--method", choices=["bootstrap", "permutation"], default="bootstrap",
                   help="with --paired: paired bootstrap (default) or approximate randomization")
    p.add_argument("--resamples", type=int, default=1000, help="with --paired: resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="with --paired: seed of the resampling (default 0)")
    p.set_defaults(func=_cmd_compare)

    # Larger commands live in their own modules, each with register(subparsers). When the
    # command is known, only its module is imported (start-up time counts for `framing analyze`).
    for command, module in COMMAND_MODULES.items():
        if only is None or command == only:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console script ``framing``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in COMMAND_MODULES else None
    args = build_parser(only=command).parse_args(argv)
    try:
        return args.func(args)
    except (*USER_ERRORS, ValueError, LookupError) as exc:  # bad input: one line, not a traceback
        return report("framing", exc)


if __name__ == "__main__":
    sys.exit(main())
