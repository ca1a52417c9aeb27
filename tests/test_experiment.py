"""run(cfg) end to end on the demo corpus against a temporary SQLite MLflow database."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from framing.config import compose
from framing.experiment import load_corpus, run


def _cfg(tracking_uri, *overrides):
    return compose([f"tracking.uri={tracking_uri}", "report_articles=2", *overrides])


def _artifacts(client, run_id, path=""):
    out = []
    for item in client.list_artifacts(run_id, path):
        if item.is_dir:
            out.extend(_artifacts(client, run_id, item.path))
        else:
            out.append(item.path)
    return out


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_run_logs_metrics_params_artifacts_and_a_reloadable_model(tracking_uri):
    cfg = _cfg(tracking_uri, "tracking.register_model=demo-slc")
    seen = _Records()  # MLflow's loggers do not propagate to the root logger (caplog)
    logging.getLogger("mlflow.sklearn").addHandler(seen)
    try:
        result = run(cfg)
    finally:
        logging.getLogger("mlflow.sklearn").removeHandler(seen)
    # the toolkit pickles its own pipeline: MLflow's advice about pickles of unknown origin is not shown
    assert not [m for m in seen.messages if "pickle" in m], seen.messages
    client = MlflowClient(tracking_uri)
    logged = client.get_run(result.run_id)

    assert logged.info.status == "FINISHED"
    assert result.main_metric == "dev_f1"
    for split in ("dev", "test"):
        for name in ("precision", "recall", "f1"):
            assert 0.0 <= logged.data.metrics[f"{split}_{name}"] <= 1.0
    assert logged.data.metrics["dev_f1"] == pytest.approx(result.metrics["dev_f1"])
    assert logged.data.params["dataset.name"] == "demo"
    assert logged.data.params["model._target_"] == "sklearn.linear_model.LogisticRegression"
    tags = logged.data.tags
    assert tags["dataset"] == "demo" and tags["task"] == "slc"
    assert len(tags["data_sha256"]) == 64 and len(tags["git_commit"]) in (40, 7) or tags["git_commit"] == "unknown"
    assert tags["git_dirty"] in ("true", "false", "unknown")

    files = set(_artifacts(client, result.run_id))
    for expected in (
        "config.yaml",
        "metrics/dev_per_class.json",
        "predictions/dev/predictions-slc.txt",
        "predictions/dev/readable.tsv",
        "figures/dev_confusion_matrix.png",
        "figures/dev_precision_recall.png",
        "figures/top_features.png",
        "model/top_features.json",
        "report/articles.html",
    ):
        assert expected in files, expected
    assert any(f.startswith("model") and f.endswith("MLmodel") for f in files) or result.model_uri

    # the logged model reloads and predicts what the run predicted
    readable = client.download_artifacts(result.run_id, "predictions/dev/readable.tsv")
    frame = pd.read_csv(readable, sep="\t", keep_default_na=False)
    model = mlflow.sklearn.load_model(result.model_uri)
    reloaded = model.predict(frame[["text", "repeats"]])
    assert [("propaganda" if p else "non-propaganda") for p in reloaded] == list(frame["predicted"])
    assert client.get_registered_model("demo-slc").name == "demo-slc"

    # through mlflow.pyfunc, a DataFrame with a text column alone: one prediction per row, the same
    # as with the optional repeats column at its documented default (0)
    texts = ["The corrupt elites lied again!", "The council met on Tuesday.", "Only traitors disagree."]
    served = mlflow.pyfunc.load_model(result.model_uri)
    predicted = served.predict(pd.DataFrame({"text": texts}))
    assert len(predicted) == len(texts) and set(np.asarray(predicted).tolist()) <= {0, 1}
    assert list(predicted) == list(model.predict(pd.DataFrame({"text": texts, "repeats": [0, 0, 0]})))
    card = mlflow.models.Model.load(result.model_uri).metadata
    assert card["inputs"]["text"].startswith("required") and card["inputs"]["repeats"].startswith("optional")
    assert "mlflow.pyfunc.load_model" in card["usage"]

    # official SLC format: article_id, line, label; one row per article line, empty lines included
    official = open(client.download_artifacts(result.run_id, "predictions/dev/predictions-slc.txt")).read()
    rows = list(csv.reader(io.StringIO(official), delimiter="\t"))
    assert all(r[2] in ("propaganda", "non-propaganda") for r in rows)
    corpus = load_corpus(cfg.dataset)
    assert len(rows) == sum(d.text.count("\n") + (not d.text.endswith("\n")) for d in corpus["dev"])
    by_line = {(r[0], int(r[1])): r[2] for r in rows}
    for doc_id, line, predicted in zip(frame["doc_id"].astype(str), frame["start"], frame["predicted"]):
        text = next(d.text for d in corpus["dev"] if d.id == doc_id)
        if predicted == "propaganda":  # a line with a propaganda sentence is a propaganda row
            assert by_line[(doc_id, text.count("\n", 0, line) + 1)] == "propaganda"

    html = open(client.download_artifacts(result.run_id, "report/articles.html"), encoding="utf-8").read()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html


def test_same_config_and_seed_give_identical_metrics(tracking_uri):
    cfg = _cfg(tracking_uri, "tracking.log_model=false", "report_articles=0")
    first, second = run(cfg), run(cfg)
    keep = [k for k in first.metrics if not k.startswith(("time_", "peak_"))]
    assert {k: first.metrics[k] for k in keep} == {k: second.metrics[k] for k in keep}


def test_tc_on_demo_writes_official_format(tracking_uri):
    result = run(_cfg(tracking_uri, "task=tc", "tracking.log_model=false"))
    client = MlflowClient(tracking_uri)
    text = open(client.download_artifacts(result.run_id, "predictions/dev/predictions-tc.txt")).read()
    first = text.splitlines()[0].split("\t")
    assert len(first) == 4 and first[0].isdigit() and int(first[2]) < int(first[3])
    assert 0 <= result.metrics["dev_micro_f1"] <= 1 and "dev_macro_f1" in result.metrics


def test_a_logged_tc_model_predicts_from_span_texts_alone_through_pyfunc(tracking_uri):
    # the span's context (default: the span itself) and repeats (default 0) are optional inputs
    result = run(_cfg(tracking_uri, "task=tc", "features=[tfidf_words,shape]", "+task.context_features=[tfidf_words]",
                      "report_articles=0"))
    served = mlflow.pyfunc.load_model(result.model_uri)
    spans = ["corrupt elites", "Make our nation great again", "always", "traitors"]
    predicted = served.predict(pd.DataFrame({"text": spans}))
    labels = mlflow.models.Model.load(result.model_uri).metadata["labels"]
    assert len(predicted) == len(spans) and set(predicted) <= set(labels)
    full = pd.DataFrame({"text": spans, "context": spans, "repeats": [0.0] * len(spans)})
    assert list(predicted) == list(served.predict(full))


def test_sentence_techniques_on_demo(tracking_uri):
    result = run(_cfg(tracking_uri, "task=sentence_techniques", "tracking.log_model=false", "features=[tfidf_words]"))
    assert result.main_metric == "dev_micro_f1"
    assert 0 <= result.metrics["dev_macro_f1"] <= 1


def test_a_failed_run_is_marked_failed_with_its_traceback(tracking_uri):
    # A valid value that fails on this corpus only, in fit: no term is in 99% of the sentences.
    cfg = _cfg(tracking_uri, "features=[tfidf_words]", "features.tfidf_words.min_df=0.99",
               "tracking.log_model=false")
    with pytest.raises(ValueError, match="no terms remain"):
        run(cfg)
    client = MlflowClient(tracking_uri)
    runs = client.search_runs([client.get_experiment_by_name("framing").experiment_id])
    assert [r.info.status for r in runs] == ["FAILED"]
    trace = open(client.download_artifacts(runs[0].info.run_id, "error/traceback.txt")).read()
    assert "After pruning, no terms remain" in trace and "in fit" in trace
    assert "no terms remain" in runs[0].data.tags["error"]


def test_a_run_fills_the_mlflow_ui_columns_dataset_source_description_and_the_main_metric_first(tracking_uri):
    result = run(_cfg(tracking_uri, "tracking.log_model=false", "report_articles=0", "bootstrap.resamples=0"),
                 command="framing-experiment tracking.log_model=false")
    client = MlflowClient(tracking_uri)
    logged = client.get_run(result.run_id)
    inputs = {i.tags[0].value: i.dataset for i in logged.inputs.dataset_inputs}  # context -> dataset
    assert set(inputs) == {"train", "dev", "test"}
    assert inputs["train"].name == "demo-train" and inputs["dev"].name == "demo-dev"
    assert inputs["train"].digest and inputs["train"].digest != inputs["dev"].digest
    assert json.loads(inputs["train"].source)["uri"].endswith("data/demo") and inputs["train"].source_type == "local"
    assert f'"num_rows": {int(result.metrics["n_train"])}' in inputs["train"].profile
    tags = logged.data.tags
    assert tags["mlflow.source.name"] == "framing-experiment"
    assert "`framing-experiment tracking.log_model=false`" in tags["mlflow.note.content"]
    assert "Dataset `demo`" in tags["mlflow.note.content"]
    assert tags["main_metric"] == "dev_f1"
    first = min(client.get_metric_history(result.run_id, "dev_f1"), key=lambda m: m.timestamp)
    others = [client.get_metric_history(result.run_id, k)[0].timestamp for k in ("n_train", "test_f1")]
    assert first.timestamp <= min(others)
    experiment = client.get_experiment(logged.info.experiment_id)
    assert "framing compare --sweep" in experiment.tags["mlflow.note.content"]


def test_the_main_metric_is_logged_alone_before_the_others():
    from framing.tracking.runs import RunLog

    batches = []

    class Client:
        def log_batch(self, run_id, metrics=(), **kwargs):
            batches.append([m.key for m in metrics])

    class Tracker:
        client = Client()

        @staticmethod
        def _retry(fn, *args, **kwargs):
            return fn(*args, **kwargs)

    RunLog(Tracker(), "r").log_metrics({"n_train": 3.0, "dev_f1": 0.5, "dev_recall": 0.4}, first="dev_f1")
    assert batches == [["dev_f1"], ["n_train", "dev_recall"]]


def test_a_mistyped_data_path_is_a_user_error_before_any_run(tmp_path):
    from framing.tracking import Tracker

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    cfg = _cfg(uri, f"dataset.reader.root={tmp_path / 'no-such-folder'}")
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        run(cfg)
    assert not (tmp_path / "mlflow.db").exists()  # no run, not even a database
    # in a sweep the job is a FAILED child with its traceback, so the sweep's table shows it
    tracker = Tracker(uri)
    parent = tracker.start_run("sweep-test", tags={"sweep": "true"})
    with pytest.raises(FileNotFoundError):
        run(cfg, parent_run_id=parent.run_id, tracker=tracker, overrides=["dataset.reader.root=x"])
    (child,) = tracker.child_runs(parent.run_id)
    assert child.info.status == "FAILED" and child.info.run_name == "demo-slc-LogisticRegression dataset.reader.root=x"
    trace = open(tracker.client.download_artifacts(child.info.run_id, "error/traceback.txt")).read()
    assert "no-such-folder" in trace and "FileNotFoundError" in trace


def test_a_mistyped_data_path_on_the_command_line_exits_2_and_leaves_no_run(tmp_path):
    import subprocess
    import sys

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    done = subprocess.run([sys.executable, "-m", "framing.experiment", f"dataset.reader.root={tmp_path / 'typo'}",
                           f"tracking.uri={uri}"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "framing-experiment: error: " in done.stderr and "typo" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "mlflow.db").exists()


def test_each_corpus_warning_is_shown_once_per_process_and_once_per_sweep(tmp_path, monkeypatch, capsys):
    import warnings

    from framing import experiment
    from framing.data.errors import BadSpanWarning
    from framing.sweep import SHOWN_WARNINGS_ENV

    monkeypatch.setattr(experiment, "_SHOWN_CORPUS_WARNINGS", set())
    with experiment.corpus_warnings_as_lines():
        for _ in range(3):  # e.g. three seeds of framing reproduce
            with warnings.catch_warnings():  # a change of filters makes Python show a warning again
                warnings.simplefilter("default")
                warnings.warn("train/article1.labels line 3: span past the end, clipped", BadSpanWarning)
    assert capsys.readouterr().err.count("warning: train/article1.labels line 3") == 1

    # jobs of a sweep in other processes: the sweep's file of shown warnings
    monkeypatch.setenv(SHOWN_WARNINGS_ENV, str(tmp_path / "shown.txt"))
    for _job in range(2):
        monkeypatch.setattr(experiment, "_SHOWN_CORPUS_WARNINGS", set())  # a fresh process
        with experiment.corpus_warnings_as_lines():
            warnings.warn("dev/article2.labels line 1: bad offsets", BadSpanWarning)
    assert capsys.readouterr().err.count("warning: dev/article2.labels line 1") == 1


def test_an_invalid_estimator_value_stops_before_the_corpus_and_before_any_run(tmp_path):
    import os
    import subprocess
    import sys

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {**os.environ, "FRAMING_DATA": str(tmp_path / "no-corpora-here")}
    done = subprocess.run([sys.executable, "-m", "framing.experiment", "dataset=ptc2019",
                           "features.tfidf_words.ngram_range=[2,1]", f"tracking.uri={uri}"],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("framing-experiment: error: features.tfidf_words.ngram_range=[2, 1]: ")
    assert "lower boundary larger than the upper boundary" in lines[-1] and "tuple (min_n, max_n)" in lines[-1]
    assert "split folder not found" not in done.stderr  # the corpus was never read
    assert not (tmp_path / "mlflow.db").exists()  # and no MLflow run was started


def test_train_and_evaluation_articles_must_be_disjoint():
    from framing.experiment import check_disjoint
    from framing.tasks.base import Examples

    def ex(ids):
        return Examples(pd.DataFrame({"text": ids}), None, np.array(ids, dtype=object), pd.DataFrame({"doc_id": ids}))

    check_disjoint(ex(["a", "b"]), {"dev": ex(["c"])})
    with pytest.raises(ValueError, match="both the training data and the dev split"):
        check_disjoint(ex(["a", "b"]), {"dev": ex(["b", "c"])})


@pytest.mark.parametrize("dataset, expected", [("ptc2019", "PTC-2019 split folder not found"),
                                               ("babe", "final_labels_SG2.csv")])
def test_a_missing_corpus_is_one_clear_line_and_exit_2(tmp_path, dataset, expected):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FRAMING_DATA": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "framing.experiment", f"dataset={dataset}", "tracking=none"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("framing-experiment: error: ") and expected in done.stderr
    assert "data_root=/path/to/corpora" in done.stderr and "$FRAMING_DATA" in done.stderr
    assert "Traceback" not in done.stderr
    # the same with the config key: the message names the key the user set, and the folder it read
    env.pop("FRAMING_DATA")
    done = subprocess.run([sys.executable, "-m", "framing.experiment", f"dataset={dataset}", "tracking=none",
                           f"data_root={tmp_path / 'nowhere'}"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "data_root=/path/to/corpora" in done.stderr
    assert str(tmp_path / "nowhere") in done.stderr


def _jsonl(path, rows):
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_jsonl_corpus_runs_through_dataset_jsonl(tmp_path):
    def article(i):
        text = f"They are traitors number {i}. Act now! The council met on Monday."
        return {"id": f"a{i}", "text": text, "labels": ["Biased" if i % 2 else "Non-biased"],
                "spans": [{"start": 9, "end": 17, "label": "Name_Calling,Labeling"},
                          {"start": text.index("Act"), "end": text.index("Act") + 8, "label": "Slogans"}]}

    train = _jsonl(tmp_path / "train.jsonl", [article(i) for i in range(12)])
    dev = _jsonl(tmp_path / "dev.jsonl", [article(i) for i in range(12, 16)])
    unlabelled = _jsonl(tmp_path / "test.jsonl", [{"id": "t1", "text": "Nothing to see.", "labelled": False}])
    base = ["dataset=jsonl", f"dataset.train={train}", "tracking=none", "features=[tfidf_words]"]
    tc = run(compose([*base, f"dataset.dev={dev}", f"+dataset.reader.paths.test={unlabelled}",
                      "+dataset.splits.test=test", "task=tc"]))
    assert tc.metrics["dev_micro_f1"] == 1.0  # the unlabelled split without spans is skipped, not fatal
    bias = run(compose([*base, "dataset.dev=null", "task=bias", "cv.folds=3"]))
    assert "cv_macro_f1" in bias.metrics  # the lines' document labels are the bias gold


def test_one_class_training_data_and_a_bad_seed_are_clear_errors(tmp_path):
    from framing.experiment import ExperimentInputError

    one = _jsonl(tmp_path / "one.jsonl", [{"id": f"a{i}", "text": f"They are traitors {i}.",
                                           "spans": [{"start": 9, "end": 17, "label": "Loaded_Language"}]}
                                          for i in range(4)])
    dev = _jsonl(tmp_path / "dev.jsonl", [{"id": "d1", "text": "They are traitors.",
                                           "spans": [{"start": 9, "end": 17, "label": "Name_Calling,Labeling"}]}])
    base = ["dataset=jsonl", f"dataset.train={one}", f"dataset.dev={dev}", "tracking=none"]
    with pytest.raises(ExperimentInputError, match="one class only"):
        run(compose([*base, "task=tc"]))
    with pytest.raises(ExperimentInputError, match="seed must be a whole number"):
        run(compose([*base, "seed=-1"]))


@pytest.mark.nltk
def test_relative_corpus_and_lexicon_folders_are_read_from_the_launch_folder_under_chdir(tmp_path, lexicon_dir):
    # hydra.job.chdir=true runs the job in its output folder: relative paths the user gave
    # (FRAMING_DATA, FRAMING_LEXICONS, dataset.test_labels_dir) still mean the launch folder
    import os
    import subprocess
    import sys

    from framing.resources import PROJECT_ROOT

    (tmp_path / "corpora").mkdir()
    (tmp_path / "corpora" / "ptc_emnlp2019").symlink_to(PROJECT_ROOT / "data" / "demo")
    (tmp_path / "lexicons").symlink_to(lexicon_dir.resolve())
    env = {**os.environ, "FRAMING_DATA": "corpora", "FRAMING_LEXICONS": "lexicons"}
    done = subprocess.run(
        [sys.executable, "-m", "framing.experiment", "dataset=ptc2019", "tracking=none",
         "features=[tfidf_words,agency_ext]", "report_articles=0", "hydra.job.chdir=true",
         "dataset.test_labels_dir=corpora/ptc_emnlp2019/test", f"hydra.run.dir={tmp_path / 'job'}"],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "test_f1" in done.stdout and "dev_f1" in done.stdout


def test_user_path_resolves_against_the_launch_folder(tmp_path, monkeypatch):
    from framing.resources import user_path

    monkeypatch.chdir(tmp_path)
    assert user_path("corpora") == tmp_path / "corpora"
    assert user_path("/abs/x") == Path("/abs/x")
    assert user_path("~/x") == Path.home() / "x"
    assert user_path(None) is None


def test_a_mistyped_eval_split_is_a_user_error_not_a_test_score(tmp_path):
    from framing.errors import UserError

    # without the check the run scored only test and made test_f1 its main metric
    cfg = _cfg(f"sqlite:///{tmp_path / 'mlflow.db'}", "dataset.splits.eval=nope")
    with pytest.raises(UserError, match=r"dataset.splits.eval='nope'.*it has: dev, test, train"):
        run(cfg)
    cfg = _cfg(f"sqlite:///{tmp_path / 'mlflow.db'}", "dataset.splits.train=tran")
    with pytest.raises(UserError, match=r"dataset.splits.train='tran'"):
        run(cfg)
    assert not (tmp_path / "mlflow.db").exists()
