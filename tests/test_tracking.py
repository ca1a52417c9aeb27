"""MLflow logging: sweeps as parent + children, a real mlflow server over HTTP, framing compare."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

from framing.config import compose
from framing.experiment import run
from framing.resources import PROJECT_ROOT
from framing.tracking import Tracker, flatten, search_runs, ui_command

BIN = Path(sys.executable).parent


def test_flatten_nested_config():
    assert flatten({"model": {"C": 1.0, "_target_": "x.Y"}, "features": {"a": {"ngram_range": [1, 2]}}, "e": {}}) == {
        "model.C": "1.0",
        "model._target_": "x.Y",
        "features.a.ngram_range": "[1, 2]",
        "e": "{}",
    }


def test_ui_command_for_sqlite_and_http(monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    assert ui_command("sqlite:////tmp/x/mlflow.db") == (  # the environment active: the bare name
        "mlflow ui --backend-store-uri sqlite:////tmp/x/mlflow.db --default-artifact-root file:///tmp/x/mlartifacts"
    )
    assert ui_command("http://127.0.0.1:5000") == "open http://127.0.0.1:5000"


@pytest.mark.slow
def test_sweep_with_joblib_launcher_has_parent_children_and_a_failed_job(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    proc = subprocess.run(
        [
            str(BIN / "framing-experiment"), "-m",
            # the third job fails in fit: a valid min_df that leaves no term on this corpus
            "features=[tfidf_words]", "features.tfidf_words.min_df=1,2,0.99",
            f"tracking.uri={uri}", "tracking.log_model=false", "report_articles=0",
            "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
            f"hydra.sweep.dir={tmp_path / 'multirun'}",
        ],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # a job failed
    assert "3 runs (2 finished, 1 failed)" in proc.stdout, proc.stdout + proc.stderr
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name("framing")
    runs = client.search_runs([exp.experiment_id])
    parents = [r for r in runs if r.data.tags.get("sweep") == "true"]
    assert len(parents) == 1 and parents[0].info.status == "FINISHED"
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parents[0].info.run_id]
    assert sorted(r.info.status for r in children) == ["FAILED", "FINISHED", "FINISHED"]
    # jobs in other processes are named by their overrides too
    assert sorted(r.info.run_name for r in children) == [
        f"demo-slc-LogisticRegression features.tfidf_words.min_df={v}" for v in ("0.99", "1", "2")]
    failed = next(r for r in children if r.info.status == "FAILED")
    assert "no terms remain" in open(client.download_artifacts(failed.info.run_id, "error/traceback.txt")).read()
    assert parents[0].data.tags["children_failed"] == "1"
    # no stray mlruns folders from relative defaults
    assert not (tmp_path / "mlruns").exists()


def test_sweep_children_are_named_by_their_overrides_and_a_user_error_is_a_failed_child(tmp_path, capsys):
    from framing.cli import main

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    proc = subprocess.run(
        [str(BIN / "framing-experiment"), "-m", "seed=1,-1", "model.C=0.5", "features=[tfidf_words]",
         f"tracking.uri={uri}", "tracking.log_model=false", "report_articles=0", "bootstrap.resamples=0",
         f"hydra.sweep.dir={tmp_path / 'multirun'}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # seed=-1 is refused
    client = MlflowClient(uri)
    runs = client.search_runs([client.get_experiment_by_name("framing").experiment_id])
    (parent,) = [r for r in runs if r.data.tags.get("sweep") == "true"]
    children = {r.info.run_name: r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id}
    # named by what differs: the swept seed, not the model.C every job shares
    assert set(children) == {"demo-slc-LogisticRegression seed=1", "demo-slc-LogisticRegression seed=-1"}
    failed = children["demo-slc-LogisticRegression seed=-1"]
    assert failed.info.status == "FAILED" and "seed must be a whole number" in failed.data.tags["error"]
    assert "seed must be a whole number" in open(
        client.download_artifacts(failed.info.run_id, "error/traceback.txt")).read()
    assert parent.data.tags["swept"] == "seed"
    # the closing table (sorted by the main metric, failed last) and the line that shows it again
    out = proc.stdout
    table = out[out.index("sweep: 2 runs (1 finished, 1 failed)"):]
    assert "sorted by dev_f1" in table
    assert table.index("seed=1 ") < table.index("seed=-1 ") and "FAILED" in table
    assert f"again: framing compare --sweep {parent.info.run_id} --uri {uri}" in table
    # a saved view of the MLflow UI: the sweep's runs sorted by the main metric, its column shown
    view = json.loads(client.get_experiment_by_name("framing").tags[
        f"mlflow.sharedViewState.sweep-{parent.info.run_id[:8]}"])
    assert view["searchFilter"] == f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    assert view["orderByKey"] == "metrics.`dev_f1`" and view["selectedColumns"][:2] == ["metrics.`dev_f1`",
                                                                                        "params.`seed`"]
    assert f"runs?viewStateShareKey=sweep-{parent.info.run_id[:8]}" in table
    assert parent.data.metrics["dev_f1"] == children["demo-slc-LogisticRegression seed=1"].data.metrics["dev_f1"]
    assert main(["compare", "--sweep", parent.info.run_id, "--uri", uri, "--format", "tsv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "params.seed" in lines[0].split("\t") and len(lines) == 3
    assert lines[1].split("\t")[1] == "demo-slc-LogisticRegression seed=1"  # best first


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.server
@pytest.mark.slow
def test_logging_over_http_to_an_mlflow_server(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "mlflow"), "server",
            "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
            "--artifacts-destination", str(tmp_path / "server-artifacts"),
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        ],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{uri}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise AssertionError("mlflow server did not start:\n" + (server.stdout.read() if server.stdout else ""))
            time.sleep(0.5)
        result = run(compose([f"tracking.uri={uri}", "features=[tfidf_words]", "report_articles=1"]))
        client = MlflowClient(uri)
        logged = client.get_run(result.run_id)
        assert logged.info.status == "FINISHED"
        assert logged.data.metrics["dev_f1"] == pytest.approx(result.metrics["dev_f1"])
        names = {a.path for a in client.list_artifacts(result.run_id)}
        assert {"config.yaml", "predictions", "figures", "report"} <= names
        import mlflow.sklearn

        model = mlflow.sklearn.load_model(result.model_uri)
        assert len(model.predict(__import__("pandas").DataFrame({"text": ["A sentence."]}))) == 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_compare_lists_runs_sorted_by_a_metric(tracking_uri, capsys):
    from framing.cli import main

    for C in ("0.1", "10"):
        run(compose([f"tracking.uri={tracking_uri}", "features=[tfidf_words]", f"model.C={C}",
                     "tracking.log_model=false", "report_articles=0"]))
    rows = search_runs(tracking_uri, ["framing"], order_by="dev_f1")
    assert len(rows) == 2
    assert rows[0]["metrics.dev_f1"] >= rows[1]["metrics.dev_f1"]
    assert main(["compare", "--uri", tracking_uri, "--sort", "dev_f1", "--format", "markdown",
                 "--columns", "dev_f1,params.model.C,tags.dataset", "--param", "model.C=10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| run_id | dev_f1 | params.model.C | tags.dataset |")
    assert out.count("\n") == 3  # header, rule, one matching run
    assert "| 10 | demo |" in out
    # by default: the params that differ between the runs, then the main metric
    assert main(["compare", "--uri", tracking_uri, "--format", "tsv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split("\t")
    assert header[header.index("params.model.C") + 1] == "dev_f1", header

    # a sweep parent (newest run) is hidden without costing a row of --limit
    Tracker(tracking_uri, "framing").start_run("sweep-x", tags={"sweep": "true"}).end("FINISHED")
    assert len(search_runs(tracking_uri, ["framing"], max_results=2)) == 2
    assert len(search_runs(tracking_uri, ["framing"], max_results=2, include_parents=True)) == 2
    assert len(search_runs(tracking_uri, ["framing"], include_parents=True)) == 3
    # typos are errors, not empty columns
    assert main(["compare", "--uri", tracking_uri, "--sort", "dev_f11"]) == 2
    assert "no listed run has this metric" in capsys.readouterr().err
    assert main(["compare", "--uri", tracking_uri, "--columns", "dev_f1,foo"]) == 2
    assert "no listed run has foo" in capsys.readouterr().err


def test_runs_log_bootstrap_intervals_and_compare_paired_tests_two_runs(tracking_uri, capsys):
    from framing.cli import main

    ids = []
    for features in ("[tfidf_words]", "[tfidf_chars]"):
        result = run(compose([f"tracking.uri={tracking_uri}", f"features={features}", "tracking.log_model=false",
                              "report_articles=0"]))
        low, high = result.metrics["dev_f1_ci_low"], result.metrics["dev_f1_ci_high"]
        assert low <= result.metrics["dev_f1"] <= high and low < high
        ids.append(result.run_id)
    client = MlflowClient(tracking_uri)
    assert client.get_run(ids[0]).data.tags["main_metric"] == "dev_f1"

    assert main(["compare", "--uri", tracking_uri, "--paired", ids[0], ids[0], "--method", "permutation"]) == 0
    out = capsys.readouterr().out
    assert "f1: A" in out and "= +0.0000" in out and "p = 1.0000" in out
    assert main(["compare", "--uri", tracking_uri, "--paired", ids[0], ids[1], "--split", "test"]) == 0
    out = capsys.readouterr().out
    a = client.get_run(ids[0]).data.metrics["test_f1"]
    b = client.get_run(ids[1]).data.metrics["test_f1"]
    assert f"f1: A {a:.4f} - B {b:.4f} = {a - b:+.4f}" in out
    assert main(["compare", "--uri", tracking_uri, "--paired", ids[0], ids[1], "--split", "cv"]) == 2
    assert "has no metrics/cv_article_statistics.json" in capsys.readouterr().err


def test_default_tracking_uri_is_an_absolute_sqlite_path_in_the_project(monkeypatch):
    from framing.tracking import default_tracking_uri

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert default_tracking_uri() == f"sqlite:///{PROJECT_ROOT / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://example:5000")
    assert default_tracking_uri() == "http://example:5000"


def test_compare_fails_fast_on_an_unreachable_server_and_a_missing_database(tmp_path, capsys):
    from framing.cli import main

    assert main(["compare", "--uri", "http://127.0.0.1:1"]) == 2
    assert "cannot reach the MLflow tracking server http://127.0.0.1:1" in capsys.readouterr().err
    missing = tmp_path / "none.db"
    assert main(["compare", "--uri", f"sqlite:///{missing}"]) == 2
    assert "no MLflow database at" in capsys.readouterr().err
    assert not missing.exists()  # looking did not create it


# --------------------------------------------------------------------------- MLflow's limits on params


def test_params_over_mlflow_limits_are_marked_and_named_and_never_fail_the_run(tmp_path):
    import hashlib

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    long_key = "features.custom." + "k" * 300
    run_log = Tracker(uri, "limits").start_run("limits")
    with pytest.warns(UserWarning, match="longer than MLflow's 250 characters"):
        run_log.log_params({"dataset.labels": "x" * 7000, long_key: "1", "model.C": "1.0"})
    run_log.end()
    logged = MlflowClient(uri).get_run(run_log.run_id).data
    marker = "… [truncated from 7000 characters; the full value is in config.yaml]"
    assert logged.params["dataset.labels"] == "x" * (6000 - len(marker)) + marker
    assert len(logged.params["dataset.labels"]) == 6000
    short = long_key[:241] + "-" + hashlib.sha256(long_key.encode()).hexdigest()[:8]
    assert len(short) == 250 and logged.params[short] == "1" and logged.params["model.C"] == "1.0"
    assert logged.tags["params_truncated"] == "dataset.labels"
    assert json.loads(logged.tags["params_shortened"]) == {short: long_key}


def test_a_run_with_a_long_stop_word_list_logs_it_cut_and_keeps_it_whole_in_config_yaml(tracking_uri):
    words = [f"word{i:04d}" for i in range(700)]  # 700 x 10 characters: over 6,000 as a param
    result = run(compose([f"tracking.uri={tracking_uri}", "features=[tfidf_words]", "tracking.log_model=false",
                          "report_articles=0", f"+features.tfidf_words.stop_words=[{','.join(words)}]"]))
    client = MlflowClient(tracking_uri)
    logged = client.get_run(result.run_id)
    assert logged.info.status == "FINISHED"
    value = logged.data.params["features.tfidf_words.stop_words"]
    assert len(value) == 6000 and value.endswith("characters; the full value is in config.yaml]")
    assert logged.data.tags["params_truncated"] == "features.tfidf_words.stop_words"
    config = open(client.download_artifacts(result.run_id, "config.yaml")).read()
    assert "word0699" in config


def _runs_with_params(uri, *params):
    tracker = Tracker(uri, "framing")
    ids = []
    for i, values in enumerate(params):
        run_log = tracker.start_run(f"run{i}", tags={"dataset": "demo", "task": "slc"})
        run_log.log_params(values)
        run_log.log_metrics({"dev_f1": 0.1 * (i + 1)})
        run_log.end()
        ids.append(run_log.run_id)
    return ids


def test_compare_matches_params_by_value(tmp_path, capsys):
    from framing.cli import main

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    ids = _runs_with_params(
        uri,
        {"model.C": "1.0", "features.tfidf_words.ngram_range": "[1, 2]", "model.class_weight": "None"},
        {"model.C": "0.5", "features.tfidf_words.ngram_range": "[1, 1]", "model.class_weight": "balanced"},
        {"model.C": "10", "features.tfidf_words.ngram_range": "[1, 2]", "model.class_weight": "None"},
    )

    def matching(*args):
        assert main(["compare", "--uri", uri, "--format", "tsv", *args]) == 0
        return {line.split("\t")[0] for line in capsys.readouterr().out.splitlines()[1:]}

    assert matching("--param", "model.C=1") == {ids[0]}  # logged as 1.0
    assert matching("--param", "model.C=1e1") == {ids[2]}
    assert matching("--param", "features.tfidf_words.ngram_range=[1,2]") == {ids[0], ids[2]}
    assert matching("--param", "model.class_weight=null", "--param", "model.C=10.0") == {ids[2]}
    assert main(["compare", "--uri", uri, "--param", "model.C=2"]) == 1
    assert "no runs match" in capsys.readouterr().err


def test_a_filter_mlflow_cannot_parse_is_one_line_with_the_accepted_syntax(tmp_path, capsys):
    from framing.cli import main

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    _runs_with_params(uri, {"model.C": "1.0"})
    capsys.readouterr()
    assert main(["compare", "--uri", uri, "--filter", "params.model.C>0.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error: --filter 'params.model.C>0.5': ") and err.count("\n") == 1
    assert "params.`model.C` = '1.0'" in err and "metrics.dev_f1 > 0.5" in err and "--param" in err
